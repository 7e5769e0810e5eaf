import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, expectAccessible, screenshot, signedIn, useBrowser } from './browser';

interface Channel {
  id: string;
  type: string;
  name: string;
}
interface Customer {
  id: string;
  name: string;
  linked: boolean;
  tags: string[];
  email: string | null;
  properties: Record<string, unknown>;
}
type Page_<T> = { data: T[]; nextCursor: string | null };

const tag = () => randomBytes(3).toString('hex');
let channels: Channel[];
const wa = () => channels.find((c) => c.type === 'wa')!;
const line = () => channels.find((c) => c.type === 'line')!;
let phone = 6281300000000 + Math.floor(Math.random() * 1e6) * 100;

/** A customer on a WhatsApp channel, made through the API (the console is tested, not the seed). */
const customer = (name: string, extra: Record<string, unknown> = {}) =>
  api<Customer>('POST', '/customers', { channelId: wa().id, identifier: String(++phone), name, ...extra });

const rows = (page: Page) => page.locator('tbody tr');

describe('The console screens, as a user clicks through them (UI2–UI11)', () => {
  const browser = useBrowser();
  beforeAll(async () => {
    channels = await api<Channel[]>('GET', '/channels');
  });

  it('UI2 Customer List: count, columns, search, sort in the address, pages by "Load more"', async () => {
    const page = await signedIn(await browser.context());
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    const { count } = await api<{ count: number }>('POST', '/customers/count', { filter: {}, limit: 10000 });
    await page
      .getByRole('status')
      .filter({ hasText: /customers$/ })
      .first()
      .waitFor();
    await expect.poll(() => page.getByText(/^[\d,]+\+? customers$/).textContent()).toBe(`${count.toLocaleString('en-US')} customers`);
    for (const col of ['Name', 'Channel', 'Phone number', 'E-mail', 'Source', 'Platform', 'Last activity'])
      await page.getByRole('columnheader', { name: col, exact: true }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(25);
    await expectAccessible(page, 'Customer List');
    await screenshot(page, 'customer-list');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows(page).count()).toBe(50);

    await page.getByLabel('Sort by').selectOption('name');
    await expect.poll(() => page.url()).toContain('sort=name');
    const { data } = await api<Page_<Customer>>('POST', '/customers/search', { sort: 'name', limit: 3 });
    await expect.poll(() => rows(page).nth(0).getByRole('link').first().textContent()).toBe(data[0].name);

    const name = `Listy ${tag()}`;
    await customer(name);
    await page.getByLabel('Search customer').fill(name);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole('link', { name }).waitFor();
    expect(page.url()).toContain(`search=${encodeURIComponent(name).replace(/%20/g, '+')}`);
  });

  it('UI3 Filter: LINE after Ads resets the source and says so; the applied filter is in the address and survives a reload', async () => {
    const page = await signedIn(await browser.context());
    await page.getByRole('button', { name: 'Filter' }).click();
    const drawer = page.getByRole('dialog', { name: 'Filter' });
    await drawer.getByRole('checkbox', { name: wa().name }).check();
    await expect.poll(() => drawer.getByRole('checkbox', { name: 'Ads', exact: true }).isEnabled()).toBe(true);
    await drawer.getByRole('checkbox', { name: 'Ads', exact: true }).check();
    await expectAccessible(page, 'Filter');
    await screenshot(page, 'filter');
    await drawer.getByRole('checkbox', { name: line().name }).check();
    await drawer.getByText(/available only when every selected channel is WhatsApp/).waitFor();
    expect(await drawer.getByRole('checkbox', { name: 'Ads', exact: true }).isChecked()).toBe(false);
    expect(await drawer.getByRole('checkbox', { name: 'Ads', exact: true }).isDisabled()).toBe(true);
    expect(await drawer.getByRole('checkbox', { name: 'Broadcast', exact: true }).isDisabled()).toBe(true);
    await drawer.getByRole('checkbox', { name: 'Organic' }).check();
    await drawer.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"sources":["organic"]');
    const filter = { channelIds: [wa().id, line().id], sources: ['organic'] };
    const { count } = await api<{ count: number }>('POST', '/customers/count', { filter, limit: 10000 });
    await page.getByText(`${count.toLocaleString('en-US')} customers`, { exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Filter (2)' }).waitFor();
    await page.getByText(`${count.toLocaleString('en-US')} customers`, { exact: true }).waitFor();
  });

  it('UI4 Import: "Check file" reports the bad row (row, column, message) without importing; "Upload" creates the good ones', async () => {
    const page = await signedIn(await browser.context());
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import' });
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download template' }).click();
    expect((await download).suggestedFilename()).toBe('customers-template.csv');
    const t = tag();
    const file = join(tmpdir(), `import-${t}.csv`);
    const header = (
      await (
        await fetch(`${base()}/v1/customers/imports/template`, {
          headers: { Authorization: `Bearer ${(await import('./browser')).token()}` },
        })
      ).text()
    )
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0];
    const cols = header.split(',');
    const row = (values: Record<string, string>) => cols.map((c) => values[c.trim()] ?? '').join(',');
    writeFileSync(
      file,
      [
        header,
        row({ channel_id: wa().id, identifier: String(++phone), name: `Imported ${t}`, source: 'wa' }),
        row({ channel_id: wa().id, identifier: '+12', name: `Broken ${t}`, source: 'wa' }),
      ].join('\n') + '\n',
    );
    await dialog
      .getByLabel('Upload your CSV File here')
      .setInputFiles(file)
      .catch(async () => {
        await page.locator('input[type=file]').setInputFiles(file);
      });
    await dialog.getByRole('button', { name: 'Check file' }).click();
    const table = dialog.getByRole('table', { name: 'Rows with errors' });
    await table.waitFor({ timeout: 30_000 });
    // The second data row (the broken identifier) is reported; the good one is not.
    const reported = await table.locator('tbody tr td:first-child').allTextContents();
    expect(new Set(reported)).toEqual(new Set(['2']));
    await expectAccessible(page, 'Import');
    await screenshot(page, 'import-report');
    expect((await api<Page_<Customer>>('POST', '/customers/search', { filter: { search: `Imported ${t}` } })).data).toHaveLength(0);
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.getByText('Created', { exact: true }).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await api<Page_<Customer>>('POST', '/customers/search', { filter: { search: `Imported ${t}` } })).data.length)
      .toBe(1);
  });

  it('UI5 Export: the current filter, mailed to the e-mail of the token; the 1,000-customer notice; the export status', async () => {
    const page = await signedIn(await browser.context(), 'admin', '/customers', { email: 'owner@example.com' });
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    expect(await dialog.getByLabel('E-mail address').inputValue()).toBe('owner@example.com');
    await dialog.getByText('At most the latest 1,000 customers are exported.').waitFor();
    await expectAccessible(page, 'Export');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await dialog.getByText(/^Export (queued|processing|completed|failed)/).waitFor();
    const exports = await api<Page_<{ email: string }>>('GET', '/customers/exports');
    expect(exports.data[0].email).toBe('owner@example.com');
  });

  it('UI6 Customer details: pencils with the validation message at the field, tags, properties, Delete with a confirmation', async () => {
    const t = tag();
    const c = await customer(`Detail ${t}`);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    await page.getByRole('heading', { name: `Detail ${t}` }).waitFor();
    await expectAccessible(page, 'Customer details');
    await screenshot(page, 'customer-details');
    await page.getByRole('button', { name: 'Edit name' }).click();
    await page.getByLabel('Name').fill(`Renamed ${t}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: `Renamed ${t}` }).waitFor();
    await page.getByRole('button', { name: 'Edit e-mail' }).click();
    await page.getByLabel('E-mail').fill('not-an-email');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.mantine-TextInput-error').waitFor();
    await page.getByLabel('E-mail').fill(`d${t}@example.com`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`d${t}@example.com`).waitFor();
    await page.getByRole('combobox', { name: 'Tags' }).fill(`t${t}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByRole('button', { name: 'Save tags' }).waitFor({ state: 'detached' });
    await page.getByLabel('Note').fill('Call after 5 pm');
    await page.getByRole('button', { name: 'Save properties' }).click();
    await page.getByText('Properties saved.').waitFor();
    const held = await api<Customer>('GET', `/customers/${c.id}`);
    expect(held).toMatchObject({
      name: `Renamed ${t}`,
      email: `d${t}@example.com`,
      tags: [`t${t}`],
      properties: { note: 'Call after 5 pm' },
    });

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete customer' }).getByRole('button', { name: 'Delete customer' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await expect(api('GET', `/customers/${c.id}`)).rejects.toThrow(/404/);
  });

  it('UI7 Linked customers: merge another customer with its preview, the star, unmerge', async () => {
    const t = tag();
    const a = await customer(`Alpha ${t}`);
    const b = await customer(`Beta ${t}`);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${a.id}`);
    await page.getByText('This customer has no linked customers').waitFor();
    await page.getByRole('button', { name: 'Merge Another Customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge Another Customer' });
    await dialog.getByLabel('Search customers not yet linked').fill(`Beta ${t}`);
    await dialog.getByRole('button', { name: 'Search' }).click();
    await dialog.getByRole('checkbox', { name: new RegExp(`Beta ${t}`) }).check();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByText('After the merge, the linked set will be:').waitFor();
    await expectAccessible(page, 'Merge preview');
    expect((await api<Customer>('GET', `/customers/${a.id}`)).linked).toBe(false);
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByLabel('Linked Customer', { exact: true }).waitFor();
    expect((await api<Customer>('GET', `/customers/${b.id}`)).linked).toBe(true);
    await page.getByRole('button', { name: new RegExp(`Set Beta ${t} .* as main channel`) }).click();
    await expect.poll(async () => (await api<{ mainCustomerId: string }>('GET', `/customers/${a.id}/linked`)).mainCustomerId).toBe(b.id);
    await page.getByRole('img', { name: 'Merged customer' }).first().waitFor();
    await page.getByRole('button', { name: 'Unmerge Customer' }).click();
    await page.getByText('This customer has no linked customers').waitFor();
    expect((await api<Customer>('GET', `/customers/${a.id}`)).linked).toBe(false);
  });

  it('UI8 Activity and Conversations History tabs', async () => {
    const t = tag();
    const c = await customer(`History ${t}`);
    const page = await signedIn(await browser.context(), 'admin', `/customers/${c.id}`);
    const activities = page.getByRole('list', { name: 'Activities' });
    await activities.getByRole('listitem').first().waitFor();
    const held = await api<Page_<{ typeName: string }>>('GET', `/customers/${c.id}/activities`);
    expect(await activities.getByRole('listitem').count()).toBe(held.data.length);
    await page.getByRole('checkbox', { name: 'One day' }).check();
    await page.getByRole('textbox', { name: 'Day', exact: true }).fill('2001-01-01');
    await page.getByText('No activity in this selection.').waitFor();
    await page.getByRole('switch', { name: 'Include linked customers' }).waitFor();
    await page.getByRole('tab', { name: 'Conversations History' }).click();
    await page.getByText('No ongoing conversations.').waitFor();
    await page.getByText('Resolved', { exact: true }).click();
    await page.getByText('No resolved conversations.').waitFor();
    await expectAccessible(page, 'Conversations History');
  });

  it('UI9 Groups: "Create Group" from checked rows, the group page, "Remove Customer", "Delete Group"', async () => {
    const t = tag();
    await customer(`Grouped ${t} one`);
    await customer(`Grouped ${t} two`);
    const page = await signedIn(await browser.context());
    await page.getByLabel('Search customer').fill(`Grouped ${t}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.getByRole('button', { name: 'Group All Result Filter' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
    await page.getByRole('button', { name: 'Create Group (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Group' });
    await dialog.getByLabel('Group Name').fill(`Group ${t}`);
    await dialog.getByLabel('Descriptions').fill('Made in the console');
    await dialog.getByRole('button', { name: 'Create Group' }).click();
    await page.getByRole('heading', { name: `Group ${t}` }).waitFor();
    await page.getByText('2 members').waitFor();
    await expectAccessible(page, 'Group page');
    await screenshot(page, 'group');
    const groups = await api<Page_<{ id: string; name: string; memberCount: number }>>('GET', `/groups?search=${t}`);
    expect(groups.data[0]).toMatchObject({ name: `Group ${t}`, memberCount: 2 });

    await page.getByRole('checkbox', { name: `Select Grouped ${t} one` }).check();
    await page.getByRole('button', { name: 'Remove Customer (1)' }).click();
    await page.getByText('1 members').waitFor();
    await page.getByRole('button', { name: 'Group menu' }).click();
    await page.getByRole('menuitem', { name: 'Send Broadcast' }).click();
    await page.getByText('Broadcast to groups is only available for Enterprise.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Group menu' }).click();
    await page.getByRole('menuitem', { name: 'Delete Group' }).click();
    await page.getByRole('dialog', { name: 'Delete Group' }).getByRole('button', { name: 'Delete Group' }).click();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await expectAccessible(page, 'Groups');
    expect((await api<Page_<unknown>>('GET', `/groups?search=${t}`)).data).toHaveLength(0);
  });

  it('UI10 Settings: the admin switches "Agent can Import & Export Customer Data"; an agent sees it disabled and then gets Import', async () => {
    const admin = await signedIn(await browser.context(), 'admin', '/settings');
    const toggle = admin.getByRole('switch', { name: 'Agent can Import & Export Customer Data' });
    await toggle.waitFor();
    const before = (await api<{ agentCanImportExport: boolean }>('GET', '/settings/customers')).agentCanImportExport;
    expect(await toggle.isChecked()).toBe(before);
    await expectAccessible(admin, 'Settings');
    await screenshot(admin, 'settings');
    if (!before) await toggle.click({ force: true });
    await expect
      .poll(async () => (await api<{ agentCanImportExport: boolean }>('GET', '/settings/customers')).agentCanImportExport)
      .toBe(true);
    await admin.getByRole('tab', { name: 'API keys' }).click();
    await admin.getByLabel('Key name').fill('console e2e');
    await admin.getByRole('button', { name: 'Create API key' }).click();
    await admin.getByText('The new key (shown only now)').waitFor();

    const agent = await signedIn(await browser.context(), 'agent', '/settings');
    const agentToggle = agent.getByRole('switch', { name: 'Agent can Import & Export Customer Data' });
    await agentToggle.waitFor();
    expect(await agentToggle.isDisabled()).toBe(true);
    expect(await agent.getByRole('tab', { name: 'API keys' }).count()).toBe(0);
    await agent.getByRole('link', { name: 'Customers' }).click();
    await agent.getByRole('button', { name: 'Import' }).waitFor();
    await api('PATCH', '/settings/customers', { agentCanImportExport: false });
    await agent.reload();
    await agent.getByRole('heading', { name: 'Customers' }).waitFor();
    await agent
      .getByText(/customers$/)
      .first()
      .waitFor();
    expect(await agent.getByRole('button', { name: 'Import' }).count()).toBe(0);
  });

  it('UI11 Analytics has its place in the menu', async () => {
    const page = await signedIn(await browser.context());
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await expectAccessible(page, 'Analytics');
  });

  it('UI12 keyboard only: sign in, search, filter and open a customer', async () => {
    const t = tag();
    const c = await customer(`Keys ${t}`);
    const page = await (await browser.context()).newPage();
    await page.goto(`${base()}/`);
    const press = (key: string) => page.keyboard.press(key);
    const tabTo = async (accept: () => Promise<boolean>, max = 40, key = 'Tab') => {
      for (let i = 0; i < max; i++) {
        await press(key);
        if (await accept()) return;
      }
      throw new Error('Not reachable with Tab');
    };
    const focused = (name: string) => () =>
      page.evaluate(
        (n) =>
          document.activeElement?.getAttribute('aria-label') === n ||
          (document.activeElement as HTMLElement | null)?.innerText?.trim() === n ||
          (document.activeElement?.id && document.querySelector(`label[for="${document.activeElement.id}"]`)?.textContent?.trim() === n) ||
          false,
        name,
      );
    // The token field has the focus on arrival (once the screen is there: typing before it would go nowhere).
    await expect.poll(focused('Token'), { timeout: 30_000 }).toBe(true);
    await page.keyboard.type((await import('./browser')).token());
    await press('Enter');
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    // As a user does, the keys start once the list is on the screen.
    await page.getByLabel('Search customer').waitFor();
    await tabTo(focused('Search customer'));
    await page.keyboard.type(`Keys ${t}`);
    await press('Enter');
    await expect.poll(() => rows(page).count()).toBe(1);
    await tabTo(focused('Filter'));
    await press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Filter' });
    await drawer.waitFor();
    // As a user does, the keys go on once the drawer has taken the focus (a Tab pressed while it is still
    // opening moves through the list behind it).
    const focusInDrawer = () => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') != null);
    await expect.poll(focusInDrawer, { timeout: 10_000 }).toBe(true);
    await tabTo(focused('Organic'));
    await press('Space');
    await tabTo(focused('Apply'));
    await press('Enter');
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"sources":["organic"]');
    await page.getByText('0 customers', { exact: true }).waitFor();
    await tabTo(focused('Filter (1)'));
    await press('Enter');
    await expect.poll(focusInDrawer, { timeout: 10_000 }).toBe(true);
    // The drawer keeps the focus inside: backwards from its first control, its last buttons come first.
    await tabTo(focused('Reset'), 40, 'Shift+Tab');
    await press('Enter');
    await expect.poll(() => rows(page).count()).toBe(1);
    await tabTo(focused(`Keys ${t}`));
    await press('Enter');
    await page.getByRole('heading', { name: `Keys ${t}` }).waitFor();
    expect(page.url()).toBe(`${base()}/customers/${c.id}`);
  });
});
