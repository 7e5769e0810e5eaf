import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, expectAccessible, screenshot, signedIn, token, useBrowser } from './browser';

interface Channel {
  id: string;
  type: string;
  name: string;
}
interface Consent {
  status: 'opted_in' | 'opted_out' | 'unknown';
  updatedAt: string | null;
  source: string | null;
}
interface Customer {
  id: string;
  name: string;
  identifier: string;
  consent: Consent;
}
interface Suppression {
  id: string;
  kind: 'identity' | 'email' | 'phone';
  channelId: string | null;
}
type Page_<T> = { data: T[]; nextCursor: string | null };

const tag = () => randomBytes(3).toString('hex');
let channels: Channel[];
const wa = () => channels.find((c) => c.type === 'wa')!;
let phone = 6281400000000 + Math.floor(Math.random() * 1e6) * 100;

/** A customer on a WhatsApp channel, made through the API (the console is tested, not the seed). */
const customer = (name: string, extra: Record<string, unknown> = {}) =>
  api<Customer>('POST', '/customers', { channelId: wa().id, identifier: String(++phone), name, ...extra });
const setConsent = (id: string, status: 'opted_in' | 'opted_out') => api<Customer>('PUT', `/customers/${id}/consent`, { status });
const suppressions = async () => (await api<Page_<Suppression>>('GET', '/suppressions?limit=100')).data;

/** The platform operator sets the demo app's plan (the plan is not the app's own to change). */
async function plan(p: 'standard' | 'enterprise') {
  const r = await fetch(`${base()}/v1/operator/apps/demo/settings`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token('operator', { app: 'platform' })}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ plan: p }),
  });
  expect(r.status, await r.text()).toBe(200);
}

/** An admin of another app, through the API: its data must never show in the demo app's console. */
async function otherApp<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${base()}/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token('admin', { app: 'privacy-other' })}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  expect(r.ok, `${method} ${path}: ${r.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

const rows = (page: Page) => page.locator('tbody tr');

describe('Consent, data rights and adding customers to a group, as a user clicks through them (UI3, UI6, UI9, UI10; X9, X10)', () => {
  const browser = useBrowser();
  beforeAll(async () => {
    channels = await api<Channel[]>('GET', '/channels');
  });

  it('UI6 consent: a change in the details shows in the status and the history, and the API holds it', async () => {
    const t = tag();
    const c = await customer(`Consent ${t}`);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    const status = page.getByRole('status', { name: 'Consent status' });
    await expect.poll(() => status.textContent()).toContain('Unknown');
    await page.getByText('No changes yet.').waitFor();
    await page.getByLabel('Change consent to').selectOption('opted_out');
    await page.getByLabel('Reason for the change').fill(`Asked by phone ${t}`);
    await page.getByRole('button', { name: 'Save consent' }).click();
    await expect.poll(() => status.textContent()).toContain('Opted out');
    const history = page.getByRole('list', { name: 'Consent history' }).getByRole('listitem');
    await expect.poll(() => history.count()).toBe(1);
    const entry = await history.first().textContent();
    expect(entry).toContain('Opted out');
    expect(entry).toContain('by the console');
    expect(entry).toContain(`Asked by phone ${t}`);
    await expectAccessible(page, 'Consent');
    await screenshot(page, 'consent');

    const held = await api<Customer>('GET', `/customers/${c.id}`);
    expect(held.consent).toMatchObject({ status: 'opted_out', source: 'console' });
    const changes = await api<Page_<{ status: string; source: string; note: string | null }>>('GET', `/customers/${c.id}/consent-history`);
    expect(changes.data).toEqual([expect.objectContaining({ status: 'opted_out', source: 'console', note: `Asked by phone ${t}` })]);

    // Back to opted in: the status follows and the history keeps both, newest first.
    await page.getByLabel('Change consent to').selectOption('opted_in');
    await page.getByRole('button', { name: 'Save consent' }).click();
    await expect.poll(() => status.textContent()).toContain('Opted in');
    await expect.poll(() => history.count()).toBe(2);
    expect(await history.first().textContent()).toContain('Opted in');
    expect((await api<Customer>('GET', `/customers/${c.id}`)).consent.status).toBe('opted_in');
  });

  it('UI3 the consent filter narrows the list and is in the address', async () => {
    const t = tag();
    const yes = await customer(`Consenting ${t} yes`);
    const no = await customer(`Consenting ${t} no`);
    await customer(`Consenting ${t} unasked`);
    await setConsent(yes.id, 'opted_in');
    await setConsent(no.id, 'opted_out');
    const page = await signedIn(await browser.context());
    await page.getByLabel('Search customer').fill(`Consenting ${t}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Filter' });
    // The consent statuses, not the activity types of the same names (consent.opted_out is "Opted out" too).
    const consent = drawer.getByRole('group', { name: 'Consent' });
    await consent.getByRole('checkbox', { name: 'Opted out', exact: true }).check();
    await consent.getByRole('checkbox', { name: 'Unknown', exact: true }).check();
    await drawer.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"consent":["opted_out","unknown"]');
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await page.getByRole('link', { name: `Consenting ${t} yes` }).count()).toBe(0);
    await page.getByRole('link', { name: `Consenting ${t} no` }).waitFor();
    await page.getByRole('link', { name: `Consenting ${t} unasked` }).waitFor();
    const { count } = await api<{ count: number }>('POST', '/customers/count', {
      filter: { search: `Consenting ${t}`, consent: ['opted_out', 'unknown'] },
      limit: 10000,
    });
    expect(count).toBe(2);
    await page.getByText('2 customers', { exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Filter (1)' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(2);
  });

  it('UI6 "Download data" saves a JSON file with the customer and its activities', async () => {
    const t = tag();
    const c = await customer(`Download ${t}`);
    const r = await api<{ accepted: number }>('POST', '/events', {
      events: [{ type: 'purchase.completed', occurredAt: new Date().toISOString(), customerId: c.id, data: { orderId: `o-${t}` } }],
    });
    expect(r.accepted).toBe(1);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    await page.getByRole('heading', { name: `Download ${t}` }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download data' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`customer-data-${c.id}.json`);
    const data = JSON.parse(readFileSync((await file.path())!, 'utf8')) as {
      customers: { id: string; name: string }[];
      activities: { type: string; customerId: string; data: Record<string, unknown> }[];
    };
    expect(data.customers.map((x) => [x.id, x.name])).toEqual([[c.id, `Download ${t}`]]);
    expect(data.activities).toContainEqual(
      expect.objectContaining({ type: 'purchase.completed', customerId: c.id, data: expect.objectContaining({ orderId: `o-${t}` }) }),
    );
  });

  it('UI6/UI10 "Erase" with its confirmation removes the customer; the suppressions list has it; the identity is refused until "Lift"', async () => {
    const t = tag();
    const identifier = String(++phone);
    const c = await api<Customer>('POST', '/customers', {
      channelId: wa().id,
      identifier,
      name: `Erase ${t}`,
      email: `erase.${t}@example.com`,
    });
    // Another app erases its own customer of the same identifier: its suppressions are its own (and never block this app).
    const elsewhere = await otherApp<Channel>('POST', '/channels', { type: 'wa', name: `Elsewhere ${t}` });
    const stranger = await otherApp<Customer>('POST', '/customers', { channelId: elsewhere.id, identifier, name: `Stranger ${t}` });
    const strangerErased = await otherApp<{ suppressionIds: string[] }>('POST', `/customers/${stranger.id}/erase`, { scope: 'self' });
    expect(strangerErased.suppressionIds.length).toBeGreaterThan(0);
    const before = new Set((await suppressions()).map((s) => s.id));
    for (const id of strangerErased.suppressionIds) expect(before.has(id)).toBe(false);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    await page.getByRole('button', { name: 'Erase' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase customer' });
    expect(await dialog.getByRole('list', { name: 'Customers to erase' }).getByRole('listitem').allTextContents()).toEqual([
      `Erase ${t} (${wa().name} ${identifier})`,
    ]);
    await dialog.getByText(/their activities, conversations, group memberships/).waitFor();
    await dialog.getByText(/Their channel identity and e-mail are suppressed/).waitFor();
    await expectAccessible(page, 'Erase');
    await screenshot(page, 'erase');
    await dialog.getByRole('button', { name: 'Erase customer' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.getByText(/^Erased 1 customers and \d+ activities\.$/).waitFor();
    await expect(api('GET', `/customers/${c.id}`)).rejects.toThrow(/404/);
    await page.getByLabel('Search customer').fill(`Erase ${t}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No customers match.').waitFor();

    const left = (await suppressions()).filter((s) => !before.has(s.id));
    expect(left.map((s) => s.kind).sort()).toEqual(expect.arrayContaining(['email', 'identity']));
    expect(left.find((s) => s.kind === 'identity')!.channelId).toBe(wa().id);
    const again = () => api<Customer>('POST', '/customers', { channelId: wa().id, identifier, name: `Back ${t}` });
    await expect(again()).rejects.toThrow(/422.*identity_suppressed/);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Suppressions' }).click();
    const table = page.getByRole('table', { name: 'Suppressions' });
    await table.waitFor();
    await expect.poll(async () => table.locator('tbody tr').count()).toBe((await suppressions()).length);
    await expectAccessible(page, 'Suppressions');
    await screenshot(page, 'suppressions');
    // Each suppression this erasure left is lifted in the console, row by row (the list is newest first, as the API's).
    for (const s of left) {
      const index = (await suppressions()).findIndex((x) => x.id === s.id);
      await table.locator('tbody tr').nth(index).getByRole('button', { name: /^Lift/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Lift suppression' });
      await confirm.getByText(/can be added again/).waitFor();
      await confirm.getByRole('button', { name: 'Lift suppression' }).click();
      await confirm.waitFor({ state: 'detached' });
      await expect.poll(async () => (await suppressions()).some((x) => x.id === s.id)).toBe(false);
    }
    await expect.poll(async () => table.locator('tbody tr').count()).toBe((await suppressions()).length);
    const back = await again();
    expect(back).toMatchObject({ identifier, name: `Back ${t}` });
  });

  it('UI9 "Send Broadcast" on the Enterprise plan says how many opted-out members were left out', async () => {
    const t = tag();
    const members = await Promise.all([customer(`Audience ${t} a`), customer(`Audience ${t} b`), customer(`Audience ${t} c`)]);
    await setConsent(members[0].id, 'opted_in');
    await setConsent(members[1].id, 'opted_out');
    const group = await api<{ id: string }>('POST', '/groups', { name: `Audience ${t}`, customerIds: members.map((m) => m.id) });
    await plan('enterprise');
    try {
      const page = await signedIn(await browser.context(), 'admin', `/groups/${group.id}`);
      await page.getByText('3 members').waitFor();
      await page.getByRole('button', { name: 'Group menu' }).click();
      await page.getByRole('menuitem', { name: 'Send Broadcast' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send Broadcast' });
      await dialog.getByText('2 recipients from 3 members (merged customers count once).').waitFor();
      await dialog.getByText('1 opted-out customer was left out.').waitFor();
      await expectAccessible(page, 'Send Broadcast');
      const audience = await api<{ recipientCount: number; excludedOptedOut: number; recipients: { customerId: string }[] }>(
        'GET',
        `/groups/${group.id}/broadcast-audience`,
      );
      expect(audience).toMatchObject({ recipientCount: 2, excludedOptedOut: 1 });
    } finally {
      await plan('standard');
    }
  });

  it('UI9 "Add Customers" on the group page adds the customers picked there to this group', async () => {
    const t = tag();
    const first = await customer(`Pick ${t} first`);
    const more = [await customer(`Pick ${t} second`), await customer(`Pick ${t} third`)];
    const group = await api<{ id: string }>('POST', '/groups', { name: `Picked ${t}`, customerIds: [first.id] });
    const page = await signedIn(await browser.context(), 'admin', `/groups/${group.id}`);
    await page.getByText('1 members').waitFor();
    await page.getByRole('button', { name: 'Group menu' }).click();
    await page.getByRole('menuitem', { name: 'Add Customers' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Customers' });
    await dialog.getByLabel('Search customer').fill(`Pick ${t}`);
    await dialog.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => dialog.locator('tbody tr').count()).toBe(3);
    for (const c of more) await dialog.getByRole('checkbox', { name: `Select ${c.name}` }).check();
    await expectAccessible(page, 'Add Customers');
    await dialog.getByRole('button', { name: 'Add to group (2)' }).click();
    await dialog.getByText('Added 2 customers (0 were already members); the group now has 3 members.').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByText('3 members').waitFor();
    for (const c of [first, ...more]) await page.getByRole('table', { name: 'Members' }).getByRole('link', { name: c.name }).waitFor();
    const held = await api<Page_<{ id: string }>>('GET', `/groups/${group.id}/members?limit=100`);
    expect(held.data.map((m) => m.id).sort()).toEqual([first.id, ...more.map((m) => m.id)].sort());
  });

  it('UI12 by keyboard alone: consent saved with Enter; the erase confirmation opens, holds the focus and closes with Escape', async () => {
    const t = tag();
    const c = await customer(`Keyboard ${t}`);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    await page.getByRole('heading', { name: `Keyboard ${t}` }).waitFor();
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
    // The default choice of an unknown status is "Opted in": type the reason and submit the form with Enter.
    await page.getByLabel('Change consent to').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type(`Said yes ${t}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status', { name: 'Consent status' }).textContent()).toContain('Opted in');
    expect((await api<Customer>('GET', `/customers/${c.id}`)).consent.status).toBe('opted_in');

    await page.getByRole('button', { name: 'Erase' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Erase customer' }).waitFor();
    await expect.poll(inDialog).toBe(true);
    await page.keyboard.press('Tab');
    expect(await inDialog()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Erase customer' }).waitFor({ state: 'detached' });
    expect((await api<Customer>('GET', `/customers/${c.id}`)).name).toBe(`Keyboard ${t}`);
  });

  it('UI12 an agent changes consent but sees no "Erase", no "Download data" and no suppressions; the API refuses them too', async () => {
    const t = tag();
    const c = await customer(`Agent view ${t}`);
    const page = await signedIn(await browser.context(), 'agent', `/customers/${c.id}`);
    await page.getByRole('button', { name: 'Edit name' }).waitFor();
    await page.getByRole('button', { name: 'Save consent' }).waitFor();
    expect(await page.getByRole('button', { name: 'Erase' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Download data' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Customers Agent Setting' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Suppressions' }).count()).toBe(0);
    await expect(api('GET', '/suppressions', undefined, 'agent')).rejects.toThrow(/403/);
    await expect(api('POST', `/customers/${c.id}/erase`, { scope: 'self' }, 'agent')).rejects.toThrow(/403/);
  });
});
