import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ProblemFieldDto {
  @ApiProperty({ example: 'identifier' }) field!: string;
  @ApiProperty({ example: 'invalid_identifier' }) code!: string;
  @ApiProperty({ example: 'identifier must be international digits without +' }) message!: string;
}

/** RFC 9457 problem details, as every error of API.md "Errors" is answered. */
export class ProblemDto {
  @ApiProperty({ example: 'https://cdp.dev/problems/validation_failed' }) type!: string;
  @ApiProperty({ example: 'Unprocessable Entity' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable code (API.md)' }) code!: string;
  @ApiPropertyOptional({ example: 'The request is not valid' }) detail?: string;
  @ApiPropertyOptional({ type: [ProblemFieldDto] }) errors?: ProblemFieldDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'malformed_json',
  401: 'unauthorized',
  403: 'forbidden (the detail names what would grant it), plan_required',
  404: 'not_found (also for resources of another app)',
  409: 'customer_exists, customer_already_linked, customer_not_linked, channel_in_use',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed and the rule codes of API.md',
};

/** Documents the problem responses an endpoint can give (application/problem+json). */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
