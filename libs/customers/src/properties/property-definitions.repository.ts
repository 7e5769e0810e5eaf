import { Injectable } from '@nestjs/common';
import { Db, sql, Sql, sqlArray, type Tx } from '@cdp/platform';
import type { PropertyDefinition, PropertyType } from './property-values';

interface DefinitionRow {
  key: string;
  label: string;
  type: PropertyType;
  options: string[] | string | null;
  slot: number | null;
}

const COLUMNS = Sql.raw('key, label, type, options, slot');

/** SQL for `customer_properties` (definitions) and the customer values they govern. Scoped by app. */
@Injectable()
export class PropertyDefinitionsRepository {
  constructor(private readonly db: Db) {}

  async list(appId: string, tx?: Tx): Promise<PropertyDefinition[]> {
    const q = sql`select ${COLUMNS} from customer_properties where app_id = ${appId} order by created_at, key`;
    return (await (tx ?? this.db).query<DefinitionRow>(q)).map(toDefinition);
  }

  /**
   * The definitions among `keys`. With `lock` (inside `tx`), they are share-locked so that a definition cannot
   * be removed (or its options cut) between checking a value and writing it.
   */
  async byKeys(appId: string, keys: string[], opts: { tx?: Tx; lock?: boolean } = {}): Promise<PropertyDefinition[]> {
    const unique = [...new Set(keys)];
    if (!unique.length) return [];
    const lock = opts.tx && opts.lock ? Sql.raw(' for share') : Sql.raw('');
    const rows = await (opts.tx ?? this.db).query<DefinitionRow>(
      sql`select ${COLUMNS} from customer_properties where app_id = ${appId} and key = any(${sqlArray(unique, 'text')}) order by key${lock}`,
    );
    return rows.map(toDefinition);
  }

  async find(tx: Tx, appId: string, key: string, forUpdate = false): Promise<PropertyDefinition | undefined> {
    const lock = forUpdate ? Sql.raw(' for update') : Sql.raw('');
    const row = await tx.one<DefinitionRow>(
      sql`select ${COLUMNS} from customer_properties where app_id = ${appId} and key = ${key}${lock}`,
    );
    return row && toDefinition(row);
  }

  /** A definition whose key equals `key` ignoring ASCII case (keys are ASCII by their pattern). */
  async findCaseInsensitive(tx: Tx, appId: string, key: string): Promise<PropertyDefinition | undefined> {
    const row = await tx.one<DefinitionRow>(
      sql`select ${COLUMNS} from customer_properties where app_id = ${appId} and lower(key) = ${key.toLowerCase()}`,
    );
    return row && toDefinition(row);
  }

  /** Inserts unless the key exists; answers undefined when it did. */
  async insert(tx: Tx, appId: string, d: PropertyDefinition, at: Date): Promise<PropertyDefinition | undefined> {
    const row = await tx.one<DefinitionRow>(sql`
      insert into customer_properties (app_id, key, label, type, options, created_at, updated_at)
      values (${appId}, ${d.key}, ${d.label}, ${d.type}, ${d.options ? JSON.stringify(d.options) : null}::jsonb, ${at}, ${at})
      on conflict (app_id, key) do nothing
      returning ${COLUMNS}`);
    return row && toDefinition(row);
  }

  async update(tx: Tx, appId: string, d: PropertyDefinition, at: Date): Promise<PropertyDefinition> {
    const row = await tx.one<DefinitionRow>(sql`
      update customer_properties set label = ${d.label}, options = ${d.options ? JSON.stringify(d.options) : null}::jsonb, updated_at = ${at}
      where app_id = ${appId} and key = ${d.key}
      returning ${COLUMNS}`);
    return toDefinition(row!);
  }

  async delete(tx: Tx, appId: string, key: string): Promise<boolean> {
    return (await tx.run(sql`delete from customer_properties where app_id = ${appId} and key = ${key}`)) > 0;
  }

  /** Removes the value of `key` from the app's customers: every value, or only those among `values`. */
  async removeValues(tx: Tx, appId: string, key: string, values?: string[]): Promise<number> {
    let which: Sql;
    if (values) {
      if (!values.length) return 0;
      // One containment per removed option: each can use the jsonb_path_ops index.
      which = Sql.join(
        values.map((v) => sql`c.properties @> ${JSON.stringify({ [key]: v })}::jsonb`),
        ' or ',
      ).group();
    } else {
      which = sql`c.properties -> ${key} is not null`;
    }
    return tx.run(sql`
      update customers c set properties = c.properties - ${key}::text, updated_at = now()
      where c.app_id = ${appId} and ${which}`);
  }
}

function toDefinition(r: DefinitionRow): PropertyDefinition {
  const options = typeof r.options === 'string' ? (JSON.parse(r.options) as string[]) : r.options;
  const d: PropertyDefinition = options
    ? { key: r.key, label: r.label, type: r.type, options }
    : { key: r.key, label: r.label, type: r.type };
  if (r.slot !== null) d.slot = Number(r.slot);
  return d;
}
