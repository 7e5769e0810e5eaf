export const ROLES = ['admin', 'supervisor', 'agent', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: from the bearer token's claims, or from an API key (which acts for its app only). */
export interface Identity {
  appId: string;
  userId: string;
  role: Role;
  email?: string;
  via: 'token' | 'api_key';
}

export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
