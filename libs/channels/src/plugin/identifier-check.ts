import type { FieldIssue } from '@cdp/platform';
import type { ChannelAdapter, ChannelConfig, IdentifierContext } from './channel-adapter';
import { checkIdentityGuardrails } from './identity-guardrails';

export interface IdentifierCheckContext extends IdentifierContext {
  /** The field named in issues (default `identifier`), e.g. `events[3].identifier`. */
  field?: string;
}

export interface IdentifierCheck {
  /** The canonical identifier, when it is valid. */
  identifier?: string;
  issues: FieldIssue[];
}

/**
 * The one way an identifier enters: the identity guardrails, the adapter's normalisation, the guardrails
 * again on the result (`0-0-0` normalises to `000`), then the adapter's validation. The service and the
 * conformance kit both call this, so a third-party adapter gets exactly the treatment of a built-in one.
 */
export function checkIdentifierWith<C extends ChannelConfig>(
  adapter: ChannelAdapter<C>,
  raw: unknown,
  config: C,
  ctx: IdentifierCheckContext = {},
): IdentifierCheck {
  const field = ctx.field ?? 'identifier';
  const before = checkIdentityGuardrails(raw, field);
  if (before.value === undefined) return { issues: before.issues };
  const normalized = adapter.normalizeIdentifier(before.value, config, { defaultCountry: ctx.defaultCountry });
  const after = checkIdentityGuardrails(normalized, field);
  if (after.value === undefined) return { issues: after.issues };
  // The adapter speaks of `identifier`; the caller decides what the field is called in its report.
  const issues = adapter.validateIdentifier(after.value, config).map((i) => ({ ...i, field: renameField(i.field, field) }));
  return issues.length ? { issues } : { identifier: after.value, issues: [] };
}

function renameField(adapterField: string, field: string): string {
  if (!adapterField || adapterField === 'identifier') return field;
  return adapterField.startsWith('identifier.') ? field + adapterField.slice('identifier'.length) : adapterField;
}
