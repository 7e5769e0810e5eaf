import { percentile, type Measured } from './load';
import { targetOf, type Backend, type Scenario, type Target } from './scenarios';

/** One entry of `results.json` (the issue's shape; `skipped` is present only on skipped scenarios). */
export interface ScenarioResult {
  name: string;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  perSecond: number | null;
  floorP95Ms: number | null;
  ratio: number | null;
  concurrency: number;
  /** Reads: the floor's requests per second in the same bounds (`perSecond` is then the service's). */
  floorPerSecond?: number | null;
  skipped?: string;
  /** dataExport: the service's peak RSS during the exports, its growth over the RSS before, and the document's size. */
  peakRssMb?: number | null;
  rssGrowthMb?: number | null;
  sizeMb?: number | null;
}

export interface Results {
  scale: number;
  customers: number;
  activities: number;
  machine: string;
  serviceRssMb: number | null;
  scenarios: ScenarioResult[];
}

/** Run details kept beside the results but outside `results.json`'s fixed shape. */
export interface RunNotes {
  requests: Record<string, { ok: number; errors: number; samples: string[] }>;
  floorMatches: Record<string, string>;
  /** The service's VmHWM after each scenario run: where the peak was reached. */
  rssAfter: Record<string, number | null>;
  generation?: string;
  settings: Record<string, string>;
  planSource: string;
}

const round = (n: number | null, digits = 1): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

export function summarise(s: Scenario, concurrency: number, m: Measured, floor?: Measured): ScenarioResult {
  const p95 = round(percentile(m.latenciesMs, 95));
  const floorP95 = floor ? round(percentile(floor.latenciesMs, 95)) : null;
  const rate = (x: Measured, per: number) => Math.round((x.ok * per) / Math.max(x.seconds, 0.001));
  // Writes: events (or messages, deliveries) per second; reads: requests per second, the floor's beside.
  const perSecond = s.perRequest ? rate(m, s.perRequest) : s.read ? rate(m, 1) : null;
  return {
    name: s.name,
    p50Ms: round(percentile(m.latenciesMs, 50)),
    p95Ms: p95,
    p99Ms: round(percentile(m.latenciesMs, 99)),
    perSecond,
    floorP95Ms: floorP95,
    ratio: s.read && p95 !== null && floorP95 ? round(p95 / floorP95, 2) : null,
    concurrency,
    ...(s.read && floor ? { floorPerSecond: rate(floor, 1) } : {}),
    ...m.extra,
  };
}

/** The figure a target is about, from a scenario's result. */
function measuredFor(r: ScenarioResult, metric: Target['metric']): number | null {
  if (metric === 'p99Ms') return r.p99Ms;
  if (metric === 'rssGrowthMb') return r.rssGrowthMb ?? null;
  if (metric === 'perSecond') return r.perSecond;
  return r.p95Ms;
}

/** Whether a result meets its target (rates at least, times and memory at most). */
export function meets(r: ScenarioResult, t: Target): boolean {
  const v = measuredFor(r, t.metric);
  return v !== null && (t.metric === 'perSecond' ? v >= t.value : v <= t.value);
}

/** The target in words, e.g. `p95 ≤ 50 ms`, `≥ 5000 msg/s`, `RSS growth ≤ 96 MB`. */
export function targetText(s: Scenario, t: Target): string {
  if (t.metric === 'perSecond') return `≥ ${t.value} ${s.unit ?? 'events'}/s`;
  if (t.metric === 'rssGrowthMb') return `RSS growth ≤ ${t.value} MB`;
  return `${t.metric === 'p99Ms' ? 'p99' : 'p95'} ≤ ${t.value} ms`;
}

/** At concurrency 16 a read should keep at least this share of its floor's requests per second (issue 17). */
export const THROUGHPUT_SHARE = 0.7;

/** Peak RSS and service/floor ratio targets (issue 17's, on both backends). */
export const RSS_TARGET_MB: Record<Backend, number> = { pg: 400, pglite: 600 };
export const RATIO_TARGET: Record<Backend, number> = { pg: 1.5, pglite: 1.5 };

/** PASS/MISS lines for the targets (p95 at concurrency 1, ingestion rate, floor ratio, RSS). */
export function verdicts(backend: Backend, results: Results, scenarios: Scenario[]): { line: string; pass: boolean | null }[] {
  const out: { line: string; pass: boolean | null }[] = [];
  const ratioTarget = RATIO_TARGET[backend];
  const rssTarget = RSS_TARGET_MB[backend];
  for (const r of results.scenarios) {
    const s = scenarios.find((x) => x.name === r.name)!;
    const target = targetOf(s, backend);
    if (r.skipped) {
      out.push({ line: `${r.name} c${r.concurrency}: skipped (${r.skipped})`, pass: null });
      continue;
    }
    if (r.concurrency !== 1 && !s.onlyConcurrency) continue;
    const ok = meets(r, target);
    const unit = target.metric === 'perSecond' ? ` ${s.unit ?? 'events'}/s` : target.metric === 'rssGrowthMb' ? ' MB' : ' ms';
    const label =
      target.metric === 'p99Ms' ? 'p99 ' : target.metric === 'rssGrowthMb' ? 'RSS growth ' : target.metric === 'p95Ms' ? 'p95 ' : '';
    const also = r.peakRssMb !== undefined ? `; p95 ${r.p95Ms ?? '-'} ms to the last byte, peak RSS ${r.peakRssMb ?? '-'} MB` : '';
    out.push({
      line: `${r.name}: ${label}${measuredFor(r, target.metric) ?? '-'}${unit} (target ${targetText(s, target)})${also} ${ok ? 'PASS' : 'MISS'}`,
      pass: ok,
    });
    if (s.floor) {
      const ok = r.ratio !== null && r.ratio <= ratioTarget;
      out.push({
        line: `${r.name}: service/floor p95 ${r.ratio ?? '-'} (floor ${r.floorP95Ms ?? '-'} ms, target ≤ ${ratioTarget}) ${ok ? 'PASS' : 'MISS'}`,
        pass: ok,
      });
    }
  }
  const rssOk = results.serviceRssMb !== null && results.serviceRssMb <= rssTarget;
  out.push({
    line: `service peak RSS: ${results.serviceRssMb ?? '-'} MB (target ≤ ${rssTarget} MB) ${rssOk ? 'PASS' : 'MISS'}`,
    pass: rssOk,
  });
  return out;
}

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));

export function markdown(backend: Backend, results: Results, scenarios: Scenario[], notes: RunNotes, when: string): string {
  const lines: string[] = [];
  const ratioTarget = RATIO_TARGET[backend];
  const rssTarget = RSS_TARGET_MB[backend];
  lines.push(backend === 'pglite' ? '# Benchmark results: embedded PGlite' : '# Benchmark results', '');
  lines.push(
    `Run ${when}: scale ${results.scale} — ${results.customers.toLocaleString('en')} customers and ${results.activities.toLocaleString('en')} activities in the big app, 50 small apps beside it.`,
    '',
  );
  lines.push(`Machine: ${results.machine}`, '');
  lines.push(
    backend === 'pglite'
      ? 'The same scenarios on PostgreSQL (1M/10M): [RESULTS.md](RESULTS.md); how the paths grow with the data: [GROWTH.md](GROWTH.md).'
      : 'The same scenarios on the embedded default (PGlite, 100k/1M): [RESULTS-pglite.md](RESULTS-pglite.md); how the paths grow with the data: [GROWTH.md](GROWTH.md).',
    '',
  );
  lines.push(
    `${backend === 'pglite' ? 'PGlite' : 'PostgreSQL'} settings: ${Object.entries(notes.settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  if (notes.generation) lines.push(`Data generation: ${notes.generation}`, '');
  lines.push(
    '| scenario | concurrency | p50 ms | p95 ms | p99 ms | per second | floor p95 ms | ratio | floor per second | target (c1) | verdict |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results.scenarios) {
    const s = scenarios.find((x) => x.name === r.name)!;
    const t = targetOf(s, backend);
    const target = targetText(s, t);
    let verdict = '';
    if (r.skipped) verdict = `skipped: ${r.skipped}`;
    else if (r.concurrency === 1 || s.onlyConcurrency) {
      const pass = meets(r, t);
      const ratioPass = !s.floor || (r.ratio !== null && r.ratio <= ratioTarget);
      const memory =
        r.peakRssMb !== undefined ? ` (peak RSS ${cell(r.peakRssMb)} MB, +${cell(r.rssGrowthMb)} MB; ${cell(r.sizeMb)} MB of JSON)` : '';
      verdict = `${pass ? 'PASS' : 'MISS'}${s.floor ? ` / ratio ${ratioPass ? 'PASS' : 'MISS'}` : ''}${memory}`;
    } else if (r.floorPerSecond && r.perSecond !== null) {
      const share = r.perSecond / r.floorPerSecond;
      verdict = `throughput ${Math.round(share * 100)} % of the floor's (≥ ${THROUGHPUT_SHARE * 100} %): ${share >= THROUGHPUT_SHARE ? 'PASS' : 'MISS'}`;
    }
    lines.push(
      `| ${r.name} | ${r.concurrency} | ${cell(r.p50Ms)} | ${cell(r.p95Ms)} | ${cell(r.p99Ms)} | ${cell(r.perSecond)} | ${cell(r.floorP95Ms)} | ${cell(r.ratio)} | ${cell(r.floorPerSecond)} | ${r.concurrency === 1 || s.onlyConcurrency ? target : ''} | ${verdict} |`,
    );
  }
  lines.push('');
  const rssOk = results.serviceRssMb !== null && results.serviceRssMb <= rssTarget;
  lines.push(`Service peak RSS (VmHWM): ${cell(results.serviceRssMb)} MB (target ≤ ${rssTarget} MB): ${rssOk ? 'PASS' : 'MISS'}.`, '');
  const steps = Object.entries(notes.rssAfter);
  if (steps.length) lines.push(`Peak RSS after each run (MB): ${steps.map(([k, v]) => `${k} ${v ?? '–'}`).join(', ')}.`, '');
  lines.push(
    `Ratio = service p95 / floor p95 (the same answer from a minimal Fastify route with hand-written SQL${backend === 'pglite' ? ' on its own in-process PGlite' : ' through `pg`'}, same load, same run; target ≤ ${ratioTarget}).`,
    '',
  );
  const mism = Object.entries(notes.floorMatches).filter(([, v]) => v !== 'same');
  lines.push(
    `Floor answers compared with the service's: ${mism.length ? mism.map(([k, v]) => `${k}: ${v}`).join('; ') : 'the same for every read scenario'}.`,
    '',
  );
  const errs = Object.entries(notes.requests).filter(([, v]) => v.errors > 0);
  if (errs.length) {
    lines.push('## Errors', '');
    for (const [k, v] of errs)
      lines.push(
        `- ${k}: ${v.errors} error(s) of ${v.ok + v.errors}; e.g. ${v.samples.map((x) => '`' + x.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 200) + '`').join(', ')}`,
      );
    lines.push('');
  }
  lines.push(`Plans: \`${backend === 'pglite' ? 'plans-pglite' : 'plans'}/<scenario>.txt\` — ${notes.planSource}`, '');
  return lines.join('\n');
}
