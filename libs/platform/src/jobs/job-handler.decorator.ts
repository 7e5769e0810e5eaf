import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a provider as the handler of one queue: `@JobHandler('customers.import')` on an `@Injectable()`
 * class implementing `JobHandlerContract`. Found by discovery in whatever module provides it; two handlers
 * for the same queue stop start-up. Queue names: letters, digits, `.`, `-`, `_`.
 */
export const JobHandler = DiscoveryService.createDecorator<string>();
