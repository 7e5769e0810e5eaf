import { DomainError, type FieldIssue } from '@cdp/platform';

/** A source only some channel types allow (Ads, Broadcast: WhatsApp) was chosen without such channels (C7). */
export class SourceRequiresWhatsappError extends DomainError {
  readonly code = 'source_requires_whatsapp';
  readonly kind = 'invalid' as const;
  constructor(message: string, issues: FieldIssue[]) {
    super(message, issues);
  }
}

/** More property conditions than one filter may hold (C6). */
export class TooManyPropertyConditionsError extends DomainError {
  readonly code = 'too_many_property_conditions';
  readonly kind = 'invalid' as const;
  constructor(max: number, field: string) {
    super(`A filter may have at most ${max} property conditions`, [
      { field, code: 'too_many_property_conditions', message: `at most ${max} property conditions` },
    ]);
  }
}
