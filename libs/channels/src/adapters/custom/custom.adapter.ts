import { Injectable } from '@nestjs/common';
import type { FieldIssue } from '@cdp/platform';
import { ChannelPlugin, type ChannelAdapter, type ConfigResult, type IdentifierContext } from '../../plugin/channel-adapter';
import { configIssue, readConfigObject, readEnum } from '../../plugin/config';
import { MAX_IDENTIFIER_LENGTH } from '../../plugin/identity-guardrails';
import { countryOf, identifierIssue, isE164, isValidEmail, normalizeEmail, toE164 } from '../identifier-formats';
import { compileIdentifierPattern } from './custom-pattern';

export const CUSTOM_IDENTIFIER_TYPES = ['phone', 'email', 'text'] as const;

export interface CustomConfig extends Record<string, unknown> {
  identifierType: (typeof CUSTOM_IDENTIFIER_TYPES)[number];
  /** A regular expression the whole (normalised) identifier must match. */
  pattern?: string;
}

// Control characters (and the Unicode line/paragraph separators) break CSV exports and log lines.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/**
 * A channel the business connects itself. The instance says what identifies its customers: a phone number
 * (E.164, as for the widget), an e-mail address, or free text; an optional pattern then applies to the
 * normalised identifier of any of the three. Free text is kept as given, in Unicode NFC, so that the same
 * visible text is one identifier however it was composed.
 */
@ChannelPlugin({ type: 'custom' })
@Injectable()
export class CustomAdapter implements ChannelAdapter<CustomConfig> {
  readonly type = 'custom';
  readonly name = 'Custom Channel';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = {
    description:
      'As config.identifierType says: a phone number (E.164), an e-mail address, or text of up to 256 characters; ' +
      'config.pattern must match the whole identifier',
    example: 'member-10293',
  };

  validateConfig(raw: unknown): ConfigResult<CustomConfig> {
    const { object, issues } = readConfigObject(raw, ['identifierType', 'pattern']);
    const config: CustomConfig = { identifierType: readEnum(object, 'identifierType', CUSTOM_IDENTIFIER_TYPES, 'text', issues) };
    const pattern = object.pattern;
    if (pattern === undefined || pattern === null) return { config, issues };
    if (typeof pattern !== 'string') {
      issues.push(configIssue('pattern', 'invalid_pattern', 'config.pattern must be a string'));
      return { config, issues };
    }
    const compiled = compileIdentifierPattern(pattern);
    if (compiled.problem) issues.push(configIssue('pattern', 'invalid_pattern', `config.${compiled.problem}`));
    else config.pattern = pattern;
    return { config, issues };
  }

  normalizeIdentifier(raw: string, config: CustomConfig, ctx: IdentifierContext): string {
    if (config.identifierType === 'phone') return toE164(raw, countryOf(ctx)) ?? raw.trim();
    if (config.identifierType === 'email') return normalizeEmail(raw);
    return raw.trim().normalize('NFC');
  }

  validateIdentifier(id: string, config: CustomConfig): FieldIssue[] {
    const issue = this.formatIssue(id, config);
    if (issue) return [issue];
    if (config.pattern === undefined) return [];
    // A stored pattern was checked when it was saved; one that no longer compiles refuses rather than throws.
    const compiled = compileIdentifierPattern(config.pattern);
    if (!compiled.regex) return [identifierIssue('the channel pattern is not valid; fix config.pattern')];
    return compiled.regex.test(id) ? [] : [identifierIssue('identifier does not match the pattern of this channel')];
  }

  private formatIssue(id: string, config: CustomConfig): FieldIssue | undefined {
    switch (config.identifierType) {
      case 'phone':
        return isE164(id) ? undefined : identifierIssue('identifier must be a valid phone number (E.164, e.g. +6281234567890)');
      case 'email':
        return isValidEmail(id) ? undefined : identifierIssue('identifier must be an e-mail address');
      default:
        if (id.length > MAX_IDENTIFIER_LENGTH) return identifierIssue(`identifier must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
        if (CONTROL.test(id)) return identifierIssue('identifier must not contain control characters');
        return id.normalize('NFC') === id ? undefined : identifierIssue('identifier must be in Unicode NFC');
    }
  }
}
