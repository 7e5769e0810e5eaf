import { Injectable, Module } from '@nestjs/common';
import { CustomerCreatedEvent, CustomerUpdatedEvent } from '@cdp/customers';
import { Db, DomainEventHandler, sql, type DomainEventHandlerContract, type Tx } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

// A handler that counts what it is handed, by event id, and writes each event's id in the relay's
// transaction; for the apps in `failing`, it writes and then fails that many times.
const seen = new Map<string, number>();
const failing = new Map<string, number>();
@Injectable()
@DomainEventHandler({ events: [CustomerCreatedEvent, CustomerUpdatedEvent] })
class CountingHandler implements DomainEventHandlerContract<CustomerCreatedEvent | CustomerUpdatedEvent> {
  async handle(events: (CustomerCreatedEvent | CustomerUpdatedEvent)[], { tx }: { tx: Tx }) {
    for (const e of events) {
      seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
      await tx.run(sql`insert into test_outbox_effects (event_id, app_id) values (${e.eventId}::uuid, ${e.appId})`);
      const left = failing.get(e.appId) ?? 0;
      if (left > 0) {
        failing.set(e.appId, left - 1);
        throw new Error('the handler fails');
      }
    }
  }
}
@Module({ providers: [CountingHandler] })
class CountingModule {}

async function effects(t: TestApp, appId: string): Promise<string[]> {
  const rows = await t.app.get(Db).query<{ event_id: string }>(sql`select event_id from test_outbox_effects where app_id = ${appId}`);
  return rows.map((r) => r.event_id);
}

/**
 * The app's events in recording order; without `all`, leaving out the analytics lib's own event (recorded by the
 * relay's round that writes a `customer.created` activity, so its place among the others depends on timing).
 */
async function outboxOf(t: TestApp, appId: string, all = false) {
  return t.app.get(Db).query<{ id: string; type: string; handled: boolean; attempts: number }>(
    sql`select id, type, handled_at is not null as handled, attempts from outbox
        where app_id = ${appId} and (${all}::boolean or type <> 'analytics.activities_stored') order by seq`,
  );
}

const createEffectsTable = (t: TestApp) =>
  t.app.get(Db).run(sql`create table if not exists test_outbox_effects (event_id uuid not null, app_id text not null)`);

describe('The transactional outbox (DESIGN.md "Domain events and the transactional outbox")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [CountingModule] });
    await createEffectsTable(t);
  });
  afterAll(() => t.close());

  it('a change and its events commit together; the handler gets each event once, with its writes, after the commit', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const c = await f.customer(await f.channel('line'));
    await t.http().patch(`/v1/customers/${c.id}`).set(t.auth(appId)).send({ name: 'Renamed' });
    const events = await eventually(async () => {
      const rows = await outboxOf(t, appId);
      expect(rows.map((r) => [r.type, r.handled])).toEqual([
        ['customer.created', true],
        ['customer.updated', true],
      ]);
      return rows;
    });
    expect((await effects(t, appId)).sort()).toEqual(events.map((e) => e.id).sort());
    for (const e of events) expect(seen.get(e.id)).toBe(1);
    // Writing that activity recorded the analytics lib's event, handed on in a later round.
    await eventually(async () =>
      expect((await outboxOf(t, appId, true)).filter((r) => r.type === 'analytics.activities_stored').map((r) => r.handled)).toEqual([
        true,
      ]),
    );
    // The customer.created activity was written by the activities lib's handler, once.
    const timeline = await t.http().get(`/v1/customers/${c.id}/activities`).set(t.auth(appId));
    expect(timeline.body.data.map((a: { type: string }) => a.type)).toEqual(['customer.created']);
  });

  it('a transaction that rolls back records nothing and hands nothing on', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const ch = await f.channel('line');
    const r = await t.http().post('/v1/customers').set(t.auth(appId)).send({ channelId: ch, identifier: 'U123', name: 'Bad identifier' });
    expect(r.status).toBe(422);
    await expect(
      t.app.get(Db).transaction(async (tx) => {
        tx.record(new CustomerUpdatedEvent(appId, '0190a000-0000-7000-8000-000000000001', ['name']));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await new Promise((res) => setTimeout(res, 100));
    expect(await outboxOf(t, appId)).toEqual([]);
    expect(await effects(t, appId)).toEqual([]);
  });

  it('a handler that fails is retried: what it wrote in a failed attempt is rolled back, so the effect counts once', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    // Its round fails, then the event alone fails (one failed attempt counted), then it is retried after a pause.
    failing.set(appId, 2);
    const c = await f.customer(await f.channel('line'));
    const [event] = await eventually(async () => {
      const rows = await outboxOf(t, appId);
      expect(rows.map((x) => [x.type, x.handled, x.attempts])).toEqual([['customer.created', true, 1]]);
      return rows;
    }, 10_000);
    expect(seen.get(event.id)).toBe(3);
    expect(await effects(t, appId)).toEqual([event.id]);
    const timeline = await t.http().get(`/v1/customers/${c.id}/activities`).set(t.auth(appId));
    expect(timeline.body.data.map((a: { type: string }) => a.type)).toEqual(['customer.created']);
  });
});

describe('The outbox backlog in /health', () => {
  it('X12: /health counts the events committed and not yet handed on, and how long the oldest has waited; zero once the next process hands them on', async () => {
    const dying = await createTestApp({ outbox: { relay: false } });
    let next: TestApp | undefined;
    try {
      const appId = newAppId();
      const f = factories(dying, appId);
      const line = await f.channel('line');
      await f.customer(line);
      await f.customer(line);
      await new Promise((r) => setTimeout(r, 1100));
      const before = await dying.http().get('/health');
      expect(before.status).toBe(200);
      expect(before.body.details.outbox).toEqual({ status: 'up', pending: 2, oldestPendingSeconds: expect.any(Number) });
      expect(before.body.details.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(1);
      await dying.stop();
      next = await createTestApp({ database: dying });
      await eventually(async () => {
        const after = await next!.http().get('/health');
        expect(after.body.details.outbox).toEqual({ status: 'up', pending: 0, oldestPendingSeconds: 0 });
      }, 10_000);
    } finally {
      await next?.close();
      await dying.close();
    }
  });
});

// Two processes on one database are real only with a server: the first commits and dies before its relay
// hands the events on; the second starts and hands them on.
if (onRealServices)
  describe('The outbox across a crash (real PostgreSQL)', () => {
    it('X12: the process dies between the commit and the handing on; after the restart the event is handled, exactly once (real PostgreSQL)', async () => {
      const dying = await createTestApp({ outbox: { relay: false } });
      const appId = newAppId();
      let customerId: string;
      let next: TestApp | undefined;
      try {
        await createEffectsTable(dying);
        const f = factories(dying, appId);
        customerId = (await f.customer(await f.channel('line'))).id;
        const pending = await outboxOf(dying, appId);
        expect(pending.map((r) => [r.type, r.handled])).toEqual([['customer.created', false]]);
        // Nothing handed on: no customer.created activity yet.
        const before = await dying.http().get(`/v1/customers/${customerId}/activities`).set(dying.auth(appId));
        expect(before.body.data).toEqual([]);
        await dying.stop(); // the process is gone; its events are in the database only

        next = await createTestApp({ imports: [CountingModule], database: dying });
        const [event] = await eventually(async () => {
          const rows = await outboxOf(next!, appId);
          expect(rows.map((r) => [r.type, r.handled])).toEqual([['customer.created', true]]);
          return rows;
        });
        expect(seen.get(event.id)).toBe(1);
        expect(await effects(next, appId)).toEqual([event.id]);
        const after = await next.http().get(`/v1/customers/${customerId}/activities`).set(next.auth(appId));
        expect(after.body.data.map((a: { type: string }) => a.type)).toEqual(['customer.created']);
        // A second restart hands nothing on again.
        await next.close();
        next = await createTestApp({ imports: [CountingModule], database: dying });
        await new Promise((res) => setTimeout(res, 300));
        expect(seen.get(event.id)).toBe(1);
        expect(await effects(next, appId)).toEqual([event.id]);
      } finally {
        await next?.close();
        await dying.close();
      }
    });
  });
