import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';

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
 * A COPY ... FROM STDIN into one table with an explicit column list, fed row by row and buffered into large
 * chunks (one stream write per ~1 MB), waiting for the socket to drain when PostgreSQL is behind.
 */
export class CopyWriter {
  private buf: string[] = [];
  private size = 0;
  private done: Promise<void>;
  rows = 0;

  private constructor(
    private readonly stream: Writable,
    readonly table: string,
  ) {
    this.done = new Promise((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    // Errors surface through `done`; keep the process from treating an early one as unhandled.
    this.done.catch(() => undefined);
  }

  static open(client: Client, table: string, columns: readonly string[]): CopyWriter {
    const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
    return new CopyWriter(stream, table);
  }

  /** Adds one row (values in the column order given to `open`); resolves at once unless a flush must wait. */
  async row(values: readonly unknown[]): Promise<void> {
    let line = '';
    for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyValue(values[i]);
    this.buf.push(line);
    this.size += line.length + 1;
    this.rows++;
    if (this.size >= 1 << 20) await this.flush();
  }

  /** A row already in COPY text form (no trailing newline). */
  async raw(line: string): Promise<void> {
    this.buf.push(line);
    this.size += line.length + 1;
    this.rows++;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await Promise.race([new Promise<void>((r) => this.stream.once('drain', () => r())), this.done]);
    }
  }

  async end(): Promise<number> {
    await this.flush();
    this.stream.end();
    await this.done;
    return this.rows;
  }
}
