import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems, DomainError, nulIssues, PageQueryDto, PayloadTooLargeError, ValidationFailedError } from '@cdp/platform';
import { ImportDto, ImportPageDto, TemplateQueryDto, UPLOAD_BODY_SCHEMA, UploadQueryDto } from './import-export.dto';
import { MalformedUploadError } from './import-export.errors';
import { MAX_IMPORT_BYTES } from './import-file';
import { ImportsService } from './imports.service';

const CSV = 'text/csv; charset=utf-8';
const attachment = (name: string) => `attachment; filename="${name}"`;

@ApiTags('Import and export')
@ApiBearerAuth()
@Controller('v1/customers/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Get('template')
  @Can('read', 'ImportTemplate')
  @ApiOperation({
    operationId: 'getImportTemplate',
    summary: 'The import template: the header and one example row per channel type (every role)',
  })
  @ApiOkResponse({
    description: 'The template as a CSV attachment (UTF-8)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems(401, 403, 422)
  async template(
    @CurrentIdentity() id: Identity,
    @Query() q: TemplateQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.imports.template(id.appId, q.separator);
    reply.header('Content-Type', CSV).header('Content-Disposition', attachment('customers-import-template.csv'));
    return csv;
  }

  @Post()
  @HttpCode(202)
  @Can('create', 'Import')
  @ApiOperation({
    operationId: 'createImport',
    summary: 'Upload a CSV of customers (at most 1,000 rows, 2 MB); dryRun=true reports without importing',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_BODY_SCHEMA })
  @ApiAcceptedResponse({ type: ImportDto, description: 'Stored and queued; poll GET /v1/customers/imports/:id' })
  @ApiProblems(400, 401, 403, 413, 415, 422)
  async upload(@CurrentIdentity() id: Identity, @Query() q: UploadQueryDto, @Req() req: FastifyRequest): Promise<ImportDto> {
    const upload = await readUpload(req);
    return this.imports.request(id, { ...upload, dryRun: q.dryRun ?? false });
  }

  @Get()
  @Can('read', 'Import')
  @ApiOperation({ operationId: 'listImports', summary: "The app's imports, newest first (without their row reports)" })
  @ApiOkResponse({ type: ImportPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: PageQueryDto): Promise<ImportPageDto> {
    return this.imports.list(id.appId, q);
  }

  @Get(':id')
  @Can('read', 'Import')
  @ApiOperation({ operationId: 'getImport', summary: 'An import: status, totals and every failed or skipped row' })
  @ApiOkResponse({ type: ImportDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() id: Identity, @Param('id') importId: string): Promise<ImportDto> {
    return this.imports.get(id.appId, importId);
  }

  @Get(':id/errors.csv')
  @Can('read', 'Import')
  @ApiOperation({
    operationId: 'getImportErrors',
    summary: 'The failed and skipped rows as uploaded, with an error column (fix and upload again)',
  })
  @ApiOkResponse({ description: 'The rows as a CSV attachment (UTF-8)', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiProblems(401, 403, 404)
  async errors(
    @CurrentIdentity() id: Identity,
    @Param('id') importId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.imports.errorsCsv(id.appId, importId);
    reply.header('Content-Type', CSV).header('Content-Disposition', attachment(`import-${importId.slice(-8)}-errors.csv`));
    return csv;
  }
}

/**
 * Reads the multipart body: one `file` part and an optional `separator` field, in either order. The size
 * limit is the multipart parser's (registered at start-up): over it, the part is cut and the upload refused.
 */
async function readUpload(req: FastifyRequest): Promise<{ content: Buffer; fileName: string | null; separator: unknown }> {
  try {
    return await readParts(req);
  } catch (err) {
    // Our own refusals and the multipart parser's coded limits (413) stand; anything else the parser throws
    // (a body cut before its closing boundary: "Unexpected end of form") is a body that cannot be read.
    if (err instanceof DomainError || typeof (err as { code?: unknown }).code === 'string') throw err;
    throw new MalformedUploadError();
  }
}

async function readParts(req: FastifyRequest): Promise<{ content: Buffer; fileName: string | null; separator: unknown }> {
  let content: Buffer | undefined;
  let fileName: string | null = null;
  let separator: unknown;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw new ValidationFailedError('The upload is not valid', [
          { field: part.fieldname, code: 'unknown_field', message: 'the file must be sent as the field "file"' },
        ]);
      }
      content = await part.toBuffer();
      if (part.file.truncated || content.length > MAX_IMPORT_BYTES) throw new PayloadTooLargeError('The file is larger than 2 MB');
      fileName = (part.filename || '').slice(0, 255) || null;
      if (fileName?.includes('\u0000')) throw new ValidationFailedError('The upload is not valid', nulIssues(['file']));
    } else if (part.fieldname === 'separator') {
      separator = part.value;
    } else {
      throw new ValidationFailedError('The upload is not valid', [
        { field: part.fieldname, code: 'unknown_field', message: `field "${part.fieldname}" is not accepted (file, separator)` },
      ]);
    }
  }
  if (!content)
    throw new ValidationFailedError('The upload is not valid', [
      { field: 'file', code: 'required', message: 'a CSV file is required (multipart field "file")' },
    ]);
  return { content, fileName, separator };
}
