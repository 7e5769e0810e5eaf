import { DynamicModule, Module } from '@nestjs/common';
import { CustomersModule } from '@cdp/customers';
import { DataExportService } from './data-export.service';
import { ErasureService } from './erasure.service';
import { PrivacyController } from './privacy.controller';

/**
 * The rights of a person (FEATURES.md X10): the data export (access) and the erasure, orchestrated through
 * the public faces of the customers, activities, groups (over the QueryBus) and merge libs (its deletion hook).
 * Needs the global PlatformModule and AccessModule; `register` takes the composition root's registered
 * activities module (the very same object), whose reader it uses.
 */
@Module({})
export class PrivacyModule {
  static register(activities: DynamicModule): DynamicModule {
    return {
      module: PrivacyModule,
      imports: [CustomersModule, activities],
      controllers: [PrivacyController],
      providers: [DataExportService, ErasureService],
    };
  }
}
