import { isEmail } from 'class-validator';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { FieldIssue } from '@cdp/platform';

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
export const MAX_EMAIL_LENGTH = 254;

export interface FieldCheck {
  value?: string;
  issue?: FieldIssue;
}

/** A valid e-mail address, trimmed and lower-cased (addresses are compared and de-duplicated that way). */
export function checkEmail(raw: unknown, field = 'email'): FieldCheck {
  const v = typeof raw === 'string' ? raw.trim() : '';
  if (!v || v.length > MAX_EMAIL_LENGTH || !isEmail(v))
    return { issue: { field, code: 'invalid_email', message: 'email must be a valid e-mail address' } };
  return { value: v.toLowerCase() };
}

/**
 * A valid phone number in E.164 (`+6281234567890`). Input without a country code (`0812 3456 7890`) is read
 * with the app's default country.
 */
export function checkPhone(raw: unknown, defaultCountry: string, field = 'phoneNumber'): FieldCheck {
  const bad = {
    issue: {
      field,
      code: 'invalid_phone_number',
      message: 'phoneNumber must be a valid phone number (international, or local to the default country)',
    },
  };
  if (typeof raw !== 'string' || !raw.trim() || raw.length > 64) return bad;
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry as CountryCode);
  if (!parsed?.isValid()) return bad;
  return { value: parsed.number };
}

/** Tags trimmed, empty ones dropped, de-duplicated in first-seen order. */
export function normalizeTags(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of raw) {
    const v = t.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Issues of an already normalised tag list (count and length). */
export function tagIssues(tags: readonly string[], field = 'tags'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (tags.length > MAX_TAGS) issues.push({ field, code: 'too_many_tags', message: `at most ${MAX_TAGS} tags` });
  tags.forEach((t, i) => {
    if (t.length > MAX_TAG_LENGTH)
      issues.push({ field: `${field}[${i}]`, code: 'tag_too_long', message: `a tag has at most ${MAX_TAG_LENGTH} characters` });
  });
  return issues;
}

/** The checked value of a field, its issue (if any) added to `issues`: for callers that gather every problem. */
export function pickValue(check: FieldCheck, issues: FieldIssue[]): string | null {
  if (check.issue) issues.push(check.issue);
  return check.value ?? null;
}
