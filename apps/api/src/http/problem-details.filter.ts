import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clip, DomainError, type ErrorKind, type FieldIssue } from '@cdp/platform';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldIssue[];
}

const KIND_STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  invalid: 422,
  rate_limited: 429,
};

/** Fastify's own errors (STACK.md pitfall 11), by their `code`. */
const FASTIFY: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The request body is larger than this endpoint accepts' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The uploaded file is larger than this endpoint accepts' },
  FST_PARTS_LIMIT: { status: 413, code: 'payload_too_large', detail: 'Too many parts in the multipart body' },
  FST_FILES_LIMIT: { status: 413, code: 'payload_too_large', detail: 'Too many files in the multipart body' },
  FST_FIELDS_LIMIT: { status: 413, code: 'payload_too_large', detail: 'Too many fields in the multipart body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', detail: 'This content type is not accepted here' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type', detail: 'A multipart/form-data body is expected' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed_json', detail: 'The Content-Length does not match the body' },
};

/** Bounds of what one problem says: a hostile request must not make its own answer huge (issue 11). */
export const MAX_DETAIL_LENGTH = 1000;
export const MAX_FIELD_ISSUES = 50;
const MAX_ISSUE_TEXT = 300;

export function problem(status: number, code: string, detail?: string, errors?: FieldIssue[]): Problem {
  const p: Problem = { type: `urn:cdp:problem:${code}`, title: STATUS_CODES[status] ?? 'Error', status, code };
  if (detail) p.detail = clip(detail, MAX_DETAIL_LENGTH);
  if (errors?.length) {
    p.errors = errors.slice(0, MAX_FIELD_ISSUES).map((e) => ({
      field: clip(e.field, MAX_ISSUE_TEXT),
      code: e.code,
      message: clip(e.message, MAX_ISSUE_TEXT),
    }));
    if (errors.length > MAX_FIELD_ISSUES)
      p.detail = clip(`${p.detail ?? ''} (${MAX_FIELD_ISSUES} of ${errors.length} issues listed)`.trim(), MAX_DETAIL_LENGTH);
  }
  return p;
}

/** Turns anything thrown into a problem; only DomainErrors and known protocol errors show their message. */
export function toProblem(err: unknown): Problem | undefined {
  if (err instanceof DomainError) return problem(KIND_STATUS[err.kind], err.code, err.message, err.errors);
  const e = err as { code?: unknown; statusCode?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string' && FASTIFY[e.code]) {
    const f = FASTIFY[e.code];
    return problem(f.status, f.code, f.detail);
  }
  if (err instanceof SyntaxError && (e as { statusCode?: number }).statusCode === 400)
    return problem(400, 'malformed_json', 'The body is not valid JSON');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === HttpStatus.NOT_FOUND) return problem(404, 'not_found', 'No such route');
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return problem(413, 'payload_too_large', 'The request body is too large');
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE)
      return problem(415, 'unsupported_media_type', 'This content type is not accepted here');
    if (status === HttpStatus.UNAUTHORIZED) return problem(401, 'unauthorized', 'A valid bearer token is required');
    if (status === HttpStatus.FORBIDDEN) return problem(403, 'forbidden', 'Not allowed');
    if (status === HttpStatus.BAD_REQUEST) return problem(400, 'malformed_json', 'The request could not be read');
    if (status === HttpStatus.SERVICE_UNAVAILABLE) return problem(503, 'service_unavailable', 'A dependency of the service is down');
    if (status < 500) return problem(status, 'validation_failed', 'The request is not valid');
  }
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode;
    if (status === 413) return problem(413, 'payload_too_large', 'The request body is too large');
    if (status === 415) return problem(415, 'unsupported_media_type', 'This content type is not accepted here');
    return problem(400, 'malformed_json', 'The request could not be read');
  }
  return undefined;
}

/** The one exception filter: application/problem+json for every error (API.md "Errors"). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new Logger('Problem');

  catch(err: unknown, host: ArgumentsHost): void {
    let p = toProblem(err);
    if (!p) {
      this.log.error({ err }, 'Unhandled error');
      p = problem(500, 'internal_error', 'Something went wrong on our side');
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Routes whose senders retry every 413 (Segment SDKs) answer an oversized body with 400, which they drop.
    const config = (host.switchToHttp().getRequest<FastifyRequest>()?.routeOptions?.config ?? {}) as { tooLargeIsBadRequest?: boolean };
    if (p.status === 413 && config.tooLargeIsBadRequest) p = { ...p, status: 400, title: STATUS_CODES[400]! };
    if (p.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    reply.status(p.status).type('application/problem+json').send(p);
  }
}
