/**
 * Case and accent folding for search, done in Node so PGlite (no ICU) and PostgreSQL agree (DESIGN.md,
 * STACK.md pitfall 12): NFKD, combining marks removed, lower case, a few letters without a decomposition
 * mapped by hand (đ, ø, ł, ß, æ, œ, ı). Scripts without case (Thai, CJK) pass through unchanged, except that
 * Thai and other combining vowel/tone marks are kept (they are letters there, not accents).
 */
const EXTRA: Record<string, string> = { đ: 'd', ð: 'd', ø: 'o', ł: 'l', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th', ħ: 'h' };

// Latin, Greek and Cyrillic accents only; marks of other scripts (Thai vowels, Devanagari matras) are letters.
const ACCENTS = /[\u0300-\u036f]|[\u1ab0-\u1aff]|[\u1dc0-\u1dff]|[\u20d0-\u20ff]|[\ufe20-\ufe2f]/g;

export function foldText(input: string): string {
  const lowered = input.normalize('NFKD').replace(ACCENTS, '').toLowerCase();
  let out = '';
  for (const ch of lowered) out += EXTRA[ch] ?? ch;
  return out.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The one searchable column: name, e-mail, phone (with and without `+`) and identifier, folded. */
export function buildSearchText(c: { name: string; email?: string | null; phoneNumber?: string | null; identifier: string }): string {
  const parts = [c.name, c.email ?? '', c.phoneNumber ?? '', c.phoneNumber ? c.phoneNumber.replace(/^\+/, '') : '', c.identifier];
  return foldText(parts.filter(Boolean).join(' \u0001 '));
}
