/**
 * How the auth guard turns an `X-Api-Key` header into an app. The activities lib provides it (it owns the
 * keys); with none registered, API keys are refused.
 */
export interface ApiKeyVerifier {
  /** The app and key id of a valid, unrevoked key; undefined otherwise. */
  verify(rawKey: string): Promise<{ appId: string; keyId: string } | undefined>;
}

export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');
