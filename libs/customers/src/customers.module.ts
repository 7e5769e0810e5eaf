import { Module } from '@nestjs/common';
import { ChannelsModule } from '@cdp/channels';
import { ConsentController } from './consent/consent.controller';
import { CustomerConsent } from './consent/customer-consent';
import { CustomerErasure } from './customer-erasure';
import { Suppressions } from './suppression/suppressions';
import { SuppressionsController } from './suppression/suppressions.controller';
import { CustomerActivityStore } from './customer-activity.store';
import { CustomerChannelUsage } from './customer-channel-usage';
import { CustomerDeletionHooks, CustomerErasureHooks } from './customer-deletion.hooks';
import { CustomerLinks } from './customer-links';
import { CustomerTallies } from './customer-tallies';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { CustomerIntake } from './intake/customer-intake';
import { CUSTOMER_QUERY_CONTROLLERS, CUSTOMER_QUERY_PROVIDERS } from './filter';
import { IMPORT_EXPORT_CONTROLLERS, IMPORT_EXPORT_PROVIDERS } from './import-export';
import { PropertyDefinitionsController } from './properties/property-definitions.controller';
import { PropertyDefinitionsRepository } from './properties/property-definitions.repository';
import { PropertyDefinitionsService } from './properties/property-definitions.service';

/**
 * Customers, their property definitions and tags, and the hooks other libs use (deletion hooks, the link
 * columns for merges, the activity store). The filter language (list, search, count, normalise) mounts its
 * providers and controllers here too. Needs the global PlatformModule, AccessModule and CqrsModule.
 */
@Module({
  imports: [ChannelsModule],
  // The query controllers first: their static paths (e.g. /customers/search) must win over /customers/:id.
  controllers: [
    ...CUSTOMER_QUERY_CONTROLLERS,
    ...IMPORT_EXPORT_CONTROLLERS,
    CustomersController,
    ConsentController,
    SuppressionsController,
    PropertyDefinitionsController,
  ],
  providers: [
    CustomersRepository,
    CustomerIntake,
    CustomersService,
    PropertyDefinitionsRepository,
    PropertyDefinitionsService,
    CustomerDeletionHooks,
    CustomerErasureHooks,
    CustomerLinks,
    CustomerActivityStore,
    CustomerChannelUsage,
    CustomerConsent,
    Suppressions,
    CustomerErasure,
    CustomerTallies,
    ...CUSTOMER_QUERY_PROVIDERS,
    ...IMPORT_EXPORT_PROVIDERS,
  ],
  exports: [
    CustomersService,
    CustomerIntake,
    PropertyDefinitionsService,
    CustomerDeletionHooks,
    CustomerErasureHooks,
    CustomerLinks,
    CustomerActivityStore,
    CustomerConsent,
    Suppressions,
    CustomerErasure,
    CustomerTallies,
    ...CUSTOMER_QUERY_PROVIDERS,
  ],
})
export class CustomersModule {}
