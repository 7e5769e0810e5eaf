/**
 * Preloaded (`node --require`) into the service only while the benchmark captures query plans: records every
 * statement the service sends through `pg` or to its embedded PGlite (text, parameters, wall-clock time) so
 * that the plans saved in
 * `bench/plans/` are those of the service's own SQL. SIGUSR2 stops recording and writes the file named by
 * `BENCH_SQL_TAP`, then `<file>.done`. It changes no query and no result.
 */
import { writeFileSync } from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as typeof import('pg');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pglite = require('@electric-sql/pglite') as { PGlite: { prototype: unknown } };

export interface TappedQuery {
  at: number;
  text: string;
  values: unknown[];
}

const file = process.env.BENCH_SQL_TAP;
if (file) {
  const seen: TappedQuery[] = [];
  let on = true;
  type Query = (...args: unknown[]) => unknown;
  const protos = [pg.Client.prototype, pglite.PGlite.prototype] as unknown as Record<'query', Query>[];
  const originals = protos.map((p) => p.query);
  protos.forEach((proto, i) => {
    const original = originals[i];
    proto.query = function (this: unknown, ...args: unknown[]) {
      if (on) {
        const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
        const text = typeof first === 'string' ? first : first?.text;
        const values = typeof first === 'string' ? (Array.isArray(args[1]) ? args[1] : []) : (first?.values ?? []);
        if (typeof text === 'string')
          seen.push({ at: Date.now(), text, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)) });
      }
      return original.apply(this, args);
    };
  });
  process.on('SIGUSR2', () => {
    on = false;
    protos.forEach((p, i) => (p.query = originals[i]));
    writeFileSync(file, JSON.stringify(seen));
    writeFileSync(`${file}.done`, '');
  });
}
