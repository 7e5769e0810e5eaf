import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { api, base, token, useBrowser } from './browser';

const dist = resolve(__dirname, '../../../dist/console');

describe('Figures (issue 13): initial JavaScript, time to the first page of the Customer List', () => {
  const browser = useBrowser();

  it('the sign-in and Customer List screens load at most 350 kB of JavaScript, gzipped', async () => {
    const page = await (await browser.context()).newPage();
    const scripts = new Set<string>();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
    });
    await page.goto(`${base()}/`);
    await page.getByLabel('Token').fill(token());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tbody tr').first().waitFor();
    const gz = [...scripts].reduce((sum, p) => sum + gzipSync(readFileSync(resolve(dist, `.${p}`)), { level: 9 }).length, 0);
    process.stdout.write(
      `[figure] initial JavaScript of sign-in + Customer List: ${scripts.size} files, ${(gz / 1024).toFixed(1)} kB gzipped\n`,
    );
    expect(gz).toBeLessThanOrEqual(350 * 1024);
  });

  it('the Customer List shows its first page soon after navigation (reported; a benchmark, not a tight bound)', async () => {
    const { count, capped } = await api<{ count: number; capped: boolean }>('POST', '/customers/count', { limit: 1_000_000 });
    const context = await browser.context();
    const page = await context.newPage();
    await page.goto(`${base()}/analytics#token=${token()}`);
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(`${base()}/customers?sort=-createdAt&i=${i}`);
      await page.locator('tbody tr').nth(24).waitFor({ timeout: 30_000 });
      times.push(Date.now() - t0);
    }
    process.stdout.write(
      `[figure] Customer List first page with ${count}${capped ? '+' : ''} customers: ${times.join(' ms, ')} ms (full page loads)\n`,
    );
    expect(Math.min(...times)).toBeLessThan(10_000);
  });
});
