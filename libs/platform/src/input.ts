import type { FieldIssue } from './errors';

/**
 * Hostile-input checks shared by the HTTP pipeline (every JSON body, query and path) and by the places that
 * judge items one by one (an event of a batch, a cell of an imported file).
 */

/** The deepest nesting of arrays and objects a JSON body may have (`{"a":{"b":1}}` is 2). */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';
/** How many offending fields one answer names (a body could hold thousands). */
const MAX_NAMED = 10;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * How deeply the JSON text nests, up to `limit + 1` (it stops counting there). Read before parsing, so that
 * neither the parser nor what walks the value afterwards (validation, transformation) meets 150,000 levels.
 * Brackets inside strings do not count; invalid JSON is left to the parser.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** `a.b`, `a[0]`, or `a["we ird"]` for a key that is not a plain name. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  // JSON's quoting shows a NUL as the six characters \u0000.
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The fields of a parsed value whose string (or key) holds a NUL character (`\u0000`), as field paths from
 * `prefix` (`name`, `tags[0]`, `properties.city`); at most ten. PostgreSQL text cannot hold NUL, so such a
 * value would otherwise fail deep inside a statement. `skip` names paths whose contents are judged
 * elsewhere (the events of a batch are accepted or rejected one by one).
 */
export function nulFields(value: unknown, prefix = '', skip?: (path: string) => boolean): string[] {
  return fieldsWhere(value, prefix, skip, (key, v) => key.includes(NUL) || (typeof v === 'string' && v.includes(NUL)));
}

/**
 * The fields of a parsed value whose key is the name of a member every object inherits (`constructor`,
 * `toString`, `valueOf`, …), as paths like `nulFields`'. class-transformer, which reads request bodies into
 * their classes, leaves such a key out of the objects it copies (and throws on some), so one would be lost
 * without a word: the global pipe refuses it instead.
 */
export function reservedNameFields(value: unknown, prefix = '', skip?: (path: string) => boolean): string[] {
  return fieldsWhere(value, prefix, skip, (key) => Object.hasOwn(Object.prototype, key));
}

/** One `validation_failed` issue per field whose key is a reserved name. */
export function reservedNameIssues(fields: string[]): FieldIssue[] {
  return fields.map((field) => ({
    field,
    code: 'reserved_name',
    message: `${field}: the key is a name every object has (constructor, toString, valueOf, …) and cannot be sent`,
  }));
}

/** Depth-first, at most MAX_NAMED paths of the keys or values `bad` picks (the key of an array item is ''). */
function fieldsWhere(
  value: unknown,
  prefix: string,
  skip: ((path: string) => boolean) | undefined,
  bad: (key: string, value: unknown) => boolean,
): string[] {
  const found: string[] = [];
  const visit = (v: unknown, path: string, depth: number): void => {
    if (found.length >= MAX_NAMED || (skip && path && skip(path))) return;
    if (typeof v === 'string') {
      if (bad('', v)) found.push(path || '(body)');
      return;
    }
    // The body was refused past MAX_JSON_DEPTH already; the bound keeps other callers safe as well.
    if (typeof v !== 'object' || v === null || depth > MAX_JSON_DEPTH + 1) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && found.length < MAX_NAMED; i++) visit(v[i], childPath(path, i), depth + 1);
      return;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (found.length >= MAX_NAMED) return;
      const p = childPath(path, k);
      if (bad(k, undefined)) found.push(p);
      else visit(child, p, depth + 1);
    }
  };
  visit(value, prefix, 0);
  return found;
}

/** One `validation_failed` issue per field holding a NUL character. */
export function nulIssues(fields: string[]): FieldIssue[] {
  return fields.map((field) => ({ field, code: 'invalid_character', message: `${field} must not contain the NUL character (\\u0000)` }));
}

/** `text` cut to `max` characters, with an ellipsis when cut (for names echoed back in a problem). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const ITEMS_CHECKED_BY_HANDLER = Symbol('cdp:items-checked-by-handler');

/**
 * On a body DTO whose array field `key` the handler checks item by item (a batch of events: one bad item is
 * rejected, the others kept). The global pipe judges that the field is an array, by the field's own decorators,
 * and hands the items over as sent, without class-transformer copying every one of them first (a tenth of a
 * 500-event batch's time). So the field's decorators must not look inside the items.
 */
export function ItemsCheckedByHandler(key: string): ClassDecorator {
  return (target) => Reflect.defineMetadata(ITEMS_CHECKED_BY_HANDLER, key, target);
}

/** The field a DTO class declared with `ItemsCheckedByHandler`, if any. */
export function itemsCheckedByHandler(type: object): string | undefined {
  return Reflect.getMetadata(ITEMS_CHECKED_BY_HANDLER, type) as string | undefined;
}
