import { Injectable } from '@nestjs/common';
import { Db, sql, type Tx } from '@cdp/platform';

export interface ApiKeyRow {
  id: string;
  app_id: string;
  name: string;
  prefix: string;
  channel_id: string | null;
  created_at: Date | string;
  last_used_at: Date | string | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Db) {}

  async insert(
    tx: Tx,
    k: { id: string; appId: string; name: string; keyHash: string; prefix: string; channelId: string | null; createdAt: Date },
  ): Promise<ApiKeyRow> {
    const row = await tx.one<ApiKeyRow>(sql`
      insert into api_keys (id, app_id, name, key_hash, prefix, channel_id, created_at)
      values (${k.id}::uuid, ${k.appId}, ${k.name}, ${k.keyHash}, ${k.prefix}, ${k.channelId}::uuid, ${k.createdAt})
      returning id, app_id, name, prefix, channel_id, created_at, last_used_at`);
    return row!;
  }

  /** The app's keys that are not revoked, oldest first. */
  listActive(appId: string): Promise<ApiKeyRow[]> {
    return this.db.query<ApiKeyRow>(sql`
      select id, app_id, name, prefix, channel_id, created_at, last_used_at from api_keys
      where app_id = ${appId} and revoked_at is null order by created_at, id`);
  }

  /** Revokes an active key of the app; false when there is none (unknown, foreign or already revoked). */
  async revoke(tx: Tx, appId: string, id: string): Promise<ApiKeyRow | undefined> {
    return tx.one<ApiKeyRow>(sql`
      update api_keys set revoked_at = now() where app_id = ${appId} and id = ${id}::uuid and revoked_at is null
      returning id, app_id, name, prefix, channel_id, created_at, last_used_at`);
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.db.one<ApiKeyRow>(sql`
      select id, app_id, name, prefix, channel_id, created_at, last_used_at from api_keys where key_hash = ${keyHash} and revoked_at is null`);
  }

  /** At most one write a minute per key, however many requests use it (and however many replicas). */
  async markUsed(id: string): Promise<void> {
    await this.db.run(sql`
      update api_keys set last_used_at = now()
      where id = ${id}::uuid and (last_used_at is null or last_used_at < now() - interval '1 minute')`);
  }
}
