import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { ok, type Api, type Schemas } from './api/client';
import type { Claims } from './session';

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** What the signed-in role may do (DESIGN.md "Authorization"); the API still decides, this only hides. */
export interface Abilities {
  deleteCustomers: boolean;
  importExport: boolean;
  manageSettings: boolean;
  /** A person's data export, erasure and the suppressions it leaves (X10). */
  personalData: boolean;
}

export function abilities(
  claims: Pick<Claims, 'role'>,
  settings: Pick<Schemas['CustomerSettingsDto'], 'agentCanImportExport'> | undefined,
): Abilities {
  const admin = claims.role === 'admin';
  return {
    deleteCustomers: admin || claims.role === 'supervisor',
    importExport: admin || (!!settings?.agentCanImportExport && (claims.role === 'supervisor' || claims.role === 'agent')),
    manageSettings: admin,
    personalData: admin,
  };
}

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: ['settings'], queryFn: () => ok(api.GET('/v1/settings/customers')) });
}

export function useChannels() {
  const api = useApi();
  return useQuery({ queryKey: ['channels'], queryFn: () => ok(api.GET('/v1/channels')), staleTime: 60_000 });
}

export function useChannelTypes() {
  const api = useApi();
  return useQuery({ queryKey: ['channel-types'], queryFn: () => ok(api.GET('/v1/channel-types')), staleTime: Infinity });
}

export function usePropertyDefinitions() {
  const api = useApi();
  return useQuery({ queryKey: ['properties'], queryFn: () => ok(api.GET('/v1/customer-properties')), staleTime: 60_000 });
}

export function useActivityTypes() {
  const api = useApi();
  return useQuery({ queryKey: ['activity-types'], queryFn: () => ok(api.GET('/v1/activity-types')), staleTime: 60_000 });
}

export function useTags() {
  const api = useApi();
  return useQuery({ queryKey: ['tags'], queryFn: () => ok(api.GET('/v1/tags')) });
}
