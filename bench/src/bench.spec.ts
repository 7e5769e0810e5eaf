import { copyValue } from './copy';
import { consentShares } from './dataset';
import { growthTable } from './growth';
import { percentile } from './load';
import { parseOptions } from './options';
import { Prng, uuidv7 } from './prng';
import { meets, type ScenarioResult } from './report';
import { analyticsRange } from './scenario-flows';

describe('benchmark data generator', () => {
  it('gives the same values for the same seed and different ones for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(seqA);
  });

  it('makes UUIDv7 ids that carry their millisecond and sort by it', () => {
    const rng = new Prng(1);
    const t = Date.parse('2026-06-01T12:00:00.000Z');
    const ids = [uuidv7(t, rng), uuidv7(t + 1, rng), uuidv7(t + 86_400_000, rng)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBe(t);
    expect([...ids].sort()).toEqual(ids);
  });

  it('skews picks: the first Zipf rank is the most frequent', () => {
    const rng = new Prng(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) counts[rng.zipf(10)]++;
    expect(counts[0]).toBeGreaterThan(counts[4]);
    expect(counts[4]).toBeGreaterThan(counts[9] * 0.9);
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  it('escapes COPY text values so tabs, newlines and backslashes survive', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('a\tb\nc\\d')).toBe('a\\tb\\nc\\\\d');
    expect(copyValue({ note: 'x\ny' })).toBe('{"note":"x\\\\ny"}');
    expect(copyValue(['vip', 'say "hi"'])).toBe('{"vip","say \\\\"hi\\\\""}');
  });
});

describe('benchmark measurements and options', () => {
  it('reports nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([], 95)).toBeNull();
  });

  it('reads the documented options and refuses unknown ones', () => {
    const o = parseOptions(['--scale', '0.001', '--check', '--seed', '7', '--keep']);
    expect(o).toMatchObject({ scale: 0.001, check: true, seed: 7, keep: true, concurrency: [1, 16] });
    expect(parseOptions(['--duration', '3']).duration).toBe(3);
    expect(() => parseOptions(['--scale', '-1'])).toThrow(/--scale/);
    expect(() => parseOptions(['--db', 'x; drop'])).toThrow(/--db/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option/);
  });

  it('runs the embedded backend at its own default scale (issue 17: 100,000 customers) unless told otherwise', () => {
    expect(parseOptions([])).toMatchObject({ backend: 'pg', scale: 1 });
    expect(parseOptions(['--backend', 'pglite'])).toMatchObject({ backend: 'pglite', scale: 0.1 });
    expect(parseOptions(['--backend', 'pglite', '--scale', '0.001', '--check'])).toMatchObject({ scale: 0.001, check: true });
    expect(() => parseOptions(['--backend', 'sqlite'])).toThrow(/--backend/);
  });
});

describe('second-wave scenarios', () => {
  const result = (extra: Partial<ScenarioResult>): ScenarioResult => ({
    name: 'x',
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    perSecond: null,
    floorP95Ms: null,
    ratio: null,
    concurrency: 1,
    ...extra,
  });

  it('asks the analytics for the 90 days that end the data, by day', () => {
    const q = new URLSearchParams(analyticsRange());
    expect(q.get('from')).toBe('2026-09-02');
    expect(q.get('to')).toBe('2026-11-30');
    expect((Date.parse(q.get('to')!) - Date.parse(q.get('from')!)) / 86_400_000 + 1).toBe(90);
    expect(q.get('interval')).toBe('day');
  });

  it('judges rates as at least, times and memory growth as at most, and a missing figure as a miss', () => {
    expect(meets(result({ perSecond: 600 }), { metric: 'perSecond', value: 500 })).toBe(true);
    expect(meets(result({ perSecond: 400 }), { metric: 'perSecond', value: 500 })).toBe(false);
    expect(meets(result({ p95Ms: 40 }), { metric: 'p95Ms', value: 50 })).toBe(true);
    expect(meets(result({ rssGrowthMb: 120 }), { metric: 'rssGrowthMb', value: 96 })).toBe(false);
    expect(meets(result({ rssGrowthMb: 12 }), { metric: 'rssGrowthMb', value: 96 })).toBe(true);
    expect(meets(result({}), { metric: 'rssGrowthMb', value: 96 })).toBe(false);
  });

  it('gives most customers no consent, opt-ins mostly on WhatsApp and fewer opt-outs than opt-ins', () => {
    for (const type of ['wa', 'qiscus', 'ig']) {
      const [optedIn, optedOut] = consentShares(type);
      expect(optedIn + optedOut).toBeLessThan(0.5);
      expect(optedOut).toBeLessThan(optedIn);
    }
    expect(consentShares('wa')[0]).toBeGreaterThan(consentShares('ig')[0]);
  });
});

describe('growth table', () => {
  it('puts each scale in a column: reads as p95 with their floor (not their rate), writes as rates, a scenario a run lacks as a dash', () => {
    const run = (
      scale: number,
      scenarios: { name: string; concurrency: number; p95Ms: number | null; perSecond: number | null; floorP95Ms?: number }[],
    ) => ({
      scale,
      customers: 1_000_000 * scale,
      activities: 10_000_000 * scale,
      scenarios,
    });
    const table = growthTable([
      run(0.1, [
        { name: 'list', concurrency: 1, p95Ms: 1.9, perSecond: 520, floorP95Ms: 1.1 },
        { name: 'list', concurrency: 16, p95Ms: 9, perSecond: null },
        { name: 'ingest', concurrency: 1, p95Ms: 70, perSecond: 8123.4 },
      ]),
      run(3, [{ name: 'list', concurrency: 1, p95Ms: 2.4, perSecond: null, floorP95Ms: 1.3 }]),
    ]).split('\n');
    expect(table[0]).toBe('| scenario (concurrency 1) | 100,000 / 1,000,000 | 3,000,000 / 30,000,000 |');
    expect(table.slice(2)).toEqual(['| list | 1.9 ms (floor 1.1) | 2.4 ms (floor 1.3) |', '| ingest | 8,123/s | – |']);
  });
});
