import { Injectable } from '@nestjs/common';
import { Db, isUniqueViolation, sql, sqlArray, type Tx } from '@cdp/platform';

export interface ActivityTypeRow {
  app_id: string;
  key: string;
  name: string;
  description: string | null;
  kind: 'available' | 'custom';
}

/** Available types live under this app id, which no app can have (app ids start with a letter or digit). */
export const PLATFORM_APP_ID = '';

const COLUMNS = sql`app_id, key, name, description, kind`;

@Injectable()
export class ActivityTypesRepository {
  constructor(private readonly db: Db) {}

  /** Available types first (in their seeded order), then the app's custom ones by creation. */
  list(appId: string): Promise<ActivityTypeRow[]> {
    return this.db.query<ActivityTypeRow>(sql`
      select ${COLUMNS} from activity_types
      where app_id = ${PLATFORM_APP_ID} or app_id = ${appId}
      order by app_id = ${PLATFORM_APP_ID} desc, position, created_at, key`);
  }

  /** The keys among `keys` the app knows (available or its custom ones). */
  async known(appId: string, keys: string[], tx?: Tx): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const q = sql`
      select key from activity_types
      where (app_id = ${PLATFORM_APP_ID} or app_id = ${appId})
        and key = any(${sqlArray(keys, 'text')})`;
    const rows = tx ? await tx.query<{ key: string }>(q) : await this.db.query<{ key: string }>(q);
    return new Set(rows.map((r) => r.key));
  }

  findCustom(appId: string, key: string): Promise<ActivityTypeRow | undefined> {
    return this.db.one<ActivityTypeRow>(sql`select ${COLUMNS} from activity_types where app_id = ${appId} and key = ${key}`);
  }

  /** Inserts a custom type; undefined when the app already has that key. */
  async insertCustom(appId: string, t: { key: string; name: string; description: string | null }): Promise<ActivityTypeRow | undefined> {
    try {
      return await this.db.one<ActivityTypeRow>(sql`
        insert into activity_types (app_id, key, name, description, kind, created_at, updated_at)
        values (${appId}, ${t.key}, ${t.name}, ${t.description}, 'custom', now(), now())
        on conflict (app_id, key) do nothing
        returning ${COLUMNS}`);
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  updateCustom(appId: string, key: string, patch: { name?: string; description?: string | null }): Promise<ActivityTypeRow | undefined> {
    const setDescription = patch.description !== undefined;
    return this.db.one<ActivityTypeRow>(sql`
      update activity_types set
        name = coalesce(${patch.name ?? null}::text, name),
        description = case when ${setDescription}::boolean then ${patch.description ?? null}::text else description end,
        updated_at = now()
      where app_id = ${appId} and key = ${key} and kind = 'custom'
      returning ${COLUMNS}`);
  }

  async deleteCustom(appId: string, key: string): Promise<boolean> {
    return (await this.db.run(sql`delete from activity_types where app_id = ${appId} and key = ${key} and kind = 'custom'`)) > 0;
  }
}
