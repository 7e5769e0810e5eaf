import { Injectable, Module } from '@nestjs/common';
import { CustomersMergedEvent, CustomerUnmergedEvent, MainChannelChangedEvent } from '@cdp/merge';
import { DomainEventHandler, type DomainEventHandlerContract } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

type MergeEvent = CustomersMergedEvent | CustomerUnmergedEvent | MainChannelChangedEvent;
const received: MergeEvent[] = [];
@Injectable()
@DomainEventHandler({ events: [CustomersMergedEvent, CustomerUnmergedEvent, MainChannelChangedEvent] })
class MergeEventsListener implements DomainEventHandlerContract<MergeEvent> {
  async handle(events: MergeEvent[]) {
    received.push(...events);
  }
}
@Module({ providers: [MergeEventsListener] })
class ListenerModule {}

describe('Merge (API.md "Merge")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ListenerModule] });
  });
  afterAll(() => t.close());

  const merge = (appId: string, id: string, customerIds: string[], dryRun?: boolean, role: 'admin' | 'agent' | 'supervisor' = 'admin') =>
    t
      .http()
      .post(`/v1/customers/${id}/merge${dryRun === undefined ? '' : `?dryRun=${dryRun}`}`)
      .set(t.auth(appId, role))
      .send({ customerIds });
  const linked = (appId: string, id: string) => t.http().get(`/v1/customers/${id}/linked`).set(t.auth(appId));

  describe('merge', () => {
    it('M1, M6: two customers of different channels become one linked set; both show linked, none main yet', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [line, wa] = [await f.channel(), await f.channel('wa')];
      const a = await f.customer(line);
      const b = await f.customer(wa, { identifier: '6281234567890' });
      const r = await merge(appId, a.id, [b.id], undefined, 'agent');
      expect(r.status).toBe(200);
      expect(r.body.profileId).toEqual(expect.any(String));
      expect(r.body.mainCustomerId).toBeNull();
      expect(r.body.customers.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
      for (const c of r.body.customers) expect(c).toMatchObject({ linked: true, mainChannel: false, profileId: r.body.profileId });

      const detail = await t.http().get(`/v1/customers/${a.id}`).set(t.auth(appId));
      expect(detail.body).toMatchObject({ linked: true, profileId: r.body.profileId });
      expect(detail.body.linkedCustomers.map((c: { id: string }) => c.id)).toEqual([b.id]);
      const list = await t.http().get('/v1/customers?linked=true').set(t.auth(appId));
      expect(list.body.data.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
      const set = await linked(appId, b.id);
      expect(set.status).toBe(200);
      expect(set.body.profileId).toBe(r.body.profileId);
    });

    it('M2: customers merged into a linked customer join its set', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c, d] = await f.customers(line, 4);
      const first = await merge(appId, a.id, [b.id]);
      const r = await merge(appId, b.id, [c.id, d.id]);
      expect(r.status).toBe(200);
      expect(r.body.profileId).toBe(first.body.profileId);
      expect(r.body.customers).toHaveLength(4);
    });

    it('M2: an already linked customer cannot be merged (409 customer_already_linked), nothing changes', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c, d] = await f.customers(line, 4);
      await merge(appId, a.id, [b.id]);
      const other = await merge(appId, c.id, [a.id, d.id]);
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('customer_already_linked');
      const sameSet = await merge(appId, a.id, [b.id]);
      expect(sameSet.status).toBe(409);
      expect((await linked(appId, c.id)).body.profileId).toBeNull();
      expect((await linked(appId, d.id)).body.profileId).toBeNull();
    });

    it('M2: merging a customer into itself is refused; unknown ids and ids of another app are 404', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const other = newAppId();
      const line = await f.channel();
      const [a, b] = await f.customers(line, 2);
      const fo = factories(t, other);
      const foreign = await fo.customer(await fo.channel());
      expect((await merge(appId, a.id, [a.id])).status).toBe(422);
      const unknown = await merge(appId, a.id, [b.id, '0190a0a0-0000-7000-8000-000000000000']);
      expect(unknown.status).toBe(404);
      expect((await merge(appId, a.id, [foreign.id])).status).toBe(404);
      expect((await merge(appId, foreign.id, [b.id])).status).toBe(404);
      expect((await merge(appId, 'not-a-uuid', [b.id])).status).toBe(404);
      expect((await merge(appId, a.id, ['not-a-uuid'])).body.code).toBe('validation_failed');
      expect((await linked(appId, b.id)).body.profileId).toBeNull();
    });

    it('M3: a linked set holds at most 10 customers (422 merge_limit_exceeded), nothing changes', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const all = await f.customers(line, 12);
      const [target, ...rest] = all;
      const tooMany = await merge(
        appId,
        target.id,
        rest.slice(0, 10).map((c) => c.id),
      );
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.code).toBe('merge_limit_exceeded');
      expect((await linked(appId, target.id)).body.profileId).toBeNull();
      const nine = await merge(
        appId,
        target.id,
        rest.slice(0, 9).map((c) => c.id),
      );
      expect(nine.body.customers).toHaveLength(10);
      const eleventh = await merge(appId, target.id, [rest[9].id]);
      expect(eleventh.status).toBe(422);
      expect(eleventh.body.code).toBe('merge_limit_exceeded');
    });
  });

  describe('preview and combined profile', () => {
    it('X2: dryRun answers the would-be set and profile and changes nothing', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b] = await f.customers(line, 2);
      const preview = await merge(appId, a.id, [b.id], true);
      expect(preview.status).toBe(200);
      expect(preview.body.profileId).toBeNull();
      expect(preview.body.customers.map((c: { id: string; linked: boolean }) => [c.id, c.linked]).sort()).toEqual(
        [
          [a.id, true],
          [b.id, true],
        ].sort(),
      );
      expect((await linked(appId, a.id)).body).toMatchObject({ profileId: null, customers: [{ id: a.id, linked: false }] });
      expect((await merge(appId, a.id, [a.id], true)).status).toBe(422);

      // Into an existing set: the preview names that set and still changes nothing.
      const [c] = await f.customers(line, 1);
      const real = await merge(appId, a.id, [b.id], false);
      const more = await merge(appId, b.id, [c.id], true);
      expect(more.body.profileId).toBe(real.body.profileId);
      expect(more.body.customers).toHaveLength(3);
      expect((await linked(appId, c.id)).body.profileId).toBeNull();
    });

    it('X3: tags are united; properties combined with the main channel winning, then the most recently updated', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      for (const key of ['city', 'tier', 'note']) await f.property(key, 'text');
      const a = await f.customer(line, { tags: ['vip', 'jakarta'] });
      const b = await f.customer(line, { tags: ['vip', 'new'] });
      const c = await f.customer(line, { tags: ['x'] });
      await t.http().put(`/v1/customers/${a.id}/properties`).set(t.auth(appId)).send({ city: 'Bandung', note: 'from a' });
      await t.http().put(`/v1/customers/${c.id}/properties`).set(t.auth(appId)).send({ city: 'Medan', tier: 'silver' });
      await new Promise((r) => setTimeout(r, 5));
      await t.http().put(`/v1/customers/${b.id}/properties`).set(t.auth(appId)).send({ city: 'Surabaya', tier: 'gold' });
      const set = await merge(appId, a.id, [b.id, c.id]);
      expect(set.body.profile.tags.sort()).toEqual(['jakarta', 'new', 'vip', 'x']);
      expect(set.body.profile.properties).toEqual({
        city: { value: 'Surabaya', customerId: b.id },
        tier: { value: 'gold', customerId: b.id },
        note: { value: 'from a', customerId: a.id },
      });
      const main = await t.http().post(`/v1/customers/${c.id}/main-channel`).set(t.auth(appId));
      expect(main.body.profile.properties).toEqual({
        city: { value: 'Medan', customerId: c.id },
        tier: { value: 'silver', customerId: c.id },
        note: { value: 'from a', customerId: a.id },
      });
    });
  });

  describe('unmerge and main channel', () => {
    it('M4: a customer leaving a set of three leaves the other two linked', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c] = await f.customers(line, 3);
      const set = await merge(appId, a.id, [b.id, c.id]);
      const r = await t.http().post(`/v1/customers/${c.id}/unmerge`).set(t.auth(appId, 'agent'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: c.id, linked: false, mainChannel: false, profileId: null });
      const rest = await linked(appId, a.id);
      expect(rest.body.profileId).toBe(set.body.profileId);
      expect(rest.body.customers.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect((await linked(appId, c.id)).body).toMatchObject({ profileId: null, customers: [{ id: c.id }] });
    });

    it('M4: a set left with one customer ends; when the main channel leaves, the set has no main', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c] = await f.customers(line, 3);
      await merge(appId, a.id, [b.id, c.id]);
      await t.http().post(`/v1/customers/${a.id}/main-channel`).set(t.auth(appId));
      await t.http().post(`/v1/customers/${a.id}/unmerge`).set(t.auth(appId));
      const left = await linked(appId, b.id);
      expect(left.body.mainCustomerId).toBeNull();
      expect(left.body.customers.every((x: { mainChannel: boolean }) => !x.mainChannel)).toBe(true);
      await t.http().post(`/v1/customers/${b.id}/unmerge`).set(t.auth(appId));
      const alone = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId));
      expect(alone.body).toMatchObject({ linked: false, profileId: null, linkedCustomers: [] });
      const again = await t.http().post(`/v1/customers/${c.id}/unmerge`).set(t.auth(appId));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('customer_not_linked');
    });

    it('M5: the main channel is one customer per set, chosen by the user; unlinked customers have none', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c] = await f.customers(line, 3);
      await merge(appId, a.id, [b.id]);
      const first = await t.http().post(`/v1/customers/${a.id}/main-channel`).set(t.auth(appId, 'supervisor'));
      expect(first.status).toBe(200);
      expect(first.body.mainCustomerId).toBe(a.id);
      const second = await t.http().post(`/v1/customers/${b.id}/main-channel`).set(t.auth(appId));
      expect(second.body.mainCustomerId).toBe(b.id);
      expect(second.body.customers.filter((x: { mainChannel: boolean }) => x.mainChannel).map((x: { id: string }) => x.id)).toEqual([b.id]);
      const list = await t.http().get('/v1/customers?linked=true').set(t.auth(appId));
      expect(list.body.data.find((x: { id: string }) => x.id === b.id)).toMatchObject({ linked: true, mainChannel: true });
      expect(list.body.data.find((x: { id: string }) => x.id === a.id)).toMatchObject({ linked: true, mainChannel: false });
      const unlinked = await t.http().post(`/v1/customers/${c.id}/main-channel`).set(t.auth(appId));
      expect(unlinked.status).toBe(409);
      expect(unlinked.body.code).toBe('customer_not_linked');
    });

    it('X1: merge, main-channel change and unmerge are audited with who and when; the channel customers stay as they were', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b] = await f.customers(line, 2);
      const before = await t.http().get(`/v1/customers/${b.id}`).set(t.auth(appId));
      const headers = { Authorization: `Bearer ${t.token(appId, 'agent', { sub: 'agent-7', email: 'agent7@example.com' })}` };
      const set = await t
        .http()
        .post(`/v1/customers/${a.id}/merge`)
        .set(headers)
        .send({ customerIds: [b.id] });
      await t.http().post(`/v1/customers/${b.id}/main-channel`).set(headers);
      const after = await t.http().get(`/v1/customers/${b.id}`).set(t.auth(appId));
      const keep = ['name', 'identifier', 'email', 'phoneNumber', 'channel', 'source', 'tags', 'properties', 'createdAt', 'updatedAt'];
      for (const k of keep) expect(after.body[k]).toEqual(before.body[k]);
      await t.http().post(`/v1/customers/${a.id}/unmerge`).set(headers);
      const unlinkedB = await t.http().get(`/v1/customers/${b.id}`).set(t.auth(appId));
      for (const k of keep) expect(unlinkedB.body[k]).toEqual(before.body[k]);

      const log = await t.http().get('/v1/audit-log').set(t.auth(appId));
      expect(log.status).toBe(200);
      const entries = log.body.data as { action: string; actor: { userId: string }; at: string; details: Record<string, unknown> }[];
      const actions = entries.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['customer.merged', 'customer.main_channel_changed', 'customer.unmerged']));
      const merged = entries.find((e) => e.action === 'customer.merged')!;
      expect(merged.actor.userId).toBe('agent-7');
      expect(Date.parse(merged.at)).not.toBeNaN();
      expect(merged.details).toMatchObject({ profileId: set.body.profileId, targetId: a.id, customerIds: [b.id] });
      expect(entries.find((e) => e.action === 'customer.unmerged')!.details).toMatchObject({
        customerId: a.id,
        endedSet: true,
        alsoUnlinked: [b.id],
      });
    });

    it('M1, M4, M5: merges, unmerges and main-channel changes are published as domain events', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b] = await f.customers(line, 2);
      const set = await merge(appId, a.id, [b.id]);
      await t.http().post(`/v1/customers/${b.id}/main-channel`).set(t.auth(appId));
      await t.http().post(`/v1/customers/${a.id}/unmerge`).set(t.auth(appId));
      const mine = await eventually(() => {
        const got = received.filter((e) => e.appId === appId);
        expect(got).toHaveLength(3);
        return got;
      });
      expect(mine[0]).toBeInstanceOf(CustomersMergedEvent);
      expect(mine[0]).toMatchObject({ profileId: set.body.profileId, targetId: a.id, customerIds: [b.id], createdSet: true });
      expect(mine[1]).toMatchObject({ customerId: b.id, previousMainId: null });
      expect(mine[2]).toMatchObject({ customerId: a.id, endedSet: true, alsoUnlinked: [b.id] });
    });
  });

  describe('deleting a linked customer', () => {
    it('M4: deleting a member of a set of two ends the set; of three keeps it', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const line = await f.channel();
      const [a, b, c, d, e] = await f.customers(line, 5);
      await merge(appId, a.id, [b.id]);
      expect((await t.http().delete(`/v1/customers/${a.id}`).set(t.auth(appId))).status).toBe(204);
      expect((await t.http().get(`/v1/customers/${b.id}`).set(t.auth(appId))).body).toMatchObject({ linked: false, profileId: null });
      const set = await merge(appId, c.id, [d.id, e.id]);
      expect((await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(204);
      const rest = await linked(appId, d.id);
      expect(rest.body.profileId).toBe(set.body.profileId);
      expect(rest.body.customers.map((x: { id: string }) => x.id).sort()).toEqual([d.id, e.id].sort());
    });
  });

  describe('duplicates', () => {
    it('X4: the same phone (also as a WhatsApp id), the same e-mail and a similar name on other channels are suggested with reasons', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [line, wa, mail] = [await f.channel(), await f.channel('wa'), await f.channel('qiscus', { identifierType: 'email' })];
      const me = await f.customer(line, { name: 'Budi Santoso', phoneNumber: '+6281234567890', email: 'budi@example.com' });
      const byWaId = await f.customer(wa, { identifier: '6281234567890', name: 'Pak B' });
      const byEmailId = await f.customer(mail, { identifier: 'Budi@Example.com', name: 'BS' });
      const byName = await f.customer(wa, { identifier: '6281298765432', name: 'Budi Santosa' });
      const both = await f.customer(mail, { identifier: 'other@example.com', name: 'Budi Santoso', phoneNumber: '+6281234567890' });
      const sameChannel = await f.customer(line, { name: 'Budi Santoso', phoneNumber: '+6281234567890' });
      const unrelated = await f.customer(wa, { identifier: '6281311112222', name: 'Siti Rahayu' });
      const r = await t.http().get(`/v1/customers/${me.id}/duplicates`).set(t.auth(appId, 'agent'));
      expect(r.status).toBe(200);
      const by = new Map((r.body as { customer: { id: string }; reasons: string[]; score: number }[]).map((s) => [s.customer.id, s]));
      expect(by.get(byWaId.id)?.reasons).toEqual(['same_phone']);
      expect(by.get(byEmailId.id)?.reasons).toEqual(['same_email']);
      expect(by.get(byName.id)?.reasons).toEqual(['similar_name']);
      expect(by.get(both.id)?.reasons).toEqual(['same_phone', 'similar_name']);
      expect(by.has(sameChannel.id)).toBe(false);
      expect(by.has(unrelated.id)).toBe(false);
      expect(by.has(me.id)).toBe(false);
      const scores = (r.body as { score: number }[]).map((s) => s.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      expect(r.body[0].customer.id).toBe(both.id);

      // The reverse direction: the WhatsApp customer's id is its phone.
      const back = await t.http().get(`/v1/customers/${byWaId.id}/duplicates`).set(t.auth(appId));
      expect(back.body.map((s: { customer: { id: string } }) => s.customer.id)).toEqual(
        expect.arrayContaining([me.id, both.id, sameChannel.id]),
      );
    });

    it('X4: linked customers are not suggested, and a dismissal is remembered both ways', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const [line, wa] = [await f.channel(), await f.channel('wa')];
      const me = await f.customer(line, { name: 'Dewi Lestari', phoneNumber: '+6281234567891' });
      const x = await f.customer(wa, { identifier: '6281234567891', name: 'Dewi' });
      const y = await f.customer(wa, { identifier: '6281234567892', name: 'Dewi Lestari' });
      const z = await f.customer(wa, { identifier: '6281234567893', name: 'Dewi Lestary' });
      await merge(appId, z.id, [(await f.customer(line)).id]);
      const ids = async (id: string) =>
        (await t.http().get(`/v1/customers/${id}/duplicates`).set(t.auth(appId))).body.map(
          (s: { customer: { id: string } }) => s.customer.id,
        );
      expect((await ids(me.id)).sort()).toEqual([x.id, y.id].sort());
      const d = await t.http().post(`/v1/customers/${me.id}/duplicates/${x.id}/dismiss`).set(t.auth(appId));
      expect(d.status).toBe(204);
      expect(await ids(me.id)).toEqual([y.id]);
      expect(await ids(x.id)).not.toContain(me.id);
      expect((await t.http().post(`/v1/customers/${me.id}/duplicates/${x.id}/dismiss`).set(t.auth(appId))).status).toBe(204);
      expect((await t.http().post(`/v1/customers/${me.id}/duplicates/${me.id}/dismiss`).set(t.auth(appId))).status).toBe(422);
    });
  });

  it('M1–M5, X4: every merge endpoint is documented in the OpenAPI document', async () => {
    const doc = await t.http().get('/openapi.json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, Record<string, { tags?: string[] }>>;
    for (const [path, method] of [
      ['/v1/customers/{id}/merge', 'post'],
      ['/v1/customers/{id}/linked', 'get'],
      ['/v1/customers/{id}/unmerge', 'post'],
      ['/v1/customers/{id}/main-channel', 'post'],
      ['/v1/customers/{id}/duplicates', 'get'],
      ['/v1/customers/{id}/duplicates/{otherId}/dismiss', 'post'],
    ])
      expect(paths[path]?.[method]?.tags).toEqual(['Merge']);
    expect(paths['/v1/groups/{id}/broadcast-audience']?.get?.tags).toEqual(['Groups']);
    expect(doc.body.components.schemas.ProfileValueDto).toBeDefined();
  });

  describe('tenant isolation', () => {
    it("M1–M5, X4: every merge endpoint answers 404 for another app's customers", async () => {
      const appA = newAppId();
      const appB = newAppId();
      const [fa, fb] = [factories(t, appA), factories(t, appB)];
      const line = await fa.channel();
      const [a, b] = await fa.customers(line, 2);
      await merge(appA, a.id, [b.id]);
      const mine = await fb.customer(await fb.channel());
      const B = t.auth(appB);
      expect(
        (
          await t
            .http()
            .post(`/v1/customers/${a.id}/merge`)
            .set(B)
            .send({ customerIds: [mine.id] })
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .post(`/v1/customers/${mine.id}/merge`)
            .set(B)
            .send({ customerIds: [a.id] })
        ).status,
      ).toBe(404);
      expect((await t.http().get(`/v1/customers/${a.id}/linked`).set(B)).status).toBe(404);
      expect((await t.http().post(`/v1/customers/${a.id}/unmerge`).set(B)).status).toBe(404);
      expect((await t.http().post(`/v1/customers/${a.id}/main-channel`).set(B)).status).toBe(404);
      expect((await t.http().get(`/v1/customers/${a.id}/duplicates`).set(B)).status).toBe(404);
      expect((await t.http().post(`/v1/customers/${mine.id}/duplicates/${a.id}/dismiss`).set(B)).status).toBe(404);
      expect((await t.http().post(`/v1/customers/${a.id}/duplicates/${mine.id}/dismiss`).set(B)).status).toBe(404);
      expect((await linked(appA, a.id)).body.customers).toHaveLength(2);
    });
  });

  // PGlite is one connection: concurrent transactions queue there, so these prove something only on PostgreSQL.
  if (onRealServices)
    describe('concurrency (real PostgreSQL)', () => {
      it('M7: 10 concurrent merges of distinct customers into a set of 2 never make it larger than 10 (real PostgreSQL)', async () => {
        const appId = newAppId();
        const f = factories(t, appId);
        const line = await f.channel();
        const [a, b, ...rest] = await f.customers(line, 12);
        await merge(appId, a.id, [b.id]);
        const results = await Promise.all(rest.map((c, i) => merge(appId, i % 2 ? a.id : b.id, [c.id])));
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(8);
        expect(statuses.filter((s) => s !== 200).every((s) => s === 422 || s === 409)).toBe(true);
        const set = await linked(appId, a.id);
        expect(set.body.customers).toHaveLength(10);
      });

      it('M7: the same customer merged into two sets at once ends in exactly one (real PostgreSQL)', async () => {
        const appId = newAppId();
        const f = factories(t, appId);
        const line = await f.channel();
        for (let round = 0; round < 5; round++) {
          const [a, b, c, d, x] = await f.customers(line, 5);
          await merge(appId, a.id, [b.id]);
          await merge(appId, c.id, [d.id]);
          const [r1, r2] = await Promise.all([merge(appId, a.id, [x.id]), merge(appId, c.id, [x.id])]);
          expect([r1.status, r2.status].sort()).toEqual([200, 409]);
          const sets = [(await linked(appId, a.id)).body, (await linked(appId, c.id)).body];
          const holding = sets.filter((s) => s.customers.some((m: { id: string }) => m.id === x.id));
          expect(holding).toHaveLength(1);
          expect((await linked(appId, x.id)).body.profileId).toBe(holding[0].profileId);
        }
      });

      it('M7: merge, unmerge and main-channel changes racing on one set keep it valid (real PostgreSQL)', async () => {
        const appId = newAppId();
        const f = factories(t, appId);
        const line = await f.channel();
        const [a, b, c, d, e] = await f.customers(line, 5);
        await merge(appId, a.id, [b.id, c.id]);
        const rs = await Promise.all([
          merge(appId, a.id, [d.id]),
          t.http().post(`/v1/customers/${b.id}/unmerge`).set(t.auth(appId)),
          t.http().post(`/v1/customers/${c.id}/main-channel`).set(t.auth(appId)),
          t.http().post(`/v1/customers/${a.id}/main-channel`).set(t.auth(appId)),
          merge(appId, c.id, [e.id]),
        ]);
        expect(rs.every((r) => r.status < 500)).toBe(true);
        const set = (await linked(appId, a.id)).body;
        expect(set.customers.filter((m: { mainChannel: boolean }) => m.mainChannel).length).toBeLessThanOrEqual(1);
        expect(set.customers.map((m: { id: string }) => m.id).sort()).toEqual([a.id, c.id, d.id, e.id].sort());
      });

      it('M7: a merge into a set of 2 takes a few milliseconds (real PostgreSQL)', async () => {
        const appId = newAppId();
        const f = factories(t, appId);
        const line = await f.channel();
        const all = await f.customers(line, 10);
        await merge(appId, all[0].id, [all[1].id]);
        const times: number[] = [];
        for (let i = 2; i < 10; i++) {
          const started = performance.now();
          expect((await merge(appId, all[0].id, [all[i].id])).status).toBe(200);
          times.push(performance.now() - started);
        }
        times.sort((x, y) => x - y);
        process.stdout.write(`merge over HTTP: median ${times[4].toFixed(1)} ms, max ${times[7].toFixed(1)} ms\n`);
        expect(times[4]).toBeLessThan(500);
      });
    });
});
