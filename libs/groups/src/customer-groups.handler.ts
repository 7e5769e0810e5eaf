import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerGroupsQuery, type CustomerGroupRefDto } from '@cdp/customers';
import { GroupsRepository } from './groups.repository';

/** A customer's groups are listed up to this many (the detail and `GET /customers/:id/groups`). */
export const MAX_GROUPS_PER_CUSTOMER_LISTED = 1000;

/** Answers the customers lib's query, so the customer detail shows its groups without importing this lib. */
@QueryHandler(CustomerGroupsQuery)
export class CustomerGroupsHandler implements IQueryHandler<CustomerGroupsQuery, CustomerGroupRefDto[]> {
  constructor(private readonly repo: GroupsRepository) {}

  execute(q: CustomerGroupsQuery): Promise<CustomerGroupRefDto[]> {
    return this.repo.groupsOf(q.appId, q.customerId, MAX_GROUPS_PER_CUSTOMER_LISTED);
  }
}
