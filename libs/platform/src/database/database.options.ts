import type { PGlite } from '@electric-sql/pglite';
import type { MigrationObject } from '@mikro-orm/core';

export interface DatabaseOptions {
  /** A real PostgreSQL server. When absent, the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` for an ephemeral database. */
  pgliteDataDir?: string;
  /** An already opened PGlite instance (tests load one migrated template into each worker). */
  pglite?: PGlite;
  /** Schema migrations, in order; run at start-up unless `migrate` is false. */
  migrations: MigrationObject[];
  migrate?: boolean;
  /**
   * The embedded database kept in `pgliteDataDir` (not with `pglite` or `databaseUrl`): the folder's lock and
   * its snapshots (README "The embedded database").
   */
  embedded?: {
    /** Who holds the folder, as a second process will be told (e.g. `npm start`). */
    owner: string;
    snapshotDir: string;
    /** Snapshots kept (default 3). */
    snapshotKeep?: number;
    /** Minutes between snapshots while the database changes; 0 takes none but at start and shutdown (default 15). */
    snapshotIntervalMinutes?: number;
  };
  /**
   * PGlite only: analyse and vacuum the tables that are due, at start and every 30 s, as autovacuum does on
   * PostgreSQL (`EmbeddedMaintenance`); on unless false.
   */
  maintenance?: boolean;
  /** Pool size for PostgreSQL. */
  poolMax?: number;
}
