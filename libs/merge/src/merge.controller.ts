import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { CustomerResponseDto } from '@cdp/customers';
import { ApiProblems } from '@cdp/platform';
import { DuplicateSuggestionDto } from './dto/duplicate.dto';
import { LinkedSetDto, MergeCustomersDto, MergeQueryDto, ProfileValueDto } from './dto/linked-set.dto';
import { DuplicatesService } from './duplicates/duplicates.service';
import { MergeService } from './merge.service';

@ApiTags('Merge')
@ApiBearerAuth()
@ApiExtraModels(ProfileValueDto)
@ApiParam({ name: 'id', description: 'Customer id' })
@Controller('v1/customers/:id')
export class MergeController {
  constructor(
    private readonly merges: MergeService,
    private readonly duplicates: DuplicatesService,
  ) {}

  @Post('merge')
  @HttpCode(200)
  @Can('update', 'Merge')
  @ApiOperation({
    operationId: 'mergeCustomers',
    summary: "Merge unlinked customers into this customer's linked set (made when it is not linked); dryRun previews",
  })
  @ApiBody({
    type: MergeCustomersDto,
    examples: {
      two: {
        summary: 'Two customers of other channels join the set',
        value: { customerIds: ['0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f', '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e60'] },
      },
    },
  })
  @ApiOkResponse({ type: LinkedSetDto })
  @ApiProblems(401, 403, 404, 409, 422)
  merge(
    @CurrentIdentity() who: Identity,
    @Param('id') id: string,
    @Query() q: MergeQueryDto,
    @Body() body: MergeCustomersDto,
  ): Promise<LinkedSetDto> {
    return this.merges.merge(who, id, body.customerIds, q.dryRun ?? false);
  }

  @Get('linked')
  @Can('read', 'Merge')
  @ApiOperation({
    operationId: 'getLinkedSet',
    summary: 'The linked set of the customer and its combined profile (a set of itself when not linked)',
  })
  @ApiOkResponse({ type: LinkedSetDto })
  @ApiProblems(401, 403, 404)
  linked(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<LinkedSetDto> {
    return this.merges.linked(who.appId, id);
  }

  @Post('unmerge')
  @HttpCode(200)
  @Can('update', 'Merge')
  @ApiOperation({ operationId: 'unmergeCustomer', summary: 'The customer leaves its linked set; a set left with one customer ends' })
  @ApiOkResponse({ type: CustomerResponseDto })
  @ApiProblems(401, 403, 404, 409)
  unmerge(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<CustomerResponseDto> {
    return this.merges.unmerge(who, id);
  }

  @Post('main-channel')
  @HttpCode(200)
  @Can('update', 'Merge')
  @ApiOperation({ operationId: 'setMainChannel', summary: "Make the customer its linked set's main channel" })
  @ApiOkResponse({ type: LinkedSetDto })
  @ApiProblems(401, 403, 404, 409)
  mainChannel(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<LinkedSetDto> {
    return this.merges.setMainChannel(who, id);
  }

  @Get('duplicates')
  @Can('read', 'Merge')
  @ApiOperation({
    operationId: 'listDuplicates',
    summary: 'Unlinked customers of other channels that are probably the same person (at most 20, best first)',
  })
  @ApiOkResponse({ type: [DuplicateSuggestionDto] })
  @ApiProblems(401, 403, 404)
  suggestions(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<DuplicateSuggestionDto[]> {
    return this.duplicates.suggest(who.appId, id);
  }

  @Post('duplicates/:otherId/dismiss')
  @HttpCode(204)
  @Can('update', 'Merge')
  @ApiOperation({ operationId: 'dismissDuplicate', summary: 'Not the same person: never suggest this pair again (either way round)' })
  @ApiParam({ name: 'otherId', description: 'The suggested customer' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 422)
  async dismiss(@CurrentIdentity() who: Identity, @Param('id') id: string, @Param('otherId') otherId: string): Promise<void> {
    await this.duplicates.dismiss(who.appId, id, otherId);
  }
}
