import type { Sql } from '@cdp/platform';
import type { PropertyType } from '../properties/property-values';

export const CUSTOMER_SORTS = ['-createdAt', 'name', '-lastActivityAt'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const DEFAULT_CUSTOMER_SORT: CustomerSort = '-createdAt';

export const PROPERTY_OPERATORS = ['eq', 'neq', 'contains', 'not_contains', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'] as const;
export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

/** API.md "Filter": the operators each property type takes. */
export const OPERATORS_BY_TYPE: Record<PropertyType, readonly PropertyOperator[]> = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'is_set', 'is_not_set'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'],
  boolean: ['eq', 'neq', 'is_set', 'is_not_set'],
  select: ['eq', 'neq', 'is_set', 'is_not_set'],
};

export const MAX_PROPERTY_CONDITIONS = 5;
export const PLATFORMS = ['web', 'mobile'] as const;

export interface ValidatedPropertyCondition {
  key: string;
  type: PropertyType;
  operator: PropertyOperator;
  /** Absent for `is_set` / `is_not_set`; otherwise checked against the type. */
  value?: string | number | boolean;
  /** The slot column mirroring this select/boolean property, when it has one (the compiler's btree path). */
  slot?: number;
}

/** An activity condition as the filter validator hands it to its contributor: days already turned into instants. */
export interface ActivityConditionValue {
  /** Activity type keys; absent or empty means every type. */
  types?: string[];
  /** Inclusive lower bound (start of the first day in the filter's time zone). */
  from?: Date;
  /** Exclusive upper bound (start of the day after the last one). */
  to?: Date;
}

/**
 * A filter that passed `FilterValidator`: every rule of API.md "Filter" checked, the search text folded,
 * the channels resolved, dates in UTC. Only the validator makes these (the brand), and the compiler takes
 * nothing else, so a filter is validated once and compiled once.
 */
export interface ValidatedFilter {
  readonly __validated: true;
  /** Folded with `foldText`; `prefix` for terms of 1–2 characters (name prefix). */
  search?: { term: string; prefix: boolean };
  channelIds: string[];
  channelTypes: string[];
  sources: string[];
  platforms: string[];
  tags: string[];
  /** Consent statuses, any of them (X9). */
  consent: string[];
  linked?: boolean;
  properties?: { match: 'all' | 'any'; conditions: ValidatedPropertyCondition[] };
  /** Conditions contributed by other libs (e.g. `activity`), keyed as in the filter. */
  contributed: { key: string; value: unknown }[];
  /** The IANA zone the filter's dates were read in (the filter's, else the app's). */
  timezone: string;
}

/** What a contributed condition compiles with. */
export interface FilterConditionContext {
  timezone: string;
}

/**
 * A condition over data another lib owns (the activities lib contributes `activity`). `compile` returns a
 * WHERE fragment over alias `c` (customers), every value bound; `validate` may add semantic issues (e.g. an
 * unknown activity type), with fields under `field`. The validator calls `validate` beside its own lookups,
 * before the value's other parts are checked (for `activity`: with its types only, no window yet).
 */
export interface FilterConditionContributor<V = unknown> {
  compile(appId: string, value: V, ctx: FilterConditionContext): Sql;
  validate?(appId: string, value: V, field: string): Promise<{ field: string; code: string; message: string }[]>;
}
