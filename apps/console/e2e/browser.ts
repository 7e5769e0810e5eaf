import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sign } from 'jsonwebtoken';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';

export type Role = 'admin' | 'supervisor' | 'agent';

/** The service of this run (service.ts). */
export const base = () => inject('base');
export const signInLink = () => inject('link');

/** A token of app `demo` (or `claims.app`), signed with the secret the first start generated into DATA_DIR. */
export function token(role: Role | 'operator' = 'admin', claims: { email?: string; ttl?: number; app?: string } = {}): string {
  const secret = readFileSync(join(inject('dataDir'), 'jwt-secret'), 'utf8').trim();
  return sign({ app: claims.app ?? 'demo', role, sub: `e2e-${role}`, ...(claims.email ? { email: claims.email } : {}) }, secret, {
    algorithm: 'HS256',
    expiresIn: claims.ttl ?? 3600,
  });
}

/** The public API, as the test's own witness of what the console did. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, role: Role = 'admin'): Promise<T> {
  const r = await fetch(`${base()}/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token(role)}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** One Chromium per test file; each test gets a fresh context (its own sessionStorage). */
export function useBrowser(): { context: () => Promise<BrowserContext> } {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    context: async () => {
      const c = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      contexts.push(c);
      return c;
    },
  };
}

/** A page signed in as `role` (the token put into the session as the sign-in link does). */
export async function signedIn(
  context: BrowserContext,
  role: Role = 'admin',
  path = '/customers',
  claims: { email?: string } = {},
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base()}${path}#token=${token(role, claims)}`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** axe on the page as it is: no serious or critical violation (UI12). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // As the user sees it once it has settled: a dialog still fading in has text at part opacity, which axe would
  // judge as low contrast.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  expect(report, `axe on ${screen}`).toEqual([]);
}

/** A screenshot of a screen, kept under docs/console/ (README "Console"). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS === '0') return;
  await page.screenshot({ path: resolve(__dirname, '../../../docs/console', `${name}.png`) });
}
