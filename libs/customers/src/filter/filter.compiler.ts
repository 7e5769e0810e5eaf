import { Injectable } from '@nestjs/common';
import { escapeLike, Sql, sql, sqlArray } from '@cdp/platform';
import { FilterConditionRegistry } from './filter-condition.registry';
import type { ValidatedFilter, ValidatedPropertyCondition } from './filter.types';

const COMPARE: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * The one place that builds customer WHERE clauses (DESIGN.md "The filter language"): a `ValidatedFilter`
 * becomes a fragment over alias `c` (customers) in which every value, property keys included, is a bound
 * parameter. Different keys AND together; an empty filter is `true`.
 *
 * - search: the folded term as a substring of `search_text` (trigram GIN); terms of 1–2 characters match the
 *   start of `search_text`, which begins with the folded name, i.e. a name prefix.
 * - properties: `eq` on a select/boolean property that has a slot compares its slot column (one btree over the
 *   app's slots, source and channel answers a combined filter from the index); with `match: all` every other
 *   `eq` merges into ONE containment `c.properties @> {...}` (served by the jsonb_path_ops GIN, PERFORMANCE.md rule 3); `neq`/`not_contains` also match customers without a value;
 *   numbers compare as numeric (only values stored as numbers), dates as `YYYY-MM-DD` text in the C collation;
 *   `contains` is `ilike`, which folds ASCII case on every backend.
 * - contributed conditions (`activity`) come from the lib that owns their data, through the registry.
 */
@Injectable()
export class CustomerFilterCompiler {
  constructor(private readonly registry: FilterConditionRegistry) {}

  compile(appId: string, f: ValidatedFilter): Sql {
    const parts: Sql[] = [];
    if (f.search) {
      const term = escapeLike(f.search.term);
      parts.push(
        f.search.prefix
          ? sql`c.search_text like (${term} || '%') escape '\\'`
          : sql`c.search_text like ('%' || ${term} || '%') escape '\\'`,
      );
    }
    const channels: Sql[] = [];
    if (f.channelIds.length) channels.push(sql`c.channel_id = any(${sqlArray(f.channelIds, 'uuid')})`);
    if (f.channelTypes.length)
      channels.push(
        sql`c.channel_id in (select ch_f.id from channels ch_f where ch_f.app_id = ${appId} and ch_f.type = any(${sqlArray(f.channelTypes, 'text')}))`,
      );
    if (channels.length) parts.push(Sql.join(channels, ' or '));
    if (f.sources.length) parts.push(sql`c.source = any(${sqlArray(f.sources, 'text')})`);
    if (f.platforms.length) parts.push(sql`c.platform = any(${sqlArray(f.platforms, 'text')})`);
    if (f.tags.length) parts.push(sql`c.tags && ${sqlArray(f.tags, 'text')}`);
    // (app_id, consent_status, created_at, id) serves it, newest first.
    if (f.consent.length) parts.push(sql`c.consent_status = any(${sqlArray(f.consent, 'text')})`);
    if (f.linked !== undefined) parts.push(Sql.raw(f.linked ? 'c.profile_id is not null' : 'c.profile_id is null'));
    if (f.properties) {
      const props = this.properties(f.properties.match, f.properties.conditions);
      if (props) parts.push(props);
    }
    for (const { key, value } of f.contributed) {
      const contributor = this.registry.get(key);
      // The validator refuses unregistered keys; reaching here without one is a programming error.
      if (!contributor) throw new Error(`No filter condition "${key}" is registered`);
      parts.push(contributor.compile(appId, value, { timezone: f.timezone }));
    }
    if (!parts.length) return Sql.raw('true');
    return Sql.join(
      parts.map((p) => p.group()),
      ' and ',
    );
  }

  private properties(match: 'all' | 'any', conditions: ValidatedPropertyCondition[]): Sql | undefined {
    const parts: Sql[] = [];
    const merged: Record<string, unknown> = {};
    for (const c of conditions) {
      if (c.operator === 'eq' && c.slot) {
        parts.push(slotEquals(c.slot, c.value!));
        continue;
      }
      if (match === 'all' && c.operator === 'eq' && !(c.key in merged)) {
        Object.defineProperty(merged, c.key, { value: c.value, enumerable: true, writable: true, configurable: true });
        continue;
      }
      parts.push(condition(c));
    }
    if (Object.keys(merged).length) parts.unshift(sql`c.properties @> ${JSON.stringify(merged)}::jsonb`);
    if (!parts.length) return undefined;
    return Sql.join(
      parts.map((p) => p.group()),
      match === 'all' ? ' and ' : ' or ',
    );
  }
}

/** Equality on a promoted select/boolean property: its slot column holds `properties ->> key` (a trigger keeps it). */
function slotEquals(slot: number, value: string | number | boolean): Sql {
  if (!Number.isInteger(slot) || slot < 1 || slot > 4) throw new Error(`No property slot ${slot}`);
  return sql`${Sql.raw(`c.slot${slot}`)} = ${String(value)}`;
}

function condition(c: ValidatedPropertyCondition): Sql {
  const key = c.key;
  const one = () => JSON.stringify(Object.defineProperty({}, key, { value: c.value, enumerable: true }));
  switch (c.operator) {
    case 'eq':
      return sql`c.properties @> ${one()}::jsonb`;
    case 'neq':
      return sql`not (c.properties @> ${one()}::jsonb)`;
    case 'is_set':
      return sql`(c.properties -> ${key}) is not null`;
    case 'is_not_set':
      return sql`(c.properties -> ${key}) is null`;
    case 'contains':
      return sql`(c.properties ->> ${key}) ilike ('%' || ${escapeLike(String(c.value))} || '%') escape '\\'`;
    case 'not_contains':
      return sql`coalesce(c.properties ->> ${key}, '') not ilike ('%' || ${escapeLike(String(c.value))} || '%') escape '\\'`;
    default: {
      const op = Sql.raw(COMPARE[c.operator]);
      if (c.type === 'number')
        return sql`(case when jsonb_typeof(c.properties -> ${key}) = 'number' then (c.properties ->> ${key})::numeric end) ${op} ${c.value}::numeric`;
      return sql`(case when jsonb_typeof(c.properties -> ${key}) = 'string' then (c.properties ->> ${key}) end) collate "C" ${op} ${String(c.value)}`;
    }
  }
}
