import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Customer = Schemas['CustomerResponseDto'];
export type CustomerDetail = Schemas['CustomerDetailDto'];
export type CustomerFilter = Schemas['CustomerFilterDto'];
export type Channel = Schemas['ChannelDto'];
export type PropertyDefinition = Schemas['PropertyDefinitionDto'];
export type Problem = Schemas['ProblemDto'];

/** A refused or failed call: the problem the API answered (its `detail` is what the user reads). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `The request failed (${status})`);
  }
}

export type Api = ReturnType<typeof createClient<paths>>;

/**
 * The typed client of the public API (types generated from the service's own `/openapi.json`). It sends the
 * session's token and reports a 401 (the token expired or was revoked) so the console returns to sign-in.
 */
export function createApi(opts: { token: () => string | null; onUnauthorized: () => void; fetch?: typeof fetch; baseUrl?: string }): Api {
  const client = createClient<paths>({ baseUrl: opts.baseUrl ?? window.location.origin, fetch: opts.fetch });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = opts.token();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) opts.onUnauthorized();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** The data of an openapi-fetch answer, or an ApiError carrying its problem. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? undefined) as Partial<Problem> | undefined);
  return data as T;
}

export const SOURCE_LABELS: Record<string, string> = {
  admin: 'Added by Admin',
  ads: 'Ads',
  organic: 'Organic',
  broadcast: 'Broadcast',
};
