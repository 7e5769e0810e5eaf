import { newId } from '@cdp/platform';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Conversation history (FEATURES.md A4; API.md "Activities and conversations")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Every event these tests send is valid: a rejection fails the test.
  const post = async (appId: string, events: unknown[]) => {
    const r = await factories(t, appId).events(events);
    expect(r.rejected).toEqual([]);
    return r;
  };
  const started = (customerId: string, roomId: string, at: string, data: Record<string, unknown> = {}) => ({
    type: 'conversation.started',
    occurredAt: at,
    customerId,
    data: { roomId, ...data },
  });
  const resolved = (customerId: string, roomId: string, at: string, data: Record<string, unknown> = {}) => ({
    ...started(customerId, roomId, at, data),
    type: 'conversation.resolved',
  });
  const list = (appId: string, customerId: string, query = '') =>
    t.http().get(`/v1/customers/${customerId}/conversations${query}`).set(t.auth(appId, 'agent'));

  it('A4: a started conversation is ongoing, with its information, notes and a link to the inbox room', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(appId, [
      started(id, 'room 42/a', '2026-11-05T10:00:00Z', {
        lastMessage: 'Halo, pesanan saya?',
        additionalInfo: { orderId: 'o-1', channel: 'wa' },
        notes: 'VIP',
      }),
    ]);
    const r = await list(appId, id);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: [
        {
          id: expect.any(String),
          roomId: 'room 42/a',
          customerId: id,
          status: 'ongoing',
          startedAt: '2026-11-05T10:00:00.000Z',
          resolvedAt: null,
          lastMessage: 'Halo, pesanan saya?',
          additionalInfo: { orderId: 'o-1', channel: 'wa' },
          notes: 'VIP',
          inboxUrl: 'http://inbox.test/app/rooms/room%2042%2Fa',
        },
      ],
      nextCursor: null,
    });
    const one = await t.http().get(`/v1/conversations/${r.body.data[0].id}`).set(t.auth(appId, 'agent'));
    expect(one.status).toBe(200);
    expect(one.body).toEqual(r.body.data[0]);
  });

  it('A4: a resolution resolves it and updates what it carries; the events are in the timeline too', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(appId, [started(id, 'r1', '2026-11-05T10:00:00Z', { lastMessage: 'Hi', notes: 'first' })]);
    await post(appId, [
      resolved(id, 'r1', '2026-11-05T11:00:00Z', { lastMessage: 'Thanks, bye', additionalInfo: [{ key: 'csat', value: 5 }] }),
    ]);
    const [c] = (await list(appId, id)).body.data;
    expect(c).toMatchObject({
      roomId: 'r1',
      status: 'resolved',
      startedAt: '2026-11-05T10:00:00.000Z',
      resolvedAt: '2026-11-05T11:00:00.000Z',
      lastMessage: 'Thanks, bye',
      additionalInfo: [{ key: 'csat', value: 5 }],
      notes: 'first',
    });
    const timeline = await t
      .http()
      .get(`/v1/customers/${id}/activities?types=conversation.started,conversation.resolved`)
      .set(t.auth(appId));
    expect(timeline.body.data.map((a: { type: string }) => a.type)).toEqual(['conversation.resolved', 'conversation.started']);
  });

  it('A4: events arriving out of order, or both in one batch, give the same conversation', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(appId, [resolved(id, 'late-start', '2026-11-05T11:00:00Z', { lastMessage: 'bye' })]);
    await post(appId, [started(id, 'late-start', '2026-11-05T10:00:00Z', { lastMessage: 'hello' })]);
    await post(appId, [
      resolved(id, 'one-batch', '2026-11-06T11:00:00Z', { lastMessage: 'bye' }),
      started(id, 'one-batch', '2026-11-06T10:00:00Z', { lastMessage: 'hello' }),
    ]);
    const rows = (await list(appId, id)).body.data;
    for (const [room, day] of [
      ['late-start', '05'],
      ['one-batch', '06'],
    ]) {
      expect(rows.find((c: { roomId: string }) => c.roomId === room)).toMatchObject({
        status: 'resolved',
        startedAt: `2026-11-${day}T10:00:00.000Z`,
        resolvedAt: `2026-11-${day}T11:00:00.000Z`,
        lastMessage: 'bye',
      });
    }
  });

  it('A4: a new start in a resolved room reopens it; a repeated event (same idempotencyKey) changes nothing', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(appId, [started(id, 'r', '2026-11-05T10:00:00Z'), resolved(id, 'r', '2026-11-05T11:00:00Z')]);
    await post(appId, [{ ...started(id, 'r', '2026-11-07T09:00:00Z', { lastMessage: 'again' }), idempotencyKey: 'start-2' }]);
    const [c] = (await list(appId, id)).body.data;
    expect(c).toMatchObject({ status: 'ongoing', startedAt: '2026-11-07T09:00:00.000Z', resolvedAt: null, lastMessage: 'again' });
    const dup = await post(appId, [
      { ...started(id, 'r', '2026-11-07T09:00:00Z', { lastMessage: 'changed?' }), idempotencyKey: 'start-2' },
    ]);
    expect(dup).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect((await list(appId, id)).body.data[0].lastMessage).toBe('again');
  });

  it('A4: filtered by status, latest started first, paged by cursor', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(appId, [
      started(id, 'a', '2026-11-01T10:00:00Z'),
      started(id, 'b', '2026-11-02T10:00:00Z'),
      started(id, 'c', '2026-11-03T10:00:00Z'),
      resolved(id, 'b', '2026-11-02T12:00:00Z'),
    ]);
    const rooms = (r: { body: { data: { roomId: string }[] } }) => r.body.data.map((c) => c.roomId);
    expect(rooms(await list(appId, id))).toEqual(['c', 'b', 'a']);
    expect(rooms(await list(appId, id, '?status=ongoing'))).toEqual(['c', 'a']);
    expect(rooms(await list(appId, id, '?status=resolved'))).toEqual(['b']);
    const p1 = await list(appId, id, '?limit=2');
    expect(rooms(p1)).toEqual(['c', 'b']);
    const p2 = await list(appId, id, `?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`);
    expect(rooms(p2)).toEqual(['a']);
    expect(p2.body.nextCursor).toBeNull();
    expect((await list(appId, id, '?status=closed')).status).toBe(422);
    expect((await list(appId, id, '?cursor=forged.cursor')).body.code).toBe('invalid_cursor');
  });

  it('A4: two batches at once on the same new room both count (start in one, resolution in the other)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('telegram'));
    const send = (e: unknown) =>
      t
        .http()
        .post('/v1/events')
        .set(t.auth(appId))
        .send({ events: [e] });
    const [a, b] = await Promise.all([
      send(started(id, 'race', '2026-11-05T10:00:00Z')),
      send(resolved(id, 'race', '2026-11-05T11:00:00Z', { lastMessage: 'done' })),
    ]);
    expect([a.body.accepted, b.body.accepted]).toEqual([1, 1]);
    const rows = (await list(appId, id)).body.data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'resolved',
      startedAt: '2026-11-05T10:00:00.000Z',
      resolvedAt: '2026-11-05T11:00:00.000Z',
      lastMessage: 'done',
    });
  });

  it("A4: another app's customer or conversation is 404 not_found", async () => {
    const a = newAppId();
    const f = factories(t, a);
    const { id } = await f.customer(await f.channel('telegram'));
    await post(a, [started(id, 'secret', '2026-11-05T10:00:00Z')]);
    const conv = (await list(a, id)).body.data[0];
    const b = newAppId();
    for (const path of [
      `/v1/customers/${id}/conversations`,
      `/v1/conversations/${conv.id}`,
      `/v1/conversations/${newId()}`,
      '/v1/conversations/nope',
    ]) {
      const r = await t.http().get(path).set(t.auth(b));
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 404, code: 'not_found' });
    }
  });
});
