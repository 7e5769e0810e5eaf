import { Migration } from '@mikro-orm/migrations';

/**
 * Distinct active customers per calendar day, for the time zones the Analytics menu is asked in (at most a
 * few per app): which customers had an activity on which local day, and the count per day, upserted by the
 * same hook as the other read models once a zone is tracked and back-filled (`ready`).
 */
export class Migration20261207000000AnalyticsActiveDays extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table analytics_active_zones (
      app_id text not null,
      zone text not null,
      ready boolean not null default false,
      requested_at timestamptz(3) not null,
      primary key (app_id, zone)
    );`);
    this.addSql(`create table analytics_active_days (
      app_id text not null,
      zone text not null,
      day date not null,
      customer_id uuid not null,
      primary key (app_id, zone, day, customer_id)
    );`);
    // What a customer's deletion takes away.
    this.addSql('create index analytics_active_days_customer_idx on analytics_active_days (app_id, customer_id);');
    this.addSql(`create table analytics_active_day_counts (
      app_id text not null,
      zone text not null,
      day date not null,
      n integer not null,
      primary key (app_id, zone, day)
    );`);
  }

  override async down(): Promise<void> {
    for (const t of ['analytics_active_day_counts', 'analytics_active_days', 'analytics_active_zones'])
      this.addSql(`drop table if exists ${t};`);
  }
}
