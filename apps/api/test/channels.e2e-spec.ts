import { Injectable, Module } from '@nestjs/common';
import { ChannelPlugin, ChannelsService, InvalidIdentifierError, type ChannelAdapter } from '@cdp/channels';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

// A channel type defined only here: one adapter class and one module, nothing else changed (CH1, DESIGN.md).
@ChannelPlugin({ type: 'viber' })
@Injectable()
class ViberAdapter implements ChannelAdapter {
  readonly type = 'viber';
  readonly name = 'Viber';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = { description: 'A Viber user id: 24 base64 characters ending in ==', example: 'Ab3dEf6hIj9kLm2nOp5qRs==' };
  validateConfig(raw: unknown) {
    return {
      config: {},
      issues:
        raw && typeof raw === 'object' && Object.keys(raw).length ? [{ field: 'config', code: 'unknown_key', message: 'no settings' }] : [],
    };
  }
  normalizeIdentifier(raw: string) {
    return raw.trim();
  }
  validateIdentifier(id: string) {
    return /^[A-Za-z0-9+/]{22}==$/.test(id) ? [] : [{ field: 'identifier', code: 'invalid_identifier', message: 'not a Viber id' }];
  }
}

@Module({ providers: [ViberAdapter] })
class ViberChannelModule {}

describe('Channels (CH1–CH4, API.md "Channels")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ViberChannelModule] });
  });
  afterAll(() => t.close());

  const create = (appId: string, body: object, role: 'admin' | 'agent' = 'admin') =>
    t.http().post('/v1/channels').set(t.auth(appId, role)).send(body);

  it('CH1/CH4: channel types with their declared sources; only WhatsApp allows ads and broadcast', async () => {
    const r = await t.http().get('/v1/channel-types').set(t.auth(newAppId(), 'agent'));
    expect(r.status).toBe(200);
    const types = Object.fromEntries(r.body.map((x: { type: string; sources: string[] }) => [x.type, [...x.sources].sort()]));
    for (const type of ['qiscus', 'wa', 'line', 'fb', 'ig', 'telegram', 'tiktok', 'custom']) expect(types[type]).toBeDefined();
    expect(types.wa).toEqual(['admin', 'ads', 'broadcast', 'organic']);
    for (const type of ['qiscus', 'line', 'fb', 'ig', 'telegram', 'tiktok', 'custom']) expect(types[type]).toEqual(['admin', 'organic']);
    const wa = r.body.find((x: { type: string }) => x.type === 'wa');
    expect(wa).toMatchObject({ name: 'WhatsApp', identifier: { example: '6281234567890' } });
  });

  it('CH1: a plugin defined in a test module appears in /v1/channel-types and its channels validate identifiers', async () => {
    const r = await t.http().get('/v1/channel-types').set(t.auth(newAppId()));
    expect(r.body.find((x: { type: string }) => x.type === 'viber')).toMatchObject({ name: 'Viber', sources: ['admin', 'organic'] });
    const appId = newAppId();
    const ch = await create(appId, { type: 'viber', name: 'Viber support' });
    expect(ch.status).toBe(201);
    const channels = t.app.get(ChannelsService);
    const instance = await channels.get(appId, ch.body.id);
    expect(channels.checkIdentifier(instance, ' Ab3dEf6hIj9kLm2nOp5qRs== ', {})).toEqual({ identifier: 'Ab3dEf6hIj9kLm2nOp5qRs==' });
    expect(() => channels.checkIdentifier(instance, 'not-viber', {})).toThrow(InvalidIdentifierError);
    // X5 guardrails come before any adapter, third-party ones included.
    expect(() => channels.checkIdentifier(instance, 'anonymous', {})).toThrow(InvalidIdentifierError);
    expect(channels.sourceAllowed('viber', 'ads')).toBe(false);
  });

  it('CH2: an app integrates instances (two WhatsApp numbers), lists and reads them', async () => {
    const appId = newAppId();
    const a = await create(appId, { type: 'wa', name: 'WA Jakarta' });
    const b = await create(appId, { type: 'wa', name: 'WA Bandung' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ type: 'wa', name: 'WA Jakarta', config: {} });
    expect(a.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await t.http().get('/v1/channels').set(t.auth(appId, 'agent'));
    expect(list.status).toBe(200);
    expect(list.body.map((c: { id: string }) => c.id).sort()).toEqual([a.body.id, b.body.id].sort());
    const one = await t.http().get(`/v1/channels/${a.body.id}`).set(t.auth(appId, 'supervisor'));
    expect(one.body).toMatchObject({ id: a.body.id, name: 'WA Jakarta' });
  });

  it('CH2: per-type config: qiscus identifierType defaults to phone; custom takes identifierType and a whole-match pattern', async () => {
    const appId = newAppId();
    const q = await create(appId, { type: 'qiscus', name: 'Widget' });
    expect(q.body.config).toEqual({ identifierType: 'phone' });
    const qe = await create(appId, { type: 'qiscus', name: 'Widget mail', config: { identifierType: 'email' } });
    expect(qe.body.config).toEqual({ identifierType: 'email' });
    const c = await create(appId, { type: 'custom', name: 'CRM', config: { identifierType: 'text', pattern: 'CRM-[0-9]{4}' } });
    expect(c.status).toBe(201);
    expect(c.body.config).toMatchObject({ identifierType: 'text', pattern: 'CRM-[0-9]{4}' });
    const bad = await create(appId, { type: 'qiscus', name: 'x', config: { identifierType: 'fax' } });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('CH2: a pattern that could hang the server, or that does not compile, is refused', async () => {
    const appId = newAppId();
    for (const pattern of ['(a+)+$', '(a|a)*b', '([', 'x'.repeat(500)]) {
      const r = await create(appId, { type: 'custom', name: 'Bad', config: { identifierType: 'text', pattern } });
      expect({ pattern, status: r.status }).toEqual({ pattern, status: 422 });
      expect(r.body.errors.some((e: { field: string }) => e.field === 'config.pattern')).toBe(true);
    }
  });

  it('CH2: only admins write channels; type cannot change; unknown type is 422', async () => {
    const appId = newAppId();
    const denied = await create(appId, { type: 'wa', name: 'WA' }, 'agent');
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    const unknown = await create(appId, { type: 'myspace', name: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('type');
    const ch = await create(appId, { type: 'wa', name: 'WA' });
    const retype = await t.http().patch(`/v1/channels/${ch.body.id}`).set(t.auth(appId)).send({ type: 'line' });
    expect(retype.status).toBe(422);
    const rename = await t.http().patch(`/v1/channels/${ch.body.id}`).set(t.auth(appId)).send({ name: 'WA Surabaya' });
    expect(rename.status).toBe(200);
    expect(rename.body).toMatchObject({ type: 'wa', name: 'WA Surabaya' });
    const del = await t.http().delete(`/v1/channels/${ch.body.id}`).set(t.auth(appId));
    expect(del.status).toBe(204);
    expect((await t.http().get(`/v1/channels/${ch.body.id}`).set(t.auth(appId))).status).toBe(404);
  });

  it("tenancy: app B gets 404 for app A's channel on read, update and delete, and never lists it", async () => {
    const a = newAppId();
    const b = newAppId();
    const ch = await create(a, { type: 'line', name: 'LINE' });
    expect((await t.http().get(`/v1/channels/${ch.body.id}`).set(t.auth(b))).status).toBe(404);
    expect((await t.http().patch(`/v1/channels/${ch.body.id}`).set(t.auth(b)).send({ name: 'mine' })).status).toBe(404);
    expect((await t.http().delete(`/v1/channels/${ch.body.id}`).set(t.auth(b))).status).toBe(404);
    expect((await t.http().get('/v1/channels').set(t.auth(b))).body).toEqual([]);
    expect((await t.http().get(`/v1/channels/${ch.body.id}`).set(t.auth(a))).body.name).toBe('LINE');
    expect((await t.http().get('/v1/channels/not-a-uuid').set(t.auth(a))).status).toBe(404);
  });

  it('the channel endpoints are in the OpenAPI document', async () => {
    const spec = (await t.http().get('/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/channel-types', '/v1/channels', '/v1/channels/{id}']));
    expect(spec.components.securitySchemes).toHaveProperty('bearer');
    expect(spec.components.securitySchemes).toHaveProperty('api-key');
  });
});
