import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request id for logs and the `X-Request-Id` response header: the caller's (if sane) or a new one. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** For pino-http: the id Fastify already gave the request. */
export function loggedRequestId(req: IncomingMessage): string {
  return (req as IncomingMessage & { id?: string }).id ?? requestId(req);
}
