import { randomInt } from 'node:crypto';
import { Db, OutboxRelay, sql, Sql } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories, suffix } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

const HEADER = 'name,identifier,email,phone_number,channel_id,source,channel_name,consent';
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const mobile = () => `62813${String(randomInt(1e7)).padStart(7, '0')}`;

describe('Consent and the rights of a person (API.md "Consent", "Data rights"; X9, X10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Webhooks to a local address that never answers: their deliveries stay pending, holding copies of the person.
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  });
  afterAll(() => t.close());

  const enterprise = (appId: string) =>
    t.http().patch(`/v1/operator/apps/${appId}/settings`).set(t.auth('platform', 'operator')).send({ plan: 'enterprise' });

  async function importCsv(appId: string, content: string) {
    const r = await t.http().post('/v1/customers/imports').set(t.auth(appId)).attach('file', Buffer.from(content, 'utf8'), 'people.csv');
    expect(r.status).toBe(202);
    return eventually(
      async () => {
        const s = await t.http().get(`/v1/customers/imports/${r.body.id}`).set(t.auth(appId));
        expect(s.body.status).toBe('completed');
        return s.body;
      },
      60_000,
      50,
    );
  }

  const search = async (appId: string, filter: Record<string, unknown>) => {
    const r = await t.http().post('/v1/customers/search').set(t.auth(appId)).send({ filter, limit: 100 });
    expect(r.status).toBe(200);
    return (r.body.data as { id: string }[]).map((c) => c.id);
  };

  /** Every text, JSON and array column of every table: the rows holding `value` anywhere. */
  async function tablesHolding(value: string): Promise<string[]> {
    const db = t.app.get(Db);
    const columns = await db.query<{ table_name: string; column_name: string }>(sql`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
      where c.table_schema = current_schema() and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'bytea')`);
    expect(columns.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const c of columns) {
      // Names from the catalogue, quoted; the searched value is a bound parameter.
      const table = Sql.raw(quoteIdent(c.table_name));
      const column = Sql.raw(quoteIdent(c.column_name));
      const text = c.column_name === 'csv' ? sql`convert_from(${column}, 'UTF8')` : sql`${column}::text`;
      const row = await db.one<{ n: number }>(
        sql`select count(*)::int as n from ${table} where position(lower(${value}) in lower(${text})) > 0`,
      );
      if (row!.n > 0) found.push(`${c.table_name}.${c.column_name}`);
    }
    return found;
  }

  it('X9, X10: the whole cycle — consent from the API, events and the import, the filter, the audience, the export, the erasure, every way back refused, the suppression lifted', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const A = t.auth(appId);
    expect((await enterprise(appId)).status).toBe(200);
    const wa = await f.channel('wa');
    const wa2 = await f.channel('wa');
    const person = {
      name: `Budi Erasable ${suffix()}`,
      identifier: mobile(),
      email: `budi.${suffix()}@example.com`,
      phone: `+${mobile()}`,
    };
    const budi = await f.customer(wa, { name: person.name, identifier: person.identifier, email: person.email, phoneNumber: person.phone });
    expect(budi.consent).toEqual({ status: 'unknown', updatedAt: null, source: null });

    // From the API (the request time is the change's time).
    const put = await t.http().put(`/v1/customers/${budi.id}/consent`).set(A).send({ status: 'opted_in', note: 'asked at the counter' });
    expect(put.status).toBe(200);
    expect(put.body.consent).toMatchObject({ status: 'opted_in', source: 'api' });
    const putAt = Date.parse(put.body.consent.updatedAt);
    expect(Math.abs(putAt - Date.now())).toBeLessThan(60_000);

    // From events: an older opt-out is kept but loses; a newer one wins.
    const older = new Date(putAt - 3_600_000).toISOString();
    const newer = new Date(putAt + 1_000).toISOString();
    const ev1 = await f.events([{ type: 'consent.opted_out', occurredAt: older, customerId: budi.id, data: { note: 'late' } }]);
    expect(ev1).toMatchObject({ accepted: 1, rejected: [] });
    let got = await t.http().get(`/v1/customers/${budi.id}`).set(A);
    expect(got.body.consent.status).toBe('opted_in');
    const ev2 = await f.events([{ type: 'consent.opted_out', occurredAt: newer, channelId: wa, identifier: person.identifier }]);
    expect(ev2).toMatchObject({ accepted: 1, rejected: [] });
    got = await t.http().get(`/v1/customers/${budi.id}`).set(A);
    expect(got.body.consent).toEqual({ status: 'opted_out', updatedAt: newer, source: 'event' });

    // Every change is kept, newest first; the late event did not apply.
    const hist = await t.http().get(`/v1/customers/${budi.id}/consent-history?limit=2`).set(A);
    expect(hist.status).toBe(200);
    expect(hist.body.data.map((h: { status: string; source: string; applied: boolean }) => [h.status, h.source, h.applied])).toEqual([
      ['opted_out', 'event', true],
      ['opted_in', 'api', true],
    ]);
    expect(hist.body.data[1].actor).toMatchObject({ role: 'admin', via: 'token' });
    const hist2 = await t.http().get(`/v1/customers/${budi.id}/consent-history?limit=2&cursor=${hist.body.nextCursor}`).set(A);
    expect(hist2.body.data).toEqual([{ status: 'opted_out', source: 'event', note: 'late', actor: null, at: older, applied: false }]);
    expect(hist2.body.nextCursor).toBeNull();

    // From the import: an optional consent column (empty is unknown; a wrong value fails the row).
    const sitiId = mobile();
    const report = await importCsv(
      appId,
      `${HEADER}\nSiti,${sitiId},,,${wa},wa,,opted_in\nAni,${mobile()},,,${wa},wa,,\nRudi,${mobile()},,,${wa},wa,,maybe\n`,
    );
    expect(report).toMatchObject({ createdCount: 2, failedCount: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ row: 3, column: 'consent', code: 'invalid_consent' })]);
    const [siti] = (await t.http().get(`/v1/customers?search=${sitiId}`).set(A)).body.data;
    expect(siti.consent).toMatchObject({ status: 'opted_in', source: 'import' });
    const ani = (await t.http().get('/v1/customers?search=Ani').set(A)).body.data[0];
    expect(ani.consent.status).toBe('unknown');

    // The filter key (any of), in the body and as a query parameter; the export's consent column.
    expect(await search(appId, { consent: ['opted_out'] })).toEqual([budi.id]);
    expect((await search(appId, { consent: ['opted_in', 'unknown'] })).sort()).toEqual([siti.id, ani.id].sort());
    const listed = await t.http().get('/v1/customers?consent=opted_in').set(A);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([siti.id]);
    const count = await t
      .http()
      .post('/v1/customers/count')
      .set(A)
      .send({ filter: { consent: ['unknown'] } });
    expect(count.body).toEqual({ count: 1, capped: false });
    const badFilter = await t
      .http()
      .post('/v1/customers/search')
      .set(A)
      .send({ filter: { consent: ['yes'] } });
    expect(badFilter.status).toBe(422);
    expect(badFilter.body.code).toBe('validation_failed');

    // The broadcast audience leaves the opted-out customer out and says so.
    const group = await f.group({ customerIds: [budi.id, siti.id, ani.id] });
    const audience = await t.http().get(`/v1/groups/${group.id}/broadcast-audience`).set(A);
    expect(audience.status).toBe(200);
    expect(audience.body.recipients.map((r: { customerId: string }) => r.customerId).sort()).toEqual([siti.id, ani.id].sort());
    expect(audience.body).toMatchObject({ memberCount: 3, recipientCount: 2, excludedOptedOut: 1 });

    // The consent change is a domain event in the outbox.
    const db = t.app.get(Db);
    await t.app.get(OutboxRelay).settle();
    const changed = await db.query<{ payload: Record<string, unknown> }>(
      sql`select payload from outbox where app_id = ${appId} and type = 'customer.consent_changed' order by seq`,
    );
    expect(changed.map((e) => [e.payload.customerId, e.payload.status, e.payload.previousStatus])).toEqual([
      [budi.id, 'opted_in', 'unknown'],
      [budi.id, 'opted_out', 'opted_in'],
      [siti.id, 'opted_in', 'unknown'],
    ]);

    // Access: everything held about the person, audited.
    await f.events([{ type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00.000Z', customerId: budi.id, data: { orderId: 'o-1' } }]);
    const exp = await t.http().get(`/v1/customers/${budi.id}/data-export`).set(A);
    expect(exp.status).toBe(200);
    expect(exp.headers['content-type']).toMatch(/^application\/json/);
    expect(exp.body.customers.map((c: { id: string; email: string }) => [c.id, c.email])).toEqual([[budi.id, person.email]]);
    expect(exp.body.activities.map((a: { type: string }) => a.type).sort()).toEqual(
      ['consent.opted_out', 'consent.opted_out', 'customer.created', 'purchase.completed'].sort(),
    );
    expect(exp.body.consentHistory.map((h: { status: string }) => h.status)).toEqual(['opted_out', 'opted_in', 'opted_out']);
    expect(exp.body.groups).toEqual([{ id: group.id, name: group.name, customerId: budi.id }]);
    expect(exp.body).toMatchObject({ conversations: [], mergeHistory: [] });
    const exported = await t.http().get('/v1/audit-log?action=customer.data_exported').set(A);
    expect(exported.body.data[0]).toMatchObject({ subject: `customer:${budi.id}`, details: { customerIds: [budi.id], scope: 'self' } });

    // Copies of the person outside the tables that reference customers: a rejected event naming their e-mail (the
    // dead-letter list, X13) and a webhook delivery carrying their row (X12). Erasure removes both.
    const hook = await t
      .http()
      .post('/v1/webhooks')
      .set(A)
      .send({ url: 'http://127.0.0.1:9/never', events: ['customer.updated'] });
    expect(hook.status).toBe(201);
    await t
      .http()
      .patch(`/v1/customers/${budi.id}`)
      .set(A)
      .send({ tags: ['vip'] })
      .expect(200);
    const rejected = await f.events([{ type: 'no.such.type', customerId: budi.id, data: { contact: person.email } }]);
    expect(rejected.rejected).toHaveLength(1);
    await t.app.get(OutboxRelay).settle();
    expect(await tablesHolding(person.email)).toEqual(expect.arrayContaining(['event_rejections.payload', 'webhook_deliveries.body']));

    // Erasure: one call, the person gone with everything that referenced it, three suppressions left.
    const erase = await t.http().post(`/v1/customers/${budi.id}/erase`).set(A).send({});
    expect(erase.status).toBe(200);
    expect(erase.body).toMatchObject({ erasedCustomers: 1, erasedActivities: 4 });
    expect(erase.body.suppressionIds).toHaveLength(3);
    expect((await t.http().get(`/v1/customers/${budi.id}`).set(A)).status).toBe(404);
    const after = await t.http().get(`/v1/groups/${group.id}/broadcast-audience`).set(A);
    expect(after.body).toMatchObject({ memberCount: 2, recipientCount: 2, excludedOptedOut: 0 });
    const supp = await t.http().get('/v1/suppressions').set(A);
    expect(supp.status).toBe(200);
    expect(supp.body.data.map((s: { kind: string }) => s.kind).sort()).toEqual(['email', 'identity', 'phone']);
    expect(supp.body.data.find((s: { kind: string }) => s.kind === 'identity').channelId).toBe(wa);
    await t.app.get(OutboxRelay).settle();
    const erased = await db.query<{ payload: Record<string, unknown> }>(
      sql`select payload from outbox where app_id = ${appId} and type = 'customer.erased'`,
    );
    expect(erased).toHaveLength(1);
    expect(erased[0].payload).toMatchObject({ appId, customerIds: [budi.id] });
    const audit = await t.http().get('/v1/audit-log?action=customer.erased').set(A);
    expect(audit.body.data[0]).toMatchObject({ subject: `customer:${budi.id}`, details: { customerIds: [budi.id], erasedActivities: 4 } });

    // Nothing readable about the person remains in any table (the import row that matched them is blanked too).
    for (const value of [person.name, person.identifier, person.email, person.phone]) expect(await tablesHolding(value)).toEqual([]);

    // Every way back is refused: REST (same channel and identifier; the e-mail on another channel), an import row
    // (the phone number), an event naming the identity.
    const again = await t.http().post('/v1/customers').set(A).send({ channelId: wa, identifier: person.identifier, name: 'Budi' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('identity_suppressed');
    const byEmail = await t
      .http()
      .post('/v1/customers')
      .set(A)
      .send({ channelId: wa2, identifier: mobile(), name: 'B', email: person.email });
    expect(byEmail.status).toBe(422);
    expect(byEmail.body.code).toBe('identity_suppressed');
    const back = await importCsv(appId, `${HEADER}\nBudi,${mobile()},,${person.phone},${wa2},wa,,\n`);
    expect(back).toMatchObject({ createdCount: 0, failedCount: 1 });
    expect(back.errors).toEqual([expect.objectContaining({ row: 1, code: 'identity_suppressed' })]);
    const dry = await t
      .http()
      .post('/v1/customers/imports?dryRun=true')
      .set(A)
      .attach('file', Buffer.from(`${HEADER}\nB,${person.identifier},,,${wa},wa,,\n`), 'a.csv');
    const dryReport = await eventually(async () => {
      const s = await t.http().get(`/v1/customers/imports/${dry.body.id}`).set(A);
      expect(s.body.status).toBe('completed');
      return s.body;
    }, 60_000);
    expect(dryReport.errors).toEqual([expect.objectContaining({ code: 'identity_suppressed' })]);
    const ev = await f.events([
      { type: 'purchase.completed', occurredAt: '2026-11-02T00:00:00.000Z', channelId: wa, identifier: person.identifier },
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-02T00:00:00.000Z',
        channelId: wa2,
        identifier: mobile(),
        customer: { phoneNumber: person.phone },
      },
    ]);
    expect(ev.accepted).toBe(0);
    expect(ev.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'identity_suppressed'],
      [1, 'identity_suppressed'],
    ]);
    expect(await search(appId, { search: person.identifier })).toEqual([]);

    // Lifting the suppressions lets the person come back.
    for (const s of supp.body.data) expect((await t.http().delete(`/v1/suppressions/${s.id}`).set(A)).status).toBe(204);
    expect((await t.http().get('/v1/suppressions').set(A)).body.data).toEqual([]);
    const welcome = await t
      .http()
      .post('/v1/customers')
      .set(A)
      .send({ channelId: wa, identifier: person.identifier, name: 'Budi', email: person.email });
    expect(welcome.status).toBe(201);
    expect(welcome.body.consent.status).toBe('unknown');
  });

  it('X10: erasure of a linked set — every member, its activities, groups, consent history and merge profile in one transaction; a set left with one member ends as on a deletion', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const A = t.auth(appId);
    const [wa, line, tg] = [await f.channel('wa'), await f.channel('line'), await f.channel('telegram')];
    const a = await f.customer(wa, { email: `a.${suffix()}@example.com` });
    const b = await f.customer(line);
    const c = await f.customer(tg);
    await f.merge(a.id, [b.id, c.id]);
    await t.http().put(`/v1/customers/${b.id}/consent`).set(A).send({ status: 'opted_in' });
    const group = await f.group({ customerIds: [a.id, c.id] });
    await f.events([
      { type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00.000Z', customerId: a.id },
      { type: 'conversation.started', occurredAt: '2026-11-01T00:00:00.000Z', customerId: c.id, data: { roomId: `room-${suffix()}` } },
    ]);
    const exp = await t.http().get(`/v1/customers/${c.id}/data-export?scope=linked`).set(A);
    expect(exp.status).toBe(200);
    expect(exp.body.customers.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(exp.body.conversations).toHaveLength(1);
    expect(exp.body.mergeHistory.map((m: { action: string }) => m.action)).toEqual(['customer.merged']);
    expect(exp.body.consentHistory).toHaveLength(1);

    await t.app.get(OutboxRelay).settle();
    const started = Date.now();
    const r = await t.http().post(`/v1/customers/${c.id}/erase`).set(A).send({ scope: 'linked', suppress: false });
    const ms = Date.now() - started;
    expect(r.status).toBe(200);
    // 3 customer.created activities, a purchase and a conversation start.
    expect(r.body).toEqual({ erasedCustomers: 3, erasedActivities: 5, suppressionIds: [] });
    console.log(`[measure] erasure of a linked set of 3: ${ms} ms`);
    for (const id of [a.id, b.id, c.id]) expect((await t.http().get(`/v1/customers/${id}`).set(A)).status).toBe(404);
    const g = await t.http().get(`/v1/groups/${group.id}`).set(A);
    expect(g.body.memberCount).toBe(0);
    const db = t.app.get(Db);
    const left = await db.one<{ profiles: number; changes: number; activities: number; conversations: number }>(sql`
      select (select count(*)::int from merge_profiles where app_id = ${appId}) as profiles,
             (select count(*)::int from customer_consent_changes where app_id = ${appId}) as changes,
             (select count(*)::int from activities where app_id = ${appId}) as activities,
             (select count(*)::int from conversations where app_id = ${appId}) as conversations`);
    expect(left).toEqual({ profiles: 0, changes: 0, activities: 0, conversations: 0 });
    // Without suppressions the same identity may come back at once.
    expect((await t.http().post('/v1/customers').set(A).send({ channelId: wa, identifier: a.identifier, name: 'A' })).status).toBe(201);

    // scope self in a set of two: the other member is unlinked, as a deletion leaves it.
    const x = await f.customer(wa);
    const y = await f.customer(line);
    await f.merge(x.id, [y.id]);
    await t.app.get(OutboxRelay).settle();
    const self = await t.http().post(`/v1/customers/${x.id}/erase`).set(A).send({ scope: 'self' });
    expect(self.body).toMatchObject({ erasedCustomers: 1, erasedActivities: 1 });
    expect(self.body.suppressionIds).toHaveLength(1);
    const yNow = await t.http().get(`/v1/customers/${y.id}`).set(A);
    expect(yNow.body).toMatchObject({ linked: false, profileId: null, linkedCustomers: [] });
  });

  it('X9: an import row naming an existing customer records its consent (the row is skipped, the newest change wins; an empty cell changes nothing)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const [a, b, c] = [mobile(), mobile(), mobile()];
    for (const [name, phone] of [
      ['Ayu', a],
      ['Bayu', b],
      ['Citra', c],
    ])
      await f.customer(wa, { name, identifier: phone });
    const byPhone = async (phone: string) => (await t.http().get(`/v1/customers?search=${phone}`).set(t.auth(appId))).body.data[0];
    // Citra's consent is set after the import is requested: newer than the import's time, it stays.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await t
      .http()
      .post('/v1/events')
      .set(t.auth(appId))
      .send({ events: [{ type: 'consent.opted_in', occurredAt: later, customerId: (await byPhone(c)).id }] })
      .expect(200);
    const report = await importCsv(
      appId,
      `${HEADER}\nAyu,${a},,,${wa},wa,,opted_in\nBayu,${b},,,${wa},wa,,\nCitra,${c},,,${wa},wa,,opted_out\n`,
    );
    expect(report).toMatchObject({ createdCount: 0, skippedCount: 3, failedCount: 0 });
    const errors = report.errors as { row: number; code: string; message: string }[];
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [1, 'customer_exists'],
      [2, 'customer_exists'],
      [3, 'customer_exists'],
    ]);
    expect(errors[0].message).toMatch(/consent of this row was recorded/);
    expect(errors[1].message).not.toMatch(/consent/);
    expect((await byPhone(a)).consent).toMatchObject({ status: 'opted_in', source: 'import' });
    expect((await byPhone(b)).consent).toMatchObject({ status: 'unknown', source: null });
    expect((await byPhone(c)).consent).toMatchObject({ status: 'opted_in', source: 'event', updatedAt: later });
    const hist = await t
      .http()
      .get(`/v1/customers/${(await byPhone(c)).id}/consent-history`)
      .set(t.auth(appId));
    expect(hist.body.data.map((h: { status: string; source: string; applied: boolean }) => [h.status, h.source, h.applied])).toEqual([
      ['opted_in', 'event', true],
      ['opted_out', 'import', false],
    ]);
  });

  it('X9: the broadcast audience replaces an opted-out main channel by an opted-in member of its set, and leaves out a set with nobody to reach', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const A = t.auth(appId);
    expect((await enterprise(appId)).status).toBe(200);
    const [wa, line, tg] = [await f.channel('wa'), await f.channel('line'), await f.channel('telegram')];
    const setConsent = async (id: string, status: string) =>
      expect((await t.http().put(`/v1/customers/${id}/consent`).set(A).send({ status })).status).toBe(200);
    // Set 1: main (wa) opted out, the LINE member opted in, the Telegram member unknown: the LINE member is reached.
    const main1 = await f.customer(wa);
    const in1 = await f.customer(line);
    const unknown1 = await f.customer(tg);
    await f.merge(main1.id, [in1.id, unknown1.id]);
    expect((await t.http().post(`/v1/customers/${main1.id}/main-channel`).set(A)).status).toBe(200);
    await setConsent(main1.id, 'opted_out');
    await setConsent(in1.id, 'opted_in');
    // Set 2: main opted out, the other member opted out too: nobody of that person is reached.
    const main2 = await f.customer(wa);
    const out2 = await f.customer(line);
    await f.merge(main2.id, [out2.id]);
    expect((await t.http().post(`/v1/customers/${main2.id}/main-channel`).set(A)).status).toBe(200);
    await setConsent(main2.id, 'opted_out');
    await setConsent(out2.id, 'opted_out');
    // An unlinked customer with unknown consent is reached.
    const loose = await f.customer(wa);
    const group = await f.group({ customerIds: [main1.id, unknown1.id, main2.id, out2.id, loose.id] });
    const r = await t.http().get(`/v1/groups/${group.id}/broadcast-audience`).set(A);
    expect(r.status).toBe(200);
    expect(r.body.recipients.map((x: { customerId: string }) => x.customerId).sort()).toEqual([in1.id, loose.id].sort());
    expect(r.body.recipients.find((x: { customerId: string }) => x.customerId === in1.id)).toEqual({
      customerId: in1.id,
      channelId: line,
      identifier: in1.identifier,
    });
    expect(r.body).toMatchObject({ memberCount: 5, recipientCount: 2, excludedOptedOut: 3 });
  });

  it('X10: only admins export, erase and see suppressions; every role may set consent', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const ch = await f.channel('line');
    const cu = await f.customer(ch);
    for (const role of ['agent', 'supervisor'] as const) {
      const auth = t.auth(appId, role);
      expect((await t.http().get(`/v1/customers/${cu.id}/data-export`).set(auth)).status).toBe(403);
      const erase = await t.http().post(`/v1/customers/${cu.id}/erase`).set(auth).send({});
      expect(erase.status).toBe(403);
      expect(erase.body.code).toBe('forbidden');
      expect((await t.http().get('/v1/suppressions').set(auth)).status).toBe(403);
      expect((await t.http().put(`/v1/customers/${cu.id}/consent`).set(auth).send({ status: 'opted_out' })).status).toBe(200);
    }
    const bad = await t.http().put(`/v1/customers/${cu.id}/consent`).set(t.auth(appId)).send({ status: 'unknown' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
    const badErase = await t.http().post(`/v1/customers/${cu.id}/erase`).set(t.auth(appId)).send({ scope: 'everyone' });
    expect(badErase.status).toBe(422);
    expect((await t.http().get(`/v1/customers/${cu.id}`).set(t.auth(appId))).status).toBe(200);
    const fromConsole = await t
      .http()
      .put(`/v1/customers/${cu.id}/consent`)
      .set(t.auth(appId))
      .send({ status: 'opted_in', source: 'console' });
    expect(fromConsole.body.consent).toMatchObject({ status: 'opted_in', source: 'console' });
  });

  it("X9, X10 tenancy: another app's customers and suppressions are 404 everywhere, and lists never show them", async () => {
    const [appA, appB] = [newAppId(), newAppId()];
    const fa = factories(t, appA);
    const ch = await fa.channel('wa');
    const email = `shared.${suffix()}@example.com`;
    const victim = await fa.customer(ch, { email });
    const gone = await fa.customer(ch);
    const erase = await t.http().post(`/v1/customers/${gone.id}/erase`).set(t.auth(appA)).send({});
    const suppressionId = erase.body.suppressionIds[0];
    const B = t.auth(appB);
    expect((await t.http().put(`/v1/customers/${victim.id}/consent`).set(B).send({ status: 'opted_out' })).status).toBe(404);
    expect((await t.http().get(`/v1/customers/${victim.id}/consent-history`).set(B)).status).toBe(404);
    expect((await t.http().get(`/v1/customers/${victim.id}/data-export`).set(B)).status).toBe(404);
    expect((await t.http().post(`/v1/customers/${victim.id}/erase`).set(B).send({})).status).toBe(404);
    expect((await t.http().delete(`/v1/suppressions/${suppressionId}`).set(B)).status).toBe(404);
    expect((await t.http().get('/v1/suppressions').set(B)).body.data).toEqual([]);
    expect((await t.http().get('/v1/customers/not-a-uuid/consent-history').set(B)).status).toBe(404);
    // A suppression binds its own app only: another app may hold the same person.
    const fb = factories(t, appB);
    const chB = await fb.channel('wa');
    expect((await t.http().post('/v1/customers').set(B).send({ channelId: chB, identifier: gone.identifier, name: 'Same' })).status).toBe(
      201,
    );
    // Nothing of app A changed.
    expect((await t.http().get(`/v1/customers/${victim.id}`).set(t.auth(appA))).body.consent.status).toBe('unknown');
    expect((await t.http().get('/v1/suppressions').set(t.auth(appA))).body.data).toHaveLength(1);
  });
});
