import { sign } from 'jsonwebtoken';
import { createTestApp, newAppId, TEST_SECRET, type TestApp } from './support/test-app';

describe('Auth (API.md "Auth and roles")', () => {
  let t: TestApp;
  const appId = newAppId();
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (headers: Record<string, string> = {}) => t.http().get('/v1/settings/customers').set(headers);

  it('401 unauthorized without a token, as problem+json', async () => {
    const r = await get();
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('401 for a malformed header, a token signed with another secret, an expired token, and alg none', async () => {
    const other = sign({ app: appId, role: 'admin', sub: 'u' }, 'another-secret-'.padEnd(40, 'y'), { algorithm: 'HS256' });
    const expired = sign({ app: appId, role: 'admin', sub: 'u', exp: Math.floor(Date.now() / 1000) - 10 }, TEST_SECRET, {
      algorithm: 'HS256',
    });
    const none =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ app: appId, role: 'admin' })).toString('base64url') +
      '.';
    for (const h of ['Basic abc', 'Bearer', `Bearer ${other}`, `Bearer ${expired}`, `Bearer ${none}`, 'Bearer not.a.jwt']) {
      const r = await get({ Authorization: h });
      expect({ h, status: r.status, code: r.body.code }).toEqual({ h, status: 401, code: 'unauthorized' });
    }
  });

  it('401 for a valid signature without app or role, or with an unknown role', async () => {
    for (const claims of [{ role: 'admin' }, { app: appId }, { app: appId, role: 'root' }, { app: '', role: 'admin' }]) {
      const token = sign({ sub: 'u', ...claims }, TEST_SECRET, { algorithm: 'HS256' });
      const r = await get({ Authorization: `Bearer ${token}` });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthorized');
    }
  });

  it('a valid token reaches the API with its app', async () => {
    const r = await get(t.auth(appId, 'agent'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      agentCanImportExport: false,
      timezone: 'UTC',
      defaultCountry: 'ID',
      groupMemberLimit: 10000,
      plan: 'standard',
    });
  });

  it('the operator may use only /v1/operator routes; the other roles may not use them', async () => {
    const op = await get(t.auth(appId, 'operator'));
    expect(op.status).toBe(403);
    expect(op.body.code).toBe('forbidden');
    for (const role of ['admin', 'supervisor', 'agent'] as const) {
      const r = await t.http().patch(`/v1/operator/apps/${appId}/settings`).set(t.auth(appId, role)).send({ plan: 'enterprise' });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
  });

  it('a token accepted before stops working at its expiry, and one not yet valid (nbf) is refused until then', async () => {
    // The guard remembers tokens it has verified; their times are judged again on every request.
    const now = Math.floor(Date.now() / 1000);
    const shortLived = sign({ app: appId, role: 'admin', sub: 'u', exp: now + 2 }, TEST_SECRET, { algorithm: 'HS256' });
    expect((await get({ Authorization: `Bearer ${shortLived}` })).status).toBe(200);
    expect((await get({ Authorization: `Bearer ${shortLived}` })).status).toBe(200);
    await new Promise((r) => setTimeout(r, (now + 2 - Date.now() / 1000) * 1000 + 50));
    const late = await get({ Authorization: `Bearer ${shortLived}` });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 401, code: 'unauthorized' });

    const early = sign({ app: appId, role: 'admin', sub: 'u', nbf: now + 3600, exp: now + 7200 }, TEST_SECRET, { algorithm: 'HS256' });
    for (let i = 0; i < 2; i++) expect((await get({ Authorization: `Bearer ${early}` })).status).toBe(401);
  });

  it('each token acts with its own app and role, however often it is used (tenancy)', async () => {
    const other = newAppId();
    await t.http().patch(`/v1/operator/apps/${other}/settings`).set(t.auth(other, 'operator')).send({ plan: 'enterprise' }).expect(200);
    const mine = t.auth(appId, 'agent');
    const theirs = t.auth(other, 'admin');
    for (let i = 0; i < 3; i++) {
      const a = await get(mine);
      const b = await get(theirs);
      expect([a.body.plan, b.body.plan]).toEqual(['standard', 'enterprise']);
      // The agent may not change settings, the other app's admin may; neither reaches the other app.
      expect((await t.http().patch('/v1/settings/customers').set(mine).send({ timezone: 'Asia/Jakarta' })).status).toBe(403);
    }
    expect((await t.http().patch('/v1/settings/customers').set(theirs).send({ timezone: 'Asia/Jakarta' })).status).toBe(200);
    expect((await get(mine)).body.timezone).toBe('UTC');
    expect((await get(theirs)).body.timezone).toBe('Asia/Jakarta');
  });

  it('public routes need no token: /health, /openapi.json, /docs', async () => {
    expect((await t.http().get('/health')).status).toBe(200);
    expect((await t.http().get('/openapi.json')).status).toBe(200);
    const docs = await t.http().get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger/i);
  });
});
