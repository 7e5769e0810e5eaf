import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { jsonDepth, MAX_JSON_DEPTH, NotFoundError, nulFields, nulIssues, ValidationFailedError } from '@cdp/platform';
import { problem, toProblem, type Problem } from './problem-details.filter';

/**
 * Input hardening in one place, for every route (issue 11): what a hostile client sends is answered with a
 * problem before any handler, validator or statement sees it.
 *
 * - JSON bodies nested deeper than MAX_JSON_DEPTH: 422 `validation_failed`, judged on the text before parsing.
 * - A NUL character (`\u0000`) in any string or key of a JSON body or a query value: 422 `validation_failed`
 *   naming the fields (PostgreSQL text cannot hold it); in a path parameter, 404 `not_found` (it names nothing). A route whose body is a batch judged
 *   item by item says so with `@RouteConfig({ perItemBody: 'events' })`: the items of that array are left to
 *   the handler, which rejects a bad one and keeps the others.
 * - The router's and the HTTP parser's own errors (bad percent-encoding, an over-long path parameter, a request
 *   line or headers past the server's limit) are problems too, not Fastify's JSON.
 */

/** Route config: the top-level array of the body whose items the handler accepts or rejects one by one. */
export interface PerItemBodyConfig {
  perItemBody?: string;
}

/** The longest path parameter the router takes: an app id is at most 128 characters; longer names nothing. */
export const MAX_PARAM_LENGTH = 128;

/** The NUL check of every request (added before the routes, so that each route runs it). */
export function installInputGuards(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (req) => {
    // A path parameter with NUL names nothing: 404, as any unknown id.
    if (nulFields(req.params).length) throw new NotFoundError('Resource');
    const fields = [
      ...nulFields(req.query, ''),
      ...(req.body !== undefined && !isMultipart(req) ? nulFields(req.body, '', perItemSkip(req)) : []),
    ];
    if (fields.length) throw new ValidationFailedError('The request holds a NUL character (\\u0000)', nulIssues(fields.slice(0, 10)));
  });
}

/**
 * The JSON parser with the depth limit, in place of the one Nest registers at `init()` (so called after it).
 * Fastify's own parser still does the parsing, with its protection against prototype poisoning.
 */
export function installJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const { bodyLimit } = fastify.initialConfig;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    const text = body as string;
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(
        new ValidationFailedError(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, [
          { field: '(body)', code: 'too_deep', message: `arrays and objects may nest at most ${MAX_JSON_DEPTH} levels deep` },
        ]),
        undefined,
      );
      return;
    }
    parseJson(req, text, done);
  });
}

function isMultipart(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
}

/** The paths below the route's per-item array (`events[3]…`), which the handler judges. */
function perItemSkip(req: FastifyRequest): ((path: string) => boolean) | undefined {
  const key = (req.routeOptions.config as PerItemBodyConfig | undefined)?.perItemBody;
  if (!key) return undefined;
  const prefix = `${key}[`;
  return (path) => path.startsWith(prefix);
}

const send = (reply: FastifyReply, p: Problem) => {
  reply.header('X-Request-Id', reply.request.id);
  return reply.status(p.status).type('application/problem+json').send(p);
};

/**
 * Fastify's `frameworkErrors`: the router's errors before any route. Bad percent-encoding is 400
 * `malformed_json` (API.md's code for a request that cannot be read); a path parameter longer than any id is
 * 404 `not_found`, as for any id that names nothing.
 */
export function frameworkErrors(err: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void send(reply, problem(404, 'not_found', 'No such resource: a path segment is longer than any id'));
    return;
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    void send(reply, problem(400, 'malformed_json', 'The URL is not valid: a percent-encoded sequence does not decode'));
    return;
  }
  void send(reply, toProblem(err) ?? problem(400, 'malformed_json', 'The request could not be read'));
}

/**
 * The HTTP parser's errors, before Fastify has a request: a request line or headers past the server's limit
 * (a URL over 16 KB) is 431 `payload_too_large`; anything else it cannot read is 400 `malformed_json`. The
 * connection is closed after the answer, as Node does.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const p =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'payload_too_large', 'The request line and headers are larger than the server accepts (16 KB)')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'malformed_json', 'The request was not received in time')
        : problem(400, 'malformed_json', 'The request could not be read');
  const body = JSON.stringify(p);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
