import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';

export interface Child {
  proc: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <script>` with `env` (nothing inherited but PATH and HOME) and keeps the tail of its output. */
export function startNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    pid: proc.pid!,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Polls `url` until it answers 2xx, failing with the child's output when it exits or takes too long. */
export async function waitHttp(url: string, child: Child, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`process exited (${child.proc.exitCode}):\n${child.output()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Peak resident set (VmHWM) of a process in MB, from /proc; null where /proc is not there. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * A local SMTP peer for the export scenario: accepts every message and resolves the waiter registered for
 * its recipient, so a flow can measure "export requested → mail arrived".
 */
export class MailSink {
  private readonly waiters = new Map<string, () => void>();
  private readonly arrived = new Set<string>();
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, done) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) {
          const to = r.address.toLowerCase();
          const w = this.waiters.get(to);
          if (w) {
            this.waiters.delete(to);
            w();
          } else this.arrived.add(to);
        }
        done();
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const addr = this.server.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Resolves when a message to `address` has arrived (or already had). */
  waitFor(address: string, ms: number): Promise<void> {
    const to = address.toLowerCase();
    if (this.arrived.delete(to)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters.delete(to);
        reject(new Error(`no mail to ${address} within ${ms} ms`));
      }, ms);
      this.waiters.set(to, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}
