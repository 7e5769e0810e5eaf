import type { FieldIssue } from '@cdp/platform';
import type { ChannelAdapter, ConfigResult, CustomerSource } from '../plugin/channel-adapter';
import { emptyConfig } from '../plugin/config';
import { identifierIssue } from './identifier-formats';

// 1–20 digits, no leading zero: platforms never issue one, and `0123` next to `123` would be two customers.
const NUMERIC_ID = /^[1-9]\d{0,19}$/;

/** Channels whose users are known by a numeric id the platform assigns (Facebook PSID, Instagram IGSID, Telegram user id). */
export abstract class NumericIdAdapter implements ChannelAdapter {
  abstract readonly type: string;
  abstract readonly name: string;
  abstract readonly identifier: { description: string; example: string };
  readonly sources: readonly CustomerSource[] = ['admin', 'organic'];

  validateConfig(raw: unknown): ConfigResult {
    return emptyConfig(raw);
  }

  normalizeIdentifier(raw: string): string {
    return raw.trim();
  }

  validateIdentifier(id: string): FieldIssue[] {
    return NUMERIC_ID.test(id) ? [] : [identifierIssue('identifier must be a numeric id of 1 to 20 digits without a leading zero')];
  }
}
