/**
 * Planner settings of every connection the service opens to PostgreSQL, sent in the connection's startup
 * packet (libpq's `options`), so the server's own configuration stays stock.
 *
 * `parallel_setup_cost`: PostgreSQL's default (1,000) prices starting parallel workers as nearly free, so a
 * filtered page or a count that costs a few thousand units runs with two workers. On the 2-core machines the
 * benchmark runs on, starting them takes 30–60 ms (measured: a parallel count of 1,000 rows took 60–70 ms, the
 * same count without workers 3–7 ms), and the combined filter of the benchmark spent 34 of its 44 ms waiting for
 * its workers while they did 5 ms of work each. A cost unit of those plans is about 1 µs of work, so 30,000
 * prices the start at about 30 ms: workers are still used where the work without them would take longer than
 * that (a count over most of a large app), never for a page of a filter. Under the service's concurrent
 * requests the workers would only compete with the other requests for the same cores.
 *
 * An operator who sets `PGOPTIONS` (the environment variable libpq and `pg` read) replaces these entirely.
 */
export const PG_SESSION_SETTINGS: Readonly<Record<string, string>> = { parallel_setup_cost: '30000' };

/** The `options` of a `pg` connection carrying `PG_SESSION_SETTINGS`; undefined when `PGOPTIONS` is set (it wins). */
export function pgSessionOptions(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PGOPTIONS) return undefined;
  return Object.entries(PG_SESSION_SETTINGS)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
}
