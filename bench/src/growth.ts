import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCENARIOS } from './scenarios';

/**
 * `npm run bench:growth`: the growth table of the PostgreSQL benchmark. Reads `bench/growth/scale-<n>/results.json`
 * (runs with `--scale <n> --out bench/growth/scale-<n>`; the default scale may come from `bench/results.json`) and
 * writes p95 per read path (ms) and rate per write path at concurrency 1 for each scale between the table markers
 * of `bench/GROWTH.md`, leaving the text around them as written.
 */

interface Row {
  name: string;
  concurrency: number;
  p95Ms: number | null;
  perSecond: number | null;
  floorP95Ms?: number | null;
}
interface Result {
  scale: number;
  customers: number;
  activities: number;
  scenarios: Row[];
}

const ROOT = resolve(__dirname, '..', '..', '..');
/** Reads report requests per second too; the table shows their p95. */
const READS = new Set(SCENARIOS.filter((s) => s.read).map((s) => s.name));
const BENCH = join(ROOT, 'bench');
const START = '<!-- growth table -->';
const END = '<!-- /growth table -->';

function results(): Result[] {
  const out = new Map<number, Result>();
  const dir = join(BENCH, 'growth');
  if (existsSync(dir))
    for (const d of readdirSync(dir).filter((x) => x.startsWith('scale-'))) {
      const f = join(dir, d, 'results.json');
      if (existsSync(f)) {
        const r = JSON.parse(readFileSync(f, 'utf8')) as Result;
        out.set(r.scale, r);
      }
    }
  const main = JSON.parse(readFileSync(join(BENCH, 'results.json'), 'utf8')) as Result;
  if (!out.has(main.scale)) out.set(main.scale, main);
  return [...out.values()].sort((a, b) => a.scale - b.scale);
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function growthTable(runs: Result[]): string {
  const names = [...new Set(runs.flatMap((r) => r.scenarios.filter((s) => s.concurrency === 1).map((s) => s.name)))];
  const head = `| scenario (concurrency 1) | ${runs.map((r) => `${fmt(r.customers)} / ${fmt(r.activities)}`).join(' | ')} |`;
  const rule = `|---|${runs.map(() => '---').join('|')}|`;
  const rows = names.map((name) => {
    const cells = runs.map((r) => {
      const s = r.scenarios.find((x) => x.name === name && x.concurrency === 1);
      if (!s) return '–';
      if (!READS.has(name) && s.perSecond !== null && s.perSecond !== undefined) return `${fmt(Math.round(s.perSecond))}/s`;
      if (s.p95Ms === null) return '–';
      return s.floorP95Ms ? `${s.p95Ms} ms (floor ${s.floorP95Ms})` : `${s.p95Ms} ms`;
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

function main(): void {
  const file = join(BENCH, 'GROWTH.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} needs the markers ${START} and ${END}`);
  const table = growthTable(results());
  writeFileSync(file, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
  console.log(table);
}

if (require.main === module) main();
