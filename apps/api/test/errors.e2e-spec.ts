import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Errors (API.md "Errors")', () => {
  let t: TestApp;
  const appId = newAppId();
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const patch = () => t.http().patch('/v1/settings/customers').set(t.auth(appId, 'admin'));

  it('unknown routes: 404 not_found as problem+json', async () => {
    const r = await t.http().get('/v1/nope').set(t.auth(appId));
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found' });
    expect(r.body.type).toBe('urn:cdp:problem:not_found');
  });

  it('malformed JSON: 400 malformed_json, and nothing changes', async () => {
    const r = await patch().set('Content-Type', 'application/json').send('{"timezone": "Asia/Jakarta",');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('malformed_json');
    const s = await t.http().get('/v1/settings/customers').set(t.auth(appId));
    expect(s.body.timezone).toBe('UTC');
  });

  it('unknown fields and wrong types: 422 validation_failed with per-field errors', async () => {
    const r = await patch().send({ timezone: 5, color: 'red' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('validation_failed');
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['color', 'timezone']);
    expect(r.body.errors.find((e: { field: string }) => e.field === 'color').code).toBe('unknown_field');
  });

  it('an empty query is judged by its own rules every time: required fields stay required, unknown ones stay refused', async () => {
    // The pipe answers a repeated empty query of a class without validating it again (http/validation.ts).
    const fieldsOf = (r: { body: { errors: { field: string }[] } }) => [...new Set(r.body.errors.map((e) => e.field))].sort();
    for (let i = 0; i < 3; i++) {
      const analytics = await t.http().get('/v1/analytics/customers').set(t.auth(appId));
      expect({ status: analytics.status, code: analytics.body.code }).toEqual({ status: 422, code: 'validation_failed' });
      expect(fieldsOf(analytics)).toEqual(['from', 'to']);
      const list = await t.http().get('/v1/customers').set(t.auth(appId));
      expect(list.status).toBe(200);
      const unknown = await t.http().get('/v1/customers?color=red').set(t.auth(appId));
      expect({ status: unknown.status, fields: fieldsOf(unknown) }).toEqual({ status: 422, fields: ['color'] });
      const wrong = await t.http().get('/v1/customers?limit=0').set(t.auth(appId));
      expect({ status: wrong.status, fields: fieldsOf(wrong) }).toEqual({ status: 422, fields: ['limit'] });
    }
  });

  it('a body over 1 MB: 413 payload_too_large', async () => {
    const r = await patch().send({ timezone: 'x'.repeat(1024 * 1024 + 10) });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });

  it('a wrong media type: 415 unsupported_media_type', async () => {
    const r = await patch().set('Content-Type', 'application/xml').send('<timezone>UTC</timezone>');
    expect(r.status).toBe(415);
    expect(r.body.code).toBe('unsupported_media_type');
  });

  it('no stack trace, SQL or library text reaches the client', async () => {
    const r = await patch().set('Content-Type', 'application/json').send('{"a":');
    expect(JSON.stringify(r.body)).not.toMatch(/at \w+ \(|node_modules|Unexpected|SyntaxError|FST_/);
  });

  it('every response carries a request id, and a sane caller id is kept', async () => {
    const r = await t.http().get('/health').set('X-Request-Id', 'abc-123');
    expect(r.headers['x-request-id']).toBe('abc-123');
    const r2 = await t.http().get('/health');
    expect(r2.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
