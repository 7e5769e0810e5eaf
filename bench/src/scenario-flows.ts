import { Analytics } from '@segment/analytics-node';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { eventKey } from '@cdp/activities';
import { DATA_END } from './dataset';
import { describeError, http, outboxDrained, type Bounds, type Measured } from './load';
import type { Fixture } from './scenarios';

/**
 * The scenarios of the second wave that are more than one request shape: Segment ingestion through the real
 * SDK, webhook delivery to a receiver in this process, and the data export of one person (API.md "Additions
 * of v1.1").
 */

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const auth = (f: Fixture) => ({ authorization: `Bearer ${f.token}` });
const json = (f: Fixture) => ({ ...auth(f), 'content-type': 'application/json' });
const failed = (why: string): Measured => ({ latenciesMs: [], ok: 0, errors: 1, errorSamples: [why], seconds: 0 });

/** The analytics scenarios' range: the 90 days that end the data (the last one is 2026-11-30), by day, in the app's zone. */
export function analyticsRange(): string {
  const to = DATA_END - DAY_MS;
  return `from=${day(to - 89 * DAY_MS)}&to=${day(to)}&interval=day`;
}

/** Counts of a track event's activities from yesterday to tomorrow (UTC), read back through the analytics. */
async function countOfType(f: Fixture, type: string): Promise<number> {
  const now = Date.now();
  const res = await fetch(
    `${f.service}/v1/analytics/activities?from=${day(now - DAY_MS)}&to=${day(now + DAY_MS)}&interval=day&types=${encodeURIComponent(type)}`,
    { headers: auth(f) },
  );
  if (res.status !== 200) throw new Error(`analytics read-back: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { total: number }).total;
}

/**
 * Segment batch ingestion through the real `@segment/analytics-node` client (only `host` and the write key set):
 * `track` messages, four in five for known customers of the key's channel and one in five for new ones (created
 * on the way). At most `concurrency` batches' worth of messages (the SDK's 15 each) are outstanding, the next
 * sent as each is acknowledged. A message's latency is from `track` to the SDK's `track` event (its batch answered); the
 * rate counts acknowledged messages over the time to the last acknowledgement and then until the outbox relay has
 * handed on what they recorded (`outboxLagMs`; the analytics are counted there); the count is read back afterwards.
 */
export async function segmentLoad(f: Fixture, b: Bounds): Promise<Measured> {
  const channel = f.waChannels[0];
  const k = await fetch(`${f.service}/v1/api-keys`, {
    method: 'POST',
    headers: json(f),
    body: JSON.stringify({ name: `segment benchmark ${f.runId}`, channelId: channel.id }),
  });
  if (k.status !== 201) return failed(`POST /v1/api-keys: ${k.status} ${(await k.text()).slice(0, 300)}`);
  const writeKey = ((await k.json()) as { key: string }).key;
  const event = `Bench Order ${f.runId}`;
  const type = eventKey(event)!;
  const sdk = new Analytics({ writeKey, host: f.service });
  const samples: string[] = [];

  const window = Math.max(1, b.concurrency) * 15;
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let sent = 0;
  let done = 0;
  let errors = 0;
  let closing: Promise<void> | undefined;
  const t0 = performance.now();
  let last = t0;
  const deadline = Date.now() + b.seconds * 1000;
  await new Promise<void>((resolve) => {
    // A message is acknowledged by the SDK's `track` event (its batch answered) or its `error` event. Not by a
    // `track` callback: the SDK holds each callback until 300 ms after the call (analytics-core's dispatch
    // delay), so a window paced by callbacks measures that timer (240 messages per 0.3 s), not the service.
    const settle = (messageId: unknown, err?: unknown) => {
      const at = typeof messageId === 'string' ? sentAt.get(messageId) : undefined;
      if (typeof messageId === 'string') sentAt.delete(messageId);
      done++;
      last = performance.now();
      if (err !== undefined || at === undefined) {
        errors++;
        if (samples.length < 3) samples.push(describeError(err ?? new Error(`unexpected acknowledgement of ${String(messageId)}`)));
      } else latencies.push(last - at);
      pump();
    };
    sdk.on('track', (ctx) => settle(ctx.event.messageId));
    sdk.on('error', (e) => settle(e.code === 'delivery_failure' ? e.ctx?.event.messageId : undefined, e.reason ?? e));
    const send = (i: number) => {
      const known = i % 5 !== 4 && f.segmentUserIds.length > 0;
      const userId = known ? f.segmentUserIds[(i * 7) % f.segmentUserIds.length] : `62879${f.runId.slice(-3)}${String(i).padStart(6, '0')}`;
      const messageId = `bench-${f.runId}-${i}`;
      sentAt.set(messageId, performance.now());
      sdk.track({
        userId,
        event,
        messageId,
        timestamp: new Date(),
        properties: { orderId: `o-${f.runId}-${i}`, amount: 10_000 + (i % 2_000) * 500, currency: 'IDR' },
      });
    };
    const pump = () => {
      while (sent - done < window && sent < b.count && Date.now() < deadline) send(sent++);
      // Nothing more to send: the last partial batch goes at once instead of after the SDK's flush interval.
      if (!closing && (sent >= b.count || Date.now() >= deadline)) closing = sdk.closeAndFlush();
      if (done >= sent && closing) resolve();
    };
    pump();
  });
  await closing;
  // The analytics count the messages one relay round after their commit: wait for it before reading them back.
  const lag = await outboxDrained(f.service);
  const seconds = (last - t0 + lag) / 1000;
  if (latencies.length) {
    const stored = await countOfType(f, type).catch((e: unknown) => {
      samples.push(describeError(e));
      return -1;
    });
    if (stored !== latencies.length) {
      errors++;
      samples.push(`${latencies.length} messages acknowledged, ${stored} ${type} activities read back`);
    }
  }
  return {
    latenciesMs: latencies,
    ok: latencies.length,
    errors,
    errorSamples: samples.slice(0, 3),
    seconds,
    extra: { outboxLagMs: Math.round(lag) },
  };
}

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers 204 at once and keeps what it was sent. */
async function receiver(): Promise<{
  url: string;
  got: Received[];
  arrived(n: number, ms: number): Promise<void>;
  close(): Promise<void>;
}> {
  const got: Received[] = [];
  // Deliveries are at least once: waiting counts distinct ids.
  const ids = new Set<string>();
  let waiter: { n: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ at: performance.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      ids.add(String(req.headers['webhook-id']));
      res.writeHead(204).end();
      if (waiter && ids.size >= waiter.n) waiter.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/customers`,
    got,
    arrived: (n, ms) =>
      new Promise<void>((resolve) => {
        if (ids.size >= n) return resolve();
        const t = setTimeout(resolve, ms);
        waiter = {
          n,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Webhook delivery: a webhook of the big app subscribed to `customer.updated`, pointing at a receiver in this
 * process; `count` property changes (`PUT /v1/customers/:id/properties`, `concurrency` at a time), each making
 * one event. A delivery's latency is from its change's request to its arrival (matched by the changed value);
 * the rate is deliveries over the time from the first change to the last delivery. Every 20th signature (and
 * the last) is verified with `standardwebhooks`; a missing delivery or a bad signature is an error.
 */
export async function webhookLoad(f: Fixture, b: Bounds): Promise<Measured> {
  const r = await receiver();
  try {
    const created = await fetch(`${f.service}/v1/webhooks`, {
      method: 'POST',
      headers: json(f),
      body: JSON.stringify({ url: r.url, events: ['customer.updated'], description: 'benchmark receiver' }),
    });
    if (created.status !== 201) return failed(`POST /v1/webhooks: ${created.status} ${(await created.text()).slice(0, 300)}`);
    const hook = (await created.json()) as { id: string; secret: string };
    try {
      const tag = `wh-${f.runId}-${b.concurrency}`;
      const sentAt = new Map<string, number>();
      const t0 = performance.now();
      const changes = await http(f.service, b, (i) => {
        const value = `${tag}-${i}`;
        sentAt.set(value, performance.now());
        return {
          method: 'PUT',
          path: `/v1/customers/${f.sampleIds[i % f.sampleIds.length]}/properties`,
          headers: json(f),
          body: JSON.stringify({ company: value }),
        };
      });
      // Deliveries go out one at a time per webhook: allow a generous 20 ms each beyond a minute.
      await r.arrived(changes.ok, 60_000 + changes.ok * 20);
      const samples = [...changes.errorSamples];
      const verifier = new Webhook(hook.secret);
      const seen = new Set<string>();
      const latencies: number[] = [];
      let bad = 0;
      let lastAt = t0;
      for (const [j, d] of r.got.entries()) {
        const id = String(d.headers['webhook-id']);
        if (seen.has(id)) continue; // at least once: a repeat is the same delivery
        seen.add(id);
        const value = /"company":"([^"]+)"/.exec(d.body)?.[1];
        const start = value ? sentAt.get(value) : undefined;
        if (start === undefined) {
          bad++;
          if (samples.length < 3) samples.push(`a delivery for no change of this run: ${d.body.slice(0, 200)}`);
          continue;
        }
        if (j % 20 === 0 || j === r.got.length - 1) {
          try {
            verifier.verify(d.body, {
              'webhook-id': id,
              'webhook-timestamp': String(d.headers['webhook-timestamp']),
              'webhook-signature': String(d.headers['webhook-signature']),
            });
          } catch (e) {
            bad++;
            if (samples.length < 3) samples.push(`signature of ${id}: ${describeError(e)}`);
            continue;
          }
        }
        latencies.push(d.at - start);
        lastAt = Math.max(lastAt, d.at);
      }
      const missing = Math.max(0, changes.ok - seen.size);
      if (missing && samples.length < 3) samples.push(`${missing} of ${changes.ok} changes were not delivered in time`);
      return {
        latenciesMs: latencies,
        ok: latencies.length,
        errors: changes.errors + bad + missing,
        errorSamples: samples.slice(0, 3),
        seconds: (lastAt - t0) / 1000,
      };
    } finally {
      // Later scenarios change customers too: no deliveries for them.
      await fetch(`${f.service}/v1/webhooks/${hook.id}`, { method: 'DELETE', headers: auth(f) });
    }
  } finally {
    await r.close();
  }
}

/** Resident set of a process now (VmRSS), in MB; null without /proc. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * `GET /v1/customers/:id/data-export` of the generated person with many activities, one at a time: the time to
 * the last byte, and the service's resident set sampled every 5 ms during the exports (its peak, and its growth
 * over the resident set just before). Each document is parsed afterwards (outside the timing) and must hold the
 * person and every one of its activities.
 */
export async function dataExportFlow(f: Fixture, b: Bounds): Promise<Measured> {
  const person = f.exportPerson;
  if (!person) return failed('the data set has no data-export person');
  const before = rssMb(f.servicePid);
  let peak = before ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(f.servicePid) ?? 0)), 5);
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  let size = 0;
  const t0 = Date.now();
  const deadline = t0 + b.seconds * 1000;
  try {
    for (let i = 0; i < b.count && Date.now() < deadline; i++) {
      const t = performance.now();
      try {
        const res = await fetch(`${f.service}/v1/customers/${person.id}/data-export`, { headers: auth(f) });
        const body = await res.arrayBuffer();
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
        size = body.byteLength;
        const doc = JSON.parse(Buffer.from(body).toString('utf8')) as { customers?: { id: string }[]; activities?: unknown[] };
        if (doc.customers?.[0]?.id !== person.id) throw new Error('the document does not hold the person');
        if (doc.activities?.length !== person.activities)
          throw new Error(`${doc.activities?.length} activities in the document, ${person.activities} held`);
        latencies.push(ms);
      } catch (e) {
        errors++;
        if (samples.length < 3) samples.push(describeError(e));
      }
    }
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssMb(f.servicePid) ?? 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    latenciesMs: latencies,
    ok: latencies.length,
    errors,
    errorSamples: samples,
    seconds: (Date.now() - t0) / 1000,
    extra: {
      peakRssMb: before === null ? null : round(peak),
      rssGrowthMb: before === null ? null : round(peak - before),
      sizeMb: round(size / 2 ** 20),
    },
  };
}
