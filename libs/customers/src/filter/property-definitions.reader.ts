import { Injectable } from '@nestjs/common';
import { Db, Sql, sql } from '@cdp/platform';
import type { PropertyDefinition, PropertyType } from '../properties/property-values';

interface DefinitionRow {
  key: string;
  label: string;
  type: PropertyType;
  options: unknown;
}

/** The definitions a filter names, read straight from `customer_properties` (one indexed query). */
@Injectable()
export class PropertyDefinitionsReader {
  constructor(private readonly db: Db) {}

  async byKeys(appId: string, keys: string[]): Promise<Map<string, PropertyDefinition>> {
    const unique = [...new Set(keys)];
    if (!unique.length) return new Map();
    const list = Sql.join(unique.map((k) => sql`${k}`), ', ');
    const rows = (await this.db.query<DefinitionRow>(
      sql`select key, label, type, options from customer_properties where app_id = ${appId} and key in (${list})`,
    ));
    return new Map(
      rows.map((r) => {
        const options = typeof r.options === 'string' ? (JSON.parse(r.options) as unknown) : r.options;
        const def: PropertyDefinition = { key: r.key, label: r.label, type: r.type };
        if (Array.isArray(options)) def.options = options.map(String);
        return [r.key, def];
      }),
    );
  }
}
