import { Injectable } from '@nestjs/common';
import type { FieldIssue } from '@cdp/platform';
import { ChannelPlugin, type ChannelAdapter, type ConfigResult } from '../../plugin/channel-adapter';
import { emptyConfig } from '../../plugin/config';
import { identifierIssue } from '../identifier-formats';

// Open ids are opaque and case-sensitive: kept exactly as TikTok sends them.
const OPEN_ID = /^[A-Za-z0-9+/=\-_.]{1,128}$/;

/** TikTok: the app-scoped open id. */
@ChannelPlugin({ type: 'tiktok' })
@Injectable()
export class TiktokAdapter implements ChannelAdapter {
  readonly type = 'tiktok';
  readonly name = 'TikTok';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = {
    description: 'The TikTok open id: up to 128 letters, digits and + / = - _ . (case-sensitive)',
    example: '_000Hq2LzVb0Jd9yXkQ4rT8mW3nE5sA1',
  };

  validateConfig(raw: unknown): ConfigResult {
    return emptyConfig(raw);
  }

  normalizeIdentifier(raw: string): string {
    return raw.trim();
  }

  validateIdentifier(id: string): FieldIssue[] {
    return OPEN_ID.test(id) ? [] : [identifierIssue('identifier must be up to 128 letters, digits and + / = - _ .')];
  }
}
