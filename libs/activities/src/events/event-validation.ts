import { plainToInstance } from 'class-transformer';
import { arrayMaxSize, isIn, isObject, isUUID, length, matches, maxLength, validate, type ValidationError } from 'class-validator';
import { CUSTOMER_SOURCES } from '@cdp/channels';
import { nulFields } from '@cdp/platform';
import { ACTIVITY_TYPE_KEY_PATTERN, CONVERSATION_TYPES, MAX_ACTIVITY_TYPE_KEY_LENGTH } from '../activity-types/available-types';
import { EventDto, OCCURRED_AT_PATTERN, type EventCustomerDto } from './event.dto';

export const MAX_DATA_BYTES = 32 * 1024;
/** Clock skew allowed for `occurredAt` in the future; beyond it, a last activity would sit ahead of now. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
const MAX_ROOM_ID_LENGTH = 200;
const MAX_LAST_MESSAGE_LENGTH = 4000;

export interface ConversationData {
  roomId: string;
  lastMessage?: string | null;
  additionalInfo?: unknown;
  notes?: unknown;
}

/** An event that passed every check that needs no database. */
export interface ValidEvent {
  type: string;
  occurredAt: Date;
  customerId?: string;
  channelId?: string;
  identifier?: string;
  customer?: EventCustomerDto;
  data: Record<string, unknown>;
  idempotencyKey?: string;
  /** For conversation.started / conversation.resolved. */
  conversation?: ConversationData;
}

export type EventCheck = { event: ValidEvent; message?: undefined } | { event?: undefined; message: string };

function messages(errors: ValidationError[], prefix = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {}))
      out.push(rule === 'whitelistValidation' ? `${field} is not a known field` : prefix ? `${prefix}.${message}` : message);
    if (e.children?.length) out.push(...messages(e.children, field));
  }
  return out;
}

const fail = (message: string): EventCheck => ({ message });

/**
 * Checks one event of a batch (syntax and the rules that need no database), the same way the global pipe
 * checks a request body: unknown fields refused. Answers the event or a message for `rejected`.
 *
 * An event of the usual shape is read by `plainEvent` (the decorators' own predicates, called directly: a
 * tenth of the time of class-transformer and class-validator, which took most of the service's time in a
 * batch of 500); anything else goes through `checkedEvent`, which says why it is refused. A test holds the two
 * to the same answers.
 */
export async function validateEvent(raw: unknown, now = Date.now()): Promise<EventCheck> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('an event must be a JSON object');
  // The database cannot store NUL in text: refused here so that this event alone is rejected.
  const nul = nulFields(raw);
  if (nul.length) return fail(`${nul[0]} must not contain the NUL character (\u0000)`);
  const dto = plainEvent(raw) ?? (await checkedEvent(raw));
  if (typeof dto === 'string') return fail(dto);

  const at = new Date(dto.occurredAt);
  if (Number.isNaN(at.getTime())) return fail('occurredAt is not a valid date');
  if (at.getTime() < 0) return fail('occurredAt must not be before 1970');
  if (at.getTime() > now + MAX_FUTURE_MS) return fail('occurredAt must not be more than a day in the future');

  const byChannel = dto.channelId !== undefined || dto.identifier !== undefined;
  if (dto.customerId !== undefined && byChannel) return fail('give customerId, or channelId and identifier, not both');
  if (dto.customerId === undefined && (dto.channelId === undefined || dto.identifier === undefined))
    return fail('the customer is required: customerId, or channelId and identifier');

  const data = dto.data ?? {};
  if (JSON.stringify(data).length > MAX_DATA_BYTES) return fail(`data must be at most ${MAX_DATA_BYTES} bytes of JSON`);

  let conversation: ConversationData | undefined;
  if (CONVERSATION_TYPES.has(dto.type)) {
    const c = conversationData(data);
    if (typeof c === 'string') return fail(c);
    conversation = c;
  }
  return {
    event: {
      type: dto.type,
      occurredAt: at,
      customerId: dto.customerId?.toLowerCase(),
      channelId: dto.channelId?.toLowerCase(),
      identifier: dto.identifier,
      customer: dto.customer,
      data,
      idempotencyKey: dto.idempotencyKey,
      conversation,
    },
  };
}

/**
 * `raw` through `EventDto`'s decorators (class-transformer, then class-validator): the event, or why not.
 *
 * The free-form objects (`data`, `customer.properties`) are only judged to be objects, so class-transformer is
 * given an empty one in their place and the sent one is put back: it leaves out keys named like Object's own
 * methods (`valueOf`, `toString`, …) from the objects it copies, and throws on a `constructor` key.
 */
export async function checkedEvent(raw: object): Promise<EventDto | string> {
  const sent = raw as Partial<Record<keyof EventDto, unknown>>;
  const customer = isObject(sent.customer) ? (sent.customer as Record<string, unknown>) : undefined;
  const shape: Record<string, unknown> = { ...raw };
  if (isObject(sent.data)) shape.data = {};
  if (customer && isObject(customer.properties)) shape.customer = { ...customer, properties: {} };
  const dto = plainToInstance(EventDto, shape);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return messages(errors).slice(0, 3).join('; ');
  if (dto.data !== undefined) dto.data = sent.data as Record<string, unknown>;
  if (dto.customer?.properties !== undefined) dto.customer.properties = customer?.properties as Record<string, unknown>;
  return dto;
}

const EVENT_FIELDS: Record<keyof EventDto, (v: unknown) => boolean> = {
  type: (v) => typeof v === 'string' && maxLength(v, MAX_ACTIVITY_TYPE_KEY_LENGTH) && matches(v, ACTIVITY_TYPE_KEY_PATTERN),
  occurredAt: (v) => typeof v === 'string' && matches(v, OCCURRED_AT_PATTERN),
  customerId: (v) => isUUID(v),
  channelId: (v) => isUUID(v),
  identifier: (v) => maxLength(v, 256),
  customer: (v) => isObject(v) && fieldsPass(v, CUSTOMER_FIELDS),
  data: (v) => isObject(v),
  idempotencyKey: (v) => length(v, 1, 200),
};
const CUSTOMER_FIELDS: Record<keyof EventCustomerDto, (v: unknown) => boolean> = {
  name: (v) => length(v, 1, 200),
  email: (v) => maxLength(v, 254),
  phoneNumber: (v) => maxLength(v, 64),
  source: (v) => isIn(v, [...CUSTOMER_SOURCES]),
  platform: (v) => isIn(v, ['web', 'mobile']),
  tags: (v) => Array.isArray(v) && arrayMaxSize(v, 50) && v.every((t) => length(t, 1, 64)),
  properties: (v) => isObject(v),
};
const REQUIRED_EVENT_FIELDS = ['type', 'occurredAt'] as const;

/** Every own field of `o` is one of `rules` and passes its rule (a field present as null or undefined does not). */
function fieldsPass(o: object, rules: Record<string, (v: unknown) => boolean>): boolean {
  for (const [key, value] of Object.entries(o)) {
    if (!Object.hasOwn(rules, key) || value === null || value === undefined || !rules[key](value)) return false;
  }
  return true;
}

/**
 * `raw` as an event when it certainly passes `EventDto`'s decorators: only its own fields, each present with a
 * value that passes the same predicates the decorators call (optional fields absent, never null). Otherwise
 * undefined, and `checkedEvent` decides and explains; so this may turn a valid event away, never let a bad one in.
 */
export function plainEvent(raw: object): EventDto | undefined {
  if (Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  for (const key of REQUIRED_EVENT_FIELDS) if (!Object.hasOwn(raw, key)) return undefined;
  return fieldsPass(raw, EVENT_FIELDS) ? (raw as EventDto) : undefined;
}

/** The conversation fields of a conversation event's data, or why they are not valid. */
function conversationData(data: Record<string, unknown>): ConversationData | string {
  const room = data.roomId;
  const roomId = typeof room === 'number' && Number.isSafeInteger(room) ? String(room) : typeof room === 'string' ? room.trim() : '';
  if (!roomId || roomId.length > MAX_ROOM_ID_LENGTH) return `data.roomId is required (a string of 1 to ${MAX_ROOM_ID_LENGTH} characters)`;
  const out: ConversationData = { roomId };
  if ('lastMessage' in data) {
    const m = data.lastMessage;
    if (m !== null && (typeof m !== 'string' || m.length > MAX_LAST_MESSAGE_LENGTH))
      return `data.lastMessage must be a string of at most ${MAX_LAST_MESSAGE_LENGTH} characters`;
    out.lastMessage = m as string | null;
  }
  if ('additionalInfo' in data) {
    const a = data.additionalInfo;
    if (a !== null && typeof a !== 'object') return 'data.additionalInfo must be an object or an array';
    out.additionalInfo = a;
  }
  if ('notes' in data) {
    const n = data.notes;
    if (n !== null && typeof n !== 'string' && typeof n !== 'object') return 'data.notes must be a string, an object or an array';
    out.notes = n;
  }
  return out;
}
