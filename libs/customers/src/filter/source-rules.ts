import { CUSTOMER_SOURCES } from '@cdp/channels';

/** What the channel adapters declare about sources (CH4), as the source rules need it. */
export interface SourceCatalogue {
  /** Every registered channel type. */
  types: string[];
  allows(type: string, source: string): boolean;
  /** Display names of the types that allow `source` (for messages: "WhatsApp"). */
  typeNamesAllowing(source: string): string[];
}

export interface SourceOption {
  source: string;
  enabled: boolean;
}

/**
 * C7, computed from the adapters' declared sources, never from a type name: a source can be chosen when
 * every selected channel's type allows it. No channel selected means every channel type, so a source only
 * some types allow (Ads, Broadcast: WhatsApp only) is disabled until only such channels are selected.
 */
export function sourceOptions(selectedTypes: string[], catalogue: SourceCatalogue): SourceOption[] {
  const types = selectedTypes.length ? [...new Set(selectedTypes)] : catalogue.types;
  return CUSTOMER_SOURCES.map((source) => ({ source, enabled: types.length > 0 && types.every((t) => catalogue.allows(t, source)) }));
}

const LABELS: Record<string, string> = { admin: 'Added by Admin', ads: 'Ads', organic: 'Organic', broadcast: 'Broadcast' };
export const sourceLabel = (source: string): string => LABELS[source] ?? source;

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Why `sources` cannot be chosen with the current channel selection, for people. */
export function disabledSourcesMessage(sources: string[], catalogue: SourceCatalogue): string {
  const allowing = [...new Set(sources.flatMap((s) => catalogue.typeNamesAllowing(s)))];
  const what = joinNames(sources.map(sourceLabel));
  const verb = sources.length > 1 ? 'are' : 'is';
  return allowing.length
    ? `${what} ${verb} available only when every selected channel is ${joinNames(allowing)}`
    : `${what} ${verb} not available for any channel type`;
}

/**
 * The sources as the screen must show them after a channel change: the disabled ones dropped (an empty list
 * means "All"), with one line saying what changed.
 */
export function normalizeSources(
  sources: string[],
  options: SourceOption[],
  catalogue: SourceCatalogue,
): { sources: string[]; changes: string[] } {
  const enabled = new Set(options.filter((o) => o.enabled).map((o) => o.source));
  const removed = sources.filter((s) => !enabled.has(s));
  if (!removed.length) return { sources, changes: [] };
  const kept = sources.filter((s) => enabled.has(s));
  const unique = [...new Set(removed)];
  const tail = kept.length ? '' : '; the source filter is back to All';
  return { sources: kept, changes: [`${disabledSourcesMessage(unique, catalogue)}: removed from the source filter${tail}.`] };
}
