import { Db, EMBEDDED_PART_SIZE, sql } from '@cdp/platform';
import { factories } from './support/factories';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

/**
 * Issue 11 item 6: on the embedded database an event batch is stored in parts of 100 events, one short
 * transaction each, so that a request arriving meanwhile (a health check, a list) waits for one part, not
 * for the whole batch; on PostgreSQL the batch stays one transaction. The latency under load is measured by
 * the benchmark (`healthDuringIngest`, `listDuringIngest`); here: the order of work, and that a batch cut
 * into parts answers exactly as one would (A2, X5).
 */
describe('Event batches in parts on the embedded database (issue 11 item 6; A2, X5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it(`a statement that arrives during a bulk write runs between two parts on the embedded database; on PostgreSQL the write is one transaction`, async () => {
    const db = t.app.get(Db);
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    const items = Array.from({ length: 2 * EMBEDDED_PART_SIZE + 50 }, (_, i) => i);
    const bulk = db.inParts(items, async (tx, part) => {
      order.push(`part of ${part.length} from ${part[0]}`);
      await tx.query(sql`select 1`);
      if (part[0] === 0) {
        started();
        await gate;
      }
      return part.length;
    });
    await firstStarted;
    const other = db.query(sql`select 2 as n`).then(() => order.push('other request'));
    // Gives the other statement every chance to run before the first part ends, were it not held behind it.
    await new Promise((r) => setTimeout(r, 50));
    open();
    const [sizes] = await Promise.all([bulk, other]);
    if (onRealServices) {
      // Another connection: the other request does not wait for the bulk write, which is one transaction.
      expect(sizes).toEqual([250]);
      expect(order).toEqual(['part of 250 from 0', 'other request']);
    } else {
      expect(sizes).toEqual([100, 100, 50]);
      expect(order).toEqual(['part of 100 from 0', 'other request', 'part of 100 from 100', 'part of 50 from 200']);
    }
  });

  it('A2/X5: a batch of 350 events answers as one would: one customer created for its identifier, a repeated key counted once', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const { id } = await f.customer(wa);
    const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    const events = Array.from({ length: 350 }, (_, i) =>
      // Events 0, 150 and 300 (in three parts on the embedded database) name a customer that does not exist yet.
      i % 150 === 0
        ? { type: 'purchase.completed', occurredAt: at(i), channelId: wa, identifier: '6281299990000', data: { i } }
        : { type: 'purchase.completed', occurredAt: at(i), customerId: id, data: { i }, idempotencyKey: `k-${i % 340}` },
    );
    const r = await t.http().post('/v1/events').set(t.auth(appId)).send({ events });
    expect(r.status).toBe(200);
    // Events 340–349 repeat the keys of events 0–9 (0 has none: it names the new customer).
    expect(r.body).toEqual({ accepted: 341, duplicates: 9, rejected: [] });
    const named = await t
      .http()
      .post('/v1/customers/search')
      .set(t.auth(appId))
      .send({ filter: { search: '6281299990000' } });
    expect(named.body.data).toHaveLength(1);
    const timeline = await t.http().get(`/v1/customers/${named.body.data[0].id}/activities?limit=10`).set(t.auth(appId));
    expect(timeline.body.data.map((a: { type: string }) => a.type).sort()).toEqual([
      'customer.created',
      'purchase.completed',
      'purchase.completed',
      'purchase.completed',
    ]);
    const again = await t.http().post('/v1/events').set(t.auth(appId)).send({ events });
    expect(again.body).toEqual({ accepted: 3, duplicates: 347, rejected: [] });
  });
});
