import { Query } from '@nestjs/cqrs';
import type { CustomerGroupRefDto } from './dto/customer.dto';

/**
 * The groups a customer belongs to, `[{ id, name }]` ordered by name. The groups lib answers it with a
 * `@QueryHandler(CustomerGroupsQuery)`; without a handler the customer detail shows no groups.
 * The handler must scope its query by `appId`.
 */
export class CustomerGroupsQuery extends Query<CustomerGroupRefDto[]> {
  constructor(
    readonly appId: string,
    readonly customerId: string,
  ) {
    super();
  }
}
