import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { CustomersService } from './customers.service';
import { CreateCustomerDto, TagCountDto, UpdateCustomerDto } from './dto/customer-input.dto';
import { CustomerDetailDto, CustomerGroupRefDto, CustomerResponseDto, PROPERTY_VALUE_INPUT_SCHEMA } from './dto/customer.dto';

@ApiTags('Customers')
@ApiBearerAuth()
@Controller('v1')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post('customers')
  @Can('create', 'Customer')
  @ApiOperation({ operationId: 'createCustomer', summary: 'Add a customer by hand (source admin)' })
  @ApiBody({
    type: CreateCustomerDto,
    examples: {
      whatsapp: {
        summary: 'A WhatsApp customer with a local phone number',
        value: {
          channelId: '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f',
          identifier: '6281234567890',
          name: 'Budi Santoso',
          email: 'budi@example.com',
          phoneNumber: '0812 3456 7890',
          tags: ['vip'],
          properties: { city: 'Jakarta' },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CustomerResponseDto })
  @ApiProblems(401, 403, 409, 422)
  create(@CurrentIdentity() id: Identity, @Body() body: CreateCustomerDto): Promise<CustomerResponseDto> {
    return this.customers.create(id.appId, body);
  }

  @Get('customers/:id')
  @Can('read', 'Customer')
  @ApiOperation({ operationId: 'getCustomer', summary: 'A customer with the other members of its linked set and its groups' })
  @ApiOkResponse({ type: CustomerDetailDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<CustomerDetailDto> {
    return this.customers.detail(id.appId, customerId);
  }

  @Patch('customers/:id')
  @Can('update', 'Customer')
  @ApiOperation({ operationId: 'updateCustomer', summary: 'Edit name, e-mail, phone number (null clears) and tags' })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(401, 403, 404, 422)
  update(@CurrentIdentity() id: Identity, @Param('id') customerId: string, @Body() body: UpdateCustomerDto): Promise<CustomerResponseDto> {
    return this.customers.update(id.appId, customerId, body);
  }

  @Put('customers/:id/properties')
  @Can('update', 'Customer')
  @ApiOperation({ operationId: 'setCustomerProperties', summary: 'Set property values: keys not sent are kept, null removes a value' })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: PROPERTY_VALUE_INPUT_SCHEMA,
      description: 'Property keys of GET /v1/customer-properties and their values; null removes a value',
      example: { city: 'Jakarta', tier: null },
    },
  })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(401, 403, 404, 422)
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
  @ApiOperation({ operationId: 'deleteCustomer', summary: 'Delete a customer (admin, supervisor)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(401, 403, 404, 409)
  async remove(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<void> {
    await this.customers.delete(id, customerId);
  }

  @Get('customers/:id/groups')
  @Can('read', 'Customer')
  @ApiOperation({ operationId: 'listCustomerGroups', summary: 'The groups the customer belongs to' })
  @ApiOkResponse({ type: [CustomerGroupRefDto] })
  @ApiProblems(401, 403, 404)
  groups(@CurrentIdentity() id: Identity, @Param('id') customerId: string): Promise<CustomerGroupRefDto[]> {
    return this.customers.groupsOf(id.appId, customerId);
  }

  @Get('tags')
  @Can('read', 'Tag')
  @ApiOperation({ operationId: 'listTags', summary: "The app's tags with how many customers carry each (most used first, at most 1,000)" })
  @ApiOkResponse({ type: [TagCountDto] })
  @ApiProblems(401, 403)
  tags(@CurrentIdentity() id: Identity): Promise<TagCountDto[]> {
    return this.customers.tags(id.appId);
  }
}
