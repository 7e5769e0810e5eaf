import type { Identity } from '@cdp/access';

export const CONSENT_STATUSES = ['opted_in', 'opted_out', 'unknown'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
/** What a person or a system may set (a new customer starts `unknown`; an import row may say `unknown` too). */
export const SETTABLE_CONSENT = ['opted_in', 'opted_out'] as const;
export const CONSENT_SOURCES = ['api', 'import', 'event', 'console'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const isConsentStatus = (v: unknown): v is ConsentStatus =>
  typeof v === 'string' && (CONSENT_STATUSES as readonly string[]).includes(v);

/** Who made a change, as the history shows it (never a customer's personal value). */
export interface ConsentActor {
  userId: string;
  role: string;
  via: string;
}

export const actorOf = (identity: Identity): ConsentActor => ({ userId: identity.userId, role: identity.role, via: identity.via });

/** One consent change to apply: the newest `at` wins, every change is kept in the history. */
export interface ConsentChange {
  customerId: string;
  status: ConsentStatus;
  source: ConsentSource;
  /** When it happened: an event's `occurredAt`, the time of a request or of an import. */
  at: Date;
  note?: string | null;
  actor?: ConsentActor | null;
}
