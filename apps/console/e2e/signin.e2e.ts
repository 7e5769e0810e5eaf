import { describe, expect, it } from 'vitest';
import { base, expectAccessible, screenshot, signInLink, token, useBrowser } from './browser';

describe('UI1 sign in', () => {
  const browser = useBrowser();

  it('UI1 the first start link signs in: the token leaves the address bar at once, the header shows app and role', async () => {
    const page = await (await browser.context()).newPage();
    await page.goto(signInLink());
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(page.url()).not.toContain('token');
    expect(page.url()).toBe(`${base()}/customers`);
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('cdp.token'))).toBeTruthy();
    expect(await page.getByLabel('Signed-in app').textContent()).toContain('demo');
    expect(await page.getByLabel('Role').textContent()).toBe('admin');
    for (const item of ['Customers', 'Groups', 'Analytics', 'Settings']) await page.getByRole('link', { name: item }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cdp.token'))).toBeNull();
  });

  it('UI1 a pasted token signs in; a wrong one is refused in words; a 401 later returns to sign-in', async () => {
    const page = await (await browser.context()).newPage();
    await page.goto(`${base()}/`);
    await page.getByLabel('Token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This is not a valid token').waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await page.getByLabel('Token').fill(token('supervisor'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    expect(await page.getByLabel('Role').textContent()).toBe('supervisor');
    // A token the service no longer accepts (here: signed with another secret) ends the session at the next call.
    const forged = token('admin').replace(/\.[^.]+$/, '.AAAA');
    await page.evaluate((t) => sessionStorage.setItem('cdp.token', t), forged);
    await page.reload();
    await page.getByText('Your session has ended').waitFor();
    await page.getByLabel('Token').waitFor();
  });
});
