import { Migration } from '@mikro-orm/migrations';

/**
 * Customers (one row per customer per channel instance), their hot activity state, and property
 * definitions. Indexes per DESIGN.md "Data model" and PERFORMANCE.md.
 */
export class Migration20261201010000Customers extends Migration {
  override async up(): Promise<void> {
    // (app_id, id) is unique so that tables of other libs can reference a customer together with its app.
    this.addSql('create unique index channels_app_id_id_key on channels (app_id, id);');
    this.addSql(`create table customers (
      id uuid primary key,
      app_id text not null,
      channel_id uuid not null,
      identifier text not null,
      name text not null,
      email text,
      phone_number text,
      source text not null check (source in ('admin', 'ads', 'organic', 'broadcast')),
      platform text check (platform in ('web', 'mobile')),
      properties jsonb not null default '{}'::jsonb,
      tags text[] not null default '{}',
      profile_id uuid,
      main_channel boolean not null default false,
      search_text text not null,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      constraint customers_channel_fk foreign key (app_id, channel_id) references channels (app_id, id) on delete restrict
    );`);
    this.addSql('create unique index customers_app_channel_identifier_key on customers (app_id, channel_id, identifier);');
    this.addSql('create unique index customers_app_id_key on customers (app_id, id);');
    this.addSql('create index customers_app_created_idx on customers (app_id, created_at desc, id desc);');
    this.addSql('create index customers_app_name_idx on customers (app_id, name, id);');
    this.addSql('create index customers_app_channel_idx on customers (app_id, channel_id);');
    this.addSql('create index customers_app_profile_idx on customers (app_id, profile_id) where profile_id is not null;');
    this.addSql('create index customers_search_trgm_idx on customers using gin (search_text gin_trgm_ops);');
    this.addSql('alter table customers alter column search_text set statistics 1000;');
    this.addSql('create index customers_properties_idx on customers using gin (properties jsonb_path_ops);');
    this.addSql('create index customers_tags_idx on customers using gin (tags);');
    // Normalised contact points for duplicate suggestions (X4) and lookups.
    this.addSql('create index customers_app_phone_idx on customers (app_id, phone_number) where phone_number is not null;');
    this.addSql('create index customers_app_email_idx on customers (app_id, lower(email)) where email is not null;');

    // Hot per-customer state, never written into the customer row (PERFORMANCE.md rule 1).
    this.addSql(`create table customer_activity (
      app_id text not null,
      customer_id uuid not null,
      last_activity_at timestamptz(3) not null,
      primary key (app_id, customer_id),
      constraint customer_activity_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index customer_activity_app_last_idx on customer_activity (app_id, last_activity_at desc, customer_id desc);');

    this.addSql(`create table customer_properties (
      app_id text not null,
      key text not null,
      label text not null,
      type text not null check (type in ('text', 'number', 'date', 'boolean', 'select')),
      options jsonb,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      primary key (app_id, key)
    );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists customer_properties;');
    this.addSql('drop table if exists customer_activity;');
    this.addSql('drop table if exists customers;');
    this.addSql('drop index if exists channels_app_id_id_key;');
  }
}
