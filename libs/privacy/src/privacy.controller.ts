import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { DataExportService } from './data-export.service';
import { ErasureService } from './erasure.service';
import { DataExportDto, DataExportQueryDto, EraseCustomerDto, ErasureResultDto } from './privacy.dto';

@ApiTags('Data rights')
@ApiBearerAuth()
@Controller('v1/customers/:id')
export class PrivacyController {
  constructor(
    private readonly exports: DataExportService,
    private readonly erasure: ErasureService,
  ) {}

  @Get('data-export')
  @Can('manage', 'PersonalData')
  @ApiOperation({
    operationId: 'exportCustomerData',
    summary: 'Everything held about a person (the customer, or its linked set), streamed as one JSON document; audited',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: DataExportDto })
  @ApiProblems(401, 403, 404, 422)
  async dataExport(
    @CurrentIdentity() who: Identity,
    @Param('id') id: string,
    @Query() q: DataExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const stream = await this.exports.export(who, id, q.scope ?? 'self');
    void reply.header('Content-Type', 'application/json; charset=utf-8');
    void reply.header('Content-Disposition', `attachment; filename="customer-${id.toLowerCase()}.json"`);
    return stream;
  }

  @Post('erase')
  @HttpCode(200)
  @Can('manage', 'PersonalData')
  @ApiOperation({
    operationId: 'eraseCustomer',
    summary: 'Erase a person (the customer, or its linked set) and everything that references it, in one transaction; suppress it',
  })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiProblems(401, 403, 404, 422)
  erase(@CurrentIdentity() who: Identity, @Param('id') id: string, @Body() body: EraseCustomerDto): Promise<ErasureResultDto> {
    return this.erasure.erase(who, id, body);
  }
}
