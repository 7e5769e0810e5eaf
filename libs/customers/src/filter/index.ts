// The filter language, list, search and count of customers: what the customers module mounts and what other
// libs use (groups from a filter, export, the activities lib's `activity` condition).
import type { Provider, Type } from '@nestjs/common';
import { CustomerQueryController } from './customer-query.controller';
import { CustomerQueryRepository } from './customer-query.repository';
import { CustomerQueryService } from './customer-query.service';
import { FilterConditionRegistry } from './filter-condition.registry';
import { CustomerFilterCompiler } from './filter.compiler';
import { FilterValidator } from './filter.validator';

export const CUSTOMER_QUERY_PROVIDERS: Provider[] = [
  FilterConditionRegistry,
  FilterValidator,
  CustomerFilterCompiler,
  CustomerQueryRepository,
  CustomerQueryService,
];
export const CUSTOMER_QUERY_CONTROLLERS: Type<unknown>[] = [CustomerQueryController];

export { CustomerQueryService, type CustomerSearchQuery, type CustomerCount } from './customer-query.service';
export { CustomerFilterCompiler } from './filter.compiler';
export { FilterValidator, PREFIX_SEARCH_MAX_CHARS, type ValidateOptions, type ResolvedChannels } from './filter.validator';
export { FilterConditionRegistry } from './filter-condition.registry';
export { SourceRequiresWhatsappError, TooManyPropertyConditionsError } from './filter.errors';
export {
  ActivityFilterDto,
  CountCustomersDto,
  CustomerCountDto,
  CustomerFilterDto,
  CustomerPageDto,
  ListCustomersQueryDto,
  NormalizedFilterDto,
  NormalizeFilterDto,
  PropertyConditionDto,
  PropertyFilterDto,
  SearchCustomersDto,
  SourceOptionDto,
  MAX_COUNT_LIMIT,
} from './filter.dto';
export {
  CUSTOMER_SORTS,
  DEFAULT_CUSTOMER_SORT,
  MAX_PROPERTY_CONDITIONS,
  OPERATORS_BY_TYPE,
  PROPERTY_OPERATORS,
  type ActivityConditionValue,
  type CustomerSort,
  type FilterConditionContext,
  type FilterConditionContributor,
  type PropertyOperator,
  type ValidatedFilter,
  type ValidatedPropertyCondition,
} from './filter.types';
export { sourceOptions, type SourceOption } from './source-rules';
export { startOfDayUtc, dayRangeUtc, nextDay } from './zoned-time';
export { SEARCH_WINDOW } from './customer-query.repository';
