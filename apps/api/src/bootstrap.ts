import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { installSegmentHttp } from '@cdp/activities';
import { AppModule, type AppOptions } from './app.module';
import type { Env } from './config/env';
import { defaultConsoleDir, serveConsole } from './http/console';
import { clientErrorHandler, frameworkErrors, installInputGuards, installJsonParser, MAX_PARAM_LENGTH } from './http/hostile-input';
import { lingerOnEarlyAnswers } from './http/lingering-close';
import { setupOpenApi } from './http/openapi';
import { requestId } from './http/request-id';

/** The default body limit (1 MB); a route may raise its own with `@RouteConfig({ bodyLimit })`. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application (used by main.ts and by the tests, so both get the same pipeline). */
export async function createApp(env: Env, opts: AppOptions & { consoleDir?: string }): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy: true,
    return503OnClosing: true,
    genReqId: requestId,
    maxParamLength: MAX_PARAM_LENGTH,
    // The router's and the HTTP parser's errors answer problems too (API.md "Errors").
    frameworkErrors,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  // The request id reaches the logs (pino-http reads `req.id`) and the caller (`X-Request-Id`).
  fastify.addHook('onRequest', async (req, reply) => {
    (req.raw as { id?: string }).id = req.id;
    reply.header('X-Request-Id', req.id);
  });
  // A 413 (or any answer given before the body was read) reaches a client that is still sending.
  lingerOnEarlyAnswers(fastify);
  // NUL characters in bodies, queries and paths are refused for every route (http/hostile-input.ts).
  installInputGuards(fastify);
  // Per-route body limits: Nest passes `@RouteConfig()` into the route's config.
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit;
    if (limit) route.bodyLimit = limit;
  });
  // Segment-compatible paths: per-key rate limit (shared in Redis when there is one), gzip bodies.
  await installSegmentHttp(fastify, {
    ratePerSecond: env.SEGMENT_RATE_PER_SECOND,
    redisUrl: env.REDIS_URL,
    nameSpace: opts.jobs?.prefix,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(env, opts), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  setupOpenApi(app, env.PUBLIC_BASE_URL!);
  // Customer import uploads: one CSV file of at most 2 MB (413 past it).
  await app.register(multipart, { limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 10 } });
  await app.init();
  // JSON bodies nested deeper than 32 levels are refused before parsing (replaces the parser Nest adds in init).
  installJsonParser(fastify);
  // The console at `/` (after the API's routes and its 404 problem handler, which unknown API paths keep).
  await serveConsole(fastify, opts.consoleDir ?? defaultConsoleDir());
  await fastify.ready();
  return app;
}
