import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { CustomersService } from './customers.service';
import { CreateCustomerDto, TagCountDto, UpdateCustomerDto } from './dto/customer-input.dto';
import { CustomerDetailDto, CustomerGroupRefDto, CustomerResponseDto } from './dto/customer.dto';

@ApiTags('Customers')
@ApiBearerAuth()
@Controller('v1')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post('customers')
  @Can('create', 'Customer')
  @ApiOperation({ summary: 'Add a customer by hand (source admin)' })
  @ApiCreatedResponse({ type: CustomerResponseDto })
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentIdentity() id: Identity, @Body() body: CreateCustomerDto): Promise<CustomerResponseDto> {
    return this.customers.create(id.appId, body);
  }

  @Get('customers/:id')
  @Can('read', 'Customer')
  @ApiOperation({ summary: 'A customer with the other members of its linked set and its groups' })
  @ApiOkResponse({ type: CustomerDetailDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<CustomerDetailDto> {
    return this.customers.detail(id.appId, customerId);
  }

  @Patch('customers/:id')
  @Can('update', 'Customer')
  @ApiOperation({ summary: 'Edit name, e-mail, phone number (null clears) and tags' })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(400, 401, 403, 404, 422)
  update(@CurrentIdentity() id: Identity, @Param('id') customerId: string, @Body() body: UpdateCustomerDto): Promise<CustomerResponseDto> {
    return this.customers.update(id.appId, customerId, body);
  }

  @Put('customers/:id/properties')
  @Can('update', 'Customer')
  @ApiOperation({ summary: 'Set property values: keys not sent are kept, null removes a value' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: { city: 'Jakarta', tier: null } } })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(400, 401, 403, 404, 422)
  setProperties(
    @CurrentIdentity() id: Identity,
    @Param('id') customerId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<CustomerResponseDto> {
    return this.customers.setProperties(id.appId, customerId, body);
  }

  @Delete('customers/:id')
  @HttpCode(204)
  @Can('delete', 'Customer')
  @ApiOperation({ summary: 'Delete a customer (admin, supervisor)' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async remove(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<void> {
    await this.customers.delete(id, customerId);
  }

  @Get('customers/:id/groups')
  @Can('read', 'Customer')
  @ApiOperation({ summary: 'The groups the customer belongs to' })
  @ApiOkResponse({ type: [CustomerGroupRefDto] })
  @ApiProblems(401, 403, 404)
  groups(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<CustomerGroupRefDto[]> {
    return this.customers.groupsOf(id.appId, customerId);
  }

  @Get('tags')
  @Can('read', 'Tag')
  @ApiOperation({ summary: "The app's tags with how many customers carry each (most used first, at most 1,000)" })
  @ApiOkResponse({ type: [TagCountDto] })
  @ApiProblems(401, 403)
  tags(@CurrentIdentity() id: Identity): Promise<TagCountDto[]> {
    return this.customers.tags(id.appId);
  }
}
