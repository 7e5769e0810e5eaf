import { Migration } from '@mikro-orm/migrations';

/**
 * Customer groups (FEATURES.md G1–G4). `member_count` is kept exact in the transaction of every change, so a
 * group's size never needs a count; members reference customers with `(app_id, id)` and go with them.
 */
export class Migration20261201040000Groups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table groups (
      id uuid primary key,
      app_id text not null,
      name text not null,
      description text,
      search_name text not null,
      member_count int not null default 0 check (member_count >= 0),
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null
    );`);
    this.addSql('create unique index groups_app_id_key on groups (app_id, id);');
    this.addSql('create index groups_app_created_idx on groups (app_id, created_at desc, id desc);');
    this.addSql('create index groups_search_trgm_idx on groups using gin (search_name gin_trgm_ops);');

    this.addSql(`create table group_members (
      app_id text not null,
      group_id uuid not null,
      customer_id uuid not null,
      added_at timestamptz(3) not null,
      primary key (app_id, group_id, customer_id),
      constraint group_members_group_fk foreign key (app_id, group_id) references groups (app_id, id) on delete cascade,
      constraint group_members_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index group_members_added_idx on group_members (app_id, group_id, added_at desc, customer_id desc);');
    this.addSql('create index group_members_customer_idx on group_members (app_id, customer_id);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists group_members;');
    this.addSql('drop table if exists groups;');
  }
}
