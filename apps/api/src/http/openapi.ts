import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SEGMENT_WRITE_KEY_SCHEME } from '@cdp/activities';
import { problemResponse, type ProblemStatus } from '@cdp/platform';

type PathItemObject = OpenAPIObject['paths'][string];
type OperationObject = NonNullable<PathItemObject['get']>;
type ResponsesObject = OperationObject['responses'];

/** One tag per area of the API (README "What the API does"); every operation carries exactly one of them. */
export const API_TAGS = [
  { name: 'System', description: 'Health and this document; no credentials needed' },
  { name: 'Settings', description: "The app's customer settings, and the platform operator's plan and limits" },
  { name: 'Audit', description: 'Who imported, exported, merged, unmerged, deleted or changed settings, and when' },
  { name: 'Channels', description: 'Channel types and the channel instances of the app (CH1–CH4)' },
  { name: 'Customers', description: 'Customers, their property values and tags, and the property definitions (C1–C3, C10, C11)' },
  { name: 'Search and filter', description: 'Listing, searching, counting customers with the filter language (C4–C9, C12)' },
  { name: 'Activities', description: 'Activity types, API keys, event ingestion, timelines and conversations (A1–A4)' },
  { name: 'Import and export', description: 'CSV import with a row report, export mailed as an expiring link (IE1–IE6, X6)' },
  { name: 'Groups', description: 'Customer groups, their members and broadcast audiences (G1–G4)' },
  { name: 'Merge', description: 'Linked customers: merge, unmerge, main channel, duplicate suggestions (M1–M7)' },
  { name: 'Segment', description: 'The Segment HTTP Tracking API, for Segment and RudderStack SDKs (X11)' },
  { name: 'Webhooks', description: 'Signed outgoing webhooks: endpoints, their secrets, the delivery log and redelivery (X12)' },
  { name: 'Data rights', description: "A person's data export, erasure, and the suppressions that keep an erased person out (X10)" },
  { name: 'Analytics', description: 'Customers and activities per day, week or month, active customers, summary figures (AN1)' },
] as const;

export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

/** Methods whose body Fastify reads (DELETE included): a malformed, oversized or mistyped body is refused before the handler. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const BODY_PROBLEMS: ProblemStatus[] = [400, 413, 415];

/**
 * The OpenAPI document of the whole API (API.md "The served contract is exact"): built from the controllers'
 * decorators, then completed with what the HTTP layer does for every operation — the body problems
 * (400, 413, 415) where a body is read, 500 everywhere, `security: []` on the operations that need no
 * credential — and with `/openapi.json` itself.
 */
export function buildOpenApi(app: INestApplication, publicBaseUrl: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('CDP — Customer Data Platform')
    .setDescription(
      'Customers from every chat channel, their activities, groups, merges, import and export. ' +
        'Errors are application/problem+json with a stable `code` (see the ProblemDto schema). ' +
        'Unbounded collections are pages `{ data, nextCursor }`; pass `nextCursor` back as `cursor`. ' +
        'Mint a token with `npm run token -- --app demo --role admin`.',
    )
    .setVersion('1')
    .addServer(publicBaseUrl)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT with claims sub, app, role, exp' },
      BEARER_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'An API key of the app (POST /v1/api-keys); accepted by POST /v1/events only',
      },
      API_KEY_SCHEME,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description: 'Segment-compatible paths: an API key bound to a channel as the user name, an empty password (the write key)',
      },
      SEGMENT_WRITE_KEY_SCHEME,
    );
  for (const tag of API_TAGS) builder.addTag(tag.name, tag.description);
  return completeDocument(SwaggerModule.createDocument(app, builder.build()));
}

function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  // A license object needs only a name; the code is not published under an open licence.
  doc.info.license = { name: 'Proprietary' };
  doc.paths['/openapi.json'] = OPENAPI_PATH;
  for (const [, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = (item as PathItemObject)[method];
      if (!op) continue;
      const statuses: ProblemStatus[] = BODY_METHODS.has(method) ? [...BODY_PROBLEMS, 500] : [500];
      for (const status of statuses) op.responses[status] ??= problemResponse(status);
      op.responses = sortResponses(op.responses);
      commaLists(op);
      // No declared scheme means no credential: say so, rather than leave clients to guess.
      op.security ??= [];
    }
  }
  return doc;
}

/**
 * API.md writes list parameters comma-separated (`?channelId=a,b`): that is `style: form, explode: false`.
 * The server also takes them repeated (`?channelId=a&channelId=b`), as some clients send them.
 */
function commaLists(op: OperationObject): void {
  for (const p of op.parameters ?? []) {
    if ('in' in p && p.in === 'query' && p.schema && 'type' in p.schema && p.schema.type === 'array') {
      p.style = 'form';
      p.explode = false;
    }
  }
}

const sortResponses = (r: ResponsesObject): ResponsesObject =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))) as ResponsesObject;

/** `/openapi.json` is served by the Swagger module outside the controllers; it is part of the contract too. */
const OPENAPI_PATH: PathItemObject = {
  get: {
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document (no credentials needed)',
    tags: ['System'],
    security: [],
    responses: {
      200: {
        description: 'The OpenAPI 3.0 document of the API',
        content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
      },
    },
  } satisfies OperationObject,
};

/** `/openapi.json` and Swagger UI at `/docs` (served by Fastify directly, outside the auth guard). */
export function setupOpenApi(app: INestApplication, publicBaseUrl: string): void {
  const doc = buildOpenApi(app, publicBaseUrl);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml', customSiteTitle: 'CDP API' });
}
