import { Injectable } from '@nestjs/common';
import { Db, ValidationFailedError, type FieldIssue, type Tx } from '@cdp/platform';
import { PropertyDefinitionNotFoundError } from '../customers.errors';
import type { CreatePropertyDefinitionDto, UpdatePropertyDefinitionDto } from './dto/property-definition.dto';
import { PropertyDefinitionsRepository } from './property-definitions.repository';
import {
  checkPropertyValues,
  isReservedPropertyKey,
  PROPERTY_KEY_PATTERN,
  type PropertyDefinition,
  type PropertyValuesCheck,
} from './property-values';

/**
 * Customer property definitions (FEATURES.md C11): key, label, type and, for `select`, its options. The type
 * is fixed once created. Removing a definition or a select option removes those values from the app's
 * customers in the same transaction, so no customer keeps a value its definition no longer allows.
 */
@Injectable()
export class PropertyDefinitionsService {
  constructor(
    private readonly db: Db,
    private readonly repo: PropertyDefinitionsRepository,
  ) {}

  /** The app's definitions, oldest first. */
  list(appId: string): Promise<PropertyDefinition[]> {
    return this.repo.list(appId);
  }

  /** The app's definitions among `keys`, by key (share-locked until `tx` ends with `lock`). */
  async byKeys(appId: string, keys: string[], opts: { tx?: Tx; lock?: boolean } = {}): Promise<Map<string, PropertyDefinition>> {
    const defs = await this.repo.byKeys(appId, keys, opts);
    return new Map(defs.map((d) => [d.key, d]));
  }

  async get(appId: string, key: string): Promise<PropertyDefinition> {
    if (!PROPERTY_KEY_PATTERN.test(key)) throw new PropertyDefinitionNotFoundError();
    const d = await this.db.transaction((tx) => this.repo.find(tx, appId, key));
    if (!d) throw new PropertyDefinitionNotFoundError();
    return d;
  }

  async create(appId: string, dto: CreatePropertyDefinitionDto): Promise<PropertyDefinition> {
    const issues: FieldIssue[] = [];
    if (isReservedPropertyKey(dto.key))
      issues.push({ field: 'key', code: 'reserved_key', message: `"${dto.key}" is the name of a built-in customer field` });
    issues.push(...optionIssues(dto.type, dto.options));
    if (issues.length) throw new ValidationFailedError('The customer property is not valid', issues);
    const def: PropertyDefinition = {
      key: dto.key,
      label: dto.label,
      type: dto.type,
      ...(dto.type === 'select' ? { options: dto.options } : {}),
    };
    return this.db.transaction(async (tx) => {
      // Keys differing only in case would look like one column to people and in exports.
      const clash = await this.repo.findCaseInsensitive(tx, appId, dto.key);
      const created = clash ? undefined : await this.repo.insert(tx, appId, def, new Date());
      if (!created)
        throw new ValidationFailedError('The customer property exists', [
          { field: 'key', code: 'already_exists', message: `A customer property "${clash?.key ?? dto.key}" exists` },
        ]);
      return created;
    });
  }

  async update(appId: string, key: string, dto: UpdatePropertyDefinitionDto): Promise<PropertyDefinition> {
    if (!PROPERTY_KEY_PATTERN.test(key)) throw new PropertyDefinitionNotFoundError();
    return this.db.transaction(async (tx) => {
      const current = await this.repo.find(tx, appId, key, true);
      if (!current) throw new PropertyDefinitionNotFoundError();
      const issues: FieldIssue[] = [];
      if (dto.type !== undefined && dto.type !== current.type)
        issues.push({
          field: 'type',
          code: 'immutable',
          message: 'The type of a customer property cannot change; create another property instead',
        });
      if (dto.options !== undefined) issues.push(...optionIssues(current.type, dto.options));
      if (issues.length) throw new ValidationFailedError('The change is not valid', issues);
      const next: PropertyDefinition = { ...current, label: dto.label ?? current.label, ...(dto.options ? { options: dto.options } : {}) };
      const removed = (current.options ?? []).filter((o) => !(next.options ?? []).includes(o));
      if (removed.length) await this.repo.removeValues(tx, appId, key, removed);
      return this.repo.update(tx, appId, next, new Date());
    });
  }

  async remove(appId: string, key: string): Promise<void> {
    if (!PROPERTY_KEY_PATTERN.test(key)) throw new PropertyDefinitionNotFoundError();
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.delete(tx, appId, key))) throw new PropertyDefinitionNotFoundError();
      await this.repo.removeValues(tx, appId, key);
    });
  }

  /**
   * Checks values (`null` = remove) against the app's definitions without writing anything. Inside `tx`,
   * the definitions used are share-locked until it ends, so they cannot change before the values are written.
   */
  async check(appId: string, values: unknown, opts: { tx?: Tx; field?: string } = {}): Promise<PropertyValuesCheck> {
    const keys = values && typeof values === 'object' && !Array.isArray(values) ? Object.keys(values) : [];
    return checkPropertyValues(await this.byKeys(appId, keys, { tx: opts.tx, lock: !!opts.tx }), values, opts.field ?? 'properties');
  }
}

function optionIssues(type: PropertyDefinition['type'], options: string[] | undefined): FieldIssue[] {
  if (type === 'select') {
    if (!options?.length) return [{ field: 'options', code: 'options_required', message: 'A select property needs 1 to 100 options' }];
    return [];
  }
  return options === undefined ? [] : [{ field: 'options', code: 'options_not_allowed', message: `A ${type} property has no options` }];
}
