import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { SEGMENT_TYPES, type SegmentRejectionCode } from './segment-message';

type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;

const OBJECT: SchemaObject = { type: 'object', additionalProperties: true };
const TIME: SchemaObject = { type: 'string', format: 'date-time' };
const ID: SchemaObject = { oneOf: [{ type: 'string' }, { type: 'number' }] };

/**
 * One message of the Segment spec, as the body of `/v1/identify`, `/v1/track`, … or an item of `batch`. Fields
 * this API does not use are accepted and ignored (senders add their own, such as `_metadata` or `integrations`).
 */
export const SEGMENT_MESSAGE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  properties: {
    type: { type: 'string', enum: [...SEGMENT_TYPES], description: 'The call; on /v1/identify, /v1/track, … the path decides it' },
    messageId: { type: 'string', example: 'ajs-next-1733112000000-3f1c', description: 'The idempotency key: a repeat is a duplicate' },
    userId: { ...ID, description: "The customer's identifier on the write key's channel", example: '6281234567890' },
    anonymousId: { ...ID, description: 'Held until a message ties it to a userId' },
    timestamp: TIME,
    originalTimestamp: TIME,
    sentAt: { ...TIME, description: "When the sender sent it (by its clock); the batch's sentAt when absent" },
    context: { ...OBJECT, description: "Merged over the batch's context" },
    traits: { ...OBJECT, description: 'identify and group' },
    event: { type: 'string', example: 'Order Completed', description: 'track: the activity type is its key (order_completed)' },
    properties: { ...OBJECT, description: 'track, page and screen' },
    name: { type: 'string', nullable: true, description: 'page and screen' },
    groupId: { ...ID, description: 'group' },
    previousId: { ...ID, description: 'alias: the other id of the person' },
    writeKey: { type: 'string', description: 'The API key, when not sent as Basic auth' },
  },
};

export const SEGMENT_BATCH_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  required: ['batch'],
  properties: {
    batch: { type: 'array', items: SEGMENT_MESSAGE_SCHEMA, description: 'The body is at most 500 KB, each message at most 32 KB' },
    context: { ...OBJECT, description: "Merged under each message's context" },
    integrations: OBJECT,
    sentAt: { ...TIME, description: 'Taken by each message without its own' },
    timestamp: TIME,
    writeKey: { type: 'string', description: 'The API key, when not sent as Basic auth' },
  },
};

const CODES: SegmentRejectionCode[] = [
  'validation_failed',
  'message_too_large',
  'unknown_activity_type',
  'invalid_identifier',
  'customer_not_found',
  'source_requires_whatsapp',
  'identity_suppressed',
];

export class SegmentRejectedDto {
  @ApiProperty({ type: 'integer', description: 'Position of the message in batch (0 on the single-message paths)' }) index!: number;
  @ApiProperty({ type: String, nullable: true }) messageId!: string | null;
  @ApiProperty({ enum: CODES }) code!: string;
  @ApiProperty() message!: string;
}

export class SegmentResultDto {
  @ApiProperty({ enum: [true] }) success!: true;
  @ApiProperty({ type: 'integer', description: 'Messages stored (or held under their anonymousId) by this request' }) accepted!: number;
  @ApiProperty({ type: 'integer', description: 'Messages whose messageId was already stored' }) duplicates!: number;
  @ApiProperty({ type: [SegmentRejectedDto], description: 'Also kept in GET /v1/event-rejections' }) rejected!: SegmentRejectedDto[];
}
