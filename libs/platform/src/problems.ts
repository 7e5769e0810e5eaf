import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ProblemFieldDto {
  @ApiProperty({ example: 'identifier', description: 'The field, as a path into the body (`properties.city`, `events[3].type`)' })
  field!: string;
  @ApiProperty({ example: 'invalid_identifier' }) code!: string;
  @ApiProperty({ example: 'identifier must be international digits without +' }) message!: string;
}

/** RFC 9457 problem details, as every error of API.md "Errors" is answered. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:cdp:problem:validation_failed', format: 'uri', description: '`urn:cdp:problem:<code>`' }) type!: string;
  @ApiProperty({ example: 'Unprocessable Entity', description: 'The reason phrase of the status' }) title!: string;
  @ApiProperty({ example: 422, type: 'integer' }) status!: number;
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable code (API.md "Errors")' }) code!: string;
  @ApiPropertyOptional({ example: 'The request is not valid', description: 'For people; a 403 names what would grant the action' })
  detail?: string;
  @ApiPropertyOptional({ type: [ProblemFieldDto], description: 'One entry per field rule broken (422)' }) errors?: ProblemFieldDto[];
}

/** The statuses a problem response can have, with the code of each one's example (API.md "Errors" lists every code). */
const EXAMPLE_CODES = {
  400: 'malformed_json',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'customer_exists',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'service_unavailable',
} as const;
export type ProblemStatus = keyof typeof EXAMPLE_CODES;

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'The body could not be read (malformed_json)',
  401: 'No valid credential (unauthorized)',
  403: 'The role may not do this (forbidden; the detail names what would grant it), or the plan does not include it (plan_required)',
  404: 'No such resource in this app (not_found; also for the resources of another app)',
  409: 'The change conflicts with the current state (customer_exists, customer_already_linked, customer_not_linked, channel_in_use)',
  413: 'The body is larger than this operation accepts (payload_too_large)',
  415: 'The body has a content type this operation does not accept (unsupported_media_type)',
  422: 'The request breaks a rule (validation_failed with per-field errors, or a rule code of API.md)',
  429: 'Too many requests (rate_limited; Retry-After says in how many seconds to try again)',
  500: 'Something failed on the server (internal_error; no detail of it is given)',
  503: 'A dependency of the service is down (service_unavailable)',
};

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The OpenAPI response object of a problem status: `application/problem+json` with the Problem schema and
 * an example. Used by `@ApiProblems` and by the document builder for the statuses the HTTP layer gives.
 */
export function problemResponse(status: ProblemStatus, description = DESCRIPTIONS[status]) {
  const code = EXAMPLE_CODES[status];
  return {
    description,
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemDto) },
        example: { type: `urn:cdp:problem:${code}`, title: TITLES[status], status, code },
      },
    },
  };
}

/**
 * Declares the problem responses an operation's own rules can give, e.g. `@ApiProblems(401, 403, 404, 422)`.
 * The statuses of the HTTP layer itself (400, 413 and 415 where a body is read, 500 everywhere) are added
 * to every operation by the document builder of apps/api.
 */
export const ApiProblems = (...statuses: ProblemStatus[]) =>
  applyDecorators(ApiExtraModels(ProblemDto), ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })));
