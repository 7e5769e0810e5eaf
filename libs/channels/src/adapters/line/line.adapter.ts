import { Injectable } from '@nestjs/common';
import type { FieldIssue } from '@cdp/platform';
import { ChannelPlugin, type ChannelAdapter, type ConfigResult } from '../../plugin/channel-adapter';
import { emptyConfig } from '../../plugin/config';
import { identifierIssue } from '../identifier-formats';

const LINE_USER_ID = /^U[0-9a-f]{32}$/;
const LINE_USER_ID_ANY_CASE = /^u[0-9a-f]{32}$/i;

/**
 * LINE: a user id is `U` followed by 32 hex digits. LINE issues them in lower-case hex, so input in another
 * case is folded to `U` + lower case: the same user never becomes two customers because of a copy-paste.
 */
@ChannelPlugin({ type: 'line' })
@Injectable()
export class LineAdapter implements ChannelAdapter {
  readonly type = 'line';
  readonly name = 'LINE';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = {
    description: 'The LINE user id: U followed by 32 hexadecimal characters',
    example: 'U4af4980629ab6b1b3ed39de5c5cbf3d2',
  };

  validateConfig(raw: unknown): ConfigResult {
    return emptyConfig(raw);
  }

  normalizeIdentifier(raw: string): string {
    const id = raw.trim();
    return LINE_USER_ID_ANY_CASE.test(id) ? `U${id.slice(1).toLowerCase()}` : id;
  }

  validateIdentifier(id: string): FieldIssue[] {
    return LINE_USER_ID.test(id) ? [] : [identifierIssue('identifier must be U followed by 32 hexadecimal characters')];
  }
}
