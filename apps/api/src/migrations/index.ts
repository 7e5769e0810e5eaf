import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201000000Foundation } from './Migration20261201000000Foundation';
import { Migration20261201010000Customers } from './Migration20261201010000Customers';
import { Migration20261201020000Activities } from './Migration20261201020000Activities';
import { Migration20261201020000ActivitiesEvents } from './Migration20261201020000ActivitiesEvents';
import { Migration20261201030000Merge } from './Migration20261201030000Merge';
import { Migration20261201040000Groups } from './Migration20261201040000Groups';
import { Migration20261201050000ImportExport } from './Migration20261201050000ImportExport';
import { Migration20261202000000Outbox } from './Migration20261202000000Outbox';
import { Migration20261202010000TenantKeys } from './Migration20261202010000TenantKeys';
import { Migration20261203000000JobInterruptions } from './Migration20261203000000JobInterruptions';
import { Migration20261204000000SegmentIngestion } from './Migration20261204000000SegmentIngestion';
import { Migration20261205000000Webhooks } from './Migration20261205000000Webhooks';
import { Migration20261206000000ConsentPrivacy } from './Migration20261206000000ConsentPrivacy';
import { Migration20261207000000Analytics } from './Migration20261207000000Analytics';
import { Migration20261207000000AnalyticsActiveDays } from './Migration20261207000000AnalyticsActiveDays';
import { Migration20261207000000AnalyticsZoneDays } from './Migration20261207000000AnalyticsZoneDays';
import { Migration20261208000000PropertySlots } from './Migration20261208000000PropertySlots';
import { Migration20261209000000AnalyticsCoveringCounts } from './Migration20261209000000AnalyticsCoveringCounts';
import { Migration20261210000000AnalyticsActiveTypeDays } from './Migration20261210000000AnalyticsActiveTypeDays';
import { Migration20261211000000ActivitiesCustomerTypeCovered } from './Migration20261211000000ActivitiesCustomerTypeCovered';

/**
 * Every schema migration, in order. Checked in, run at start-up and by `npm run migrate`; the same SQL on
 * PGlite (PostgreSQL 17) and PostgreSQL 15. Add a file and a line here; never edit a landed migration.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261201000000Foundation', class: Migration20261201000000Foundation },
  { name: 'Migration20261201010000Customers', class: Migration20261201010000Customers },
  { name: 'Migration20261201020000Activities', class: Migration20261201020000Activities },
  { name: 'Migration20261201020000ActivitiesEvents', class: Migration20261201020000ActivitiesEvents },
  { name: 'Migration20261201030000Merge', class: Migration20261201030000Merge },
  { name: 'Migration20261201040000Groups', class: Migration20261201040000Groups },
  { name: 'Migration20261201050000ImportExport', class: Migration20261201050000ImportExport },
  { name: 'Migration20261202000000Outbox', class: Migration20261202000000Outbox },
  { name: 'Migration20261202010000TenantKeys', class: Migration20261202010000TenantKeys },
  { name: 'Migration20261203000000JobInterruptions', class: Migration20261203000000JobInterruptions },
  { name: 'Migration20261204000000SegmentIngestion', class: Migration20261204000000SegmentIngestion },
  { name: 'Migration20261205000000Webhooks', class: Migration20261205000000Webhooks },
  { name: 'Migration20261206000000ConsentPrivacy', class: Migration20261206000000ConsentPrivacy },
  { name: 'Migration20261207000000Analytics', class: Migration20261207000000Analytics },
  { name: 'Migration20261207000000AnalyticsActiveDays', class: Migration20261207000000AnalyticsActiveDays },
  { name: 'Migration20261207000000AnalyticsZoneDays', class: Migration20261207000000AnalyticsZoneDays },
  { name: 'Migration20261208000000PropertySlots', class: Migration20261208000000PropertySlots },
  { name: 'Migration20261209000000AnalyticsCoveringCounts', class: Migration20261209000000AnalyticsCoveringCounts },
  { name: 'Migration20261210000000AnalyticsActiveTypeDays', class: Migration20261210000000AnalyticsActiveTypeDays },
  { name: 'Migration20261211000000ActivitiesCustomerTypeCovered', class: Migration20261211000000ActivitiesCustomerTypeCovered },
];
