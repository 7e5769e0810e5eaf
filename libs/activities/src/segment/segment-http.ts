import rateLimit from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, preParsingHookHandler } from 'fastify';
import Redis from 'ioredis';
import { RateLimitedError } from '@cdp/platform';

/** The route config that marks the Segment-compatible routes (`@RouteConfig(SEGMENT_ROUTE)`). */
export const SEGMENT_ROUTE = { segment: true } as const;

export interface SegmentHttpOptions {
  /** Requests per second per write key (`SEGMENT_RATE_PER_SECOND`); above it, 429 with `Retry-After`. */
  ratePerSecond: number;
  /** When set, the counters live in this Redis, so every replica counts the same requests. */
  redisUrl?: string;
  /** Prefix of the Redis keys (so deployments and test runs sharing a Redis do not count each other). */
  nameSpace?: string;
}

/** Who the rate is counted for: the credential of the request (hashed), or the address when there is none. */
function rateKey(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth ? `k:${createHash('sha256').update(auth).digest('base64url').slice(0, 24)}` : `ip:${req.ip}`;
}

/** Any body of these routes is read as JSON, as Segment's API does (RudderStack's SDK sends a gzip body without JSON's type). */
const jsonBody: onRequestHookHandler = (req, _reply, done) => {
  const type = req.headers['content-type'];
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && (typeof type !== 'string' || !/^application\/json\b/i.test(type))) req.headers['content-type'] = 'application/json';
  done();
};

/**
 * `Content-Encoding: gzip` bodies are inflated as they arrive; the body limit applies to what is inflated, and
 * the sent length is still checked against `Content-Length`. A body that is not gzip is 400 (a retry cannot help).
 */
const inflate: preParsingHookHandler = (req, _reply, payload, done) => {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return done(null, payload);
  if (encoding !== 'gzip' && encoding !== 'x-gzip')
    return done(Object.assign(new Error(`Content-Encoding ${encoding} is not accepted (gzip is)`), { statusCode: 415 }));
  const gunzip = createGunzip();
  let received = 0;
  payload.on('data', (chunk: Buffer) => {
    received += chunk.length;
    (gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = received;
  });
  payload.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', (err) => Object.assign(err, { statusCode: 400 }));
  payload.pipe(gunzip);
  done(null, gunzip);
};

/**
 * The HTTP side of Segment-compatible ingestion, installed on the Fastify instance before the routes exist:
 * the per-key rate limit (`@fastify/rate-limit`, in Redis when configured), gzip bodies, and any content type
 * read as JSON — on the routes marked with `SEGMENT_ROUTE` only.
 */
export async function installSegmentHttp(fastify: FastifyInstance, opts: SegmentHttpOptions): Promise<void> {
  const redis = opts.redisUrl
    ? new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false, enableAutoPipelining: true })
    : undefined;
  if (redis) {
    redis.on('error', () => undefined); // the limiter lets requests through while Redis is away (skipOnError)
    fastify.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));
  }
  await fastify.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${opts.nameSpace ?? 'cdp'}-segment-rate-`,
    skipOnError: true,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
  });
  const limiter = fastify.rateLimit({
    max: opts.ratePerSecond,
    timeWindow: 1000,
    keyGenerator: rateKey,
    errorResponseBuilder: (_req, ctx) =>
      new RateLimitedError(`More than ${ctx.max} requests a second with this write key; retry after ${Math.ceil(ctx.ttl / 1000)} s`),
  });
  fastify.addHook('onRoute', (route) => {
    if (!(route.config as { segment?: boolean } | undefined)?.segment) return;
    const own = (h: unknown) => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
    route.onRequest = [limiter as onRequestHookHandler, jsonBody, ...own(route.onRequest)];
    route.preParsing = [inflate, ...own(route.preParsing)];
  });
}
