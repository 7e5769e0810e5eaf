import { Migration } from '@mikro-orm/migrations';

/**
 * The hour and quarter-hour counts answer the zones that have no day rows yet (libs/analytics/README.md,
 * "Any zone, exactly"): tens of thousands of rows for 90 days. Their keys now carry the count itself
 * (`include (n)`), so those reads are index-only scans instead of one heap visit per row.
 */
export class Migration20261209000000AnalyticsCoveringCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table analytics_customer_counts drop constraint analytics_customer_counts_pkey,
      add constraint analytics_customer_counts_pkey primary key (app_id, grain, bucket, channel_id, source) include (n);`);
    this.addSql(`alter table analytics_activity_counts drop constraint analytics_activity_counts_pkey,
      add constraint analytics_activity_counts_pkey primary key (app_id, grain, bucket, type) include (n);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table analytics_customer_counts drop constraint analytics_customer_counts_pkey,
      add constraint analytics_customer_counts_pkey primary key (app_id, grain, bucket, channel_id, source);`);
    this.addSql(`alter table analytics_activity_counts drop constraint analytics_activity_counts_pkey,
      add constraint analytics_activity_counts_pkey primary key (app_id, grain, bucket, type);`);
  }
}
