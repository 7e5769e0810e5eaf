import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import CustomerDetails from '../src/pages/CustomerDetails';
import CustomerList from '../src/pages/CustomerList';
import Settings from '../src/pages/Settings';
import type { Role } from '../src/session';
import { ACTIVITY_TYPES, CHANNEL_TYPES, CHANNELS, PROPERTIES, renderWith, SETTINGS } from './harness';

const customer = {
  id: 'cu1',
  name: 'Budi',
  identifier: '6281234567890',
  email: null,
  phoneNumber: '+6281234567890',
  channel: { id: 'c-wa', type: 'wa', name: 'WA Sales' },
  source: 'admin',
  platform: null,
  tags: [],
  properties: {},
  linked: false,
  mainChannel: false,
  profileId: null,
  consent: { status: 'unknown', updatedAt: null, source: null },
  lastActivityAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const routes = (agentCanImportExport: boolean) => ({
  'GET /v1/settings/customers': SETTINGS(agentCanImportExport),
  'GET /v1/channels': CHANNELS,
  'GET /v1/channel-types': CHANNEL_TYPES,
  'GET /v1/customer-properties': PROPERTIES,
  'GET /v1/activity-types': ACTIVITY_TYPES,
  'GET /v1/tags': [],
  'POST /v1/customers/search': { data: [customer], nextCursor: null },
  'POST /v1/customers/count': { count: 1, capped: false },
  'GET /v1/customers/cu1': { ...customer, linkedCustomers: [], groups: [] },
  'GET /v1/customers/cu1/linked': { profileId: null, mainCustomerId: 'cu1', customers: [customer], profile: { tags: [], properties: {} } },
  'GET /v1/customers/cu1/duplicates': [],
  'GET /v1/customers/cu1/activities': { data: [], nextCursor: null },
  'GET /v1/customers/cu1/consent-history': { data: [], nextCursor: null },
  'GET /v1/api-keys': [],
  'GET /v1/audit-log': { data: [], nextCursor: null },
});

async function listAs(role: Role, allowed: boolean) {
  const view = renderWith(<CustomerList />, { role, routes: routes(allowed), path: '/customers' });
  await screen.findByText('1 customers');
  await waitFor(() => expect(screen.getByRole('link', { name: 'Budi' })).toBeTruthy());
  // The settings answer decides; wait until it is in.
  await new Promise((r) => setTimeout(r, 50));
  const offered = {
    import: !!screen.queryByRole('button', { name: 'Import' }),
    export: !!screen.queryByRole('button', { name: 'Export' }),
  };
  view.unmount();
  return offered;
}

describe('Role awareness (UI12)', () => {
  it('UI12 Import and Export are offered to admins, and to agents and supervisors only when "Agent can Import & Export Customer Data" is on', async () => {
    expect(await listAs('admin', false)).toEqual({ import: true, export: true });
    expect(await listAs('agent', false)).toEqual({ import: false, export: false });
    expect(await listAs('supervisor', false)).toEqual({ import: false, export: false });
    expect(await listAs('agent', true)).toEqual({ import: true, export: true });
    expect(await listAs('supervisor', true)).toEqual({ import: true, export: true });
  });

  it('UI12 an agent sees no Delete on a customer; a supervisor does', async () => {
    const agent = renderWith(<CustomerDetails />, {
      role: 'agent',
      routes: routes(false),
      path: '/customers/cu1',
      pattern: '/customers/:id',
    });
    await screen.findByRole('button', { name: 'Edit name' });
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    agent.unmount();
    renderWith(<CustomerDetails />, { role: 'supervisor', routes: routes(false), path: '/customers/cu1', pattern: '/customers/:id' });
    await screen.findByRole('button', { name: 'Delete' });
  });

  it('UI10/UI12 settings: an agent sees the agent setting disabled and no API keys or audit log; an admin can change it', async () => {
    const agent = renderWith(<Settings />, { role: 'agent', routes: routes(false) });
    const toggle = (await screen.findByRole('switch', { name: 'Agent can Import & Export Customer Data' })) as HTMLInputElement;
    expect(toggle.disabled).toBe(true);
    expect(screen.queryByRole('tab', { name: 'API keys' })).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Audit log' })).toBeNull();
    agent.unmount();
    renderWith(<Settings />, { role: 'admin', routes: routes(false) });
    const adminToggle = (await screen.findByRole('switch', { name: 'Agent can Import & Export Customer Data' })) as HTMLInputElement;
    expect(adminToggle.disabled).toBe(false);
    expect(screen.getByRole('tab', { name: 'API keys' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Audit log' })).toBeTruthy();
  });
});
