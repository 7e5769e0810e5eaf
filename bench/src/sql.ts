import type { PGlite } from '@electric-sql/pglite';
import type { Writable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPglite } from '@cdp/platform';

/** Where COPY text goes: chunks of whole lines, then the end. */
export interface CopySink {
  write(chunk: string): Promise<void>;
  end(): Promise<void>;
  /** Bytes per chunk the writer should gather before `write`. */
  chunkBytes: number;
}

/**
 * What the generator and the runner need of a database, on either backend: statements with bound parameters,
 * and a bulk load of COPY text. PostgreSQL is reached over `pg` (a COPY FROM STDIN stream); PGlite runs in this
 * process and takes each chunk as one `COPY … FROM '/dev/blob'` statement.
 */
export interface BenchSql {
  readonly backend: 'pg' | 'pglite';
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
  copyIn(table: string, columns: readonly string[]): CopySink;
  close(): Promise<void>;
}

export async function connectPg(url: string): Promise<BenchSql> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return {
    backend: 'pg',
    query: async <T>(text: string, values?: unknown[]) => ({ rows: (await c.query(text, values)).rows as T[] }),
    copyIn: (table, columns) => streamSink(c.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`))),
    close: () => c.end(),
  };
}

/** Opens (or creates) an embedded database in `dir`, with the extensions the schema needs. */
export async function openPgliteSql(dir: string): Promise<BenchSql & { db: PGlite }> {
  const db = await openPglite({ dataDir: dir });
  return {
    backend: 'pglite',
    db,
    query: async <T>(text: string, values?: unknown[]) => ({ rows: (await db.query<T>(text, values ?? [])).rows }),
    copyIn: (table, columns) => ({
      // One statement per chunk: PGlite reads the COPY data from the blob it is handed.
      chunkBytes: 8 << 20,
      write: async (chunk) => {
        await db.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([chunk]) });
      },
      end: async () => undefined,
    }),
    close: () => db.close(),
  };
}

function streamSink(stream: Writable): CopySink {
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  // Errors surface through `done`; keep the process from treating an early one as unhandled.
  done.catch(() => undefined);
  return {
    chunkBytes: 1 << 20,
    async write(chunk) {
      if (!stream.write(chunk)) await Promise.race([new Promise<void>((r) => stream.once('drain', () => r())), done]);
    },
    async end() {
      stream.end();
      await done;
    },
  };
}
