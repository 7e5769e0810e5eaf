import { Sql, sql } from '@cdp/platform';

/** A typed array of bound values, e.g. `array[?, ?]::uuid[]` (each element its own parameter). */
export function sqlArray(values: readonly unknown[], type: 'text' | 'uuid'): Sql {
  const items = Sql.join(
    values.map((v) => sql`${v}`),
    ', ',
  );
  return new Sql(`array[${items.text}]::${type}[]`, items.values);
}

/** Escapes LIKE's wildcards so user text matches literally (`escape '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
