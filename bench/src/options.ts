/** Command-line options of `npm run bench -- …` (bench/README.md). */
export interface BenchOptions {
  /** `pg`: PostgreSQL at DATABASE_URL; `pglite`: the embedded database, in a data directory of its own. */
  backend: 'pg' | 'pglite';
  scale: number;
  seed: number;
  check: boolean;
  keep: boolean;
  reuse: boolean;
  /** Seconds per scenario and concurrency, at most (each also stops at its request count). */
  duration: number;
  concurrency: number[];
  loadMode: 'rebuild' | 'indexed';
  db: string;
  only?: string[];
  /** Directory of results.json, RESULTS.md and the plans instead of bench/ (bench/.work with `--check`). */
  out?: string;
}

const USAGE = `usage: npm run bench -- [--backend pg|pglite] [--scale 1 (pglite: 0.1)] [--seed 42] [--duration 10] [--check] [--keep] [--reuse]
                        [--concurrency 1,16] [--load-mode rebuild|indexed] [--db cdp_bench] [--only search,list]
                        [--out bench/growth/scale-3]`;

export function parseOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = {
    backend: 'pg',
    scale: 1,
    seed: 42,
    check: false,
    keep: false,
    reuse: false,
    duration: 10,
    concurrency: [1, 16],
    loadMode: 'rebuild',
    db: 'cdp_bench',
  };
  let durationGiven = false;
  let scaleGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const num = (min: number, max: number) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${a} must be a number from ${min} to ${max}\n${USAGE}`);
      return n;
    };
    switch (a) {
      case '--scale':
        o.scale = num(0.0001, 10);
        scaleGiven = true;
        break;
      case '--backend': {
        const b = value();
        if (b !== 'pg' && b !== 'pglite') throw new Error(`--backend is pg or pglite\n${USAGE}`);
        o.backend = b;
        break;
      }
      case '--seed':
        o.seed = Math.floor(num(0, 2 ** 32 - 1));
        break;
      case '--duration':
        o.duration = num(0.5, 600);
        durationGiven = true;
        break;
      case '--check':
        o.check = true;
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--reuse':
        o.reuse = true;
        break;
      case '--concurrency':
        o.concurrency = value()
          .split(',')
          .map((s) => Number(s.trim()));
        if (o.concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 256))
          throw new Error(`--concurrency takes integers from 1 to 256\n${USAGE}`);
        break;
      case '--load-mode': {
        const m = value();
        if (m !== 'rebuild' && m !== 'indexed') throw new Error(`--load-mode is rebuild or indexed\n${USAGE}`);
        o.loadMode = m;
        break;
      }
      case '--db': {
        const d = value();
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(d)) throw new Error(`--db must be a plain lower-case identifier\n${USAGE}`);
        o.db = d;
        break;
      }
      case '--only':
        o.only = value().split(',');
        break;
      case '--out':
        o.out = value();
        break;
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (o.check && !durationGiven) o.duration = 1.5;
  // The embedded database's default size: 100,000 customers and 1,000,000 activities.
  if (o.backend === 'pglite' && !scaleGiven) o.scale = 0.1;
  return o;
}
