import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems, Db, isUuid, PageQueryDto } from '@cdp/platform';
import { CustomerNotFoundError } from '../customers.errors';
import { CustomersService } from '../customers.service';
import { CustomerResponseDto, toCustomerResponse } from '../dto/customer.dto';
import { ConsentHistoryPageDto, SetConsentDto } from './consent.dto';
import { actorOf } from './consent.types';
import { CustomerConsent } from './customer-consent';

@ApiTags('Customers')
@ApiBearerAuth()
@Controller('v1/customers/:id')
export class ConsentController {
  constructor(
    private readonly db: Db,
    private readonly consent: CustomerConsent,
    private readonly customers: CustomersService,
  ) {}

  @Put('consent')
  @Can('update', 'Customer')
  @ApiOperation({
    operationId: 'setCustomerConsent',
    summary: "Set the customer's consent on its channel (kept in the history; the request time is the change's time)",
  })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(401, 403, 404, 422)
  async set(@CurrentIdentity() who: Identity, @Param('id') id: string, @Body() body: SetConsentDto): Promise<CustomerResponseDto> {
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const row = await this.db.transaction(async (tx) => {
      await this.customers.getRow(who.appId, id, tx);
      await this.consent.apply(tx, who.appId, [
        { customerId: id, status: body.status, source: body.source ?? 'api', at: new Date(), note: body.note ?? null, actor: actorOf(who) },
      ]);
      return this.customers.getRow(who.appId, id, tx);
    });
    return toCustomerResponse(row);
  }

  @Get('consent-history')
  @Can('read', 'Customer')
  @ApiOperation({ operationId: 'listCustomerConsentHistory', summary: "Every change of the customer's consent, newest first" })
  @ApiOkResponse({ type: ConsentHistoryPageDto })
  @ApiProblems(401, 403, 404, 422)
  history(@CurrentIdentity() who: Identity, @Param('id') id: string, @Query() q: PageQueryDto): Promise<ConsentHistoryPageDto> {
    return this.consent.history(who.appId, id, q);
  }
}
