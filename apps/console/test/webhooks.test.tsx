import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Webhooks } from '../src/components/Webhooks';
import Settings from '../src/pages/Settings';
import { CHANNEL_TYPES, CHANNELS, PROPERTIES, renderWith, SETTINGS, type Call } from './harness';

const SECRET = 'whsec_Zm9yIHRoZSB0ZXN0IG9ubHkgLSBub3QgYSByZWFsIHNlY3JldA==';
const ROTATED = 'whsec_YW5vdGhlciBvbmUgZm9yIHRoZSB0ZXN0IC0gYWxzbyBub3QgcmVhbA==';

/** A webhook store behind the fake API: what is created is listed (without its secret, as the API does). */
function store() {
  const hooks: Record<string, unknown>[] = [];
  return {
    'GET /v1/webhooks': () => hooks,
    'POST /v1/webhooks': (call: Call) => {
      const { url, events } = call.body as { url: string; events: string[] };
      const hook = {
        id: 'w1',
        url,
        events,
        description: null,
        enabled: true,
        disabledReason: null,
        createdAt: '2026-11-01T00:00:00.000Z',
        updatedAt: '2026-11-01T00:00:00.000Z',
      };
      hooks.push(hook);
      return { ...hook, secret: SECRET };
    },
    'POST /v1/webhooks/w1/rotate-secret': { secret: ROTATED },
    'GET /v1/webhooks/w1/deliveries': { data: [], nextCursor: null },
  };
}

describe('Webhooks (UI10): the signing secret is shown once', () => {
  it('UI10 after "Create webhook" the secret is shown with a copy button and the warning; after "Done" it is nowhere', async () => {
    const view = renderWith(<Webhooks />, { routes: store() });
    await screen.findByText('No webhooks yet.');
    fireEvent.change(screen.getByRole('textbox', { name: /Endpoint URL/ }), { target: { value: 'https://example.com/hooks' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'customer.created' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'customer.merged' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create webhook' }));

    const box = await screen.findByRole('status');
    expect(within(box).getByLabelText('Signing secret').textContent).toBe(SECRET);
    expect(within(box).getByText(/won't be shown again/)).toBeTruthy();
    expect(within(box).getByRole('button', { name: 'Copy secret' })).toBeTruthy();
    expect(view.calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://example.com/hooks',
      events: ['customer.created', 'customer.merged'],
    });
    const table = await screen.findByRole('table', { name: 'Webhooks' });
    expect(within(table).getByText('https://example.com/hooks')).toBeTruthy();
    expect(within(table).queryByText(SECRET)).toBeNull();

    fireEvent.click(within(box).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(document.body.textContent).not.toContain(SECRET);
    // Nothing brings it back: the list is read again and still has no secret.
    expect(view.calls.filter((c) => c.method === 'GET' && c.path === '/v1/webhooks').length).toBeGreaterThanOrEqual(2);
    expect(document.body.textContent).not.toContain('whsec_');
  });

  it('UI10 "Rotate secret" asks first, then shows the new secret once', async () => {
    const routes = store();
    (routes['POST /v1/webhooks'] as (c: Call) => unknown)({
      method: 'POST',
      path: '/v1/webhooks',
      body: { url: 'https://example.com/h', events: ['*'] },
    });
    const view = renderWith(<Webhooks />, { routes });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate secret of https://example.com/h' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate secret' });
    expect(view.calls.some((c) => c.path.endsWith('/rotate-secret'))).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    const box = await screen.findByRole('status');
    expect(within(box).getByLabelText('Signing secret').textContent).toBe(ROTATED);
    expect(within(screen.getByRole('table', { name: 'Webhooks' })).getByText('All events')).toBeTruthy();
    fireEvent.click(within(box).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(document.body.textContent).not.toContain(ROTATED));
  });

  it('UI12 agents and supervisors see no Webhooks or Rejected events; admins do', async () => {
    const routes = {
      'GET /v1/settings/customers': SETTINGS(false),
      'GET /v1/channels': CHANNELS,
      'GET /v1/channel-types': CHANNEL_TYPES,
      'GET /v1/customer-properties': PROPERTIES,
    };
    for (const role of ['agent', 'supervisor'] as const) {
      const view = renderWith(<Settings />, { role, routes });
      await screen.findByRole('tab', { name: 'Customers Agent Setting' });
      expect(screen.queryByRole('tab', { name: 'Webhooks' })).toBeNull();
      expect(screen.queryByRole('tab', { name: 'Rejected events' })).toBeNull();
      view.unmount();
    }
    renderWith(<Settings />, { role: 'admin', routes });
    expect(await screen.findByRole('tab', { name: 'Webhooks' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Rejected events' })).toBeTruthy();
  });
});
