import { percentile, type Measured } from './load';
import type { Scenario } from './scenarios';

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
  skipped?: string;
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
  const perSecond = s.perRequest ? Math.round((m.ok * s.perRequest) / Math.max(m.seconds, 0.001)) : null;
  return {
    name: s.name,
    p50Ms: round(percentile(m.latenciesMs, 50)),
    p95Ms: p95,
    p99Ms: round(percentile(m.latenciesMs, 99)),
    perSecond,
    floorP95Ms: floorP95,
    ratio: s.read && p95 !== null && floorP95 ? round(p95 / floorP95, 2) : null,
    concurrency,
  };
}

export const RSS_TARGET_MB = 400;
export const RATIO_TARGET = 2;

/** PASS/MISS lines for the targets (p95 at concurrency 1, ingestion rate, floor ratio, RSS). */
export function verdicts(results: Results, scenarios: Scenario[]): { line: string; pass: boolean | null }[] {
  const out: { line: string; pass: boolean | null }[] = [];
  for (const r of results.scenarios) {
    const s = scenarios.find((x) => x.name === r.name)!;
    if (r.skipped) {
      out.push({ line: `${r.name} c${r.concurrency}: skipped (${r.skipped})`, pass: null });
      continue;
    }
    if (r.concurrency !== 1) continue;
    if (s.target.metric === 'perSecond') {
      const ok = r.perSecond !== null && r.perSecond >= s.target.value;
      out.push({ line: `${r.name}: ${r.perSecond ?? '-'} events/s (target ≥ ${s.target.value}) ${ok ? 'PASS' : 'MISS'}`, pass: ok });
    } else {
      const ok = r.p95Ms !== null && r.p95Ms <= s.target.value;
      out.push({ line: `${r.name}: p95 ${r.p95Ms ?? '-'} ms (target ≤ ${s.target.value} ms) ${ok ? 'PASS' : 'MISS'}`, pass: ok });
    }
    if (s.read) {
      const ok = r.ratio !== null && r.ratio <= RATIO_TARGET;
      out.push({
        line: `${r.name}: service/floor p95 ${r.ratio ?? '-'} (floor ${r.floorP95Ms ?? '-'} ms, target ≤ ${RATIO_TARGET}) ${ok ? 'PASS' : 'MISS'}`,
        pass: ok,
      });
    }
  }
  const rssOk = results.serviceRssMb !== null && results.serviceRssMb <= RSS_TARGET_MB;
  out.push({
    line: `service peak RSS: ${results.serviceRssMb ?? '-'} MB (target ≤ ${RSS_TARGET_MB} MB) ${rssOk ? 'PASS' : 'MISS'}`,
    pass: rssOk,
  });
  return out;
}

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));

export function markdown(results: Results, scenarios: Scenario[], notes: RunNotes, when: string): string {
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `Run ${when}: scale ${results.scale} — ${results.customers.toLocaleString('en')} customers and ${results.activities.toLocaleString('en')} activities in the big app, 50 small apps beside it.`,
    '',
  );
  lines.push(`Machine: ${results.machine}`, '');
  lines.push(
    `PostgreSQL settings: ${Object.entries(notes.settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  if (notes.generation) lines.push(`Data generation: ${notes.generation}`, '');
  lines.push('| scenario | concurrency | p50 ms | p95 ms | p99 ms | per second | floor p95 ms | ratio | target (c1) | verdict |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results.scenarios) {
    const s = scenarios.find((x) => x.name === r.name)!;
    const target = s.target.metric === 'perSecond' ? `≥ ${s.target.value} ev/s` : `p95 ≤ ${s.target.value} ms`;
    let verdict = '';
    if (r.skipped) verdict = `skipped: ${r.skipped}`;
    else if (r.concurrency === 1) {
      const pass = s.target.metric === 'perSecond' ? (r.perSecond ?? 0) >= s.target.value : r.p95Ms !== null && r.p95Ms <= s.target.value;
      const ratioPass = !s.read || (r.ratio !== null && r.ratio <= RATIO_TARGET);
      verdict = `${pass ? 'PASS' : 'MISS'}${s.read ? ` / ratio ${ratioPass ? 'PASS' : 'MISS'}` : ''}`;
    }
    lines.push(
      `| ${r.name} | ${r.concurrency} | ${cell(r.p50Ms)} | ${cell(r.p95Ms)} | ${cell(r.p99Ms)} | ${cell(r.perSecond)} | ${cell(r.floorP95Ms)} | ${cell(r.ratio)} | ${r.concurrency === 1 ? target : ''} | ${verdict} |`,
    );
  }
  lines.push('');
  const rssOk = results.serviceRssMb !== null && results.serviceRssMb <= RSS_TARGET_MB;
  lines.push(`Service peak RSS (VmHWM): ${cell(results.serviceRssMb)} MB (target ≤ ${RSS_TARGET_MB} MB): ${rssOk ? 'PASS' : 'MISS'}.`, '');
  const steps = Object.entries(notes.rssAfter);
  if (steps.length) lines.push(`Peak RSS after each run (MB): ${steps.map(([k, v]) => `${k} ${v ?? '–'}`).join(', ')}.`, '');
  lines.push('Ratio = service p95 / floor p95 (the same answer from a minimal Fastify + `pg` route, same load, same run; target ≤ 2).', '');
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
  lines.push(`Plans: \`plans/<scenario>.txt\` — ${notes.planSource}`, '');
  return lines.join('\n');
}
