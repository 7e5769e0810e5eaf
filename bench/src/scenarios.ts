import type autocannon from 'autocannon';
import { COHORT_TAG } from './dataset';
import { describeError, flows, http, outboxDrained, type Bounds, type Measured } from './load';
import type { MailSink } from './processes';
import { analyticsRange, dataExportFlow, segmentLoad, webhookLoad } from './scenario-flows';

/** What the scenarios need to know about the loaded data and the running processes. */
export interface Fixture {
  service: string;
  floor: string;
  appId: string;
  token: string;
  apiKey?: string;
  waChannels: { id: string; name: string }[];
  /** Customers of the big app for detail and timeline (the same sequence for the service and the floor). */
  sampleIds: string[];
  /** Unlinked customers, consumed two by two by the merge scenario. */
  mergePool: string[];
  cohortSize: number;
  searchTerm: string;
  mail: MailSink;
  runId: string;
  /** The service's process id (dataExport samples its RSS). */
  servicePid: number;
  /** The data-export person (generated with many activities) and how many it has. */
  exportPerson?: { id: string; activities: number };
  /** Identifiers of customers on the first WhatsApp channel: Segment `userId`s of known customers. */
  segmentUserIds: string[];
}

export type Backend = 'pg' | 'pglite';

export interface Target {
  metric: 'p95Ms' | 'p99Ms' | 'perSecond' | 'rssGrowthMb';
  /** p95 (or p99) at most this, events/s at least this, or the service's RSS growth during the scenario at most this. */
  value: number;
}

export interface Scenario {
  name: string;
  /** A read: bounded by `--duration`, probed once for its plans (and compared with the floor when it has one). */
  read: boolean;
  /** The route (OpenAPI path and method) that must exist, else the scenario is skipped. */
  route: { method: string; path: string };
  /** The target on PostgreSQL… */
  target: Target;
  /** …and on the embedded PGlite at its own default scale (issue 17), when it differs. */
  pgliteTarget?: Target;
  /** Run once, at this concurrency, instead of at each of `--concurrency`. */
  onlyConcurrency?: number;
  /** Requests or flows allowed per run: [check, full]. */
  counts: [number, number];
  run(f: Fixture, b: Bounds): Promise<Measured>;
  /** The same answer from the floor (read scenarios). */
  floor?(f: Fixture, b: Bounds): Promise<Measured>;
  /** One request each, for capturing plans and comparing answers (read scenarios; no floor request without a floor). */
  probe?(f: Fixture): { service: autocannon.Request; floor?: autocannon.Request };
  /** The unit of `perSecond`: events per request for ingestion. */
  perRequest?: number;
  /** What `perSecond` counts (`events` when absent). */
  unit?: string;
}

export const targetOf = (s: Scenario, backend: Backend): Target => (backend === 'pglite' ? (s.pgliteTarget ?? s.target) : s.target);

// A fresh object each time: autocannon writes content-length into the headers it is given.
const jsonBody = (): Record<string, string> => ({ 'content-type': 'application/json' });
const auth = (f: Fixture, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${f.token}`, ...extra });

/** The combined filter of PERFORMANCE.md: two WhatsApp channels + ads + city + tier + a purchase in November. */
export function combinedFilter(f: Fixture) {
  return {
    channelIds: f.waChannels.slice(0, 2).map((c) => c.id),
    sources: ['ads'],
    properties: {
      match: 'all',
      conditions: [
        { key: 'city', operator: 'eq', value: 'Jakarta' },
        { key: 'tier', operator: 'eq', value: 'gold' },
      ],
    },
    activity: { types: ['purchase.completed'], from: '2026-11-01', to: '2026-11-30' },
    timezone: 'UTC',
  };
}

function floorFilter(f: Fixture) {
  return {
    app: f.appId,
    channelIds: f.waChannels.slice(0, 2).map((c) => c.id),
    sources: ['ads'],
    contains: { city: 'Jakarta', tier: 'gold' },
    activity: { types: ['purchase.completed'], from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
  };
}

/** A read scenario: the same request shape against the service and the floor. */
function read(
  name: string,
  route: Scenario['route'],
  p95: { pg: number; pglite: number },
  service: (f: Fixture, i: number) => autocannon.Request,
  floor: (f: Fixture, i: number) => autocannon.Request,
  /** What is wrong with a 2xx answer of the service, if anything (counted as an error). */
  check?: (body: string) => string | undefined,
): Scenario {
  return {
    name,
    read: true,
    route,
    target: { metric: 'p95Ms', value: p95.pg },
    pgliteTarget: { metric: 'p95Ms', value: p95.pglite },
    counts: [200, 20_000],
    run: (f, b) => http(f.service, b, (i) => service(f, i), check),
    floor: (f, b) => http(f.floor, b, (i) => floor(f, i)),
    probe: (f) => ({ service: service(f, 0), floor: floor(f, 0) }),
  };
}

/** analyticsActive's type: customers with a purchase, per day. */
const ACTIVE_TYPE = 'purchase.completed';

/** The consent filter: WhatsApp customers who opted in (the audience a business-initiated message may reach). */
export const consentFilter = () => ({ consent: ['opted_in'], channelTypes: ['wa'] });

interface SeriesAnswer {
  total?: number;
  series?: { key: string; points: { start: string; count: number }[] }[];
  activeCustomers?: { start: string; count: number }[];
}

/** What is wrong with an analytics answer of 90 days: a series or the active counts without a point per day, or nothing counted. */
function analyticsCheck(opts: { series?: number; active?: boolean }) {
  return (body: string): string | undefined => {
    const a = JSON.parse(body) as SeriesAnswer;
    if (!a.series || (opts.series !== undefined && a.series.length !== opts.series))
      return `expected ${opts.series ?? 'some'} series, got ${a.series?.length}`;
    if (a.series.some((x) => x.points.length !== 90)) return 'a series without 90 daily points';
    if (!a.total) return 'nothing counted in 90 days';
    if (opts.active) {
      const active = a.activeCustomers ?? [];
      if (active.length !== 90) return `expected 90 daily active counts, got ${active.length}`;
      if (!active.some((p) => p.count > 0)) return 'no active customer in 90 days';
    }
    return undefined;
  };
}

const sample = (f: Fixture, i: number) => f.sampleIds[i % f.sampleIds.length];

export const SCENARIOS: Scenario[] = [
  read(
    'search',
    { method: 'get', path: '/v1/customers' },
    { pg: 10, pglite: 30 },
    (f) => ({ method: 'GET', path: `/v1/customers?search=${encodeURIComponent(f.searchTerm)}`, headers: auth(f) }),
    (f) => ({ method: 'GET', path: `/search?app=${f.appId}&q=${encodeURIComponent(f.searchTerm)}` }),
  ),
  read(
    'list',
    { method: 'get', path: '/v1/customers' },
    { pg: 5, pglite: 10 },
    (f) => ({ method: 'GET', path: '/v1/customers', headers: auth(f) }),
    (f) => ({ method: 'GET', path: `/list?app=${f.appId}` }),
  ),
  read(
    'filter',
    { method: 'post', path: '/v1/customers/search' },
    { pg: 45, pglite: 30 },
    (f) => ({
      method: 'POST',
      path: '/v1/customers/search',
      headers: auth(f, jsonBody()),
      body: JSON.stringify({ filter: combinedFilter(f) }),
    }),
    (f) => ({ method: 'POST', path: '/filter', headers: jsonBody(), body: JSON.stringify(floorFilter(f)) }),
  ),
  read(
    'count',
    { method: 'post', path: '/v1/customers/count' },
    { pg: 100, pglite: 50 },
    (f) => ({
      method: 'POST',
      path: '/v1/customers/count',
      headers: auth(f, jsonBody()),
      body: JSON.stringify({ filter: combinedFilter(f) }),
    }),
    (f) => ({ method: 'POST', path: '/count', headers: jsonBody(), body: JSON.stringify(floorFilter(f)) }),
  ),
  read(
    'consentFilter',
    { method: 'post', path: '/v1/customers/search' },
    { pg: 50, pglite: 30 },
    (f) => ({
      method: 'POST',
      path: '/v1/customers/search',
      headers: auth(f, jsonBody()),
      body: JSON.stringify({ filter: consentFilter() }),
    }),
    (f) => ({
      method: 'POST',
      path: '/consent',
      headers: jsonBody(),
      body: JSON.stringify({ app: f.appId, statuses: consentFilter().consent, channelTypes: consentFilter().channelTypes }),
    }),
  ),
  read(
    'detail',
    { method: 'get', path: '/v1/customers/{id}' },
    { pg: 5, pglite: 5 },
    (f, i) => ({ method: 'GET', path: `/v1/customers/${sample(f, i)}`, headers: auth(f) }),
    (f, i) => ({ method: 'GET', path: `/customers/${sample(f, i)}?app=${f.appId}` }),
  ),
  read(
    'timeline',
    { method: 'get', path: '/v1/customers/{id}/activities' },
    { pg: 5, pglite: 10 },
    (f, i) => ({ method: 'GET', path: `/v1/customers/${sample(f, i)}/activities`, headers: auth(f) }),
    (f, i) => ({ method: 'GET', path: `/customers/${sample(f, i)}/activities?app=${f.appId}` }),
  ),
  {
    name: 'groupFromFilter',
    read: false,
    route: { method: 'post', path: '/v1/groups' },
    target: { metric: 'p95Ms', value: 500 },
    pgliteTarget: { metric: 'p95Ms', value: 2000 },
    counts: [3, 20],
    run: (f, b) =>
      http(f.service, b, (i) => ({
        method: 'POST',
        path: '/v1/groups',
        headers: auth(f, jsonBody()),
        body: JSON.stringify({
          name: `bench ${f.runId} ${b.concurrency}-${i}`,
          description: `${f.cohortSize} customers tagged ${COHORT_TAG}`,
          filter: { tags: [COHORT_TAG] },
        }),
      })),
  },
  {
    name: 'merge',
    read: false,
    route: { method: 'post', path: '/v1/customers/{id}/merge' },
    target: { metric: 'p95Ms', value: 20 },
    pgliteTarget: { metric: 'p95Ms', value: 20 },
    counts: [10, 300],
    run: (f, b) => {
      const pairs = Math.floor(f.mergePool.length / 2);
      // Each merge consumes two unlinked customers; never more requests than pairs left.
      const n = Math.min(b.count, pairs);
      const taken = f.mergePool.splice(0, n * 2);
      return http(f.service, { ...b, count: n }, (i) => ({
        method: 'POST',
        path: `/v1/customers/${taken[2 * i]}/merge`,
        headers: auth(f, jsonBody()),
        body: JSON.stringify({ customerIds: [taken[2 * i + 1]] }),
      }));
    },
  },
  {
    name: 'import1000',
    read: false,
    route: { method: 'post', path: '/v1/customers/imports' },
    target: { metric: 'p95Ms', value: 1000 },
    pgliteTarget: { metric: 'p95Ms', value: 2000 },
    counts: [2, 10],
    run: (f, b) => flows(b, (i) => importFlow(f, `${b.concurrency}${String(i).padStart(3, '0')}`)),
  },
  {
    name: 'export1000',
    read: false,
    route: { method: 'post', path: '/v1/customers/exports' },
    target: { metric: 'p95Ms', value: 1000 },
    pgliteTarget: { metric: 'p95Ms', value: 2000 },
    counts: [2, 10],
    run: (f, b) => flows(b, (i) => exportFlow(f, `${b.concurrency}-${i}`)),
  },
  {
    name: 'ingest',
    read: false,
    route: { method: 'post', path: '/v1/events' },
    target: { metric: 'perSecond', value: 10000 },
    pgliteTarget: { metric: 'perSecond', value: 2000 },
    counts: [4, 200],
    perRequest: 500,
    run: async (f, b) => withOutboxDrained(f, await ingestLoad(f, b, String(b.concurrency))),
  },
  duringIngest('healthDuringIngest', () => '/health', 90),
  duringIngest('listDuringIngest', () => '/v1/customers', 91),
  read(
    'analyticsCustomers',
    { method: 'get', path: '/v1/analytics/customers' },
    { pg: 50, pglite: 50 },
    (f) => ({ method: 'GET', path: `/v1/analytics/customers?${analyticsRange()}&groupBy=source`, headers: auth(f) }),
    (f) => ({ method: 'GET', path: `/analytics/customers?app=${f.appId}&${analyticsRange()}` }),
    analyticsCheck({ series: 4 }),
  ),
  read(
    'analyticsActivities',
    { method: 'get', path: '/v1/analytics/activities' },
    { pg: 50, pglite: 50 },
    (f) => ({ method: 'GET', path: `/v1/analytics/activities?${analyticsRange()}`, headers: auth(f) }),
    (f) => ({ method: 'GET', path: `/analytics/activities?app=${f.appId}&${analyticsRange()}` }),
    analyticsCheck({ active: true }),
  ),
  read(
    'analyticsActive',
    { method: 'get', path: '/v1/analytics/activities' },
    { pg: 50, pglite: 50 },
    (f) => ({ method: 'GET', path: `/v1/analytics/activities?${analyticsRange()}&types=${ACTIVE_TYPE}`, headers: auth(f) }),
    (f) => ({ method: 'GET', path: `/analytics/activities?app=${f.appId}&${analyticsRange()}&types=${ACTIVE_TYPE}` }),
    analyticsCheck({ series: 1, active: true }),
  ),
  {
    name: 'segmentIngest',
    read: false,
    route: { method: 'post', path: '/v1/batch' },
    target: { metric: 'perSecond', value: 5000 },
    pgliteTarget: { metric: 'perSecond', value: 1500 },
    onlyConcurrency: 16,
    counts: [600, 60_000],
    perRequest: 1,
    unit: 'msg',
    run: (f, b) => segmentLoad(f, b),
  },
  {
    name: 'webhookDelivery',
    read: false,
    route: { method: 'post', path: '/v1/webhooks' },
    target: { metric: 'perSecond', value: 500 },
    pgliteTarget: { metric: 'perSecond', value: 200 },
    onlyConcurrency: 16,
    counts: [200, 5000],
    perRequest: 1,
    unit: 'deliveries',
    run: (f, b) => webhookLoad(f, b),
  },
  {
    name: 'dataExport',
    read: false,
    route: { method: 'get', path: '/v1/customers/{id}/data-export' },
    target: { metric: 'rssGrowthMb', value: 96 },
    onlyConcurrency: 1,
    counts: [2, 5],
    run: (f, b) => dataExportFlow(f, b),
  },
];

/**
 * A write scenario's rate counts the time until the outbox relay has handed on what the writes recorded (the
 * analytics are counted there), so work moved out of the request is still paid for; `outboxLagMs` says how
 * long that took after the last answer.
 */
async function withOutboxDrained(f: Fixture, m: Measured): Promise<Measured> {
  if (!m.ok) return m;
  const lag = await outboxDrained(f.service);
  return { ...m, seconds: m.seconds + lag / 1000, extra: { ...m.extra, outboxLagMs: Math.round(lag) } };
}

/** `count` batches of 500 events, `concurrency` requests at a time, each batch's idempotency keys unique to `tag`. */
function ingestLoad(f: Fixture, b: Bounds, tag: string): Promise<Measured> {
  const bodies = Array.from({ length: b.count }, (_, i) => eventBatch(f, `${tag}-${i}`));
  return http(
    f.service,
    b,
    (i) => ({
      method: 'POST',
      path: '/v1/events',
      headers: { 'content-type': 'application/json', 'x-api-key': f.apiKey ?? '' },
      body: bodies[i % bodies.length],
    }),
    (body) => {
      const r = JSON.parse(body) as { accepted?: number; duplicates?: number; rejected?: { code: string; message: string }[] };
      return r.rejected?.length
        ? `${r.rejected.length} of 500 events rejected, e.g. ${r.rejected[0].code}: ${r.rejected[0].message}`
        : undefined;
    },
  );
}

/**
 * Issue 11 item 6: while ingestion runs at concurrency 8, one client asks `path` over and over (one request
 * at a time, 10 ms apart); the figures are that client's latencies. The target is its p99: the service stays
 * responsive while it ingests (on PGlite every statement waits for the one before it).
 */
function duringIngest(name: string, path: (f: Fixture) => string, tagBase: number): Scenario {
  return {
    name,
    read: false,
    route: { method: 'post', path: '/v1/events' },
    target: { metric: 'p99Ms', value: 200 },
    onlyConcurrency: 8,
    counts: [16, 400],
    run: async (f, b) => {
      let ingesting = true;
      const load = ingestLoad(f, { ...b, concurrency: 8 }, String(tagBase)).finally(() => {
        ingesting = false;
      });
      const latencies: number[] = [];
      const samples: string[] = [];
      let errors = 0;
      const t0 = Date.now();
      while (ingesting) {
        const t = performance.now();
        try {
          const res = await fetch(f.service + path(f), { headers: auth(f), signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          if (res.ok) latencies.push(performance.now() - t);
          else {
            errors++;
            if (samples.length < 3) samples.push(`${res.status} ${path(f)}`);
          }
        } catch (e) {
          // Slowness is measured, not failed (`--check` fails on errors only): a probe that gave up counts as 30 s.
          if (e instanceof Error && e.name === 'TimeoutError') latencies.push(performance.now() - t);
          else {
            errors++;
            if (samples.length < 3) samples.push(describeError(e));
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const ingest = await load;
      return {
        latenciesMs: latencies,
        ok: latencies.length,
        errors: errors + ingest.errors,
        errorSamples: [...samples, ...ingest.errorSamples].slice(0, 3),
        seconds: (Date.now() - t0) / 1000,
      };
    },
  };
}

/** 500 events: most for known customers, a fifth for new customers by channel and identifier. */
function eventBatch(f: Fixture, tag: string): string {
  const types = ['purchase.completed', 'csat.submitted', 'crm.updated', 'ticket.created', 'broadcast.received'];
  const now = Date.now();
  const events = Array.from({ length: 500 }, (_, k) => {
    const base = {
      type: types[k % types.length],
      occurredAt: new Date(now - k * 1000).toISOString(),
      data: { n: k },
      idempotencyKey: `bench-${f.runId}-${tag}-${k}`,
    };
    if (k % 5 === 4) {
      const digits = `${f.runId.slice(-3)}${tag.replace(/\D/g, '').padStart(4, '0')}${String(k).padStart(3, '0')}`.slice(-9);
      return {
        ...base,
        channelId: f.waChannels[0].id,
        identifier: `62877${digits}`,
        customer: { name: `Ingest ${tag} ${k}`, source: 'organic' },
      };
    }
    return { ...base, customerId: f.sampleIds[(k * 7) % f.sampleIds.length] };
  });
  return JSON.stringify({ events });
}

/** Upload 1,000 new WhatsApp customers, then poll the import until it is completed. */
async function importFlow(f: Fixture, tag: string): Promise<void> {
  const ch = f.waChannels[0];
  const lines = ['name,identifier,email,phone_number,channel_id,source,channel_name'];
  const prefix = `${f.runId.slice(-2)}${tag}`.replace(/\D/g, '0').slice(-5).padStart(5, '0');
  for (let r = 0; r < 1000; r++) {
    const id = `62816${prefix}${String(r).padStart(3, '0')}`;
    lines.push(`Import ${tag} ${r},${id},imp${tag}.${r}@example.com,+${id},${ch.id},wa,${ch.name}`);
  }
  const form = new FormData();
  form.append('separator', 'comma');
  form.append('file', new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }), `bench-${tag}.csv`);
  const res = await fetch(`${f.service}/v1/customers/imports`, { method: 'POST', headers: auth(f), body: form });
  if (res.status !== 202) throw new Error(`import upload: ${res.status} ${(await res.text()).slice(0, 300)}`);
  const { id } = (await res.json()) as { id: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = await fetch(`${f.service}/v1/customers/imports/${id}`, { headers: auth(f) });
    if (s.status !== 200) throw new Error(`import status: ${s.status} ${(await s.text()).slice(0, 300)}`);
    const body = (await s.json()) as { status: string; createdCount: number; failedCount: number; errors?: unknown[] };
    if (body.status === 'completed') {
      if (body.failedCount > 0)
        throw new Error(`import completed with ${body.failedCount} failed rows: ${JSON.stringify(body.errors?.slice(0, 2))}`);
      return;
    }
    if (body.status === 'failed') throw new Error(`import failed: ${JSON.stringify(body).slice(0, 300)}`);
    if (Date.now() > deadline) throw new Error('import did not complete within 120 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Request an export of the latest 1,000 customers, then wait until its mail reaches the SMTP peer. */
async function exportFlow(f: Fixture, tag: string): Promise<void> {
  const email = `export-${f.runId}-${tag}@bench.example.com`;
  const arrived = f.mail.waitFor(email, 120_000);
  arrived.catch(() => undefined);
  const res = await fetch(`${f.service}/v1/customers/exports`, {
    method: 'POST',
    headers: auth(f, jsonBody()),
    body: JSON.stringify({ filter: {}, email }),
  });
  if (res.status !== 202) throw new Error(`export request: ${res.status} ${(await res.text()).slice(0, 300)}`);
  await arrived;
}
