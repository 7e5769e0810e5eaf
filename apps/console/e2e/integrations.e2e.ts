import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../api/test/support/webhook-receiver';
import { api, base, expectAccessible, screenshot, signedIn, token, useBrowser } from './browser';

interface Channel {
  id: string;
  type: string;
  name: string;
}
interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
}
interface Rejection {
  id: string;
  via: 'events' | 'segment';
  index: number;
  code: string;
  message: string;
  payload: string;
}
interface Series {
  key: string;
  label: string;
  points: { start: string; count: number }[];
}
type Page_<T> = { data: T[]; nextCursor: string | null };

const tag = () => randomBytes(3).toString('hex');
/** Polls wait this long: the service and the browser share a small, busy machine. */
const PATIENT = { timeout: 30_000 };
let channels: Channel[];
const wa = () => channels.find((c) => c.type === 'wa')!;
let phone = 6281700000000 + Math.floor(Math.random() * 1e6) * 100;
const customer = (name: string) => api<{ id: string }>('POST', '/customers', { channelId: wa().id, identifier: String(++phone), name });

/** An admin of another app, through the API: what it makes must never show in the demo app's console. */
async function otherApp<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${base()}/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token('admin', { app: 'integrations-other' })}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  expect(r.ok, `${method} ${path}: ${r.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

/** The text of every cell of a table's body rows (row headers included), row by row. */
const cells = (table: Locator) =>
  table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c as HTMLElement).innerText.trim())));
const num = (n: number) => n.toLocaleString('en-US');

/** What a figures table must show for series answered by the API: one row per interval, one column per series (and a total). */
const expected = (series: Series[], label: (start: string) => string) =>
  (series[0]?.points ?? []).map((p, i) => {
    const counts = series.map((s) => s.points[i].count);
    return [label(p.start), ...counts.map(num), ...(series.length > 1 ? [num(counts.reduce((a, b) => a + b, 0))] : [])];
  });

describe('The console integrations: webhooks, rejected events (UI10) and Analytics (UI11)', () => {
  const browser = useBrowser();
  let rx: WebhookReceiver | undefined;
  beforeAll(async () => {
    channels = await api<Channel[]>('GET', '/channels');
  });
  afterEach(async () => {
    await rx?.close();
    rx = undefined;
  });

  it('UI10 Webhooks: the admin creates one (the secret shown once), a change reaches the receiver and the log, Redeliver, rotate, disable, delete; an agent sees no Webhooks', async () => {
    rx = await WebhookReceiver.start();
    const url = `${rx.url}/${tag()}`;
    // Another app's endpoint on the same receiver: not listed here, and told nothing of this app's changes.
    const elsewhere = `${rx.url}/elsewhere-${tag()}`;
    await otherApp('POST', '/webhooks', { url: elsewhere, events: ['*'] });
    const page = await signedIn(await browser.context(), 'admin', '/settings');
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    const field = page.getByRole('textbox', { name: 'Endpoint URL' });

    // A refused URL: the problem's detail at the field, nothing created.
    // By keyboard: the URL, Tab past the description and "All events" to the first type, Space, Enter.
    await field.fill(url.replace('http://', 'http://user:secret@'));
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'customer.created' }).isChecked()).toBe(true);
    await field.press('Enter');
    await page.getByText('The URL may not carry a user name or password').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').find((id) => id.includes('error'))}"]`).textContent()).toBe(
      'The URL may not carry a user name or password',
    );
    expect((await api<Webhook[]>('GET', '/webhooks')).filter((w) => w.url.includes('user:'))).toEqual([]);

    // Created: the secret is shown once, with a copy button and the warning.
    await field.fill(url);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secretBox = page.getByRole('status').filter({ hasText: `Signing secret of ${url}` });
    await secretBox.waitFor();
    const secret = (await secretBox.getByLabel('Signing secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await secretBox.getByText("This secret won't be shown again").waitFor();
    await secretBox.getByRole('button', { name: 'Copy secret' }).waitFor();
    const hook = (await api<Webhook[]>('GET', '/webhooks')).find((w) => w.url === url)!;
    expect(hook).toMatchObject({ url, events: ['customer.created'], enabled: true });
    expect(JSON.stringify(await api('GET', `/webhooks/${hook.id}`))).not.toContain(secret);
    await expectAccessible(page, 'Webhooks');
    await secretBox.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(secret).count()).toBe(0);

    // A change made through the API reaches the receiver, signed with the secret the page showed, and the log.
    rx.secret = secret;
    const c = await customer(`Hooked ${tag()}`);
    await page.getByRole('button', { name: `Delivery log of ${url}` }).click();
    const log = page.getByRole('region', { name: `Delivery log of ${url}` });
    const row = log.locator('tbody tr').first();
    await row.getByText('Succeeded').waitFor({ timeout: 30_000 });
    expect(await cells(log.getByRole('table'))).toEqual([['customer.created', 'Succeeded', '1', '204', expect.any(String), 'Redeliver']]);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]).toMatchObject({ verified: true, payload: { type: 'customer.created', data: { customerId: c.id } } });
    expect(rx.received[0].path).not.toContain('elsewhere');
    expect(await page.getByText(elsewhere).count()).toBe(0);
    const [delivery] = (await api<Page_<Delivery>>('GET', `/webhooks/${hook.id}/deliveries`)).data;
    expect(delivery).toMatchObject({ id: rx.received[0].id, eventType: 'customer.created', status: 'succeeded', lastStatusCode: 204 });
    await expectAccessible(page, 'Webhook delivery log');
    await screenshot(page, 'webhooks');

    // "Redeliver": the receiver gets the same delivery (same webhook-id) a second time.
    await row.getByRole('button', { name: /^Redeliver customer.created/ }).click();
    await expect.poll(() => rx!.received.length, PATIENT).toBe(2);
    expect(rx.received[1]).toMatchObject({ id: delivery.id, verified: true, body: rx.received[0].body });

    // Rotate: a new secret, shown once; the test event is signed with it.
    await page.getByRole('button', { name: `Rotate secret of ${url}` }).click();
    await page.getByRole('dialog', { name: 'Rotate secret' }).getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = (await page
      .getByRole('status')
      .filter({ hasText: `Signing secret of ${url}` })
      .getByLabel('Signing secret')
      .textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    rx.secret = rotated;
    await page.getByRole('button', { name: `Send test to ${url}` }).click();
    await expect.poll(() => rx!.received.length, PATIENT).toBe(3);
    expect(rx.received[2]).toMatchObject({ verified: true, payload: { type: 'webhook.test' } });
    await log.getByRole('cell', { name: 'webhook.test', exact: true }).waitFor();

    // Disable: the switch and the API agree; a change made meanwhile makes no delivery.
    await page.getByRole('switch', { name: `Enabled: ${url}` }).click({ force: true });
    await expect.poll(async () => (await api<Webhook>('GET', `/webhooks/${hook.id}`)).enabled, PATIENT).toBe(false);
    await expect.poll(() => page.getByRole('switch', { name: `Enabled: ${url}` }).isChecked(), PATIENT).toBe(false);
    await customer(`Unhooked ${tag()}`);
    await new Promise((r) => setTimeout(r, 3000));
    expect(rx.received).toHaveLength(3);
    expect((await api<Page_<Delivery>>('GET', `/webhooks/${hook.id}/deliveries`)).data.map((d) => d.eventType)).toEqual([
      'webhook.test',
      'customer.created',
    ]);

    // Delete, after the confirmation.
    expect(await page.getByRole('cell', { name: url, exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    await page.getByRole('dialog', { name: 'Delete webhook' }).getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('dialog', { name: 'Delete webhook' }).waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('cell', { name: url, exact: true }).count(), PATIENT).toBe(0);
    expect((await api<Webhook[]>('GET', '/webhooks')).map((w) => w.id)).not.toContain(hook.id);

    const agent = await signedIn(await browser.context(), 'agent', '/settings');
    await agent.getByRole('tab', { name: 'Customers Agent Setting' }).waitFor();
    expect(await agent.getByRole('tab', { name: 'Webhooks' }).count()).toBe(0);
    expect(await agent.getByRole('tab', { name: 'Rejected events' }).count()).toBe(0);
  });

  it('UI10 Rejected events: a bad batch sent with an API key is listed with its codes, the payload viewable; "Load more" pages', async () => {
    const t = tag();
    const { key } = await api<{ key: string }>('POST', '/api-keys', { name: `rejections ${t}` });
    const bad = (i: number) => ({
      type: `no_such.type_${t}`,
      occurredAt: '2026-11-05T10:00:00Z',
      channelId: wa().id,
      identifier: String(++phone + i),
    });
    const events = [
      ...Array.from({ length: 55 }, (_, i) => bad(i)),
      { ...bad(0), type: 'purchase.completed', identifier: `not a number ${t}` },
    ];
    const r = await fetch(`${base()}/v1/events`, {
      method: 'POST',
      headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const answer = (await r.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(answer.accepted).toBe(0);
    expect(answer.rejected.map((x) => x.code)).toEqual([...Array(55).fill('unknown_activity_type'), 'invalid_identifier']);
    // Another app's rejection, sent just after: never listed here.
    const foreign = `other_app.type_${t}`;
    const theirs = await otherApp<{ rejected: unknown[] }>('POST', '/events', {
      events: [{ type: foreign, occurredAt: '2026-11-05T10:00:00Z', customerId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(theirs.rejected).toHaveLength(1);

    const page = await signedIn(await browser.context(), 'admin', '/settings');
    await page.getByRole('tab', { name: 'Rejected events' }).click();
    const table = page.getByRole('table', { name: 'Rejected events' });
    await table.locator('tbody tr').first().waitFor();
    const held = await api<Page_<Rejection>>('GET', '/event-rejections?limit=50');
    const shown = await cells(table);
    expect(shown).toHaveLength(50);
    expect(shown.map((row) => row.slice(1, 5))).toEqual(
      held.data.map((h) => [h.via === 'events' ? 'Events API' : 'Segment', h.code, h.message, String(h.index)]),
    );
    await expectAccessible(page, 'Rejected events');
    await screenshot(page, 'rejected-events');

    await page.getByRole('button', { name: 'Load more' }).click();
    const next = await api<Page_<Rejection>>('GET', `/event-rejections?limit=50&cursor=${encodeURIComponent(held.nextCursor!)}`);
    await expect.poll(() => table.locator('tbody tr').count(), PATIENT).toBe(50 + next.data.length);
    expect((await cells(table)).slice(50).map((row) => row.slice(1, 5))).toEqual(
      next.data.map((h) => [h.via === 'events' ? 'Events API' : 'Segment', h.code, h.message, String(h.index)]),
    );
    // The bad identifier (item 55 of the batch) is among them, its payload viewable as it was sent.
    const ours = [...held.data, ...next.data].filter((h) => h.code === 'invalid_identifier' && h.payload.includes(`not a number ${t}`));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ via: 'events', index: 55 });
    expect(await page.getByText(foreign).count()).toBe(0);
    await table.getByRole('button', { name: 'View payload of item 55, invalid_identifier' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Rejected payload' });
    await dialog.getByText(`not a number ${t}`).waitFor();
    await expectAccessible(page, 'Rejected payload');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('UI11 Analytics: charts with their figures equal what the API answers for the range; the interval is in the address and changes the figures', async () => {
    const page = await signedIn(await browser.context(), 'admin', '/analytics');
    await expect.poll(() => new URL(page.url()).searchParams.get('to'), PATIENT).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const q = new URL(page.url()).searchParams;
    const [from, to] = [q.get('from')!, q.get('to')!];
    expect(q.get('interval')).toBe('day');
    const range = `from=${from}&to=${to}`;

    const check = async (page: Page, interval: string, label: (s: string) => string) => {
      const [bySource, byChannel, activities] = await Promise.all([
        api<{ total: number; series: Series[] }>('GET', `/analytics/customers?${range}&interval=${interval}&groupBy=source`),
        api<{ series: Series[] }>('GET', `/analytics/customers?${range}&interval=${interval}&groupBy=channel`),
        api<{ series: Series[]; activeCustomers: Series['points'] }>('GET', `/analytics/activities?${range}&interval=${interval}`),
      ]);
      // Each chart's figures arrive with their own request: each table is waited for.
      const shows = (name: string, series: Series[]) =>
        expect.poll(() => cells(page.getByRole('table', { name })), PATIENT).toEqual(expected(series, label));
      await shows('New customers by source, per interval', bySource.series);
      await shows('New customers by channel, per interval', byChannel.series);
      await shows('Activities by type, per interval', activities.series);
      await shows('Active customers, per interval', [{ key: 'active', label: 'Active customers', points: activities.activeCustomers }]);
      await page.getByText(`${num(bySource.total)} new customers from ${from} to ${to}`).waitFor();
      return bySource.series[0].points.length;
    };

    const days = await check(page, 'day', (s) => s);
    expect(days).toBe(30);
    for (const name of [
      'New customers by source',
      'New customers by channel type',
      'New customers by channel',
      'Activities by type',
      'Active customers',
    ])
      await page.getByRole('region', { name }).locator('.recharts-surface').first().waitFor();
    const summary = await api<{ customers: number; linkedCustomers: number; groups: number; activeLast30Days: number }>(
      'GET',
      '/analytics/summary',
    );
    const figure = (label: string) =>
      page
        .getByRole('region', { name: 'Summary' })
        .locator('dt', { hasText: new RegExp(`^${label}$`) })
        .locator('xpath=following-sibling::dd')
        .textContent();
    expect(await figure('Customers')).toBe(num(summary.customers));
    expect(await figure('Linked customers')).toBe(num(summary.linkedCustomers));
    expect(await figure('Groups')).toBe(num(summary.groups));
    expect(await figure('Active in the last 30 days')).toBe(num(summary.activeLast30Days));
    await expectAccessible(page, 'Analytics');
    // The picture shows the first chart with its figures (the summary above is checked just before).
    await page.getByRole('region', { name: 'New customers by source' }).evaluate((e) => {
      e.scrollIntoView();
      window.scrollBy(0, -72);
    });
    await screenshot(page, 'analytics');

    await page.getByLabel('Interval').selectOption('week');
    await expect.poll(() => new URL(page.url()).searchParams.get('interval'), PATIENT).toBe('week');
    expect(new URL(page.url()).searchParams.get('from')).toBe(from);
    const weeks = await check(page, 'week', (s) => `Week of ${s}`);
    expect(weeks).toBeLessThan(days);
    // The address alone brings the same view back.
    await page.reload();
    await page
      .getByRole('table', { name: 'New customers by source, per interval' })
      .getByText(/^Week of /)
      .first()
      .waitFor();
    expect(await page.getByLabel('Interval').inputValue()).toBe('week');
  });
});
