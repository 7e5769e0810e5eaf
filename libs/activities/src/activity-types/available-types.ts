/** Activity type keys: dotted lower-case segments (API.md "Activities and conversations"). */
export const ACTIVITY_TYPE_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
export const MAX_ACTIVITY_TYPE_KEY_LENGTH = 64;

/** The platform's predefined types, seeded by the migration (README "Available activity types"). */
export const AVAILABLE_ACTIVITY_TYPES = [
  'customer.created',
  'conversation.started',
  'conversation.resolved',
  'message.inbound_from_ad',
  'broadcast.received',
  'purchase.completed',
  'csat.submitted',
  'ticket.created',
  'ticket.resolved',
  'crm.updated',
  'page.viewed',
  'screen.viewed',
  'account.associated',
  'customer.identified',
  'customer.aliased',
  'consent.opted_in',
  'consent.opted_out',
] as const;

export type AvailableActivityType = (typeof AVAILABLE_ACTIVITY_TYPES)[number];

const AVAILABLE: ReadonlySet<string> = new Set(AVAILABLE_ACTIVITY_TYPES);
export const isAvailableActivityType = (key: string): boolean => AVAILABLE.has(key);

export const isActivityTypeKey = (key: unknown): key is string =>
  typeof key === 'string' && key.length <= MAX_ACTIVITY_TYPE_KEY_LENGTH && ACTIVITY_TYPE_KEY_PATTERN.test(key);

/** Conversation events feed the conversation history read model (FEATURES.md A4). */
export const CONVERSATION_TYPES: ReadonlySet<string> = new Set(['conversation.started', 'conversation.resolved']);

/** Consent events set the customer's consent as they are stored (FEATURES.md X9), by the status they give. */
export const CONSENT_TYPES: ReadonlyMap<string, 'opted_in' | 'opted_out'> = new Map([
  ['consent.opted_in', 'opted_in'],
  ['consent.opted_out', 'opted_out'],
]);
