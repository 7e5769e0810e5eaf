import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { createApi } from '../src/api/client';
import { ApiProvider } from '../src/context';
import { SessionProvider, type Role } from '../src/session';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}
type Handler = (call: Call) => unknown;

/**
 * The API the component talks to, answered by `routes` (`'POST /v1/customers/filter/normalize'` → its answer,
 * or a function of the call); every call is recorded. Unknown routes answer 404 as the service does.
 */
export function fakeApi(routes: Record<string, unknown | Handler>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const req = input as Request;
    const url = new URL(req.url);
    const text = req.method === 'GET' ? '' : await req.text();
    const call = { method: req.method, path: url.pathname, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    const route = routes[`${req.method} ${url.pathname}`];
    if (route === undefined)
      return new Response(JSON.stringify({ status: 404, code: 'not_found', detail: 'No such route' }), {
        status: 404,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    const body = typeof route === 'function' ? (route as Handler)(call) : route;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

/** A token of the shape the console reads (its claims; the signature is the API's business). */
export function fakeToken(role: Role, email?: string): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ app: 'demo', role, sub: 'u1', email, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

/** Renders `ui` as the console would: signed in as `role`, on `path`, against the fake API. */
export function renderWith(
  ui: ReactNode,
  opts: { role?: Role; routes?: Record<string, unknown | Handler>; path?: string; pattern?: string } = {},
) {
  sessionStorage.setItem('cdp.token', fakeToken(opts.role ?? 'admin'));
  const api = fakeApi(opts.routes ?? {});
  const client = createApi({ token: () => 'x', onUnauthorized: () => undefined, fetch: api.fetch, baseUrl: 'http://console.test' });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <MantineProvider>
      <SessionProvider>
        <QueryClientProvider client={queries}>
          <ApiProvider api={client}>
            <MemoryRouter initialEntries={[opts.path ?? '/']}>
              <Routes>
                <Route path={opts.pattern ?? '*'} element={ui} />
              </Routes>
            </MemoryRouter>
          </ApiProvider>
        </QueryClientProvider>
      </SessionProvider>
    </MantineProvider>,
  );
  return { ...view, calls: api.calls };
}

export const CHANNELS = [
  { id: 'c-wa', type: 'wa', name: 'WA Sales', config: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' },
  {
    id: 'c-line',
    type: 'line',
    name: 'LINE Official',
    config: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
];
export const CHANNEL_TYPES = [
  {
    type: 'wa',
    name: 'WhatsApp',
    sources: ['admin', 'ads', 'organic', 'broadcast'],
    identifier: { description: 'digits', example: '62812' },
  },
  { type: 'line', name: 'LINE', sources: ['admin', 'organic'], identifier: { description: 'id', example: 'U1' } },
];
export const PROPERTIES = [
  { key: 'city', label: 'City', type: 'text' },
  { key: 'age', label: 'Age', type: 'number' },
  { key: 'birthday', label: 'Birthday', type: 'date' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
];
export const ACTIVITY_TYPES = [
  { key: 'customer.created', name: 'Customer created', kind: 'available', description: '' },
  { key: 'purchase.completed', name: 'Purchase completed', kind: 'custom', description: '' },
];
export const SETTINGS = (agentCanImportExport: boolean) => ({
  agentCanImportExport,
  timezone: 'UTC',
  defaultCountry: 'ID',
  groupMemberLimit: 10000,
  plan: 'standard',
});
