import { Injectable } from '@nestjs/common';
import type { FilterConditionContributor } from './filter.types';

/**
 * Conditions other libs add to the filter language, as channel adapters add channel types: the activities
 * lib registers `activity` at start-up, so this lib never names the activities table. A filter that uses a
 * key nobody registered is refused (422), never silently ignored.
 */
@Injectable()
export class FilterConditionRegistry {
  private readonly contributors = new Map<string, FilterConditionContributor>();

  register<V>(key: string, contributor: FilterConditionContributor<V>): void {
    if (this.contributors.has(key)) throw new Error(`A filter condition "${key}" is already registered`);
    this.contributors.set(key, contributor as FilterConditionContributor);
  }

  get(key: string): FilterConditionContributor | undefined {
    return this.contributors.get(key);
  }

  has(key: string): boolean {
    return this.contributors.has(key);
  }
}
