import { MikroORM } from '@mikro-orm/core';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { buildOrmOptions } from '@cdp/platform';
import { MIGRATIONS } from '../../apps/api/src/migrations';
import { BIG_APP } from './dataset';
import { generate, type GenerateSummary } from './generate';
import type { BenchOptions } from './options';
import { connectPg, openPgliteSql, type BenchSql } from './sql';

/**
 * The benchmark's own database on either backend: made (migrated and filled) or reused, opened for the runner's
 * own statements (fixture, plans), handed to the service and the floor, and removed at the end.
 */
export interface BenchStore {
  readonly backend: BenchOptions['backend'];
  /** Creates, migrates and fills it; answers undefined when a kept one of the same seed, scale and migrations is reused. */
  prepare(log: (m: string) => void): Promise<GenerateSummary | undefined>;
  open(): Promise<BenchSql>;
  /** Environment of the service, whose data directory is `dataDir`. */
  serviceEnv(dataDir: string): Record<string, string>;
  /** Environment of the floor process. */
  floorEnv(dataDir: string): Record<string, string>;
  /** Drops it, unless `--keep`. */
  dispose(): Promise<void>;
}

export function benchStore(o: BenchOptions): BenchStore {
  return o.backend === 'pglite' ? new PgliteStore(o) : new PgStore(o);
}

/** The read models the rebuild fills (statistics taken after it, as for the loaded tables). */
const ANALYTICS_TABLES = [
  'analytics_customer_ledger',
  'analytics_customer_counts',
  'analytics_customer_totals',
  'analytics_activity_counts',
  'analytics_activity_presence',
  'analytics_active_zones',
  'analytics_active_days',
  'analytics_active_day_counts',
  'analytics_active_type_days',
  'analytics_active_type_day_counts',
  'analytics_zone_customer_days',
  'analytics_zone_activity_days',
];

/** Bumped when the generator writes other rows for the same seed and scale (a kept database of another is not reused). */
const GENERATOR_VERSION = 2;
const meta = (o: BenchOptions) =>
  JSON.stringify({ seed: o.seed, scale: o.scale, generator: GENERATOR_VERSION, migrations: MIGRATIONS.map((m) => m.name) });

/**
 * The analytics read models of the big app, built as the service builds them after a bulk load: its own
 * `npm run analytics:rebuild` CLI (libs/analytics README, "Rebuild"), on the loaded database, which also
 * back-fills the app's tracked zone. Answers the seconds it took.
 */
export async function rebuildAnalytics(env: Record<string, string>, log: (m: string) => void): Promise<number> {
  const t = Date.now();
  const cli = resolve(__dirname, '..', '..', 'apps', 'api', 'src', 'cli', 'analytics-rebuild.js');
  const out: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const p = spawn(process.execPath, [cli, '--app', BIG_APP], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        JWT_SECRET: randomBytes(24).toString('hex'),
        SUPPRESSION_SECRET: randomBytes(24).toString('hex'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout.on('data', (d: Buffer) => out.push(d.toString()));
    p.stderr.on('data', (d: Buffer) => out.push(d.toString()));
    p.on('error', fail);
    p.on('exit', done);
  });
  if (code !== 0) throw new Error(`analytics rebuild failed (exit ${code}): ${out.join('').slice(-2000)}`);
  log(`  ${out.join('').trim()}`);
  return (Date.now() - t) / 1000;
}
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function migrate(orm: MikroORM): Promise<void> {
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close(true);
  }
}

class PgStore implements BenchStore {
  readonly backend = 'pg' as const;
  private readonly adminUrl: string;
  private readonly url: string;

  constructor(private readonly o: BenchOptions) {
    const admin = process.env.DATABASE_URL;
    if (!admin) throw new Error('DATABASE_URL must name a PostgreSQL server (the benchmark creates its own database there)');
    this.adminUrl = admin;
    const u = new URL(admin);
    u.pathname = `/${o.db}`;
    this.url = u.toString();
  }

  private async admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: this.adminUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  async prepare(log: (m: string) => void): Promise<GenerateSummary | undefined> {
    const { o } = this;
    const reused = await this.admin(async (admin) => {
      const found = await admin.query<{ comment: string | null }>(
        `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
        [o.db],
      );
      if (o.reuse && found.rows[0]?.comment === meta(o)) return true;
      // The name is checked to be a plain identifier (options.ts); it cannot be a bound parameter here.
      await admin.query(`drop database if exists ${o.db} with (force)`);
      await admin.query(`create database ${o.db}`);
      return false;
    });
    if (reused) {
      // Earlier runs' writes left dead rows (upserted summaries, handled outbox events); where autovacuum is off (as
      // on the CI server) nothing clears them, and the write paths slow down with each run. Vacuumed first, a kept
      // database starts every run as a freshly generated one does (the generator vacuums too).
      const t = Date.now();
      const c = await connectPg(this.url);
      try {
        await c.query('vacuum (analyze)');
      } finally {
        await c.close();
      }
      log(`reusing database ${o.db} (seed ${o.seed}, scale ${o.scale}), vacuumed in ${Date.now() - t} ms`);
      return undefined;
    }
    const t = Date.now();
    await migrate(await MikroORM.init(await buildOrmOptions({ databaseUrl: this.url, migrations: MIGRATIONS })));
    log(`migrated ${o.db} in ${Date.now() - t} ms; generating scale ${o.scale}, seed ${o.seed}, load mode ${o.loadMode}`);
    const [main, side] = await Promise.all([connectPg(this.url), connectPg(this.url)]);
    let summary: GenerateSummary;
    try {
      summary = await generate(main, side, { scale: o.scale, seed: o.seed, loadMode: o.loadMode, log });
    } finally {
      await Promise.allSettled([main.close(), side.close()]);
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'cdp-bench-rebuild-'));
    try {
      summary.seconds.analytics = await rebuildAnalytics({ DATABASE_URL: this.url, DATA_DIR: dataDir }, log);
      const c = await connectPg(this.url);
      try {
        await c.query(`analyze ${ANALYTICS_TABLES.join(', ')}`);
      } finally {
        await c.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    summary.seconds.total += summary.seconds.analytics;
    await this.admin((a) => a.query(`comment on database ${o.db} is ${literal(meta(o))}`));
    return summary;
  }

  open(): Promise<BenchSql> {
    return connectPg(this.url);
  }

  serviceEnv(): Record<string, string> {
    return { DATABASE_URL: this.url };
  }

  floorEnv(): Record<string, string> {
    return { FLOOR_DATABASE_URL: this.url };
  }

  async dispose(): Promise<void> {
    if (!this.o.keep) await this.admin((a) => a.query(`drop database if exists ${this.o.db} with (force)`));
  }
}

/**
 * PGlite: one data directory, made in this process and kept pristine; the service and the floor each open a
 * copy of it (an embedded database has one owner), so a run's writes never reach the kept data.
 */
class PgliteStore implements BenchStore {
  readonly backend = 'pglite' as const;
  private readonly dir: string;

  constructor(private readonly o: BenchOptions) {
    this.dir = join(tmpdir(), `${o.db}-pglite`);
  }

  async prepare(log: (m: string) => void): Promise<GenerateSummary | undefined> {
    const { o, dir } = this;
    const metaFile = `${dir}.json`;
    if (o.reuse && existsSync(metaFile) && readFileSync(metaFile, 'utf8') === meta(o)) {
      log(`reusing the embedded database in ${dir} (seed ${o.seed}, scale ${o.scale})`);
      return undefined;
    }
    rmSync(metaFile, { force: true });
    rmSync(dir, { recursive: true, force: true });
    const t = Date.now();
    const sql = await openPgliteSql(dir);
    let summary: GenerateSummary;
    try {
      await migrate(await MikroORM.init(await buildOrmOptions({ pglite: sql.db, migrations: MIGRATIONS })));
      log(`migrated the embedded database in ${dir} in ${Date.now() - t} ms; generating scale ${o.scale}, seed ${o.seed}`);
      summary = await generate(sql, sql, { scale: o.scale, seed: o.seed, loadMode: o.loadMode, log });
      await sql.query('checkpoint');
    } finally {
      await sql.close();
    }
    // The CLI opens DATA_DIR/pglite, as the service does: the directory is lent to it for the rebuild.
    const dataDir = mkdtempSync(join(tmpdir(), 'cdp-bench-rebuild-'));
    renameSync(dir, join(dataDir, 'pglite'));
    try {
      summary.seconds.analytics = await rebuildAnalytics({ DATA_DIR: dataDir }, log);
    } finally {
      renameSync(join(dataDir, 'pglite'), dir);
      rmSync(dataDir, { recursive: true, force: true });
    }
    // As for the loaded tables (generate.ts): the rebuilt read models vacuumed and analysed here, so that the
    // service does not start on tables its upkeep finds due.
    const after = await openPgliteSql(dir);
    try {
      for (const t of ANALYTICS_TABLES) await after.query(`vacuum (analyze) ${t}`);
      await after.query('checkpoint');
    } finally {
      await after.close();
    }
    summary.seconds.total += summary.seconds.analytics;
    writeFileSync(metaFile, meta(o));
    return summary;
  }

  open(): Promise<BenchSql> {
    return openPgliteSql(this.dir);
  }

  serviceEnv(dataDir: string): Record<string, string> {
    // The service keeps its embedded database in DATA_DIR/pglite (app.module.ts).
    cpSync(this.dir, join(dataDir, 'pglite'), { recursive: true });
    return {};
  }

  floorEnv(dataDir: string): Record<string, string> {
    const copy = join(dataDir, 'floor-pglite');
    cpSync(this.dir, copy, { recursive: true });
    return { FLOOR_PGLITE_DIR: copy };
  }

  async dispose(): Promise<void> {
    if (this.o.keep) return;
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(`${this.dir}.json`, { force: true });
  }
}
