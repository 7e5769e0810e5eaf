import { DomainError, type FieldIssue } from '@cdp/platform';

/** An identifier the channel type does not accept (FEATURES.md CH3, X5). */
export class InvalidIdentifierError extends DomainError {
  readonly code = 'invalid_identifier';
  readonly kind = 'invalid' as const;
  constructor(issues: FieldIssue[], message = issues[0]?.message ?? 'The identifier is not valid for this channel') {
    super(message, issues);
  }
}

/** The change would strand the channel's customers: their identifiers were read under the old rules. */
export class ChannelInUseError extends DomainError {
  readonly code = 'channel_in_use';
  readonly kind = 'conflict' as const;
  constructor(message: string) {
    super(message);
  }
}

/** No adapter is registered for this channel type. */
export class UnknownChannelTypeError extends DomainError {
  readonly code = 'validation_failed';
  readonly kind = 'invalid' as const;
  constructor(readonly type: string) {
    super(`Unknown channel type "${type}"`, [{ field: 'type', code: 'unknown_channel_type', message: `"${type}" is not a channel type` }]);
  }
}

/** A channel plugin that breaks the contract: raised at start-up, so a broken plugin never serves traffic. */
export class ChannelPluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelPluginError';
  }
}
