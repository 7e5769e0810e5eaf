import { ValidationError, ValidationPipe, type ArgumentMetadata, type Type } from '@nestjs/common';
import { itemsCheckedByHandler, reservedNameFields, reservedNameIssues, ValidationFailedError, type FieldIssue } from '@cdp/platform';

// class-transformer's own registry of decorated fields (its package gives the types apart from the code).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyObject = (v: unknown): v is Record<string, never> => isObject(v) && Object.keys(v).length === 0;

/**
 * The global pipe: DTO syntax, unknown fields refused, 422 `validation_failed` with one issue per field rule.
 *
 * Most reads send no query at all (a first page, a detail, a timeline), and the answer for an empty object
 * depends only on the DTO's class: once an empty input has passed a class's rules, the next empty input of that
 * class is answered with a fresh instance of it without running them again. Transforming and validating an
 * empty query was a fifth of a cheap read's CPU. Anything with a key in it is validated in full, always.
 * The fresh instance is the class's own `new` (its field initialisers run again, nothing is shared between
 * requests), which is what class-transformer builds from an empty object when the class exposes no field with
 * `@Expose`; a class that does always takes the full path.
 *
 * A key named like a member every object has (`constructor`, `toString`, …) is refused by name
 * (`reserved_name`): class-transformer would leave it out without a word, or throw.
 *
 * A body whose array field the handler checks item by item (`ItemsCheckedByHandler`) is judged with that array
 * empty, by the same rules, and the items are put back as sent.
 */
class RequestValidationPipe extends ValidationPipe {
  private readonly emptyPasses = new WeakSet<Type<unknown>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    const empty = metatype !== undefined && isEmptyObject(value) && this.toValidate(metadata);
    if (empty && this.emptyPasses.has(metatype)) return new (metatype as new () => unknown)();
    const itemsKey = metatype && metadata.type === 'body' ? itemsCheckedByHandler(metatype) : undefined;
    if (metatype !== undefined && this.toValidate(metadata)) {
      const reserved = reservedNameFields(value, '', itemsKey ? (path) => path.startsWith(`${itemsKey}[`) : undefined);
      if (reserved.length) throw new ValidationFailedError('The request is not valid', reservedNameIssues(reserved));
    }
    if (itemsKey && isObject(value) && Array.isArray(value[itemsKey])) {
      const items = value[itemsKey];
      const out = (await super.transform({ ...value, [itemsKey]: [] }, metadata)) as Record<string, unknown>;
      out[itemsKey] = items;
      return out;
    }
    const out: unknown = await super.transform(value, metadata);
    if (empty && !defaultMetadataStorage.getExposedMetadatas(metatype).length) this.emptyPasses.add(metatype);
    return out;
  }
}

export const validationPipe = () =>
  new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationFailedError('The request is not valid', flatten(errors)),
  });
