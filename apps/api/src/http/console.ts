import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Paths the console never answers (API.md "Console"): the API, the health check, Swagger UI and the document.
 * An unknown path under them stays the API's 404 problem.
 */
const API_PATHS = /^\/(v1(\/|$)|health(\/|$)|docs(\/|$|-)|openapi\.(json|yaml)$)/;

/** A request for a file (`/assets/x.js`, `/favicon.ico`) that does not exist is a 404, never the page. */
const FILE_LIKE = /\/[^/]+\.[a-z0-9]+$/i;

/**
 * Only the service's own origin: scripts, styles (files; Mantine also sets inline style attributes), images,
 * fonts and API calls. No frames, no plugins, no foreign form targets.
 */
export const CONSOLE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** `dist/console` of the checkout this file runs from (from sources under ts-node/jest, or compiled under dist/). */
export function defaultConsoleDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

const NOT_BUILT =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CDP console</title></head>' +
  '<body><main><h1>The console is not built</h1><p>Run <code>npm run build</code>, then start the service again. ' +
  'The API is at <a href="/docs">/docs</a>.</p></main></body></html>';

/**
 * Serves the console (the built single-page app) at `/`: hashed files under `/assets/` are cached for a year,
 * `index.html` is never cached (a new build is seen at once), and every other page path gets `index.html`
 * so the app's own router answers it. Security headers go on these responses only, so Swagger UI at `/docs`
 * keeps its inline styles and scripts.
 */
export async function serveConsole(fastify: FastifyInstance, root: string): Promise<void> {
  const index = join(root, 'index.html');
  const built = existsSync(index);
  await fastify.register(async (scope) => {
    await scope.register(helmet, {
      global: true,
      contentSecurityPolicy: CONSOLE_CSP,
      crossOriginEmbedderPolicy: false,
      hsts: false,
    });
    const page = async (reply: FastifyReply) => {
      reply.header('Cache-Control', 'no-cache');
      if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.type('text/html; charset=utf-8').send(readFileSync(index));
    };
    if (built) {
      await scope.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        index: false,
        decorateReply: false,
        // Hashed file names change with their content: cache them for good. Anything else revalidates.
        setHeaders: (res, path) => {
          const hashed = /[\\/]assets[\\/]/.test(path);
          (res as unknown as FastifyReply).header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
        cacheControl: false,
        globIgnore: ['index.html'],
      });
    }
    scope.get('/', (_req, reply) => page(reply));
    scope.get('/index.html', (_req, reply) => page(reply));
    scope.get('/*', (req, reply) => {
      const path = req.url.split('?')[0];
      if (API_PATHS.test(path) || FILE_LIKE.test(path)) return reply.callNotFound();
      return page(reply);
    });
  });
}
