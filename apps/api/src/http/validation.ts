import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '@cdp/platform';

function flatten(errors: ValidationError[], prefix = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const e of errors) {
    const field = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, code: rule === 'whitelistValidation' ? 'unknown_field' : rule, message });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The global pipe: DTO syntax, unknown fields refused, 422 `validation_failed` with one issue per field rule. */
export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationFailedError('The request is not valid', flatten(errors)),
  });
