import { Migration } from '@mikro-orm/migrations';

/**
 * Every key of a tenant table carries `app_id` (docs/scaling.md): the primary keys that were `id` alone become
 * `(app_id, id)`, which a distributed PostgreSQL (Citus, distribution column `app_id`) requires. Where a
 * unique `(app_id, id)` index exists already it becomes the primary key as it is (no rebuild); every foreign
 * key already references `(app_id, id)`. Lookups are all scoped by app, so the same index serves them.
 */
export class Migration20261202010000TenantKeys extends Migration {
  override async up(): Promise<void> {
    const promote = (table: string, index: string) => {
      this.addSql(`alter table ${table} drop constraint ${table}_pkey;`);
      this.addSql(`alter table ${table} add constraint ${table}_pkey primary key using index ${index};`);
    };
    promote('channels', 'channels_app_id_id_key');
    promote('customers', 'customers_app_id_key');
    promote('merge_profiles', 'merge_profiles_app_id_key');
    promote('groups', 'groups_app_id_key');
    promote('imports', 'imports_app_id_key');
    for (const table of ['audit_log', 'exports']) {
      this.addSql(`alter table ${table} drop constraint ${table}_pkey;`);
      this.addSql(`alter table ${table} add constraint ${table}_pkey primary key (app_id, id);`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, index] of [
      ['channels', 'channels_app_id_id_key'],
      ['customers', 'customers_app_id_key'],
      ['merge_profiles', 'merge_profiles_app_id_key'],
      ['groups', 'groups_app_id_key'],
      ['imports', 'imports_app_id_key'],
    ]) {
      this.addSql(`alter table ${table} drop constraint ${table}_pkey;`);
      this.addSql(`create unique index ${index} on ${table} (app_id, id);`);
      this.addSql(`alter table ${table} add primary key (id);`);
    }
    for (const table of ['audit_log', 'exports']) {
      this.addSql(`alter table ${table} drop constraint ${table}_pkey;`);
      this.addSql(`alter table ${table} add primary key (id);`);
    }
  }
}
