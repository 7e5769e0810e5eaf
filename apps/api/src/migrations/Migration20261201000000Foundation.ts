import { Migration } from '@mikro-orm/migrations';

/** pg_trgm (both backends), channels, app settings, audit log. */
export class Migration20261201000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists pg_trgm;');
    this.addSql(`create table channels (
      id uuid primary key,
      app_id text not null,
      type text not null,
      name text not null,
      config jsonb not null default '{}'::jsonb,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null
    );`);
    this.addSql('create index channels_app_created_idx on channels (app_id, created_at, id);');
    this.addSql(`create table app_settings (
      app_id text primary key,
      agent_can_import_export boolean not null default false,
      timezone text not null default 'UTC',
      default_country text not null default 'ID',
      group_member_limit integer not null default 10000 check (group_member_limit >= 1),
      plan text not null default 'standard' check (plan in ('standard', 'enterprise')),
      updated_at timestamptz(3) not null default now()
    );`);
    this.addSql(`create table audit_log (
      id uuid primary key,
      app_id text not null,
      action text not null,
      actor jsonb not null,
      at timestamptz(3) not null,
      subject text not null,
      details jsonb not null default '{}'::jsonb
    );`);
    this.addSql('create index audit_log_app_at_idx on audit_log (app_id, at desc, id desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists audit_log;');
    this.addSql('drop table if exists app_settings;');
    this.addSql('drop table if exists channels;');
  }
}
