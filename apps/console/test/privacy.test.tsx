import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { CustomerFilter } from '../src/api/client';
import { readListState, writeListState } from '../src/filterUrl';
import CustomerDetails from '../src/pages/CustomerDetails';
import CustomerList from '../src/pages/CustomerList';
import type { Role } from '../src/session';
import { ACTIVITY_TYPES, CHANNEL_TYPES, CHANNELS, PROPERTIES, renderWith, SETTINGS, type Call } from './harness';

const consent = { status: 'unknown', updatedAt: null, source: null };
const budi = {
  id: 'cu1',
  name: 'Budi',
  identifier: '6281234567890',
  email: 'budi@example.com',
  phoneNumber: '+6281234567890',
  channel: { id: 'c-wa', type: 'wa', name: 'WA Sales' },
  source: 'admin',
  platform: null,
  tags: [],
  properties: {},
  linked: true,
  mainChannel: true,
  profileId: 'p1',
  consent,
  lastActivityAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const budiLine = {
  ...budi,
  id: 'cu2',
  identifier: 'Ubudi',
  phoneNumber: null,
  channel: { id: 'c-line', type: 'line', name: 'LINE Official' },
};

/** Where the console is: its path and its query, as the address bar would show them. */
function Address() {
  const l = useLocation();
  return <output aria-label="Address">{`${l.pathname}${l.search}`}</output>;
}
const address = () => decodeURIComponent(screen.getByRole('status', { name: 'Address' }).textContent ?? '').replace(/\+/g, ' ');

const common = {
  'GET /v1/settings/customers': SETTINGS(false),
  'GET /v1/channels': CHANNELS,
  'GET /v1/channel-types': CHANNEL_TYPES,
  'GET /v1/customer-properties': PROPERTIES,
  'GET /v1/activity-types': ACTIVITY_TYPES,
  'GET /v1/tags': [],
  'POST /v1/customers/filter/normalize': (call: Call) => ({
    filter: (call.body as { filter: CustomerFilter }).filter,
    changes: [],
    sourceOptions: ['admin', 'ads', 'organic', 'broadcast'].map((source) => ({ source, enabled: true })),
  }),
};

describe('Consent in the filter (UI3, X9)', () => {
  it('UI3 the consent filter goes into the address and comes back from it', () => {
    const filter: CustomerFilter = { consent: ['opted_in', 'unknown'], sources: ['organic'] };
    const params = writeListState({ filter, search: '', sort: '-createdAt' });
    expect(JSON.parse(params.get('filter')!)).toEqual(filter);
    expect(readListState(new URLSearchParams(params.toString())).filter).toEqual(filter);
  });

  it('UI3 a list opened from an address with a consent filter searches with it, shows it checked, and a change lands in the address', async () => {
    const searches: CustomerFilter[] = [];
    const { calls } = renderWith(
      <>
        <CustomerList />
        <Address />
      </>,
      {
        path: `/customers?filter=${encodeURIComponent(JSON.stringify({ consent: ['opted_in', 'unknown'] }))}`,
        routes: {
          ...common,
          'POST /v1/customers/search': (call: Call) => {
            searches.push((call.body as { filter: CustomerFilter }).filter);
            return { data: [budi], nextCursor: null };
          },
          'POST /v1/customers/count': { count: 1, capped: false },
        },
      },
    );
    await screen.findByText('1 customers');
    expect(searches[0]).toEqual({ consent: ['opted_in', 'unknown'] });
    fireEvent.click(screen.getByRole('button', { name: 'Filter (1)' }));
    const consentBox = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;
    await screen.findByRole('checkbox', { name: 'Opted in' });
    expect(consentBox('Opted in').checked).toBe(true);
    expect(consentBox('Unknown').checked).toBe(true);
    expect(consentBox('Opted out').checked).toBe(false);

    fireEvent.click(consentBox('Unknown'));
    fireEvent.click(consentBox('Opted out'));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(address()).toBe(`/customers?filter={"consent":["opted_in","opted_out"]}`));
    await waitFor(() => expect(searches.at(-1)).toEqual({ consent: ['opted_in', 'opted_out'] }));
    expect(calls.filter((c) => c.path === '/v1/customers/count').at(-1)!.body).toMatchObject({
      filter: { consent: ['opted_in', 'opted_out'] },
    });
  });
});

describe('Erase (UI6, X10)', () => {
  const routes = (erased: Call[]) => ({
    ...common,
    'GET /v1/customers/cu1': { ...budi, linkedCustomers: [budiLine], groups: [] },
    'GET /v1/customers/cu1/linked': {
      profileId: 'p1',
      mainCustomerId: 'cu1',
      customers: [budi, budiLine],
      profile: { tags: [], properties: {} },
    },
    'GET /v1/customers/cu1/duplicates': [],
    'GET /v1/customers/cu1/activities': { data: [], nextCursor: null },
    'GET /v1/customers/cu1/consent-history': { data: [], nextCursor: null },
    'POST /v1/customers/cu1/erase': (call: Call) => {
      erased.push(call);
      return { erasedCustomers: 2, erasedActivities: 7, suppressionIds: ['s1', 's2', 's3'] };
    },
    'POST /v1/customers/search': { data: [], nextCursor: null },
    'POST /v1/customers/count': { count: 0, capped: false },
  });
  const details = (role: Role, erased: Call[] = []) =>
    renderWith(
      <>
        <Routes>
          <Route path="/customers/:id" element={<CustomerDetails />} />
          <Route path="/customers" element={<CustomerList />} />
        </Routes>
        <Address />
      </>,
      { role, routes: routes(erased), path: '/customers/cu1' },
    );

  it('UI6 the confirmation names the customer, then its linked customers when the set is chosen, and what goes with them; erasing returns to the list', async () => {
    const erased: Call[] = [];
    details('admin', erased);
    fireEvent.click(await screen.findByRole('button', { name: 'Erase' }));
    const dialog = await screen.findByRole('dialog', { name: 'Erase customer' });
    const named = () =>
      within(within(dialog).getByRole('list', { name: 'Customers to erase' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent);
    expect(within(dialog).getByText('This customer will be erased:')).toBeTruthy();
    expect(named()).toEqual(['Budi (WA Sales 6281234567890)']);
    const held = within(dialog).getByText(/With them goes everything held about them/).textContent!;
    for (const word of [
      'activities',
      'conversations',
      'group memberships',
      'consent history',
      'merge history',
      'suppressed',
      'cannot be undone',
    ])
      expect(held).toContain(word);
    expect(held).toContain('Their channel identity, e-mail and phone number are suppressed');
    expect(within(dialog).getByRole('button', { name: 'Erase customer' })).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('radio', { name: 'This customer and its 1 linked customers' }));
    expect(within(dialog).getByText('These 2 customers will be erased:')).toBeTruthy();
    expect(named()).toEqual(['Budi (WA Sales 6281234567890)', 'Budi (LINE Official Ubudi)']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Erase 2 customers' }));

    await screen.findByText('Erased 2 customers and 7 activities.');
    expect(address()).toBe('/customers');
    expect(erased.map((c) => c.body)).toEqual([{ scope: 'linked', suppress: true }]);
  });

  it('UI12 agents and supervisors see neither Erase nor Download data', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const view = details(role);
      await screen.findByRole('button', { name: 'Edit name' });
      await screen.findByText('Consent history');
      expect(screen.queryByRole('button', { name: 'Erase' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Download data' })).toBeNull();
      view.unmount();
    }
    details('admin');
    await screen.findByRole('button', { name: 'Download data' });
    expect(screen.getByRole('button', { name: 'Erase' })).toBeTruthy();
  });
});
