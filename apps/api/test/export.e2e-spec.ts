import { parse } from 'csv-parse/sync';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Db, JobRunner, sql } from '@cdp/platform';
import { factories } from './support/factories';
import { eventually } from './support/eventually';
import { createTestApp, newAppId, onRealServices, type Role, type TestApp } from './support/test-app';

const transport = onRealServices ? 'BullMQ' : 'in-process';
const IMPORT_HEADER = 'name,identifier,email,phone_number,channel_id,source,channel_name';
const EXPORT_HEADER = [
  ...IMPORT_HEADER.split(','),
  'consent',
  'id',
  'customer_source',
  'platform',
  'tags',
  'properties',
  'linked',
  'main_channel',
  'created_at',
];

interface Mail {
  to: string[];
  raw: string;
}

/** A real SMTP peer on 127.0.0.1 that keeps what it receives. */
async function startSmtp(): Promise<{ port: number; inbox: Mail[]; stop: () => Promise<void> }> {
  const inbox: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    inbox,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The download link of a mail, as path and query (the public origin `http://cdp.test` is the test server). */
function linkIn(mail: Mail): string {
  // Quoted-printable soft line breaks are undone before looking for the link.
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = text.match(/http:\/\/cdp\.test(\/v1\/exports\/[0-9a-f-]+\/download\?token=[A-Za-z0-9_-]+)/);
  if (!m) throw new Error(`no link in mail:\n${mail.raw}`);
  return m[1];
}

describe(`Customer export (IE5, IE6) — jobs ${transport}`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  async function waitFor(path: string, appId: string, role: Role = 'admin') {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await t.http().get(path).set(t.auth(appId, role));
      expect(r.status).toBe(200);
      if (r.body.status === 'completed' || r.body.status === 'failed') return r.body;
      if (Date.now() > deadline) throw new Error(`${path} still ${r.body.status}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  async function exportOf(appId: string, body: Record<string, unknown>, role: Role = 'admin') {
    const r = await t.http().post('/v1/customers/exports').set(t.auth(appId, role)).send(body);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ id: expect.any(String), status: 'queued', rowCount: null, email: String(body.email).toLowerCase() });
    const done = await waitFor(`/v1/customers/exports/${r.body.id}`, appId, role);
    const mailOf = () => smtp.inbox.find((m) => m.raw.includes(`/v1/exports/${r.body.id}/download`));
    // The mail goes out right after the export is completed (issue 11: a link in a mail always finds a completed export).
    const mail =
      done.status === 'completed' ? await eventually(() => mailOf() ?? Promise.reject(new Error('no mail yet')), 30_000) : mailOf();
    return { done, mail };
  }

  async function download(path: string) {
    const r = await t
      .http()
      .get(path)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return r;
  }

  function rowsOf(csv: Buffer): Record<string, string>[] {
    return parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  }

  async function importCsv(appId: string, csv: string) {
    const r = await t.http().post('/v1/customers/imports').set(t.auth(appId)).attach('file', Buffer.from(csv), 'export.csv');
    expect(r.status).toBe(202);
    return waitFor(`/v1/customers/imports/${r.body.id}`, appId);
  }

  it('IE5: the customers matching the filter are mailed as a link; the link downloads the CSV, newest first', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa', undefined, 'WA Jakarta');
    const line = await f.channel('line');
    await f.property('city', 'text', { label: 'City' });
    const budi = await f.customer(wa, {
      identifier: '6281234567890',
      name: 'Budi',
      email: 'budi@example.com',
      phoneNumber: '+6281234567890',
      tags: ['vip', 'gold'],
      platform: 'mobile',
    });
    await t.http().put(`/v1/customers/${budi.id}/properties`).set(t.auth(appId)).send({ city: 'Jakarta' });
    const siti = await f.customer(wa, { identifier: '6281299990000', name: 'Siti' });
    await f.customer(line, { identifier: `U${'a'.repeat(32)}`, name: 'Not on WA' });

    const started = Date.now();
    const { done, mail } = await exportOf(appId, { filter: { channelIds: [wa] }, email: 'Ana@Example.com' });
    expect(done).toMatchObject({
      status: 'completed',
      rowCount: 2,
      email: 'ana@example.com',
      filter: { channelIds: [wa] },
      failureReason: null,
    });
    expect(Date.parse(done.linkExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(mail).toBeDefined();
    expect(mail!.to).toEqual(['ana@example.com']);
    expect(mail!.raw).toMatch(/^Subject: Your customer export is ready$/m);
    const path = linkIn(mail!);
    const r = await download(path);
    console.log(`[measure] small export, request → mail sent (${transport}): ${Date.now() - started} ms`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
    const header = parse(r.body, { bom: true, to_line: 1 })[0];
    expect(header).toEqual(EXPORT_HEADER);
    const rows = rowsOf(r.body);
    expect(rows.map((x) => x.name)).toEqual(['Siti', 'Budi']);
    expect(rows[1]).toEqual({
      name: 'Budi',
      identifier: '6281234567890',
      email: 'budi@example.com',
      phone_number: '+6281234567890',
      channel_id: wa,
      source: 'wa',
      channel_name: 'WA Jakarta',
      consent: 'unknown',
      id: budi.id,
      customer_source: 'admin',
      platform: 'mobile',
      tags: 'vip|gold',
      properties: '{"city":"Jakarta"}',
      linked: 'false',
      main_channel: 'false',
      created_at: budi.createdAt,
    });
    expect(rows[0]).toMatchObject({ id: siti.id, email: '', phone_number: '', tags: '', properties: '{}', platform: '' });
    // The link works without a bearer token, more than once while it is valid.
    expect((await download(path)).status).toBe(200);
  });

  it('IE5: the filter is checked at request time with the search codes; a bad e-mail is 422; nothing is queued', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const line = await f.channel('line');
    const ads = await t
      .http()
      .post('/v1/customers/exports')
      .set(t.auth(appId))
      .send({ filter: { sources: ['ads'] }, email: 'a@example.com' });
    expect(ads.status).toBe(422);
    expect(ads.body.code).toBe('source_requires_whatsapp');
    const adsLine = await t
      .http()
      .post('/v1/customers/exports')
      .set(t.auth(appId))
      .send({ filter: { channelIds: [line], sources: ['broadcast'] }, email: 'a@example.com' });
    expect(adsLine.body.code).toBe('source_requires_whatsapp');
    const foreign = await t
      .http()
      .post('/v1/customers/exports')
      .set(t.auth(appId))
      .send({ filter: { channelIds: [await factories(t, newAppId()).channel('wa')] }, email: 'a@example.com' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('validation_failed');
    const tooMany = await t
      .http()
      .post('/v1/customers/exports')
      .set(t.auth(appId))
      .send({
        filter: { properties: { match: 'all', conditions: Array.from({ length: 6 }, () => ({ key: 'city', operator: 'is_set' })) } },
        email: 'a@example.com',
      });
    expect(tooMany.body.code).toBe('too_many_property_conditions');
    for (const body of [
      { email: 'not-an-email' },
      {},
      { email: 'a@example.com', extra: 1 },
      { email: 'a@example.com', filter: { nope: 1 } },
    ]) {
      const r = await t.http().post('/v1/customers/exports').set(t.auth(appId)).send(body);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
    }
    expect((await t.http().get('/v1/customers/exports').set(t.auth(appId))).body.data).toEqual([]);
  });

  it('IE5: at most 1,000 rows: the latest 1,000 by creation when more match', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const tg = await f.channel('telegram');
    const first = await f.customer(tg, { identifier: '1', name: 'The oldest' });
    const rows = Array.from({ length: 1000 }, (_, i) => `Customer ${i},${1000 + i},c${i}@example.com,,${tg},telegram,`);
    expect((await importCsv(appId, [IMPORT_HEADER, ...rows].join('\n'))).createdCount).toBe(1000);
    const last = await f.customer(tg, { identifier: '2', name: 'The newest' });

    const started = Date.now();
    const { done, mail } = await exportOf(appId, { email: 'ops@example.com' });
    console.log(`[measure] 1,000-row export, request → mail sent (${transport}): ${Date.now() - started} ms`);
    expect(done.rowCount).toBe(1000);
    const csv = rowsOf((await download(linkIn(mail!))).body);
    expect(csv).toHaveLength(1000);
    expect(csv[0].id).toBe(last.id);
    expect(csv.some((x) => x.id === first.id)).toBe(false);
    // Newest first all the way down (created_at desc, id desc).
    const keys = csv.map((x) => `${x.created_at}|${x.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
  });

  it('IE5: cells that a spreadsheet would run as formulas are escaped; phone numbers and numbers are not; the file imports back', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const tg = await f.channel('telegram');
    const tiktok = await f.channel('tiktok');
    const names = ['=HYPERLINK("http://evil.test","x")', "+cmd|' /C calc'!A0", '-2+3+cmd', '@SUM(A1:A2)', 'Plain -name'];
    const made: { id: string }[] = [];
    for (const [i, name] of names.entries())
      made.push(await f.customer(tg, { identifier: String(300 + i), name, phoneNumber: '+6281234567890' }));
    made.push(await f.customer(tiktok, { identifier: '-abc_123', name: '-42' }));
    const { mail } = await exportOf(appId, { email: 'sec@example.com' });
    const file = (await download(linkIn(mail!))).body as Buffer;
    const rows = rowsOf(file);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(made.map((c) => byId.get(c.id)!.name)).toEqual([
      '\'=HYPERLINK("http://evil.test","x")',
      "'+cmd|' /C calc'!A0",
      "'-2+3+cmd",
      "'@SUM(A1:A2)",
      'Plain -name',
      '-42',
    ]);
    expect(byId.get(made[0].id)!.phone_number).toBe('+6281234567890');
    expect(byId.get(made[5].id)!.identifier).toBe("'-abc_123");

    // Into the same app, unedited: every row's customer exists.
    const same = await importCsv(appId, file.toString('utf8'));
    expect(same).toMatchObject({ status: 'completed', totalRows: 6, createdCount: 0, skippedCount: 6, failedCount: 0 });
    expect(new Set(same.errors.map((e: { code: string }) => e.code))).toEqual(new Set(['customer_exists']));
    // Delete two customers, import the same file again: exactly they come back, with the original values.
    for (const c of [made[0], made[5]]) expect((await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(204);
    const back = await importCsv(appId, file.toString('utf8'));
    expect(back).toMatchObject({ createdCount: 2, skippedCount: 4, failedCount: 0 });
    const search = await t.http().post('/v1/customers/search').set(t.auth(appId)).send({ limit: 100 });
    const restored = search.body.data.filter((c: { id: string }) => !made.some((m) => m.id === c.id));
    expect(
      restored.map((c: { name: string; identifier: string; phoneNumber: string | null }) => [c.name, c.identifier, c.phoneNumber]).sort(),
    ).toEqual([
      ['-42', '-abc_123', null],
      [names[0], '300', '+6281234567890'],
    ]);
  });

  it("IE5: a wrong, missing or expired token, another export's token, or an unknown id: 404 not_found", async () => {
    const a = newAppId();
    const b = newAppId();
    const [fa, fb] = [factories(t, a), factories(t, b)];
    await fa.customer(await fa.channel('telegram'), { identifier: '1', name: 'A' });
    await fb.customer(await fb.channel('telegram'), { identifier: '1', name: 'B' });
    const ea = await exportOf(a, { email: 'a@example.com' });
    const eb = await exportOf(b, { email: 'b@example.com' });
    const pathA = linkIn(ea.mail!);
    const tokenA = new URL(`http://x${pathA}`).searchParams.get('token')!;
    expect((await download(pathA)).status).toBe(200);
    const bad = [
      `/v1/exports/${ea.done.id}/download?token=${tokenA.slice(0, -1)}x`,
      `/v1/exports/${ea.done.id}/download`,
      `/v1/exports/${ea.done.id}/download?token=`,
      `/v1/exports/${eb.done.id}/download?token=${tokenA}`,
      `/v1/exports/00000000-0000-7000-8000-000000000000/download?token=${tokenA}`,
      `/v1/exports/not-a-uuid/download?token=${tokenA}`,
    ];
    for (const path of bad) {
      const r = await t.http().get(path);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('not_found');
    }
    await t.app
      .get(Db)
      .run(sql`update exports set token_expires_at = now() - interval '1 second' where app_id = ${a} and id = ${ea.done.id}::uuid`);
    const expired = await t.http().get(pathA);
    expect(expired.status).toBe(404);
    expect(expired.body.code).toBe('not_found');
  });

  it('IE5: another app gets 404 for an export and never lists it; lists are keyset pages', async () => {
    const a = newAppId();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await exportOf(a, { email: `x${i}@example.com` })).done.id);
    const other = await t.http().get(`/v1/customers/exports/${ids[0]}`).set(t.auth(newAppId()));
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('not_found');
    expect((await t.http().get('/v1/customers/exports').set(t.auth(newAppId()))).body.data).toEqual([]);
    const p1 = await t.http().get('/v1/customers/exports?limit=2').set(t.auth(a));
    expect(p1.body.data.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    const p2 = await t
      .http()
      .get(`/v1/customers/exports?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`)
      .set(t.auth(a));
    expect(p2.body).toEqual({ data: [expect.objectContaining({ id: ids[0], rowCount: 0, status: 'completed' })], nextCursor: null });
    expect((await t.http().get('/v1/customers/exports?cursor=forged.x').set(t.auth(a))).body.code).toBe('invalid_cursor');
  });

  it('IE6: every export is in the audit log: who asked, the filter, the recipient and the row count', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    await f.customer(wa, { identifier: '6281234567890', name: 'Budi' });
    const token = t.token(appId, 'admin', { sub: 'user-bo', email: 'bo@example.com' });
    const r = await t
      .http()
      .post('/v1/customers/exports')
      .set({ Authorization: `Bearer ${token}` })
      .send({ filter: { channelTypes: ['wa'] }, email: 'report@example.com' });
    expect(r.status).toBe(202);
    await waitFor(`/v1/customers/exports/${r.body.id}`, appId);
    const log = await t.http().get('/v1/audit-log').set(t.auth(appId));
    const mine = log.body.data.filter((e: { subject: string }) => e.subject === `export:${r.body.id}`);
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['customers.exported', 'customers.export_requested']);
    expect(mine[1]).toMatchObject({
      actor: { userId: 'user-bo', email: 'bo@example.com' },
      details: { filter: { channelTypes: ['wa'] }, recipient: 'report@example.com' },
    });
    expect(mine[0]).toMatchObject({
      actor: { userId: 'user-bo' },
      details: { filter: { channelTypes: ['wa'] }, recipient: 'report@example.com', rowCount: 1 },
    });
  });

  it('IE6: agents and supervisors may not export or see exports until an admin turns on "Agent can Import & Export Customer Data"', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await f.customer(await f.channel('telegram'), { identifier: '1', name: 'A' });
    const adminExport = (await exportOf(appId, { email: 'a@example.com' })).done;
    for (const role of ['agent', 'supervisor'] as Role[]) {
      const calls = [
        t.http().post('/v1/customers/exports').set(t.auth(appId, role)).send({ email: 'a@example.com' }),
        t.http().get('/v1/customers/exports').set(t.auth(appId, role)),
        t.http().get(`/v1/customers/exports/${adminExport.id}`).set(t.auth(appId, role)),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(res.body.detail).toContain('Agent can Import & Export Customer Data');
      }
    }
    expect((await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ agentCanImportExport: true })).status).toBe(200);
    for (const role of ['agent', 'supervisor'] as Role[]) {
      const { done, mail } = await exportOf(appId, { email: `${role}@example.com` }, role);
      expect(done.rowCount).toBe(1);
      expect(mail!.to).toEqual([`${role}@example.com`]);
    }
  });

  it('IE5: an export whose filter no longer holds when the job runs fails with a reason the API shows', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    // The channel is deleted and the job runs again from the start: the request's check passed, the job's does not.
    const db = t.app.get(Db);
    const r = await t
      .http()
      .post('/v1/customers/exports')
      .set(t.auth(appId))
      .send({ filter: { channelIds: [wa] }, email: 'a@example.com' });
    expect(r.status).toBe(202);
    const first = await waitFor(`/v1/customers/exports/${r.body.id}`, appId);
    expect(first.status).toBe('completed');
    expect((await t.http().delete(`/v1/channels/${wa}`).set(t.auth(appId))).status).toBe(204);
    await db.run(
      sql`update exports set status = 'queued', csv = null, row_count = null, mail_sent_at = null, completed_at = null where id = ${r.body.id}::uuid`,
    );
    await t.app.get(JobRunner).enqueue('customers.export', { appId, exportId: r.body.id }, { jobId: `${r.body.id}-again`, attempts: 1 });
    const failed = await waitFor(`/v1/customers/exports/${r.body.id}`, appId);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/could not be completed: The filter is not valid/);
  });

  it('issue 11: an export found completed without its mail (the process died in between) gets its mail when resumed; the link in it works', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await f.customer(await f.channel('line'));
    const first = await exportOf(appId, { email: 'ops@example.com' });
    expect(first.done.status).toBe('completed');
    // The first run records its mail as sent just after the mail went out: wait for that, then stand for a
    // process that died before the mail was recorded (mail_sent_at back to null).
    await eventually(async () => {
      const row = await t.app
        .get(Db)
        .one<{ sent: boolean }>(sql`select mail_sent_at is not null as sent from exports where id = ${first.done.id}::uuid`);
      expect(row?.sent).toBe(true);
    });
    const before = smtp.inbox.length;
    await t.app.get(Db).run(sql`update exports set mail_sent_at = null where id = ${first.done.id}::uuid`);
    await t.app
      .get(JobRunner)
      .enqueue('customers.export', { appId, exportId: first.done.id }, { jobId: `${first.done.id}-resumed`, attempts: 1 });
    const mail = await eventually(
      () =>
        smtp.inbox.slice(before).find((m) => m.raw.includes(`/v1/exports/${first.done.id}/download`)) ??
        Promise.reject(new Error('no mail')),
      30_000,
    );
    const r = await download(linkIn(mail));
    expect(r.status).toBe(200);
    expect((await t.http().get(`/v1/customers/exports/${first.done.id}`).set(t.auth(appId))).body).toMatchObject({
      status: 'completed',
      rowCount: 1,
    });
    // Its mail is recorded as sent: running the job once more sends nothing.
    await t.app
      .get(JobRunner)
      .enqueue('customers.export', { appId, exportId: first.done.id }, { jobId: `${first.done.id}-third`, attempts: 1 });
    await new Promise((res) => setTimeout(res, 500));
    expect(smtp.inbox.slice(before).filter((m) => m.raw.includes(`/v1/exports/${first.done.id}/download`))).toHaveLength(1);
  });
});
