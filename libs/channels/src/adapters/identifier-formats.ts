import type { FieldIssue } from '@cdp/platform';
import { isEmail } from 'class-validator';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/**
 * Identifier formats shared by several adapters. Phone numbers go through libphonenumber-js with its full
 * ("max") metadata, so a number is valid only when it falls in a range the numbering plan assigns, not merely
 * when it has a plausible length (`+6200000000000` has one). The metadata ships with the package.
 */

export const FALLBACK_COUNTRY: CountryCode = 'ID';

export const identifierIssue = (message: string): FieldIssue => ({ field: 'identifier', code: 'invalid_identifier', message });

// What people put between digits; anything else (letters, `tel:`, an extension) makes the input unreadable.
const PHONE_FORMATTING = /[\s\-().\u00a0]/g;
const PHONE_CHARS = /^\+?\d+$/;

export function countryOf(ctx: { defaultCountry?: string }): CountryCode {
  const c = ctx.defaultCountry?.toUpperCase();
  return c && isSupportedCountry(c) ? c : FALLBACK_COUNTRY;
}

/** Digits with an optional leading `+`, formatting removed; `00…` (the ITU international prefix) becomes `+…`. */
export function compactPhone(raw: string): string | undefined {
  const compact = raw.trim().replace(PHONE_FORMATTING, '');
  if (!PHONE_CHARS.test(compact)) return undefined;
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/** The number `text` denotes, when it is a valid one (no extension, no surrounding text). */
export function parseValidPhone(text: string, country?: CountryCode): PhoneNumber | undefined {
  const p = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
  return p && !p.ext && p.isValid() ? p : undefined;
}

/**
 * A phone number in E.164 (`+6281234567890`). Input with `+` or `00` is international; other input is read
 * as a local number of `country` (`0812…`, and also `62812…`, which libphonenumber recognises as carrying the
 * country's own code), and failing that as international digits without `+`.
 */
export function toE164(raw: string, country: CountryCode): string | undefined {
  const compact = compactPhone(raw);
  if (!compact) return undefined;
  if (compact.startsWith('+')) return parseValidPhone(compact)?.number;
  return parseValidPhone(compact, country)?.number ?? (compact.startsWith('0') ? undefined : parseValidPhone(`+${compact}`)?.number);
}

/** True when `id` is exactly a valid number's E.164 form. */
export function isE164(id: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(id) && parseValidPhone(id)?.number === id;
}

/** E.164 without the `+`: the WhatsApp id of a number. */
export function toInternationalDigits(e164: string): string {
  return e164.slice(1);
}

export const MAX_EMAIL_LENGTH = 254;

/** E-mail addresses are compared lower-cased: providers treat the local part case-insensitively in practice. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(id: string): boolean {
  return id.length <= MAX_EMAIL_LENGTH && id === id.toLowerCase() && isEmail(id);
}
