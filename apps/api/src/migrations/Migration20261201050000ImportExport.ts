import { Migration } from '@mikro-orm/migrations';

/**
 * Import and export jobs (FEATURES.md IE1–IE6, X6). An import keeps its parsed rows, so a retried job needs
 * no upload, and one outcome per row (`import_rows`), written in the same transaction as the customers of
 * its batch: a job retried after a crash neither creates a customer twice nor miscounts. An export keeps its
 * CSV (at most 1,000 rows) so any replica serves the download; only the sha256 of the link's token is kept.
 */
export class Migration20261201050000ImportExport extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table imports (
      id uuid primary key,
      app_id text not null,
      status text not null check (status in ('queued', 'processing', 'completed', 'failed')),
      dry_run boolean not null,
      separator text not null check (separator in ('comma', 'semicolon')),
      file_name text,
      columns jsonb not null,
      rows jsonb not null,
      total_rows integer not null,
      created_count integer not null default 0,
      skipped_count integer not null default 0,
      failed_count integer not null default 0,
      failure_reason text,
      created_by jsonb not null,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      completed_at timestamptz(3)
    );`);
    this.addSql('create unique index imports_app_id_key on imports (app_id, id);');
    this.addSql('create index imports_app_created_idx on imports (app_id, created_at desc, id desc);');
    this.addSql(`create table import_rows (
      app_id text not null,
      import_id uuid not null,
      row_no integer not null,
      status text not null check (status in ('created', 'skipped', 'failed')),
      customer_id uuid,
      issues jsonb not null default '[]'::jsonb,
      primary key (app_id, import_id, row_no),
      constraint import_rows_import_fk foreign key (app_id, import_id) references imports (app_id, id) on delete cascade
    );`);
    this.addSql(`create table exports (
      id uuid primary key,
      app_id text not null,
      status text not null check (status in ('queued', 'processing', 'completed', 'failed')),
      email text not null,
      filter jsonb not null default '{}'::jsonb,
      row_count integer,
      csv bytea,
      token_hash text,
      token_expires_at timestamptz(3),
      mail_sent_at timestamptz(3),
      failure_reason text,
      created_by jsonb not null,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      completed_at timestamptz(3)
    );`);
    this.addSql('create index exports_app_created_idx on exports (app_id, created_at desc, id desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists exports;');
    this.addSql('drop table if exists import_rows;');
    this.addSql('drop table if exists imports;');
  }
}
