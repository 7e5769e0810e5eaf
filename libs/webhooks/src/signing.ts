import { createHmac, randomBytes } from 'node:crypto';

/** Secrets are `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries read them. */
export const SECRET_PREFIX = 'whsec_';

export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The Standard Webhooks 1.0 headers of one attempt: `webhook-id` (the delivery's id, the same on every
 * attempt), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature` (`v1,` and the base64
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the decoded secret).
 */
export function signatureHeaders(secret: string, id: string, body: string, at: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000).toString();
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
