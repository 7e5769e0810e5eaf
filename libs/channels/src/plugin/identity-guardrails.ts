import type { FieldIssue } from '@cdp/platform';

/** The longest identifier any channel stores. */
export const MAX_IDENTIFIER_LENGTH = 256;

/**
 * Values that integrations send when they have no real identity (FEATURES.md X5): a customer keyed on one
 * of these would collect strangers. Compared case-insensitively after trimming.
 */
export const JUNK_IDENTIFIERS: readonly string[] = ['null', 'undefined', '0', '-1', 'anonymous', 'guest', '[object object]', 'nan', 'none'];

// `0`, `000`, `0000000`, and the signed `+0`/`-0` a careless formatter produces.
const ALL_ZEROS = /^[+-]?0+$/;

export interface GuardrailResult {
  /** The trimmed identifier, when it passed. */
  value?: string;
  issues: FieldIssue[];
}

const issue = (field: string, message: string): FieldIssue => ({ field, code: 'invalid_identifier', message });

/**
 * The identity guardrails every identifier passes before any adapter sees it, whatever its channel type:
 * a string, trimmed, not empty, at most 256 characters, and not a junk value.
 */
export function checkIdentityGuardrails(raw: unknown, field = 'identifier'): GuardrailResult {
  if (typeof raw !== 'string') return { issues: [issue(field, 'identifier must be a string')] };
  const value = raw.trim();
  if (!value) return { issues: [issue(field, 'identifier must not be empty')] };
  if (value.length > MAX_IDENTIFIER_LENGTH)
    return { issues: [issue(field, `identifier must be at most ${MAX_IDENTIFIER_LENGTH} characters`)] };
  if (isJunkIdentifier(value)) return { issues: [issue(field, `"${value}" is a placeholder, not an identity`)] };
  return { value, issues: [] };
}

/** True for a placeholder value (`null`, `guest`, `000`, …), whatever its case or surrounding spaces. */
export function isJunkIdentifier(value: string): boolean {
  const v = value.trim().toLowerCase();
  return JUNK_IDENTIFIERS.includes(v) || ALL_ZEROS.test(v);
}
