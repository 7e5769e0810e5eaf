import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import {
  CreatePropertyDefinitionDto,
  PropertyDefinitionDto,
  toPropertyDefinitionDto,
  UpdatePropertyDefinitionDto,
} from './dto/property-definition.dto';
import { PropertyDefinitionsService } from './property-definitions.service';

@ApiTags('Customers')
@ApiBearerAuth()
@Controller('v1/customer-properties')
export class PropertyDefinitionsController {
  constructor(private readonly defs: PropertyDefinitionsService) {}

  @Get()
  @Can('read', 'PropertyDefinition')
  @ApiOperation({ operationId: 'listCustomerProperties', summary: "The app's customer property definitions (every role)" })
  @ApiOkResponse({ type: [PropertyDefinitionDto] })
  @ApiProblems(401, 403)
  async list(@CurrentIdentity() id: Identity): Promise<PropertyDefinitionDto[]> {
    return (await this.defs.list(id.appId)).map(toPropertyDefinitionDto);
  }

  @Post()
  @Can('create', 'PropertyDefinition')
  @ApiOperation({ operationId: 'createCustomerProperty', summary: 'Define a customer property (admin)' })
  @ApiCreatedResponse({ type: PropertyDefinitionDto })
  @ApiProblems(401, 403, 422)
  async create(@CurrentIdentity() id: Identity, @Body() body: CreatePropertyDefinitionDto): Promise<PropertyDefinitionDto> {
    return toPropertyDefinitionDto(await this.defs.create(id.appId, body));
  }

  @Get(':key')
  @Can('read', 'PropertyDefinition')
  @ApiOperation({ operationId: 'getCustomerProperty', summary: 'One customer property definition (every role)' })
  @ApiOkResponse({ type: PropertyDefinitionDto })
  @ApiProblems(401, 403, 404)
  async get(@CurrentIdentity() id: Identity, @Param('key') key: string): Promise<PropertyDefinitionDto> {
    return toPropertyDefinitionDto(await this.defs.get(id.appId, key));
  }

  @Patch(':key')
  @Can('update', 'PropertyDefinition')
  @ApiOperation({
    operationId: 'updateCustomerProperty',
    summary: 'Change the label or the options (admin); removed options are removed from customers',
  })
  @ApiOkResponse({ type: PropertyDefinitionDto })
  @ApiProblems(401, 403, 404, 422)
  async update(
    @CurrentIdentity() id: Identity,
    @Param('key') key: string,
    @Body() body: UpdatePropertyDefinitionDto,
  ): Promise<PropertyDefinitionDto> {
    return toPropertyDefinitionDto(await this.defs.update(id.appId, key, body));
  }

  @Delete(':key')
  @HttpCode(204)
  @Can('delete', 'PropertyDefinition')
  @ApiOperation({
    operationId: 'deleteCustomerProperty',
    summary: "Delete a property definition (admin); its values are removed from the app's customers",
  })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async remove(@CurrentIdentity() id: Identity, @Param('key') key: string): Promise<void> {
    await this.defs.remove(id.appId, key);
  }
}
