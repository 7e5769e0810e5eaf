import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Settings (API.md "Settings")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('every role reads the defaults', async () => {
    const appId = newAppId();
    for (const role of ['admin', 'supervisor', 'agent'] as const) {
      const r = await t.http().get('/v1/settings/customers').set(t.auth(appId, role));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        agentCanImportExport: false,
        timezone: 'UTC',
        defaultCountry: 'ID',
        groupMemberLimit: 10000,
        plan: 'standard',
      });
    }
  });

  it('an admin changes agentCanImportExport, timezone and defaultCountry; other fields are kept', async () => {
    const appId = newAppId();
    const a = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: 'Asia/Jakarta' });
    expect(a.status).toBe(200);
    expect(a.body.timezone).toBe('Asia/Jakarta');
    const b = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ agentCanImportExport: true, defaultCountry: 'TH' });
    expect(b.body).toEqual({
      agentCanImportExport: true,
      timezone: 'Asia/Jakarta',
      defaultCountry: 'TH',
      groupMemberLimit: 10000,
      plan: 'standard',
    });
    const c = await t.http().get('/v1/settings/customers').set(t.auth(appId, 'agent'));
    expect(c.body).toEqual(b.body);
  });

  it('supervisors and agents may not change settings (403 forbidden)', async () => {
    const appId = newAppId();
    for (const role of ['supervisor', 'agent'] as const) {
      const r = await t.http().patch('/v1/settings/customers').set(t.auth(appId, role)).send({ timezone: 'Asia/Jakarta' });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
      expect(r.body.detail).toMatch(/admin/i);
    }
  });

  it('plan or groupMemberLimit through the admin endpoint: 422 validation_failed, nothing changed', async () => {
    const appId = newAppId();
    for (const body of [{ plan: 'enterprise' }, { groupMemberLimit: 50000 }, { timezone: 'Asia/Jakarta', plan: 'enterprise' }]) {
      const r = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send(body);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
    }
    const s = await t.http().get('/v1/settings/customers').set(t.auth(appId));
    expect(s.body.timezone).toBe('UTC');
  });

  it('a bad time zone or country: 422 with the field named', async () => {
    const appId = newAppId();
    const tz = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: 'Mars/Olympus' });
    expect(tz.status).toBe(422);
    expect(tz.body.errors[0].field).toBe('timezone');
    const c = await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ defaultCountry: 'XX' });
    expect(c.status).toBe(422);
    expect(c.body.errors[0].field).toBe('defaultCountry');
  });

  it('the operator sets plan and groupMemberLimit of any app; the app sees them', async () => {
    const appId = newAppId();
    const r = await t
      .http()
      .patch(`/v1/operator/apps/${appId}/settings`)
      .set(t.auth('platform', 'operator'))
      .send({ plan: 'enterprise', groupMemberLimit: 25000 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ plan: 'enterprise', groupMemberLimit: 25000 });
    const s = await t.http().get('/v1/settings/customers').set(t.auth(appId, 'agent'));
    expect(s.body).toMatchObject({ plan: 'enterprise', groupMemberLimit: 25000, timezone: 'UTC' });
    const bad = await t
      .http()
      .patch(`/v1/operator/apps/${appId}/settings`)
      .set(t.auth('platform', 'operator'))
      .send({ groupMemberLimit: 0 });
    expect(bad.status).toBe(422);
    const badPlan = await t.http().patch(`/v1/operator/apps/${appId}/settings`).set(t.auth('platform', 'operator')).send({ plan: 'gold' });
    expect(badPlan.status).toBe(422);
  });

  it("settings are per app: one app never sees another app's settings", async () => {
    const a = newAppId();
    const b = newAppId();
    await t.http().patch('/v1/settings/customers').set(t.auth(a)).send({ timezone: 'Asia/Bangkok' });
    const s = await t.http().get('/v1/settings/customers').set(t.auth(b));
    expect(s.body.timezone).toBe('UTC');
  });

  it('settings changes are in the audit log, readable by admins only', async () => {
    const appId = newAppId();
    await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ agentCanImportExport: true });
    const log = await t.http().get('/v1/audit-log').set(t.auth(appId));
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ action: 'settings.updated', actor: { role: 'admin' } });
    expect(log.body.data[0].details.after.agentCanImportExport).toBe(true);
    expect(log.body.nextCursor).toBeNull();
    const agent = await t.http().get('/v1/audit-log').set(t.auth(appId, 'agent'));
    expect(agent.status).toBe(403);
    const other = await t.http().get('/v1/audit-log').set(t.auth(newAppId()));
    expect(other.body.data).toHaveLength(0);
  });

  it('the audit log pages by cursor; a forged cursor is 422 invalid_cursor', async () => {
    const appId = newAppId();
    for (const tz of ['Asia/Jakarta', 'Asia/Bangkok', 'UTC'])
      await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: tz });
    const p1 = await t.http().get('/v1/audit-log?limit=2').set(t.auth(appId));
    expect(p1.body.data).toHaveLength(2);
    const p2 = await t
      .http()
      .get(`/v1/audit-log?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`)
      .set(t.auth(appId));
    expect(p2.body.data).toHaveLength(1);
    expect(p2.body.nextCursor).toBeNull();
    const forged = await t
      .http()
      .get(`/v1/audit-log?cursor=${encodeURIComponent(p1.body.nextCursor.slice(0, -2) + 'xx')}`)
      .set(t.auth(appId));
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe('invalid_cursor');
    const foreign = await t
      .http()
      .get(`/v1/audit-log?cursor=${encodeURIComponent(p1.body.nextCursor)}`)
      .set(t.auth(newAppId()));
    expect(foreign.status).toBe(422);
    const big = await t.http().get('/v1/audit-log?limit=101').set(t.auth(appId));
    expect(big.status).toBe(422);
    expect(big.body.code).toBe('validation_failed');
  });
});
