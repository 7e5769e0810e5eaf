import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/** A built console as Vite lays it out: index.html, hashed files under assets/, a few plain public files. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-AbC123.js"></script></body></html>',
  );
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log("console")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('The console is served at / (API.md "Console", issue 13)', () => {
  let t: TestApp;
  let dir: string;
  const appId = newAppId();
  beforeAll(async () => {
    dir = fakeBuild();
    t = await createTestApp({ consoleDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('GET / and any page path of the console answer its index.html, never cached', async () => {
    for (const url of ['/', '/customers', '/customers/0b7f3c1e-1111-4222-8333-444455556666', '/groups?x=1', '/settings/agent']) {
      const r = await get(url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('<div id="root">');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('hashed assets are cached for a year; a missing asset is a 404, not the page', async () => {
    const js = await get('/assets/index-AbC123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await get('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const missing = await get('/assets/gone-123.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it('the console answers with a Content-Security-Policy of its own origin only, and the usual security headers', async () => {
    for (const url of ['/', '/customers', '/assets/index-AbC123.js']) {
      const r = await get(url);
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('never shadows the API: unknown /v1 paths stay 404 problems, /health, /openapi.json and /docs keep working', async () => {
    const nope = await t.http().get('/v1/nope').set(t.auth(appId));
    expect(nope.status).toBe(404);
    expect(nope.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(nope.body.code).toBe('not_found');
    const deep = await get('/v1/customers/x/y/z');
    expect(deep.statusCode).toBe(404);
    expect(deep.headers['content-type']).toMatch(/^application\/problem\+json/);
    const v1 = await get('/v1');
    expect(v1.statusCode).toBe(404);
    expect(v1.headers['content-type']).toMatch(/^application\/problem\+json/);

    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    const doc = await t.http().get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);

    // Swagger UI keeps its inline scripts and styles: the console's policy is not put on it.
    const docs = await get('/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    expect(docs.headers['content-security-policy']).toBeUndefined();
    const api = await t.http().get('/v1/settings/customers').set(t.auth(appId));
    expect(api.status).toBe(200);
    expect(api.headers['content-security-policy']).toBeUndefined();
  });

  it('without a built console, / says how to build it', async () => {
    const bare = await createTestApp({ consoleDir: join(dir, 'not-there') });
    try {
      const r = await bare.app.inject({ method: 'GET', url: '/' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('npm run build');
      expect((await bare.app.inject({ method: 'GET', url: '/v1/nope' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
