import { Migration } from '@mikro-orm/migrations';

/**
 * Customers created and activities per calendar day in the tracked time zones (`analytics_active_zones`):
 * a range of days reads one row per day and key instead of 24 per day, whatever the zone's offset.
 */
export class Migration20261207000000AnalyticsZoneDays extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table analytics_zone_customer_days (
      app_id text not null,
      zone text not null,
      day date not null,
      channel_id uuid not null,
      source text not null,
      n integer not null,
      primary key (app_id, zone, day, channel_id, source)
    );`);
    this.addSql(`create table analytics_zone_activity_days (
      app_id text not null,
      zone text not null,
      day date not null,
      type text not null,
      n integer not null,
      primary key (app_id, zone, day, type)
    );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists analytics_zone_activity_days;');
    this.addSql('drop table if exists analytics_zone_customer_days;');
  }
}
