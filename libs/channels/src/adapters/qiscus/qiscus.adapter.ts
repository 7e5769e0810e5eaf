import { Injectable } from '@nestjs/common';
import type { FieldIssue } from '@cdp/platform';
import { ChannelPlugin, type ChannelAdapter, type ConfigResult, type IdentifierContext } from '../../plugin/channel-adapter';
import { readConfigObject, readEnum } from '../../plugin/config';
import { countryOf, identifierIssue, isE164, isValidEmail, normalizeEmail, toE164 } from '../identifier-formats';

export const QISCUS_IDENTIFIER_TYPES = ['phone', 'email'] as const;

export interface QiscusConfig extends Record<string, unknown> {
  identifierType: (typeof QISCUS_IDENTIFIER_TYPES)[number];
}

/** The web/mobile chat widget: the customer signs in with a phone number or an e-mail, as the instance says. */
@ChannelPlugin({ type: 'qiscus' })
@Injectable()
export class QiscusAdapter implements ChannelAdapter<QiscusConfig> {
  readonly type = 'qiscus';
  readonly name = 'Qiscus Widget';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = {
    description: 'A phone number in E.164 (local numbers read with the default country) or an e-mail address, set by config.identifierType',
    example: '+6281234567890',
  };

  validateConfig(raw: unknown): ConfigResult<QiscusConfig> {
    const { object, issues } = readConfigObject(raw, ['identifierType']);
    const identifierType = readEnum(object, 'identifierType', QISCUS_IDENTIFIER_TYPES, 'phone', issues);
    return { config: { identifierType }, issues };
  }

  normalizeIdentifier(raw: string, config: QiscusConfig, ctx: IdentifierContext): string {
    if (config.identifierType === 'email') return normalizeEmail(raw);
    return toE164(raw, countryOf(ctx)) ?? raw.trim();
  }

  validateIdentifier(id: string, config: QiscusConfig): FieldIssue[] {
    if (config.identifierType === 'email') return isValidEmail(id) ? [] : [identifierIssue('identifier must be an e-mail address')];
    return isE164(id) ? [] : [identifierIssue('identifier must be a valid phone number (E.164, e.g. +6281234567890)')];
  }
}
