import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DATABASE_OPTIONS } from './database.module';
import type { DatabaseOptions } from './database.options';
import { Db } from './db';
import { Sql } from './sql';

/** How a table stands against what the planner last learnt of it. */
export interface TableState {
  table: string;
  /** `pg_class.reltuples`: -1 until the table is first analysed or vacuumed. */
  reltuples: number;
  /** `pg_class.relpages` as of the last analyse or vacuum. */
  relpages: number;
  /** Pages the table has now. */
  pages: number;
  /** Counters of this session (PGlite does not keep them across a restart). */
  modSinceAnalyze: number;
  deadTuples: number;
  insSinceVacuum: number;
}

export type Upkeep = 'vacuum' | 'analyze' | undefined;

/**
 * What autovacuum would do for one table, with its default thresholds (50 rows + 10 % changed for ANALYZE;
 * 50 + 20 % dead or 1,000 + 20 % inserted for VACUUM). The counters start again at zero each time the
 * embedded database is opened, so a table whose size moved by more than a fifth since the planner last
 * looked at it (or that it never looked at) is also due: a vacuum then, which also sets the visibility map
 * that index-only scans need.
 */
export function upkeepOf(t: TableState): Upkeep {
  if (t.pages === 0) return undefined;
  const rows = Math.max(t.reltuples, 0);
  const neverSeen = t.reltuples < 0 || t.relpages === 0;
  const moved = Math.abs(t.pages - t.relpages) > 0.2 * t.relpages;
  if (neverSeen || moved) return 'vacuum';
  if (t.deadTuples > 50 + 0.2 * rows || t.insSinceVacuum > 1000 + 0.2 * rows) return 'vacuum';
  if (t.modSinceAnalyze > 50 + 0.1 * rows) return 'analyze';
  return undefined;
}

const STATE = Sql.raw(`
  select c.relname as "table", c.reltuples::float8 as reltuples, c.relpages::int as relpages,
         (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages,
         coalesce(s.n_mod_since_analyze, 0)::int as "modSinceAnalyze", coalesce(s.n_dead_tup, 0)::int as "deadTuples",
         coalesce(s.n_ins_since_vacuum, 0)::int as "insSinceVacuum"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_stat_user_tables s on s.relid = c.oid
   where n.nspname = 'public' and c.relkind = 'r'
   order by c.relname`);

/** Every 30 s while the service runs, and once at start. */
const EVERY_MS = 30_000;

/**
 * The embedded database (PGlite) has no autovacuum: without this, tables filled after they were created
 * keep no statistics (the planner then takes an app's rows for half a percent of the table and picks plans
 * that read all of them) and never get a visibility map. This does autovacuum's work in the service: it looks
 * at the tables' counters and sizes at start and every 30 s, and analyses or vacuums the tables that are due,
 * one statement at a time between the requests. Nothing happens on PostgreSQL, whose autovacuum does it.
 */
@Injectable()
export class EmbeddedMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('EmbeddedMaintenance');
  private timer?: NodeJS.Timeout;
  private running?: Promise<string[]>;
  private closed = false;

  constructor(
    private readonly db: Db,
    @Inject(DATABASE_OPTIONS) private readonly opts: DatabaseOptions,
  ) {}

  get embedded(): boolean {
    return !this.opts.databaseUrl;
  }

  onApplicationBootstrap(): void {
    if (!this.embedded || this.opts.maintenance === false) return;
    const tick = () => void this.run().catch((e: unknown) => this.log.warn(`table upkeep failed: ${String(e)}`));
    tick();
    this.timer = setInterval(tick, EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round (or the one in progress): answers the tables it analysed or vacuumed. */
  run(): Promise<string[]> {
    if (!this.embedded) return Promise.resolve([]);
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<string[]> {
    const done: string[] = [];
    for (const t of await this.db.query<TableState>(STATE)) {
      if (this.closed) break;
      const upkeep = upkeepOf(t);
      if (!upkeep) continue;
      // Table names come from the catalogue, quoted as identifiers.
      const name = `"${t.table.replace(/"/g, '""')}"`;
      await this.db.run(Sql.raw(upkeep === 'vacuum' ? `vacuum (analyze) ${name}` : `analyze ${name}`));
      done.push(t.table);
    }
    if (done.length) this.log.debug(`statistics refreshed: ${done.join(', ')}`);
    return done;
  }
}
