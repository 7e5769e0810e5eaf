import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Can, CurrentIdentity, Public, type Identity } from '@cdp/access';
import { ApiProblems, PageQueryDto } from '@cdp/platform';
import { CreateExportDto, ExportDto, ExportPageDto } from './import-export.dto';
import { ExportsService } from './exports.service';

@ApiTags('Import and export')
@ApiBearerAuth()
@Controller('v1/customers/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  @Can('create', 'Export')
  @ApiOperation({
    operationId: 'createExport',
    summary: 'Export the customers a filter matches (the latest 1,000 by creation); the link is e-mailed',
  })
  @ApiAcceptedResponse({ type: ExportDto, description: 'Queued; poll GET /v1/customers/exports/:id' })
  @ApiProblems(401, 403, 422)
  create(@CurrentIdentity() id: Identity, @Body() body: CreateExportDto): Promise<ExportDto> {
    return this.exports.request(id, body);
  }

  @Get()
  @Can('read', 'Export')
  @ApiOperation({ operationId: 'listExports', summary: "The app's exports, newest first" })
  @ApiOkResponse({ type: ExportPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: PageQueryDto): Promise<ExportPageDto> {
    return this.exports.list(id.appId, q);
  }

  @Get(':id')
  @Can('read', 'Export')
  @ApiOperation({ operationId: 'getExport', summary: 'An export and its status' })
  @ApiOkResponse({ type: ExportDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() id: Identity, @Param('id') exportId: string): Promise<ExportDto> {
    return this.exports.get(id.appId, exportId);
  }
}

@ApiTags('Import and export')
@Controller('v1/exports')
export class ExportDownloadController {
  constructor(private readonly exports: ExportsService) {}

  @Get(':id/download')
  @Public()
  @ApiOperation({
    operationId: 'downloadExport',
    summary: 'Download an export with the token of its e-mailed link (no bearer token; the link expires)',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: "The export's id (from the link)" })
  @ApiQuery({
    name: 'token',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 200 },
    description: 'The credential of the e-mailed link; a wrong or expired one is 404 not_found',
  })
  @ApiOkResponse({
    description: 'The CSV file (UTF-8 with BOM) as an attachment',
    content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(404)
  async download(
    @Param('id') id: string,
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const file = await this.exports.download(id, token);
    reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer');
    return file.csv;
  }
}
