import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const KEY = 'cdp.token';

export type Role = 'admin' | 'supervisor' | 'agent' | 'operator';
export interface Claims {
  app: string;
  role: Role;
  sub?: string;
  email?: string;
  exp?: number;
}

/** The claims of a bearer token, read without verifying it (the API verifies; this only shapes the screens). */
export function readClaims(token: string): Claims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const c = JSON.parse(json) as Partial<Claims>;
    if (typeof c.app !== 'string' || typeof c.role !== 'string') return null;
    if (c.exp && c.exp * 1000 < Date.now()) return null;
    return c as Claims;
  } catch {
    return null;
  }
}

/**
 * The sign-in link `/#token=…`: the token is taken into sessionStorage and removed from the address bar at
 * once, so it is neither in the history nor copied along with the address.
 */
export function takeTokenFromAddress(): void {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!m) return;
  sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

interface Session {
  token: string | null;
  claims: Claims | null;
  signIn: (token: string) => boolean;
  signOut: (reason?: string) => void;
  reason: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [reason, setReason] = useState<string | null>(null);
  const claims = useMemo(() => (token ? readClaims(token) : null), [token]);
  const signIn = useCallback((t: string) => {
    const trimmed = t.trim().replace(/^Bearer\s+/i, '');
    if (!readClaims(trimmed)) return false;
    sessionStorage.setItem(KEY, trimmed);
    setReason(null);
    setToken(trimmed);
    return true;
  }, []);
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(KEY);
    setReason(why ?? null);
    setToken(null);
  }, []);
  const value = useMemo(
    () => ({ token: claims ? token : null, claims, signIn, signOut, reason }),
    [token, claims, signIn, signOut, reason],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export const currentToken = (): string | null => sessionStorage.getItem(KEY);
