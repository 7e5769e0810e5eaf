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
   * PGlite only: analyse and vacuum the tables that are due, at start and every 30 s, as autovacuum does on
   * PostgreSQL (`EmbeddedMaintenance`); on unless false.
   */
  maintenance?: boolean;
  /** Pool size for PostgreSQL. */
  poolMax?: number;
}
