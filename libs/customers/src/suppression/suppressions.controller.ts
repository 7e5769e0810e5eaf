import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems, PageQueryDto } from '@cdp/platform';
import { SuppressionPageDto } from './suppression.dto';
import { Suppressions } from './suppressions';

@ApiTags('Data rights')
@ApiBearerAuth()
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: Suppressions) {}

  @Get()
  @Can('manage', 'PersonalData')
  @ApiOperation({
    operationId: 'listSuppressions',
    summary: 'Suppressions left by erasures (kinds only: the values are kept as keyed hashes)',
  })
  @ApiOkResponse({ type: SuppressionPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() who: Identity, @Query() q: PageQueryDto): Promise<SuppressionPageDto> {
    return this.suppressions.list(who.appId, q);
  }

  @Delete(':id')
  @HttpCode(204)
  @Can('manage', 'PersonalData')
  @ApiOperation({ operationId: 'deleteSuppression', summary: 'Lift a suppression: the person may be added again' })
  @ApiNoContentResponse({ description: 'Lifted' })
  @ApiProblems(401, 403, 404)
  async lift(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<void> {
    await this.suppressions.lift(who.appId, id);
  }
}
