import autocannon from 'autocannon';

/** What one run of a scenario at one concurrency measured. */
export interface Measured {
  latenciesMs: number[];
  ok: number;
  errors: number;
  /** The first few error descriptions (status and body), for the report. */
  errorSamples: string[];
  seconds: number;
  /** Figures of the scenario besides the latencies (e.g. the service's peak RSS), copied into its result. */
  extra?: Record<string, number | null>;
}

export interface Bounds {
  concurrency: number;
  /** At most this many requests (or flows)… */
  count: number;
  /** …and at most this long. */
  seconds: number;
  /** The index of the first request: the slices of one measurement continue one sequence (default 0). */
  offset?: number;
}

/**
 * HTTP load with autocannon: `connections` = concurrency, stopped by whichever bound comes first. Each
 * response's own time is recorded (autocannon's summary has no p95), and every non-2xx answer is an error.
 * `next(i)` gives the i-th request (a different id, a fresh body…).
 */
export async function http(
  base: string,
  bounds: Bounds,
  next: (i: number) => autocannon.Request,
  /** A 2xx answer that is still wrong (e.g. rejected events) returns why; it is then counted as an error. */
  check?: (body: string) => string | undefined,
): Promise<Measured> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  let ok = 0;
  let i = bounds.offset ?? 0;
  let badBodies = 0;
  const started = Date.now();
  let last = started;
  const instance = autocannon({
    url: base,
    // autocannon refuses more connections than requests.
    connections: Math.max(1, Math.min(bounds.concurrency, bounds.count)),
    amount: bounds.count,
    timeout: 60,
    requests: [
      {
        setupRequest: (req) => ({ ...req, ...next(i++) }),
        onResponse: (status, body) => {
          if (status >= 400 && samples.length < 3) samples.push(`${status} ${body.slice(0, 300)}`);
          const why = status < 300 && check ? check(body) : undefined;
          if (why) {
            badBodies++;
            if (samples.length < 3) samples.push(why);
          }
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    last = Date.now();
    if (status >= 200 && status < 300) ok++;
    else errors++;
  });
  instance.on('reqError', (e: Error) => {
    errors++;
    if (samples.length < 3) samples.push(e.message);
  });
  const timer = setTimeout(() => instance.stop(), bounds.seconds * 1000);
  await instance;
  clearTimeout(timer);
  // Bad bodies arrived with a 2xx status: move them from ok to errors. Time ends at the last answer.
  return {
    latenciesMs: latencies,
    ok: ok - badBodies,
    errors: errors + badBodies,
    errorSamples: samples,
    seconds: (last - started) / 1000,
  };
}

/**
 * Multi-step flows (upload then poll, request then wait for the mail): `concurrency` flows at a time until
 * `count` are done or the time is up; a flow's latency is from its start to its end.
 */
export async function flows(bounds: Bounds, flow: (i: number) => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  let started = 0;
  const t0 = Date.now();
  const deadline = t0 + bounds.seconds * 1000;
  await Promise.all(
    Array.from({ length: bounds.concurrency }, async () => {
      while (started < bounds.count && Date.now() < deadline) {
        const n = started++;
        const t = performance.now();
        try {
          await flow(n);
          latencies.push(performance.now() - t);
        } catch (e) {
          errors++;
          if (samples.length < 3) samples.push(describeError(e));
        }
      }
    }),
  );
  return { latenciesMs: latencies, ok: latencies.length, errors, errorSamples: samples, seconds: (Date.now() - t0) / 1000 };
}

/** One measurement made of several slices: their samples together, their times added. */
export function joined(parts: Measured[]): Measured {
  return {
    latenciesMs: parts.flatMap((p) => p.latenciesMs),
    ok: parts.reduce((n, p) => n + p.ok, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    errorSamples: parts.flatMap((p) => p.errorSamples).slice(0, 3),
    seconds: parts.reduce((n, p) => n + p.seconds, 0),
  };
}

/** Nearest-rank percentile of unsorted samples; null without samples. */
export function percentile(samples: number[], p: number): number | null {
  if (!samples.length) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** An error's message with its cause (fetch reports the socket error only there). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause ? `${e.message} (${cause instanceof Error ? cause.message : String(cause)})` : e.message;
}

/**
 * Waits until the service has handed on every event its writes recorded (`/health`'s outbox backlog is zero):
 * what a write leaves to the outbox relay (the analytics read models, webhooks) is part of its cost, so a
 * write scenario's time runs until then. Answers the milliseconds waited.
 */
export async function outboxDrained(base: string, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const r = await fetch(`${base}/health`);
    const body = (await r.json().catch(() => undefined)) as { details?: { outbox?: { pending?: number } } } | undefined;
    const pending = body?.details?.outbox?.pending;
    if (pending === 0) return performance.now() - t0;
    if (pending === undefined) throw new Error(`/health reports no outbox backlog (status ${r.status})`);
    if (performance.now() - t0 > timeoutMs) throw new Error(`the outbox still had ${pending} events after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 20));
  }
}
