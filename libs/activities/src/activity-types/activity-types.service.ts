import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError, type Tx } from '@cdp/platform';
import { UnknownActivityTypeError } from '../activities.errors';
import { isAvailableActivityType } from './available-types';
import { ActivityTypesRepository } from './activity-types.repository';
import { toActivityType, type ActivityTypeDto } from './activity-type.dto';

/**
 * The activity type catalogue: available types (platform-wide, read-only) and the app's custom ones.
 * Decisions (README "Activity types"): a key taken by an available type or by another custom type of the
 * app is 422 `validation_failed` on `key`; PATCH/DELETE of an available key is 422 on `key` (the type
 * exists, it just cannot change); deleting a custom type keeps the activities already recorded.
 */
@Injectable()
export class ActivityTypesService {
  constructor(private readonly repo: ActivityTypesRepository) {}

  async list(appId: string): Promise<ActivityTypeDto[]> {
    return (await this.repo.list(appId)).map(toActivityType);
  }

  /** Key → display name for every type of the app. */
  async names(appId: string): Promise<Map<string, string>> {
    return new Map((await this.repo.list(appId)).map((r) => [r.key, r.name]));
  }

  /** The subset of `keys` the app knows. */
  known(appId: string, keys: string[], tx?: Tx): Promise<Set<string>> {
    return this.repo.known(appId, [...new Set(keys)], tx);
  }

  /** Throws 422 `validation_failed` naming `field` unless every key is a type of the app. */
  async requireKnown(appId: string, keys: string[], field: string): Promise<void> {
    requireAmong(await this.known(appId, keys), keys, field);
  }

  async create(appId: string, input: { key: string; name: string; description?: string | null }): Promise<ActivityTypeDto> {
    if (isAvailableActivityType(input.key)) throw reserved(input.key);
    const row = await this.repo.insertCustom(appId, {
      key: input.key,
      name: input.name.trim(),
      description: input.description?.trim() || null,
    });
    if (!row)
      throw new ValidationFailedError('The activity type is not valid', [
        { field: 'key', code: 'key_taken', message: `the app already has an activity type "${input.key}"` },
      ]);
    return toActivityType(row);
  }

  async update(appId: string, key: string, patch: { name?: string; description?: string | null }): Promise<ActivityTypeDto> {
    if (isAvailableActivityType(key)) throw reserved(key);
    const clean = {
      name: patch.name?.trim(),
      description: patch.description === undefined ? undefined : patch.description?.trim() || null,
    };
    const row = await this.repo.updateCustom(appId, key, clean);
    if (!row) throw new NotFoundError('Activity type');
    return toActivityType(row);
  }

  async remove(appId: string, key: string): Promise<void> {
    if (isAvailableActivityType(key)) throw reserved(key);
    if (!(await this.repo.deleteCustom(appId, key))) throw new NotFoundError('Activity type');
  }
}

const reserved = (key: string) =>
  new ValidationFailedError('Available activity types belong to the platform', [
    { field: 'key', code: 'reserved_key', message: `"${key}" is an available activity type and cannot be created, changed or deleted` },
  ]);

/**
 * `requireKnown` against a catalogue the caller already read (`names`: the same rows), with no statement of
 * its own: 422 `validation_failed` naming `field` unless every key is in it.
 */
export function requireAmong(known: { has(key: string): boolean }, keys: string[], field: string): void {
  const unknown = [...new Set(keys)].filter((k) => !known.has(k));
  if (unknown.length) throw new UnknownActivityTypeError(field, unknown);
}
