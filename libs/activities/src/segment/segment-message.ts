import { ACTIVITY_TYPE_KEY_PATTERN, MAX_ACTIVITY_TYPE_KEY_LENGTH } from '../activity-types/available-types';

/** The Segment spec's call types, each with its own path (`/v1/identify`, …) and allowed in a batch. */
export const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];
export const isSegmentType = (t: unknown): t is SegmentType => typeof t === 'string' && (SEGMENT_TYPES as readonly string[]).includes(t);

/** Segment's limits: a message of at most 32 KB, a request body of at most 500 KB. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const SEGMENT_BODY_LIMIT = 500 * 1024;
const MAX_ID_LENGTH = 256;
const MAX_MESSAGE_ID_LENGTH = 190;
const MAX_EVENT_NAME_LENGTH = 200;

export type SegmentRejectionCode =
  | 'validation_failed'
  | 'message_too_large'
  | 'unknown_activity_type'
  | 'invalid_identifier'
  | 'customer_not_found'
  | 'source_requires_whatsapp'
  | 'identity_suppressed';

export type Json = Record<string, unknown>;

/** A message that passed the checks that need no database, its times resolved. */
export interface SegmentMessage {
  type: SegmentType;
  messageId: string;
  userId?: string;
  anonymousId?: string;
  /** alias only. */
  previousId?: string;
  /** track only: the event name as sent, and its activity type key. */
  event?: string;
  eventKey?: string;
  /** page and screen. */
  name?: string;
  /** group only. */
  groupId?: string;
  traits: Json;
  properties: Json;
  context: Json;
  /** `timestamp` corrected for the sender's clock skew (see `occurredAt`). */
  occurredAt: Date;
}

export type MessageCheck =
  { message: SegmentMessage; code?: undefined } | { message?: undefined; code: SegmentRejectionCode; reason: string };

/** What a batch gives every message: its `context` (merged under each message's) and `sentAt`. */
export interface BatchDefaults {
  context?: Json;
  sentAt?: unknown;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (code: SegmentRejectionCode, reason: string): MessageCheck => ({ code, reason });

/** An id as the spec allows it (a string, or a number the SDKs pass through): trimmed text, or undefined when absent. */
function idOf(v: unknown): string | undefined | false {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return false;
  const s = v.trim();
  if (!s) return undefined;
  return s.length > MAX_ID_LENGTH ? false : s;
}

function timeOf(v: unknown): Date | undefined | false {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') return false;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? false : d;
}

/**
 * When the message happened, by the receiver's clock (API.md "Segment-compatible ingestion"): with `sentAt`
 * known, `receivedAt − (sentAt − (originalTimestamp or timestamp))` — the delay the sender measured, applied to
 * our clock, so a sender whose clock is off still lands at the right time; without `sentAt`, `timestamp`;
 * without either, `receivedAt`.
 */
export function occurredAt(receivedAt: Date, t: { timestamp?: Date; originalTimestamp?: Date; sentAt?: Date }): Date {
  const at = t.originalTimestamp ?? t.timestamp;
  if (t.sentAt && at) return new Date(receivedAt.getTime() - (t.sentAt.getTime() - at.getTime()));
  return t.timestamp ?? receivedAt;
}

/**
 * A track event's name as an activity type key: `Order Completed` → `order_completed`, `Checkout.Step 2` →
 * `checkout.step_2` (lower case, accents dropped, every run of other characters one `_`, a leading digit
 * prefixed with `e_`). Undefined when nothing usable is left.
 */
export function eventKey(name: string): string | undefined {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const segments = folded
    .split('.')
    .map((s) => s.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter(Boolean);
  if (!segments.length) return undefined;
  let key = segments.join('.');
  if (!/^[a-z]/.test(key)) key = `e_${key}`;
  key = key.slice(0, MAX_ACTIVITY_TYPE_KEY_LENGTH).replace(/[._]+$/, '');
  return ACTIVITY_TYPE_KEY_PATTERN.test(key) ? key : undefined;
}

/**
 * Checks one message of a request (`batch[i]`, or the body of `/v1/track` etc. with its type from the path)
 * the way Segment's API takes them: fields it does not use are ignored, not refused (senders add their own).
 */
export function checkMessage(raw: unknown, defaults: BatchDefaults, receivedAt: Date, pathType?: SegmentType): MessageCheck {
  if (!isObject(raw)) return fail('validation_failed', 'a message must be a JSON object');
  const size = Buffer.byteLength(JSON.stringify(raw), 'utf8');
  if (size > MAX_MESSAGE_BYTES) return fail('message_too_large', `a message is at most ${MAX_MESSAGE_BYTES} bytes (this one: ${size})`);
  const type = pathType ?? raw.type;
  if (!isSegmentType(type)) return fail('validation_failed', `type must be one of ${SEGMENT_TYPES.join(', ')}`);

  const messageId = idOf(raw.messageId);
  if (messageId === false || (messageId && messageId.length > MAX_MESSAGE_ID_LENGTH))
    return fail('validation_failed', `messageId must be a string of at most ${MAX_MESSAGE_ID_LENGTH} characters`);
  if (!messageId) return fail('validation_failed', 'messageId is required (it makes a retry harmless)');
  const userId = idOf(raw.userId);
  const anonymousId = idOf(raw.anonymousId);
  if (userId === false) return fail('validation_failed', `userId must be a string of at most ${MAX_ID_LENGTH} characters`);
  if (anonymousId === false) return fail('validation_failed', `anonymousId must be a string of at most ${MAX_ID_LENGTH} characters`);
  if (!userId && !anonymousId) return fail('validation_failed', 'userId or anonymousId is required');

  for (const field of ['traits', 'properties', 'context'] as const)
    if (raw[field] !== undefined && raw[field] !== null && !isObject(raw[field]))
      return fail('validation_failed', `${field} must be an object`);
  const context: Json = { ...(isObject(defaults.context) ? defaults.context : {}), ...(isObject(raw.context) ? raw.context : {}) };
  const traits: Json = isObject(raw.traits) ? raw.traits : isObject(context.traits) && type === 'identify' ? context.traits : {};
  const properties: Json = isObject(raw.properties) ? raw.properties : {};

  const times: Record<'timestamp' | 'originalTimestamp' | 'sentAt', Date | undefined> = {
    timestamp: undefined,
    originalTimestamp: undefined,
    sentAt: undefined,
  };
  for (const field of ['timestamp', 'originalTimestamp', 'sentAt'] as const) {
    const t = timeOf(field === 'sentAt' ? (raw.sentAt ?? defaults.sentAt) : raw[field]);
    if (t === false) return fail('validation_failed', `${field} must be an ISO 8601 time`);
    times[field] = t;
  }

  const message: SegmentMessage = {
    type,
    messageId,
    userId: userId || undefined,
    anonymousId: anonymousId || undefined,
    traits,
    properties,
    context,
    occurredAt: occurredAt(receivedAt, times),
  };
  switch (type) {
    case 'track': {
      const event = typeof raw.event === 'string' ? raw.event.trim() : '';
      if (!event || event.length > MAX_EVENT_NAME_LENGTH)
        return fail('validation_failed', `event is required (a name of at most ${MAX_EVENT_NAME_LENGTH} characters)`);
      const key = eventKey(event);
      if (!key) return fail('validation_failed', `event "${event}" gives no activity type key (letters or digits are needed)`);
      message.event = event;
      message.eventKey = key;
      break;
    }
    case 'page':
    case 'screen': {
      const name = raw.name ?? properties.name;
      if (name !== undefined && name !== null && typeof name !== 'string') return fail('validation_failed', 'name must be a string');
      message.name = name ?? undefined;
      break;
    }
    case 'group': {
      const groupId = idOf(raw.groupId);
      if (!groupId) return fail('validation_failed', 'groupId is required');
      message.groupId = groupId;
      break;
    }
    case 'alias': {
      const previousId = idOf(raw.previousId);
      if (!previousId) return fail('validation_failed', 'previousId is required');
      if (!userId) return fail('validation_failed', 'userId is required');
      message.previousId = previousId;
      break;
    }
  }
  return { message };
}

/** The activity a message becomes (alias aside, which may become a duplicate suggestion instead). */
export function activityOf(m: SegmentMessage): { type: string; data: Json } {
  switch (m.type) {
    case 'identify':
      return { type: 'customer.identified', data: { traits: m.traits, context: m.context } };
    case 'track':
      return { type: m.eventKey!, data: { ...m.properties, context: m.context } };
    case 'page':
      return { type: 'page.viewed', data: { name: m.name ?? null, properties: m.properties, context: m.context } };
    case 'screen':
      return { type: 'screen.viewed', data: { name: m.name ?? null, properties: m.properties, context: m.context } };
    case 'group':
      return { type: 'account.associated', data: { groupId: m.groupId, traits: m.traits, context: m.context } };
    case 'alias':
      return { type: 'customer.aliased', data: { previousId: m.previousId, context: m.context } };
  }
}

/** The customer fields an identify's traits give: a name (or first + last name), an e-mail, a phone number. */
export function contactTraits(traits: Json): { name?: unknown; email?: unknown; phoneNumber?: unknown } {
  const out: { name?: unknown; email?: unknown; phoneNumber?: unknown } = {};
  const first = typeof traits.firstName === 'string' ? traits.firstName.trim() : '';
  const last = typeof traits.lastName === 'string' ? traits.lastName.trim() : '';
  if (traits.name !== undefined && traits.name !== null && traits.name !== '') out.name = traits.name;
  else if (first || last) out.name = [first, last].filter(Boolean).join(' ');
  if (traits.email !== undefined && traits.email !== null && traits.email !== '') out.email = traits.email;
  if (traits.phone !== undefined && traits.phone !== null && traits.phone !== '') out.phoneNumber = traits.phone;
  return out;
}
