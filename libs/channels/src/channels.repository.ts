import { Injectable } from '@nestjs/common';
import { Db, sql, Sql, sqlArray } from '@cdp/platform';
import type { ChannelRecord } from './dto/channel.dto';
import type { ChannelConfig } from './plugin/channel-adapter';

interface ChannelRow {
  id: string;
  app_id: string;
  type: string;
  name: string;
  config: ChannelConfig | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface ChannelPatch {
  name: string;
  config: ChannelConfig;
  updatedAt: Date;
}

const COLUMNS = Sql.raw('id, app_id, type, name, config, created_at, updated_at');

/** The only place that writes SQL for channels. Every statement is scoped by the app. */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly db: Db) {}

  async listByApp(appId: string): Promise<ChannelRecord[]> {
    const rows = await this.db.query<ChannelRow>(sql`select ${COLUMNS} from channels where app_id = ${appId} order by created_at, id`);
    return rows.map(toRecord);
  }

  async findById(appId: string, id: string): Promise<ChannelRecord | undefined> {
    const row = await this.db.one<ChannelRow>(sql`select ${COLUMNS} from channels where app_id = ${appId} and id = ${id}::uuid`);
    return row && toRecord(row);
  }

  /** `ids` must be UUIDs (the service filters them). */
  async findByIds(appId: string, ids: string[]): Promise<ChannelRecord[]> {
    if (!ids.length) return [];
    const rows = await this.db.query<ChannelRow>(
      sql`select ${COLUMNS} from channels where app_id = ${appId} and id = any(${sqlArray(ids, 'uuid')}) order by created_at, id`,
    );
    return rows.map(toRecord);
  }

  async insert(c: ChannelRecord): Promise<ChannelRecord> {
    const row = await this.db.one<ChannelRow>(sql`
      insert into channels (id, app_id, type, name, config, created_at, updated_at)
      values (${c.id}::uuid, ${c.appId}, ${c.type}, ${c.name}, ${JSON.stringify(c.config)}::jsonb, ${c.createdAt}, ${c.updatedAt})
      returning ${COLUMNS}`);
    return toRecord(row!);
  }

  async update(appId: string, id: string, patch: ChannelPatch): Promise<ChannelRecord | undefined> {
    const row = await this.db.one<ChannelRow>(sql`
      update channels set name = ${patch.name}, config = ${JSON.stringify(patch.config)}::jsonb, updated_at = ${patch.updatedAt}
      where app_id = ${appId} and id = ${id}::uuid
      returning ${COLUMNS}`);
    return row && toRecord(row);
  }

  /** Answers whether a row was deleted. */
  async delete(appId: string, id: string): Promise<boolean> {
    return (await this.db.run(sql`delete from channels where app_id = ${appId} and id = ${id}::uuid`)) > 0;
  }
}

function toRecord(r: ChannelRow): ChannelRecord {
  return {
    id: r.id,
    appId: r.app_id,
    type: r.type,
    name: r.name,
    // Both drivers parse jsonb; a string would come only from an unusual type parser setting.
    config: typeof r.config === 'string' ? (JSON.parse(r.config) as ChannelConfig) : (r.config ?? {}),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}
