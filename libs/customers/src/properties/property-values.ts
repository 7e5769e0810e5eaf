import type { FieldIssue } from '@cdp/platform';

export const PROPERTY_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** A customer property definition of an app (FEATURES.md C11). */
export interface PropertyDefinition {
  key: string;
  label: string;
  type: PropertyType;
  /** The choices of a `select`; absent for every other type. */
  options?: string[];
  /**
   * The customer column (`slot1`..`slot4`) that mirrors this property's value as text, for the first four
   * select/boolean definitions of an app (migration PropertySlots); equality filters read it from a btree.
   */
  slot?: number;
}

export const PROPERTY_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_TEXT_VALUE_LENGTH = 1000;
export const MAX_SELECT_OPTIONS = 100;

/** Names of built-in customer fields (either spelling): a property may not be called like one, in any case. */
export const RESERVED_PROPERTY_KEYS: readonly string[] = [
  'id',
  'name',
  'identifier',
  'email',
  'phoneNumber',
  'phone_number',
  'channel',
  'channelId',
  'source',
  'platform',
  'tags',
  'properties',
  'linked',
  'mainChannel',
  'profileId',
  'createdAt',
  'updatedAt',
  'lastActivityAt',
];
const RESERVED = new Set(RESERVED_PROPERTY_KEYS.map((k) => k.toLowerCase()));

export const isReservedPropertyKey = (key: string): boolean => RESERVED.has(key.toLowerCase());

/** `YYYY-MM-DD` naming a day that exists (no 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  // Years 0001–9999 (year 0000 does not exist); `setUTCFullYear`, since `Date.UTC` reads 0–99 as 19xx.
  if (y < 1) return false;
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const TYPE_RULE: Record<PropertyType, string> = {
  text: `a string of at most ${MAX_TEXT_VALUE_LENGTH} characters`,
  number: 'a finite number',
  date: 'a date as YYYY-MM-DD',
  boolean: 'true or false',
  select: 'one of the options',
};

/** The issue with one value for its definition, or undefined when it fits. */
export function checkPropertyValue(def: PropertyDefinition, value: unknown, field: string): FieldIssue | undefined {
  let ok: boolean;
  switch (def.type) {
    case 'text':
      ok = typeof value === 'string' && value.length <= MAX_TEXT_VALUE_LENGTH;
      break;
    case 'number':
      ok = typeof value === 'number' && Number.isFinite(value);
      break;
    case 'date':
      ok = isIsoDate(value);
      break;
    case 'boolean':
      ok = typeof value === 'boolean';
      break;
    case 'select':
      ok = typeof value === 'string' && (def.options ?? []).includes(value);
      break;
  }
  if (ok) return undefined;
  const rule = def.type === 'select' ? `one of ${(def.options ?? []).map((o) => JSON.stringify(o)).join(', ')}` : TYPE_RULE[def.type];
  return { field, code: 'invalid_property_value', message: `${def.key} (${def.type}) must be ${rule}` };
}

export interface PropertyValuesCheck {
  /** Values to write, keyed by definition key. */
  set: Record<string, unknown>;
  /** Keys whose value `null` asks to remove. */
  remove: string[];
  issues: FieldIssue[];
}

/**
 * Checks values against the app's definitions: every key must be defined and every value fit its type;
 * `null` means "remove this value". Issues name `<field>.<key>` (e.g. `properties.city`).
 */
export function checkPropertyValues(
  definitions: ReadonlyMap<string, PropertyDefinition>,
  values: unknown,
  field = 'properties',
): PropertyValuesCheck {
  const out: PropertyValuesCheck = { set: {}, remove: [], issues: [] };
  if (values === undefined || values === null) return out;
  if (typeof values !== 'object' || Array.isArray(values)) {
    out.issues.push({ field, code: 'invalid_properties', message: `${field} must be an object of property values` });
    return out;
  }
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    const def = definitions.get(key);
    const f = `${field}.${key}`;
    if (!def) {
      out.issues.push({ field: f, code: 'unknown_property', message: `"${key}" is not a customer property of this app` });
      continue;
    }
    if (value === null) {
      out.remove.push(key);
      continue;
    }
    const issue = checkPropertyValue(def, value, f);
    if (issue) out.issues.push(issue);
    else out.set[key] = value;
  }
  return out;
}
