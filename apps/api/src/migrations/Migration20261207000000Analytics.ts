import { Migration } from '@mikro-orm/migrations';

/**
 * The analytics read models (libs/analytics/README.md): counts per UTC quarter hour and hour, kept current by
 * the writes that change them, so that no request reads the customers or activities tables to count.
 * `grain` is the bucket's length in minutes (15 or 60); `bucket` its start, UTC.
 */
export class Migration20261207000000Analytics extends Migration {
  override async up(): Promise<void> {
    // One row per counted customer: what was added, so a deletion takes away exactly that, and a creation
    // counted twice (a replayed event, a rebuild in between) is counted once.
    this.addSql(`create table analytics_customer_ledger (
      app_id text not null,
      customer_id uuid not null,
      created_at timestamptz(3) not null,
      channel_id uuid not null,
      source text not null,
      primary key (app_id, customer_id)
    );`);
    this.addSql(`create table analytics_customer_counts (
      app_id text not null,
      grain smallint not null,
      bucket timestamptz(3) not null,
      channel_id uuid not null,
      source text not null,
      n integer not null,
      primary key (app_id, grain, bucket, channel_id, source)
    );`);
    this.addSql(`create table analytics_customer_totals (
      app_id text not null,
      channel_id uuid not null,
      source text not null,
      n integer not null,
      primary key (app_id, channel_id, source)
    );`);
    this.addSql(`create table analytics_activity_counts (
      app_id text not null,
      grain smallint not null,
      bucket timestamptz(3) not null,
      type text not null,
      n integer not null,
      primary key (app_id, grain, bucket, type)
    );`);
    // Which customers were active in which quarter hour, with how many activities of the type: distinct
    // customers per interval in any time zone, and what a customer's deletion takes away from the counts.
    this.addSql(`create table analytics_activity_presence (
      app_id text not null,
      customer_id uuid not null,
      type text not null,
      bucket timestamptz(3) not null,
      n integer not null,
      primary key (app_id, customer_id, type, bucket)
    );`);
    this.addSql('create index analytics_activity_presence_range_idx on analytics_activity_presence (app_id, bucket, type, customer_id);');
  }

  override async down(): Promise<void> {
    for (const t of [
      'analytics_activity_presence',
      'analytics_activity_counts',
      'analytics_customer_totals',
      'analytics_customer_counts',
      'analytics_customer_ledger',
    ])
      this.addSql(`drop table if exists ${t};`);
  }
}
