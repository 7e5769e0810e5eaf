/**
 * A parameterised SQL fragment. Values are never concatenated into the text: each `?` in `text` is bound to
 * the value at the same position and sent to the server as a bound parameter (knex turns `?` into `$n`).
 * Build fragments with the `sql` tag or `Sql.join`, never with string interpolation of user input.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: unknown[] = [],
  ) {}

  static raw(text: string): Sql {
    return new Sql(text, []);
  }

  static join(parts: Sql[], separator: string): Sql {
    const texts: string[] = [];
    const values: unknown[] = [];
    for (const p of parts) {
      texts.push(p.text);
      values.push(...p.values);
    }
    return new Sql(texts.join(separator), values);
  }

  /** Wraps in parentheses. */
  group(): Sql {
    return new Sql(`(${this.text})`, this.values);
  }
}

/** What runs statements: a transaction (`Tx`) or the database outside one (`Db`). */
export interface SqlRunner {
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]>;
  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined>;
  run(q: Sql): Promise<number>;
}

/** Tagged template: interpolated `Sql` fragments are inlined, every other value becomes a bound parameter. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  let text = strings[0];
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Sql) {
      text += arg.text;
      values.push(...arg.values);
    } else {
      text += '?';
      values.push(arg);
    }
    text += strings[i + 1];
  });
  return new Sql(text, values);
}

/** Element types a list parameter may be cast to. */
export type SqlArrayType = 'uuid' | 'text' | 'int' | 'bigint' | 'timestamptz';

/**
 * A list of values as ONE bound parameter, cast to a typed array: `c.id = any(${sqlArray(ids, 'uuid')})`,
 * `c.tags && ${sqlArray(tags, 'text')}`. This is the one way to bind a list in this project: an empty list is a
 * valid (empty) array, so no statement breaks when a list happens to be empty, and the statement's text does
 * not change with the list's length. (A list of rows travels as `jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`.)
 */
export function sqlArray(values: readonly unknown[], type: SqlArrayType): Sql {
  return new Sql(`?::${type}[]`, [[...values]]);
}

/** Escapes LIKE's wildcards so user text matches literally (with `escape '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
