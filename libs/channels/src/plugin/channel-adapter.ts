import { DiscoveryService } from '@nestjs/core';
import type { FieldIssue } from '@cdp/platform';

/** Where a customer came from (FEATURES.md C2). Which ones a channel type allows is the adapter's to say (CH4). */
export const CUSTOMER_SOURCES = ['admin', 'ads', 'organic', 'broadcast'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/** Every channel type must allow these two: customers added by hand, and customers who wrote in. */
export const REQUIRED_SOURCES: readonly CustomerSource[] = ['admin', 'organic'];

/** Channel type keys: lower case, 2–32 characters (the key is stored on every channel row). */
export const CHANNEL_TYPE_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/;

/** A channel instance's configuration, as stored (jsonb). Each adapter knows its own shape. */
export type ChannelConfig = Record<string, unknown>;

/** What an adapter may learn about the caller when reading an identifier. */
export interface IdentifierContext {
  /** ISO 3166 alpha-2 country used to read local phone numbers such as `0812…` (the app's setting). */
  defaultCountry?: string;
}

export interface ConfigResult<C extends ChannelConfig = ChannelConfig> {
  /** The configuration with defaults filled in; meaningful only when `issues` is empty. */
  config: C;
  /** Problems, with fields such as `config.pattern`. */
  issues: FieldIssue[];
}

/**
 * One channel type. Implementations are pure and stateless singletons: everything they need arrives as
 * arguments (the instance's config, the caller's context), so one instance serves every app at once.
 *
 * The identity guardrails (junk values such as `null` or `000`) run before `normalizeIdentifier` and again
 * on its result; an adapter never sees them and need not repeat them.
 */
export interface ChannelAdapter<C extends ChannelConfig = ChannelConfig> {
  /** The key stored on channel rows, e.g. `wa`. Must equal the `@ChannelPlugin({ type })` it is marked with. */
  readonly type: string;
  /** Display name, e.g. `WhatsApp`. */
  readonly name: string;
  /** Customer sources this type allows; always includes `admin` and `organic`. */
  readonly sources: readonly CustomerSource[];
  /** What an identifier looks like, for people and generated clients. */
  readonly identifier: { description: string; example: string };

  /** Checks a raw config (anything a client sent, or nothing), fills defaults and refuses unknown keys. */
  validateConfig(raw: unknown): ConfigResult<C>;
  /**
   * Puts an identifier in its canonical form (e.g. `+62 812-3456-7890` → `6281234567890`). Never throws: input
   * it cannot read comes back as given, and `validateIdentifier` says what is wrong with it. Idempotent.
   */
  normalizeIdentifier(raw: string, config: C, ctx: IdentifierContext): string;
  /** Issues of a normalised identifier (code `invalid_identifier`, field `identifier`); empty when it is valid. */
  validateIdentifier(id: string, config: C): FieldIssue[];
}

export interface ChannelPluginOptions {
  type: string;
}

/**
 * Marks a class as a channel adapter. Any module may provide it; the registry finds it through Nest's
 * DiscoveryService, so adding a channel type never edits a core file.
 *
 * ```ts
 * @ChannelPlugin({ type: 'viber' })
 * @Injectable()
 * export class ViberAdapter implements ChannelAdapter { ... }
 * ```
 */
export const ChannelPlugin = DiscoveryService.createDecorator<ChannelPluginOptions>();
