import { Injectable } from '@nestjs/common';
import { isValidTimeZone, SettingsService } from '@cdp/access';
import { ChannelRegistry, ChannelsService } from '@cdp/channels';
import { ValidationFailedError, type FieldIssue } from '@cdp/platform';
import { checkPropertyValue, isIsoDate, MAX_TEXT_VALUE_LENGTH } from '../properties/property-values';
import { foldText } from '../search-text';
import type { CustomerFilterDto, PropertyConditionDto } from './filter.dto';
import { SourceRequiresWhatsappError, TooManyPropertyConditionsError } from './filter.errors';
import { FilterConditionRegistry } from './filter-condition.registry';
import {
  MAX_PROPERTY_CONDITIONS,
  OPERATORS_BY_TYPE,
  type ActivityConditionValue,
  type ValidatedFilter,
  type ValidatedPropertyCondition,
} from './filter.types';
import { PropertyDefinitionsService } from '../properties/property-definitions.service';
import { disabledSourcesMessage, sourceOptions, type SourceCatalogue, type SourceOption } from './source-rules';
import { dayRangeUtc } from './zoned-time';

/** Terms this short match the start of the name only (a trigram index needs 3 characters). */
export const PREFIX_SEARCH_MAX_CHARS = 2;

export interface ValidateOptions {
  /** Prefix of issue fields: `filter` for bodies (`filter.channelIds`), empty for query parameters. */
  field?: string;
}

export interface ResolvedChannels {
  channelIds: string[];
  channelTypes: string[];
  /** Types of the selected instances and the selected types together. */
  selectedTypes: string[];
}

const uniq = <T>(xs: T[] | undefined): T[] => [...new Set(xs ?? [])];

/**
 * Checks a filter's meaning once (its syntax is the DTO's), and hands the compiler a `ValidatedFilter`:
 * channels resolved within the app, sources allowed by the selected channels' adapters (C7), at most five
 * property conditions whose keys, operators and values fit the app's definitions (C6), activity dates turned
 * into UTC bounds in the filter's (else the app's) time zone (C8).
 */
@Injectable()
export class FilterValidator {
  constructor(
    private readonly channels: ChannelsService,
    private readonly channelTypes: ChannelRegistry,
    private readonly settings: SettingsService,
    private readonly definitions: PropertyDefinitionsService,
    private readonly conditions: FilterConditionRegistry,
  ) {}

  async validate(appId: string, dto: CustomerFilterDto | undefined, opts: ValidateOptions = {}): Promise<ValidatedFilter> {
    const f = dto ?? {};
    const at = fieldNamer(opts.field ?? 'filter');
    const conditions = f.properties?.conditions ?? [];
    if (conditions.length > MAX_PROPERTY_CONDITIONS)
      throw new TooManyPropertyConditionsError(MAX_PROPERTY_CONDITIONS, at('properties.conditions'));

    // The lookups the filter needs (its channels, its properties' definitions, the app's time zone, its
    // activity types) do not depend on each other: they go out together, one round trip instead of up to
    // four, and their issues are reported in the order they always were.
    const channelIssues: FieldIssue[] = [];
    const propertyIssues: FieldIssue[] = [];
    const contributor = f.activity ? this.conditions.get('activity') : undefined;
    const activityField = at('activity');
    const [channels, properties, appTimezone, typeIssues] = await Promise.all([
      this.resolveChannels(appId, f, opts, channelIssues),
      f.properties ? this.checkProperties(appId, conditions, at, propertyIssues) : undefined,
      f.timezone === undefined && f.activity ? this.settings.get(appId).then((s) => s.timezone) : undefined,
      // Only the types are looked up; the issues count only if the rest of the activity condition holds.
      f.activity && contributor?.validate ? contributor.validate(appId, { types: f.activity.types }, activityField) : [],
    ]);
    const issues: FieldIssue[] = [...channelIssues, ...propertyIssues];

    let timezone = appTimezone ?? 'UTC';
    if (f.timezone !== undefined) {
      if (isValidTimeZone(f.timezone)) timezone = f.timezone;
      else issues.push({ field: at('timezone'), code: 'invalid_timezone', message: 'timezone must be an IANA time zone name' });
    }

    const contributed: ValidatedFilter['contributed'] = [];
    if (f.activity) {
      const activity = this.checkActivity(f.activity, timezone, at, issues);
      if (!contributor) issues.push({ field: activityField, code: 'not_available', message: 'activity filters are not available' });
      else if (activity) {
        issues.push(...typeIssues);
        contributed.push({ key: 'activity', value: activity });
      }
    }
    if (issues.length) throw new ValidationFailedError('The filter is not valid', issues);

    const sources = uniq(f.sources);
    const options = this.sourceOptions(channels.selectedTypes);
    const disabled = sources.filter((s) => !options.find((o) => o.source === s)?.enabled);
    if (disabled.length) {
      const message = disabledSourcesMessage(disabled, this.catalogue());
      throw new SourceRequiresWhatsappError(message, [{ field: at('sources'), code: 'source_requires_whatsapp', message }]);
    }

    const term = f.search === undefined ? '' : foldText(f.search);
    return {
      __validated: true,
      search: term ? { term, prefix: [...term].length <= PREFIX_SEARCH_MAX_CHARS } : undefined,
      channelIds: channels.channelIds,
      channelTypes: channels.channelTypes,
      sources,
      platforms: uniq(f.platforms),
      tags: uniq(f.tags),
      consent: uniq(f.consent),
      linked: f.linked,
      properties: properties && properties.length ? { match: f.properties?.match ?? 'all', conditions: properties } : undefined,
      contributed,
      timezone,
    };
  }

  /**
   * The app's channels among `channelIds` (unknown or another app's: 422 `validation_failed`) and the known
   * types among `channelTypes`; throws when `issues` is not given and something is wrong.
   */
  async resolveChannels(
    appId: string,
    f: Pick<CustomerFilterDto, 'channelIds' | 'channelTypes'>,
    opts: ValidateOptions = {},
    issues?: FieldIssue[],
  ): Promise<ResolvedChannels> {
    const at = fieldNamer(opts.field ?? 'filter');
    const own: FieldIssue[] = [];
    const ids = uniq((f.channelIds ?? []).map((id) => id.toLowerCase()));
    const found = ids.length ? await this.channels.findMany(appId, ids) : [];
    const byId = new Map(found.map((c) => [c.id.toLowerCase(), c]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) own.push({ field: at('channelIds'), code: 'unknown_channel', message: `No such channel: ${missing.join(', ')}` });
    const types = uniq(f.channelTypes);
    const unknownTypes = types.filter((t) => !this.channelTypes.has(t));
    if (unknownTypes.length)
      own.push({ field: at('channelTypes'), code: 'unknown_channel_type', message: `Not a channel type: ${unknownTypes.join(', ')}` });
    if (issues) issues.push(...own);
    else if (own.length) throw new ValidationFailedError('The filter is not valid', own);
    return { channelIds: ids, channelTypes: types, selectedTypes: uniq([...found.map((c) => c.type), ...types]) };
  }

  sourceOptions(selectedTypes: string[]): SourceOption[] {
    return sourceOptions(
      selectedTypes.filter((t) => this.channelTypes.has(t)),
      this.catalogue(),
    );
  }

  catalogue(): SourceCatalogue {
    const adapters = this.channelTypes.list();
    return {
      types: adapters.map((a) => a.type),
      allows: (type, source) => this.channels.sourceAllowed(type, source),
      typeNamesAllowing: (source) => adapters.filter((a) => this.channels.sourceAllowed(a.type, source)).map((a) => a.name),
    };
  }

  private async checkProperties(
    appId: string,
    conditions: PropertyConditionDto[],
    at: (f: string) => string,
    issues: FieldIssue[],
  ): Promise<ValidatedPropertyCondition[]> {
    const defs = await this.definitions.byKeys(
      appId,
      conditions.map((c) => c.key),
    );
    const out: ValidatedPropertyCondition[] = [];
    conditions.forEach((c, i) => {
      const field = at(`properties.conditions[${i}]`);
      const def = defs.get(c.key);
      if (!def) {
        issues.push({ field: `${field}.key`, code: 'unknown_property', message: `"${c.key}" is not a customer property of this app` });
        return;
      }
      if (!OPERATORS_BY_TYPE[def.type].includes(c.operator)) {
        issues.push({
          field: `${field}.operator`,
          code: 'operator_not_allowed',
          message: `${c.operator} does not apply to ${def.type} properties (use ${OPERATORS_BY_TYPE[def.type].join(', ')})`,
        });
        return;
      }
      if (c.operator === 'is_set' || c.operator === 'is_not_set') {
        if (c.value !== undefined && c.value !== null)
          issues.push({ field: `${field}.value`, code: 'value_not_allowed', message: `${c.operator} takes no value` });
        else out.push({ key: def.key, type: def.type, operator: c.operator });
        return;
      }
      if (c.operator === 'contains' || c.operator === 'not_contains') {
        if (typeof c.value !== 'string' || !c.value || c.value.length > MAX_TEXT_VALUE_LENGTH)
          issues.push({
            field: `${field}.value`,
            code: 'invalid_property_value',
            message: `${c.operator} needs a text of 1 to ${MAX_TEXT_VALUE_LENGTH} characters`,
          });
        else out.push({ key: def.key, type: def.type, operator: c.operator, value: c.value });
        return;
      }
      const issue =
        c.value === undefined || c.value === null
          ? { field: `${field}.value`, code: 'invalid_property_value', message: `${c.operator} needs a value` }
          : checkPropertyValue(def, c.value, `${field}.value`);
      if (issue) issues.push(issue);
      else
        out.push({
          key: def.key,
          type: def.type,
          operator: c.operator,
          value: c.value as string | number | boolean,
          ...(def.slot ? { slot: def.slot } : {}),
        });
    });
    return out;
  }

  private checkActivity(
    a: NonNullable<CustomerFilterDto['activity']>,
    timezone: string,
    at: (f: string) => string,
    issues: FieldIssue[],
  ): ActivityConditionValue | undefined {
    const before = issues.length;
    for (const key of ['from', 'to', 'on'] as const)
      if (a[key] !== undefined && !isIsoDate(a[key]))
        issues.push({ field: at(`activity.${key}`), code: 'invalid_date', message: `${key} is not a date that exists` });
    if (a.on !== undefined && (a.from !== undefined || a.to !== undefined))
      issues.push({ field: at('activity.on'), code: 'on_with_range', message: 'on (a single day) cannot be combined with from/to' });
    if (a.from && a.to && a.from > a.to)
      issues.push({ field: at('activity.to'), code: 'invalid_range', message: 'to must not be before from' });
    if (issues.length > before) return undefined;
    const range = a.on ? dayRangeUtc({ from: a.on, to: a.on }, timezone) : dayRangeUtc({ from: a.from, to: a.to }, timezone);
    const types = uniq(a.types);
    return { ...(types.length ? { types } : {}), ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
  }
}

const fieldNamer = (prefix: string) => (field: string) => (prefix ? `${prefix}.${field}` : field);
