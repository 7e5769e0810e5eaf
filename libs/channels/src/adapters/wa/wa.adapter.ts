import { Injectable } from '@nestjs/common';
import type { FieldIssue } from '@cdp/platform';
import {
  ChannelPlugin,
  type ChannelAdapter,
  type ChannelConfig,
  type ConfigResult,
  type IdentifierContext,
} from '../../plugin/channel-adapter';
import { emptyConfig } from '../../plugin/config';
import { compactPhone, countryOf, identifierIssue, parseValidPhone, toInternationalDigits } from '../identifier-formats';

/**
 * WhatsApp: the identifier is the wa_id, the number in international digits without `+` (`6281234567890`).
 *
 * Reading input: `+…` and `00…` are international; a number starting with the trunk prefix `0` (`0812…`) is
 * local to the app's default country; any other run of digits is already international, as WhatsApp
 * itself writes them (so `6281234567890` stays as it is, whatever the default country). A number must be
 * valid for its country's numbering plan, not merely of a plausible length.
 */
@ChannelPlugin({ type: 'wa' })
@Injectable()
export class WaAdapter implements ChannelAdapter {
  readonly type = 'wa';
  readonly name = 'WhatsApp';
  // Click-to-WhatsApp ads and broadcasts exist only on WhatsApp (FEATURES.md CH4).
  readonly sources = ['admin', 'ads', 'organic', 'broadcast'] as const;
  readonly identifier = {
    description: 'The WhatsApp number in international digits without + (input such as +62 812-3456-7890 is normalised)',
    example: '6281234567890',
  };

  validateConfig(raw: unknown): ConfigResult {
    return emptyConfig(raw);
  }

  normalizeIdentifier(raw: string, _config: ChannelConfig, ctx: IdentifierContext): string {
    const compact = compactPhone(raw);
    if (!compact) return raw.trim();
    const phone = compact.startsWith('+')
      ? parseValidPhone(compact)
      : compact.startsWith('0')
        ? parseValidPhone(compact, countryOf(ctx))
        : parseValidPhone(`+${compact}`);
    return phone ? toInternationalDigits(phone.number) : raw.trim();
  }

  validateIdentifier(id: string): FieldIssue[] {
    const ok = /^[1-9]\d{6,14}$/.test(id) && parseValidPhone(`+${id}`)?.number === `+${id}`;
    return ok ? [] : [identifierIssue('identifier must be a valid WhatsApp number in international digits without + (e.g. 6281234567890)')];
  }
}
