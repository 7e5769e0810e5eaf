import type { ChannelInstance, CustomerSource } from '@cdp/channels';
import type { FieldIssue } from '@cdp/platform';
import type { PropertyDefinition } from '../properties/property-values';

declare const CHECKED: unique symbol;

/** What a new customer is made of, every value checked and normalised. */
export interface NewCustomerFields {
  channelId: string;
  /** Canonical, as the channel's adapter reads it. */
  identifier: string;
  name: string;
  /** Lower-cased. */
  email: string | null;
  /** E.164. */
  phoneNumber: string | null;
  source: CustomerSource;
  platform: 'web' | 'mobile' | null;
  tags: string[];
  properties: Record<string, unknown>;
}

/**
 * A new customer that came through the one door (`CustomerIntake`): only the intake makes one, and the batch
 * insert (`CustomersService.createMany`) takes nothing else. The brand is a compile-time mark only.
 */
export type NewCustomer = Readonly<NewCustomerFields> & { readonly [CHECKED]: true };

/** Raw input for a new customer, from whichever way in (REST, CSV row, event, seed, SDK message). */
export interface RawCustomer {
  channelId?: string | null;
  identifier?: unknown;
  name?: unknown;
  email?: unknown;
  phoneNumber?: unknown;
  /** The customer source to give it (REST and import: `admin`; events: what the event says, default `organic`). */
  source: CustomerSource;
  platform?: unknown;
  tags?: unknown;
  properties?: unknown;
}

/** The fields a problem may be about; a problem's `field` is one of these, or below one (`tags[2]`, `properties.city`). */
export type CustomerField = 'channelId' | 'identifier' | 'name' | 'email' | 'phoneNumber' | 'source' | 'platform' | 'tags' | 'properties';

export interface CustomerIssue extends FieldIssue {
  /** The top-level field the problem is about, whatever `field` says below it. */
  part: CustomerField;
}

export type CustomerCheck = { customer: NewCustomer; issues: [] } | { customer?: undefined; issues: CustomerIssue[] };

/** What the door needs to know about the app, loaded once per batch (`CustomerIntake.prepare`). */
export interface IntakeContext {
  appId: string;
  /** The channels the batch may name, by lower-case id. */
  channels: ReadonlyMap<string, ChannelInstance>;
  defaultCountry: string;
  /** The property definitions the batch's values may name, by key. */
  definitions: ReadonlyMap<string, PropertyDefinition>;
}

export interface IntakeOptions {
  /** When the input has no name (or a blank one): `identifier` names the customer by its identifier (events, SDKs); by default a name is required. */
  nameFallback?: 'identifier';
}
