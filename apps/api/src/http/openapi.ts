import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApi(app: INestApplication, publicBaseUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CDP — Customer Data Platform')
    .setDescription(
      'Customers from every chat channel, their activities, groups, merges, import and export. ' +
        'Errors are application/problem+json with a stable `code` (see the Problem schema). ' +
        'Mint a token with `npm run token -- --app demo --role admin`.',
    )
    .setVersion('1')
    .addServer(publicBaseUrl)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT with claims sub, app, role' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Per-app API key for POST /v1/events' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** `/openapi.json` and Swagger UI at `/docs` (served by Fastify directly, outside the auth guard). */
export function setupOpenApi(app: INestApplication, publicBaseUrl: string): void {
  const doc = buildOpenApi(app, publicBaseUrl);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml', customSiteTitle: 'CDP API' });
}
