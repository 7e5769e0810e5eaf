import fc from 'fast-check';
import { AnalyticsRebuild } from '@cdp/analytics';
import { Db, OutboxRelay, sql } from '@cdp/platform';
import { factories, randomIdentifier } from './support/factories';
import { eventually } from './support/eventually';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

// The oracle of these tests: the base tables read whole and counted in Node, days cut with Intl in the zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function localDay(t: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(t);
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
function intervalName(day: string, interval: string): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // Sunday 0
  return addDays(day, -((weekday + 6) % 7));
}
function intervalNames(from: string, to: string, interval: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const n = intervalName(d, interval);
    if (out[out.length - 1] !== n) out.push(n);
  }
  return out;
}

type Point = { start: string; count: number };
type Series = { key: string; label: string; points: Point[] };
const asMap = (points: Point[]) => Object.fromEntries(points.filter((p) => p.count).map((p) => [p.start, p.count]));

/** Counts per interval name of the rows that fall within [from, to] in the zone, per key. */
function expected<T>(
  rows: T[],
  at: (r: T) => Date,
  key: (r: T) => string,
  q: { from: string; to: string; interval: string; timezone: string },
) {
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const day = localDay(at(r), q.timezone);
    if (day < q.from || day > q.to) continue;
    const k = key(r);
    const name = intervalName(day, q.interval);
    out[k] ??= {};
    out[k][name] = (out[k][name] ?? 0) + 1;
  }
  return out;
}
function expectedActive(
  rows: { customer_id: string; occurred_at: Date }[],
  q: { from: string; to: string; interval: string; timezone: string },
) {
  const sets: Record<string, Set<string>> = {};
  for (const r of rows) {
    const day = localDay(r.occurred_at, q.timezone);
    if (day < q.from || day > q.to) continue;
    (sets[intervalName(day, q.interval)] ??= new Set()).add(r.customer_id);
  }
  return Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, s.size]));
}

const ZONES = [
  'UTC',
  'Asia/Jakarta',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/New_York',
];
// Days with a DST change in some of the zones above (US 8 March, Lord Howe's half hour 5 April and 4 October).
const ANCHORS = ['2026-03-08', '2026-04-05', '2026-10-04', '2026-11-01', '2026-06-15'];
const TYPES = ['purchase.completed', 'ticket.created', 'csat.submitted'];

describe('Analytics (API.md "Analytics", AN1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const settle = () => t.app.get(OutboxRelay).settle();
  const db = () => t.app.get(Db);

  async function baseCustomers(appId: string) {
    const rows = await db().query<{ id: string; channel_id: string; source: string; created_at: Date; type: string }>(sql`
      select c.id, c.channel_id, c.source, c.created_at, ch.type
      from customers c join channels ch on ch.app_id = c.app_id and ch.id = c.channel_id where c.app_id = ${appId}`);
    return rows.map((r) => ({ ...r, created_at: new Date(r.created_at) }));
  }
  async function baseActivities(appId: string) {
    const rows = await db().query<{ customer_id: string; type: string; occurred_at: Date }>(sql`
      select customer_id, type, occurred_at from activities where app_id = ${appId}`);
    return rows.map((r) => ({ ...r, occurred_at: new Date(r.occurred_at) }));
  }

  /** Asks for active customers by day in `zone` once (which tracks the zone), and waits for its back-fill. */
  async function trackZone(appId: string, zone: string) {
    const day = localDay(new Date(), zone);
    expect((await get(appId, 'activities', { from: day, to: day, timezone: zone })).status).toBe(200);
    await eventually(async () => {
      const row = await db().one<{ ready: boolean }>(
        sql`select ready from analytics_active_zones where app_id = ${appId} and zone = ${zone}`,
      );
      expect(row?.ready).toBe(true);
    }, 20_000);
  }

  const get = (appId: string, path: string, query: Record<string, string>) =>
    t.http().get(`/v1/analytics/${path}`).query(query).set(t.auth(appId, 'agent'));

  /** Each endpoint's answer for the query against the oracle over the base tables. */
  async function checkAgainstBase(appId: string, q: { from: string; to: string; interval: string; timezone: string }, types?: string[]) {
    const names = intervalNames(q.from, q.to, q.interval);
    for (const groupBy of ['source', 'channelType', 'channel'] as const) {
      const r = await get(appId, 'customers', { ...q, groupBy });
      expect(r.status).toBe(200);
      const want = expected(
        await baseCustomers(appId),
        (c) => c.created_at,
        (c) => (groupBy === 'source' ? c.source : groupBy === 'channel' ? c.channel_id : c.type),
        q,
      );
      for (const s of r.body.series as Series[]) {
        expect(s.points.map((p) => p.start)).toEqual(names);
        expect([groupBy, s.key, asMap(s.points)]).toEqual([groupBy, s.key, want[s.key] ?? {}]);
      }
      for (const key of Object.keys(want)) expect((r.body.series as Series[]).map((s) => s.key)).toContain(key);
      expect(r.body.total).toBe(Object.values(want).reduce((n, m) => n + Object.values(m).reduce((a, b) => a + b, 0), 0));
    }
    const acts = (await baseActivities(appId)).filter((a) => !types || types.includes(a.type));
    const r = await get(appId, 'activities', { ...q, ...(types ? { types: types.join(',') } : {}) });
    expect(r.status).toBe(200);
    const want = expected(
      acts,
      (a) => a.occurred_at,
      (a) => a.type,
      q,
    );
    for (const s of r.body.series as Series[]) {
      expect(s.points.map((p) => p.start)).toEqual(names);
      expect([s.key, asMap(s.points)]).toEqual([s.key, want[s.key] ?? {}]);
    }
    for (const key of Object.keys(want)) expect((r.body.series as Series[]).map((s) => s.key)).toContain(key);
    expect((r.body.activeCustomers as Point[]).map((p) => p.start)).toEqual(names);
    expect(asMap(r.body.activeCustomers)).toEqual(expectedActive(acts, q));
  }

  describe('customers and activities over time', () => {
    it('AN1: customers per day by source, every day of the range present with zeros, labels for people', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [line, wa] = [await f.channel('line', undefined, 'LINE Jakarta'), await f.channel('wa', undefined, 'WA Support')];
      await f.customers(line, 2);
      await f.events([
        {
          type: 'purchase.completed',
          occurredAt: new Date().toISOString(),
          channelId: wa,
          identifier: randomIdentifier('wa'),
          customer: { source: 'ads' },
        },
        {
          type: 'purchase.completed',
          occurredAt: new Date().toISOString(),
          channelId: wa,
          identifier: randomIdentifier('wa'),
          customer: { source: 'broadcast' },
        },
        { type: 'ticket.created', occurredAt: new Date().toISOString(), channelId: line, identifier: randomIdentifier('line') },
      ]);
      await settle();
      const today = localDay(new Date(), 'UTC');
      const from = addDays(today, -6);
      const r = await get(appId, 'customers', { from, to: today, interval: 'day', timezone: 'UTC' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ from, to: today, interval: 'day', timezone: 'UTC', total: 5 });
      const bySource = Object.fromEntries((r.body.series as Series[]).map((s) => [s.key, s]));
      expect(Object.keys(bySource)).toEqual(['admin', 'ads', 'organic', 'broadcast']);
      expect(bySource.admin.label).toBe('Added by Admin');
      expect(bySource.ads.label).toBe('Ads');
      for (const s of Object.values(bySource)) expect(s.points.map((p) => p.start)).toEqual(intervalNames(from, today, 'day'));
      expect(bySource.admin.points.map((p) => p.count)).toEqual([0, 0, 0, 0, 0, 0, 2]);
      expect(bySource.organic.points[6].count).toBe(1);
      expect(bySource.ads.points[6].count).toBe(1);
      expect(bySource.broadcast.points[6].count).toBe(1);

      const byChannel = await get(appId, 'customers', { from: today, to: today, groupBy: 'channel' });
      expect(byChannel.body.series).toEqual([
        { key: line, label: 'LINE Jakarta', points: [{ start: today, count: 3 }] },
        { key: wa, label: 'WA Support', points: [{ start: today, count: 2 }] },
      ]);
      const byType = await get(appId, 'customers', { from: today, to: today, groupBy: 'channelType' });
      expect((byType.body.series as Series[]).map((s) => [s.key, s.points[0].count])).toEqual([
        ['line', 3],
        ['wa', 2],
      ]);
      expect((byType.body.series as Series[]).find((s) => s.key === 'wa')!.label).toMatch(/WhatsApp/);
    });

    it("AN1: days in the requested zone, +05:30 and +05:45 included, and by default in the app's zone", async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [c] = await f.customers(await f.channel(), 1);
      // 18:20 UTC is the next day in Kolkata (+05:30 → 23:50) only from 18:30; in Kathmandu (+05:45) from 18:15.
      const events = ['2026-11-02T18:20:00.000Z', '2026-11-02T18:29:59.999Z', '2026-11-02T18:30:00.000Z', '2026-11-02T18:14:59.999Z'].map(
        (at, i) => ({
          type: 'purchase.completed',
          occurredAt: at,
          customerId: c.id,
          idempotencyKey: `k${i}`,
        }),
      );
      await f.events(events);
      await settle(); // the read models count activities from the outbox, a relay round later
      const counts = async (timezone?: string) => {
        const r = await get(appId, 'activities', {
          from: '2026-11-02',
          to: '2026-11-03',
          types: 'purchase.completed',
          ...(timezone ? { timezone } : {}),
        });
        expect(r.status).toBe(200);
        return {
          zone: r.body.timezone,
          counts: r.body.series[0].points.map((p: Point) => p.count),
          active: r.body.activeCustomers.map((p: Point) => p.count),
        };
      };
      expect(await counts('Asia/Kolkata')).toEqual({ zone: 'Asia/Kolkata', counts: [3, 1], active: [1, 1] });
      expect(await counts('Asia/Kathmandu')).toEqual({ zone: 'Asia/Kathmandu', counts: [1, 3], active: [1, 1] });
      expect(await counts()).toEqual({ zone: 'UTC', counts: [4, 0], active: [1, 0] });
      const patched = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: 'Asia/Kathmandu' });
      expect(patched.status).toBe(200);
      expect(await counts()).toEqual({ zone: 'Asia/Kathmandu', counts: [1, 3], active: [1, 1] });
    });

    it('AN1: weeks start on Monday and months on the 1st; a cut week or month counts only the days of the range', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [a, b] = await f.customers(await f.channel(), 2);
      const at = (iso: string, customerId: string, i: number) => ({
        type: 'ticket.created',
        occurredAt: iso,
        customerId,
        idempotencyKey: `w${i}`,
      });
      // 2026-11-01 is a Sunday, 2026-11-02 a Monday.
      await f.events([
        at('2026-10-31T12:00:00Z', a.id, 1),
        at('2026-11-01T12:00:00Z', a.id, 2),
        at('2026-11-02T12:00:00Z', b.id, 3),
        at('2026-11-08T23:59:59.999Z', b.id, 4),
        at('2026-11-09T00:00:00Z', a.id, 5),
      ]);
      await settle();
      const weeks = await get(appId, 'activities', {
        from: '2026-11-01',
        to: '2026-11-09',
        interval: 'week',
        timezone: 'UTC',
        types: 'ticket.created',
      });
      expect(weeks.body.series[0].points).toEqual([
        { start: '2026-10-26', count: 1 },
        { start: '2026-11-02', count: 2 },
        { start: '2026-11-09', count: 1 },
      ]);
      expect(weeks.body.activeCustomers).toEqual([
        { start: '2026-10-26', count: 1 },
        { start: '2026-11-02', count: 1 },
        { start: '2026-11-09', count: 1 },
      ]);
      const months = await get(appId, 'activities', {
        from: '2026-10-15',
        to: '2026-11-30',
        interval: 'month',
        timezone: 'UTC',
        types: 'ticket.created',
      });
      expect(months.body.series[0].points).toEqual([
        { start: '2026-10-01', count: 1 },
        { start: '2026-11-01', count: 4 },
      ]);
      expect(months.body.activeCustomers).toEqual([
        { start: '2026-10-01', count: 1 },
        { start: '2026-11-01', count: 2 },
      ]);
    });

    it('AN1: activities per type of the app, zeros included, and distinct active customers of the chosen types', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [a, b] = await f.customers(await f.channel(), 2);
      await f.events([
        { type: 'purchase.completed', occurredAt: '2026-11-03T01:00:00Z', customerId: a.id },
        { type: 'purchase.completed', occurredAt: '2026-11-03T02:00:00Z', customerId: a.id },
        { type: 'ticket.created', occurredAt: '2026-11-03T03:00:00Z', customerId: b.id },
      ]);
      await settle();
      const all = await get(appId, 'activities', { from: '2026-11-03', to: '2026-11-03', timezone: 'UTC' });
      const series = Object.fromEntries((all.body.series as Series[]).map((s) => [s.key, s.points[0].count]));
      expect(series['purchase.completed']).toBe(2);
      expect(series['ticket.created']).toBe(1);
      expect(series['csat.submitted']).toBe(0);
      expect(all.body.total).toBe(3);
      expect(all.body.activeCustomers).toEqual([{ start: '2026-11-03', count: 2 }]);
      const one = await get(appId, 'activities', { from: '2026-11-03', to: '2026-11-03', timezone: 'UTC', types: 'purchase.completed' });
      expect((one.body.series as Series[]).map((s) => s.key)).toEqual(['purchase.completed']);
      expect(one.body.series[0].label).toBe('Purchase completed');
      expect(one.body.activeCustomers).toEqual([{ start: '2026-11-03', count: 1 }]);
    });
  });

  describe('ranges and input', () => {
    it('AN1: at most 366 days by day and 5 years by week or month; bad dates, zones and types are 422 validation_failed', async () => {
      const appId = newAppId();
      const bad = async (path: string, query: Record<string, string>, field: string) => {
        const r = await get(appId, path, query);
        expect([r.status, r.headers['content-type']]).toEqual([422, expect.stringMatching(/^application\/problem\+json/)]);
        expect(r.body.code).toBe('validation_failed');
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      expect((await get(appId, 'customers', { from: '2025-01-01', to: '2026-01-01' })).status).toBe(200); // 366 days
      await bad('customers', { from: '2025-01-01', to: '2026-01-02' }, 'to');
      expect((await get(appId, 'customers', { from: '2021-01-01', to: '2025-12-31', interval: 'week' })).status).toBe(200);
      await bad('customers', { from: '2021-01-01', to: '2026-01-01', interval: 'month' }, 'to');
      await bad('customers', { from: '2026-02-30', to: '2026-03-01' }, 'from');
      await bad('customers', { from: '2026-03-02', to: '2026-03-01' }, 'to');
      await bad('customers', { from: '1999-12-31', to: '2000-01-01' }, 'from');
      await bad('customers', { from: '2026-03-01' }, 'to');
      await bad('customers', { from: '2026-03-01', to: '2026-03-02', interval: 'hour' }, 'interval');
      await bad('customers', { from: '2026-03-01', to: '2026-03-02', groupBy: 'city' }, 'groupBy');
      await bad('activities', { from: '2026-03-01', to: '2026-03-02', timezone: 'Mars/Olympus' }, 'timezone');
      await bad('activities', { from: '2026-03-01', to: '2026-03-02', types: 'purchase.completed,no.such.type' }, 'types');
      // Only the unknown type is named; a bad range is reported before any type.
      const unknown = await get(appId, 'activities', { from: '2026-03-01', to: '2026-03-02', types: 'purchase.completed,no.such.type' });
      expect(unknown.body.errors).toEqual([
        { field: 'types', code: 'unknown_activity_type', message: expect.stringContaining('no.such.type') },
      ]);
      const both = await get(appId, 'activities', { from: '2026-03-02', to: '2026-03-01', types: 'no.such.type' });
      expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
    });

    it("AN1: another app's customers and activities are never counted; every role reads", async () => {
      const appId = newAppId();
      const other = newAppId();
      const fo = factories(t, other);
      const [c] = await fo.customers(await fo.channel(), 2);
      await fo.events([{ type: 'purchase.completed', occurredAt: new Date().toISOString(), customerId: c.id }]);
      await settle();
      const today = localDay(new Date(), 'UTC');
      for (const role of ['admin', 'supervisor', 'agent'] as const) {
        const r = await t.http().get('/v1/analytics/customers').query({ from: today, to: today, timezone: 'UTC' }).set(t.auth(appId, role));
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(0);
      }
      const acts = await get(appId, 'activities', { from: today, to: today, timezone: 'UTC' });
      expect([acts.body.total, acts.body.activeCustomers[0].count]).toEqual([0, 0]);
      const summary = await t.http().get('/v1/analytics/summary').set(t.auth(appId));
      expect(summary.body).toMatchObject({ customers: 0, linkedCustomers: 0, groups: 0, activeLast7Days: 0, activeLast30Days: 0 });
      expect((await t.http().get('/v1/analytics/summary')).status).toBe(401);
    });
  });

  describe('summary', () => {
    it('AN1: customers by source and channel type, linked customers, groups, active in 7 and 30 days, consent', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [line, wa] = [await f.channel('line'), await f.channel('wa')];
      const [a, b] = await f.customers(line, 2);
      const [w] = await f.customers(wa, 1);
      await f.events([
        {
          type: 'purchase.completed',
          occurredAt: new Date().toISOString(),
          channelId: wa,
          identifier: randomIdentifier('wa'),
          customer: { source: 'ads' },
        },
      ]);
      await f.merge(a.id, [w.id]);
      await f.group({ customerIds: [b.id] });
      await t.http().put(`/v1/customers/${a.id}/consent`).set(t.auth(appId)).send({ status: 'opted_in' }).expect(200);
      await t.http().put(`/v1/customers/${b.id}/consent`).set(t.auth(appId)).send({ status: 'opted_out' }).expect(200);
      await settle();
      // b's last activity is its creation; a's too: all four are active now.
      const r = await t.http().get('/v1/analytics/summary').set(t.auth(appId, 'agent'));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        customers: 4,
        bySource: { admin: 3, ads: 1, organic: 0, broadcast: 0 },
        byChannelType: { line: 2, wa: 2 },
        linkedCustomers: 2,
        groups: 1,
        activeLast7Days: 4,
        activeLast30Days: 4,
        consent: { opted_in: 1, opted_out: 1, unknown: 2 },
      });
      expect((await t.http().delete(`/v1/customers/${b.id}`).set(t.auth(appId))).status).toBe(204);
      const after = await t.http().get('/v1/analytics/summary').set(t.auth(appId));
      expect(after.body).toMatchObject({
        customers: 3,
        bySource: { admin: 2, ads: 1 },
        byChannelType: { line: 1, wa: 2 },
        consent: { opted_in: 1, opted_out: 0, unknown: 2 },
      });
    });
  });

  describe('exact against the base tables (fast-check)', () => {
    it('AN1: every series equals count(*) over customers and activities, after deletions, merges, imports and a rebuild', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            anchor: fc.constantFrom(...ANCHORS),
            zone: fc.constantFrom(...ZONES),
            interval: fc.constantFrom('day', 'week', 'month'),
            customers: fc.array(fc.record({ wa: fc.boolean(), source: fc.constantFrom('organic', 'ads', 'broadcast', 'admin') }), {
              minLength: 2,
              maxLength: 6,
            }),
            // Minutes from the anchor's UTC midnight: two days either side, on and off the quarter hours.
            activities: fc.array(
              fc.record({
                who: fc.nat(),
                type: fc.constantFrom(...TYPES),
                minute: fc.integer({ min: -2880, max: 2880 }),
                ms: fc.constantFrom(0, 1, 59_999),
              }),
              {
                maxLength: 25,
              },
            ),
            deletions: fc.array(fc.nat(), { maxLength: 2 }),
            merge: fc.boolean(),
            subset: fc.subarray(TYPES, { minLength: 1, maxLength: 2 }),
            // Active customers by day from the zone's day counts (tracked before the writes) or from the presence rows.
            track: fc.boolean(),
          }),
          async (p) => {
            const appId = newAppId();
            const f = factories(t, appId);
            const [line, wa] = [await f.channel('line'), await f.channel('wa')];
            if (p.track) await trackZone(appId, p.zone);
            const made = await f.events(
              p.customers.map((c, i) => {
                const onWa = c.wa || c.source === 'ads' || c.source === 'broadcast';
                return {
                  type: 'ticket.created',
                  occurredAt: new Date(Date.parse(`${p.anchor}T00:00:00Z`) + i * 60_000).toISOString(),
                  channelId: onWa ? wa : line,
                  identifier: randomIdentifier(onWa ? 'wa' : 'line'),
                  customer: { source: c.source === 'admin' ? 'organic' : c.source },
                };
              }),
            );
            expect(made.accepted).toBe(p.customers.length);
            const admins = await f.customers(line, 1);
            const ids = (await baseCustomers(appId)).map((c) => c.id).sort();
            await f.events(
              p.activities.map((a) => ({
                type: a.type,
                occurredAt: new Date(Date.parse(`${p.anchor}T00:00:00Z`) + a.minute * 60_000 + a.ms).toISOString(),
                customerId: ids[a.who % ids.length],
              })),
            );
            if (p.merge && ids.length >= 2) await f.merge(admins[0].id, [ids.find((id) => id !== admins[0].id)!]).catch(() => undefined);
            for (const d of p.deletions) {
              const left = (await baseCustomers(appId)).map((c) => c.id).sort();
              if (left.length > 1)
                expect(
                  (
                    await t
                      .http()
                      .delete(`/v1/customers/${left[d % left.length]}`)
                      .set(t.auth(appId))
                  ).status,
                ).toBe(204);
            }
            await settle();
            const today = localDay(new Date(), p.zone);
            const around = { from: addDays(p.anchor, -3), to: addDays(p.anchor, 3), interval: p.interval, timezone: p.zone };
            await checkAgainstBase(appId, around);
            await checkAgainstBase(appId, around, p.subset);
            await checkAgainstBase(appId, { from: addDays(today, -2), to: today, interval: p.interval, timezone: p.zone });
            // Customers created at other times than now (a bulk load), then the rebuild: the same answers.
            await db().run(sql`
              update customers set created_at = ${`${p.anchor}T00:00:00Z`}::timestamptz + (random() * 4 - 2) * interval '1 day'
              where app_id = ${appId}`);
            await t.app.get(AnalyticsRebuild).rebuild(appId);
            await checkAgainstBase(appId, around);
            await checkAgainstBase(appId, around, p.subset);
          },
        ),
        { numRuns: 6 },
      );
    }, 240_000);

    it('AN1: active customers by day in a zone asked for come from its day counts once back-filled, exact through new activities and deletions', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [a, b, c] = await f.customers(await f.channel(), 3);
      const at = (iso: string, customerId: string) => ({ type: 'ticket.created', occurredAt: iso, customerId });
      await f.events([at('2026-11-02T18:29:00Z', a.id), at('2026-11-02T18:31:00Z', a.id), at('2026-11-03T02:00:00Z', b.id)]);
      await settle();
      const q = { from: '2026-11-02', to: '2026-11-04', timezone: 'Asia/Kolkata' };
      const active = async () => (await get(appId, 'activities', q)).body.activeCustomers.map((p: Point) => p.count);
      expect(await active()).toEqual([1, 2, 0]); // from the presence rows while the zone is back-filled
      await trackZone(appId, 'Asia/Kolkata');
      const counted = await db().query<{ day: string; n: number }>(sql`
        select day::text as day, n from analytics_active_day_counts where app_id = ${appId} and zone = 'Asia/Kolkata' and day between '2026-11-02' and '2026-11-04' order by day`);
      expect(counted.map((r) => [r.day, Number(r.n)])).toEqual([
        ['2026-11-02', 1],
        ['2026-11-03', 2],
      ]);
      expect(await active()).toEqual([1, 2, 0]);
      await f.events([at('2026-11-03T20:00:00Z', c.id), at('2026-11-03T21:00:00Z', c.id), at('2026-11-02T10:00:00Z', b.id)]);
      await settle();
      expect(await active()).toEqual([2, 2, 1]);
      expect((await t.http().delete(`/v1/customers/${b.id}`).set(t.auth(appId))).status).toBe(204);
      expect(await active()).toEqual([1, 1, 1]);
      await checkAgainstBase(appId, { ...q, interval: 'day' });
      await t.app.get(AnalyticsRebuild).rebuild(appId);
      expect(await active()).toEqual([1, 1, 1]);
    });

    it('AN1: active customers of chosen types by day come from the per-type day counts once back-filled, exact through new activities and deletions', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [a, b, c] = await f.customers(await f.channel(), 3);
      const at = (type: string, iso: string, customerId: string) => ({ type, occurredAt: iso, customerId });
      await f.events([
        at('purchase.completed', '2026-11-02T18:29:00Z', a.id),
        at('purchase.completed', '2026-11-02T18:31:00Z', a.id),
        at('ticket.created', '2026-11-03T02:00:00Z', b.id),
        at('purchase.completed', '2026-11-03T03:00:00Z', c.id),
      ]);
      await settle();
      const q = { from: '2026-11-02', to: '2026-11-04', timezone: 'Asia/Kolkata' };
      const active = async (types: string) =>
        (await get(appId, 'activities', { ...q, types })).body.activeCustomers.map((p: Point) => p.count);
      expect(await active('purchase.completed')).toEqual([1, 2, 0]); // from the presence rows while the zone is back-filled
      await trackZone(appId, 'Asia/Kolkata');
      const counted = async () =>
        (
          await db().query<{ type: string; day: string; n: number }>(sql`
            select type, day::text as day, n from analytics_active_type_day_counts
            where app_id = ${appId} and zone = 'Asia/Kolkata' and n <> 0 order by type, day`)
        ).map((r) => [r.type, r.day, Number(r.n)]);
      expect(await counted()).toEqual([
        ['customer.created', expect.any(String), 3],
        ['purchase.completed', '2026-11-02', 1],
        ['purchase.completed', '2026-11-03', 2],
        ['ticket.created', '2026-11-03', 1],
      ]);
      expect(await active('purchase.completed')).toEqual([1, 2, 0]);
      expect(await active('purchase.completed,ticket.created')).toEqual([1, 3, 0]);
      // b buys on the 3rd (a purchase and a ticket the same day: counted once), c again the same day (no change).
      await f.events([
        at('purchase.completed', '2026-11-03T05:00:00Z', b.id),
        at('purchase.completed', '2026-11-03T06:00:00Z', c.id),
        at('ticket.created', '2026-11-04T06:00:00Z', a.id),
      ]);
      await settle();
      expect(await active('purchase.completed')).toEqual([1, 3, 0]);
      expect(await active('purchase.completed,ticket.created')).toEqual([1, 3, 1]);
      expect(await active('ticket.created')).toEqual([0, 1, 1]);
      expect((await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(204);
      expect(await active('purchase.completed')).toEqual([1, 2, 0]);
      await checkAgainstBase(appId, { ...q, interval: 'day' }, ['purchase.completed']);
      await checkAgainstBase(appId, { ...q, interval: 'day' }, ['purchase.completed', 'ticket.created']);
      await t.app.get(AnalyticsRebuild).rebuild(appId);
      expect(await active('purchase.completed')).toEqual([1, 2, 0]);
      expect(await active('purchase.completed,ticket.created')).toEqual([1, 2, 1]);
    });

    it('AN1: customers from an import are counted once, and the deletion of one takes away exactly its share', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel('line');
      const csv = [
        'name,identifier,email,phone_number,channel_id,source,channel_name',
        ...[1, 2, 3].map((i) => `C${i},${randomIdentifier('line')},,,${line},line,`),
      ].join('\n');
      const up = await t.http().post('/v1/customers/imports').set(t.auth(appId)).attach('file', Buffer.from(csv), 'c.csv');
      expect(up.status).toBe(202);
      const today = localDay(new Date(), 'UTC');
      const count = async () => (await get(appId, 'customers', { from: today, to: today, timezone: 'UTC' })).body.total;
      const deadline = Date.now() + 30_000;
      while ((await t.http().get(`/v1/customers/imports/${up.body.id}`).set(t.auth(appId))).body.status !== 'completed') {
        if (Date.now() > deadline) throw new Error('import did not complete');
        await new Promise((r) => setTimeout(r, 50));
      }
      await settle();
      expect(await count()).toBe(3);
      // A replayed round (or a rebuild in between) does not count a customer twice.
      await t.app.get(AnalyticsRebuild).rebuild(appId);
      await settle();
      expect(await count()).toBe(3);
      const [first] = await baseCustomers(appId);
      expect((await t.http().delete(`/v1/customers/${first.id}`).set(t.auth(appId))).status).toBe(204);
      expect(await count()).toBe(2);
      await checkAgainstBase(appId, { from: today, to: today, interval: 'day', timezone: 'UTC' });
    });
  });
});

describe('Analytics counted from the outbox (AN1, X12)', () => {
  const day = '2026-11-02';
  const q = { from: day, to: day, interval: 'day', timezone: 'UTC' };
  const at = (type: string, minute: number, customerId: string) => ({
    type,
    occurredAt: new Date(Date.parse(`${day}T08:00:00Z`) + minute * 60_000).toISOString(),
    customerId,
  });
  async function figures(app: TestApp, appId: string) {
    const r = await app.http().get('/v1/analytics/activities').query(q).set(app.auth(appId, 'agent'));
    expect(r.status).toBe(200);
    const byType = Object.fromEntries((r.body.series as Series[]).filter((s) => s.points[0].count).map((s) => [s.key, s.points[0].count]));
    return { byType, active: (r.body.activeCustomers as Point[])[0].count };
  }
  const pending = async (app: TestApp, appId: string) =>
    Number(
      (
        await app.app.get(Db).one<{ n: string }>(sql`
          select count(*) as n from outbox where app_id = ${appId} and type = 'analytics.activities_stored' and handled_at is null`)
      )?.n,
    );

  it('AN1: activities a process stored before it died are counted once: by a rebuild in between (their events then skipped), or by the next process', async () => {
    const first = await createTestApp({ outbox: { relay: false } });
    let second: TestApp | undefined;
    try {
      const appId = newAppId();
      const f = factories(first, appId);
      const [a, b] = await f.customers(await f.channel(), 2);
      await f.events([at('purchase.completed', 0, a.id), at('purchase.completed', 20, a.id), at('ticket.created', 5, b.id)]);
      // Stored, not yet counted: the event waits in the outbox.
      expect(await figures(first, appId)).toEqual({ byType: {}, active: 0 });
      expect(await pending(first, appId)).toBe(1);
      await first.app.get(AnalyticsRebuild).rebuild(appId);
      expect(await figures(first, appId)).toEqual({ byType: { 'purchase.completed': 2, 'ticket.created': 1 }, active: 2 });
      expect(await pending(first, appId)).toBe(0);
      await f.events([at('purchase.completed', 40, b.id)]);
      expect(await pending(first, appId)).toBe(1);
      await first.stop();

      second = await createTestApp({ database: first });
      await second.app.get(OutboxRelay).settle();
      expect(await pending(second, appId)).toBe(0);
      expect(await figures(second, appId)).toEqual({ byType: { 'purchase.completed': 3, 'ticket.created': 1 }, active: 2 });
      // Another app sees none of it.
      expect(await figures(second, newAppId())).toEqual({ byType: {}, active: 0 });
    } finally {
      await second?.close();
      await first.close();
    }
  });

  if (onRealServices)
    it('AN1: rebuilds while batches are ingested and the relay runs count every activity exactly once (real PostgreSQL)', async () => {
      const t = await createTestApp();
      try {
        const appId = newAppId();
        const f = factories(t, appId);
        const people = await f.customers(await f.channel(), 8);
        let stop = false;
        let sent = 0;
        const writer = async (w: number) => {
          for (let i = 0; !stop; i++) {
            const batch = Array.from({ length: 20 }, (_, k) =>
              at(k % 3 ? 'purchase.completed' : 'ticket.created', (i * 20 + k) % 600, people[(w + k) % 8].id),
            );
            expect((await f.events(batch)).accepted).toBe(batch.length);
            sent += batch.length;
          }
        };
        const writers = [0, 1, 2, 3].map(writer);
        const rebuild = t.app.get(AnalyticsRebuild);
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 100));
          await rebuild.rebuild(appId);
        }
        stop = true;
        await Promise.all(writers);
        await t.app.get(OutboxRelay).settle();
        const base = await t.app.get(Db).query<{ type: string; n: string }>(sql`
          select type, count(*) as n from activities where app_id = ${appId} and occurred_at >= ${`${day}T00:00:00Z`}::timestamptz and occurred_at < ${`${day}T00:00:00Z`}::timestamptz + interval '1 day'
          group by type`);
        expect(base.reduce((n, r) => n + Number(r.n), 0)).toBe(sent);
        expect(await figures(t, appId)).toEqual({ byType: Object.fromEntries(base.map((r) => [r.type, Number(r.n)])), active: 8 });
      } finally {
        await t.close();
      }
    }, 60_000);
});
