import type { FieldIssue } from '@cdp/platform';
import type { ChannelConfig } from './channel-adapter';

/** Helpers adapters use to read their config the same way: an object (or nothing), no unknown keys. */

const issue = (key: string, code: string, message: string): FieldIssue => ({ field: key ? `config.${key}` : 'config', code, message });

/**
 * Reads a raw config as a plain object: `undefined` and `null` are an empty config; anything else that is
 * not a plain object, and every key outside `allowed`, is an issue.
 */
export function readConfigObject(raw: unknown, allowed: readonly string[]): { object: ChannelConfig; issues: FieldIssue[] } {
  if (raw === undefined || raw === null) return { object: {}, issues: [] };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { object: {}, issues: [issue('', 'invalid_config', 'config must be an object')] };
  const object = raw as ChannelConfig;
  const issues = Object.keys(object)
    .filter((k) => !allowed.includes(k))
    .map((k) => issue(k, 'unknown_field', `config.${k} is not a setting of this channel type`));
  return { object, issues };
}

/** A channel type without settings: only an empty config is accepted. */
export function emptyConfig(raw: unknown): { config: ChannelConfig; issues: FieldIssue[] } {
  return { config: {}, issues: readConfigObject(raw, []).issues };
}

/** One of `options`, or `fallback` when absent. */
export function readEnum<T extends string>(
  object: ChannelConfig,
  key: string,
  options: readonly T[],
  fallback: T,
  issues: FieldIssue[],
): T {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
  issues.push(issue(key, 'invalid_option', `config.${key} must be one of ${options.join(', ')}`));
  return fallback;
}

export const configIssue = issue;
