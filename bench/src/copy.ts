import type { BenchSql, CopySink } from './sql';

/** One value in PostgreSQL's COPY text format: `\N` for null, backslash, tab and line breaks escaped. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  else if (v instanceof Date) return v.toISOString();
  else if (Array.isArray(v)) s = `{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  else s = JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/**
 * COPY text for one table, fed row by row and handed to its sink in large chunks (about 1 MB over a `pg`
 * stream, 8 MB per statement on PGlite), waiting for the sink when the database is behind.
 */
export class CopyWriter {
  private buf: string[] = [];
  private size = 0;
  rows = 0;

  private constructor(private readonly sink: CopySink) {}

  static open(db: BenchSql, table: string, columns: readonly string[]): CopyWriter {
    return new CopyWriter(db.copyIn(table, columns));
  }

  /** Adds one row (values in the column order given to `open`); resolves at once unless a flush must wait. */
  async row(values: readonly unknown[]): Promise<void> {
    let line = '';
    for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyValue(values[i]);
    await this.raw(line);
  }

  /** A row already in COPY text form (no trailing newline). */
  async raw(line: string): Promise<void> {
    this.buf.push(line);
    this.size += line.length + 1;
    this.rows++;
    if (this.size >= this.sink.chunkBytes) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    await this.sink.write(chunk);
  }

  async end(): Promise<number> {
    await this.flush();
    await this.sink.end();
    return this.rows;
  }
}
