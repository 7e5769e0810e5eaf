import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { nulFields } from '@cdp/platform';
import { CONVERSATION_TYPES } from '../activity-types/available-types';
import { EventDto, type EventCustomerDto } from './event.dto';

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
 */
export async function validateEvent(raw: unknown, now = Date.now()): Promise<EventCheck> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('an event must be a JSON object');
  // The database cannot store NUL in text: refused here so that this event alone is rejected.
  const nul = nulFields(raw);
  if (nul.length) return fail(`${nul[0]} must not contain the NUL character (\u0000)`);
  const dto = plainToInstance(EventDto, raw);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return fail(messages(errors).slice(0, 3).join('; '));

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
