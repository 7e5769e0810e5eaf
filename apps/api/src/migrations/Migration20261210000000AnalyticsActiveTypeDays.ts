import { Migration } from '@mikro-orm/migrations';

/**
 * Distinct active customers per local day and activity type, for the tracked zones: who did an activity of a
 * type on a day, and how many. Active customers for one chosen type (customers who purchased, per day) read one
 * count per day; several types count the distinct customers of those types' rows only (the type leads the key).
 *
 * The tracked zones have no such rows yet, so they are forgotten with their day rows: the next request in a
 * zone tracks it again and its back-fill builds every day table, the new ones included (until then the
 * zone-free level answers, exactly).
 */
export class Migration20261210000000AnalyticsActiveTypeDays extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table analytics_active_type_days (
      app_id text not null,
      zone text not null,
      type text not null,
      day date not null,
      customer_id uuid not null,
      primary key (app_id, zone, type, day, customer_id)
    );`);
    // What a customer's deletion takes away.
    this.addSql('create index analytics_active_type_days_customer_idx on analytics_active_type_days (app_id, customer_id);');
    this.addSql(`create table analytics_active_type_day_counts (
      app_id text not null,
      zone text not null,
      type text not null,
      day date not null,
      n integer not null,
      primary key (app_id, zone, type, day) include (n)
    );`);
    this.addSql(
      'truncate analytics_active_zones, analytics_active_days, analytics_active_day_counts, analytics_zone_activity_days, analytics_zone_customer_days;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists analytics_active_type_day_counts;');
    this.addSql('drop table if exists analytics_active_type_days;');
  }
}
