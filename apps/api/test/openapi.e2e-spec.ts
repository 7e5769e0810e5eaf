import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { documentWithoutServer } from '../src/cli/openapi';
import { API_TAGS } from '../src/http/openapi';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

type Schema = Record<string, unknown>;
interface Op {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown; examples?: unknown }> };
  responses: Record<string, unknown>;
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations(doc: OpenAPIObject): { method: string; path: string; op: Op }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((method) => ({
      method,
      path,
      op: (item as Record<string, Op>)[method],
    })),
  );
}

/** Every schema object of the document, with where it is. */
function* schemas(node: unknown, at: string): Generator<[string, Schema]> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* schemas(n, `${at}[${i}]`);
    return;
  }
  const s = node as Schema;
  if ('type' in s || 'oneOf' in s || 'allOf' in s || '$ref' in s || 'nullable' in s) yield [at, s];
  for (const [k, v] of Object.entries(s)) if (k !== 'example' && k !== 'examples') yield* schemas(v, `${at}.${k}`);
}

describe('The served OpenAPI document (API.md "The served contract is exact")', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/openapi.json')).body as OpenAPIObject;
  });
  afterAll(() => t.close());

  it('operation ids are readable verbNoun names, unique, never the framework default; API.md names three', () => {
    const ops = operations(doc);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(?:[A-Z][a-z0-9]*)+$/);
    const at = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)?.op.operationId;
    expect(at('get', '/v1/customers')).toBe('listCustomers');
    expect(at('post', '/v1/customers/search')).toBe('searchCustomers');
    expect(at('post', '/v1/customers/{id}/merge')).toBe('mergeCustomers');
  });

  it('every operation has a summary and exactly one tag, one of the areas the document declares', () => {
    const declared = (doc.tags ?? []).map((tag) => tag.name);
    expect(declared).toEqual(API_TAGS.map((tag) => tag.name));
    for (const { op } of operations(doc)) {
      expect({ id: op.operationId, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({
        id: op.operationId,
        summary: true,
      });
      expect(op.tags).toHaveLength(1);
      expect(declared).toContain(op.tags![0]);
    }
    const used = new Set(operations(doc).map((o) => o.op.tags![0]));
    expect([...used].sort()).toEqual([...declared].sort());
  });

  it('public operations say security: []; event ingestion takes the API key or a bearer token; the Segment paths (X11) the write key; the rest a bearer token', () => {
    const ops = operations(doc);
    const publicIds = ops.filter((o) => o.op.security?.length === 0).map((o) => o.op.operationId);
    expect(publicIds.sort()).toEqual(['downloadExport', 'getHealth', 'getOpenApiDocument']);
    for (const { op } of ops) {
      if (publicIds.includes(op.operationId)) continue;
      const expected =
        op.operationId === 'ingestEvents'
          ? [{ 'api-key': [] }, { bearer: [] }]
          : op.tags?.[0] === 'Segment'
            ? [{ 'segment-write-key': [] }]
            : [{ bearer: [] }];
      expect({ id: op.operationId, security: op.security }).toEqual({ id: op.operationId, security: expected });
    }
    expect(doc.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      'api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
      'segment-write-key': expect.objectContaining({ type: 'http', scheme: 'basic' }),
    });
    // X11: the Segment-compatible paths, each with the write key (Basic auth) and nothing else.
    const segment = ops.filter((o) => o.op.tags?.[0] === 'Segment').map((o) => `${o.method} ${o.path}`);
    expect(segment.sort()).toEqual(['batch', 'identify', 'track', 'page', 'screen', 'group', 'alias'].map((p) => `post /v1/${p}`).sort());
  });

  it('every operation declares the problems of the HTTP layer and of authentication', () => {
    for (const { method, op } of operations(doc)) {
      const statuses = Object.keys(op.responses);
      const want = ['500'];
      if (method !== 'get') want.push('400', '413', '415');
      if (op.security?.length) want.push('401', '403');
      expect({ id: op.operationId, missing: want.filter((s) => !statuses.includes(s)) }).toEqual({ id: op.operationId, missing: [] });
      expect({ id: op.operationId, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ id: op.operationId, success: true });
    }
  });

  it('no schema is an untyped object: every field says its type, nullable fields beside a type', () => {
    const loose: string[] = [];
    for (const [at, s] of schemas(doc, '#')) {
      if (s.type === 'object' && !s.properties && s.additionalProperties === undefined) loose.push(at);
      if (s.nullable === true && typeof s.type !== 'string') loose.push(`${at} (nullable without a type)`);
      if (s.type === undefined && !s.$ref && !s.oneOf && !s.allOf && !s.anyOf && at.includes('.properties.')) loose.push(`${at} (no type)`);
    }
    expect(loose).toEqual([]);
    const props = (name: string) => (doc.components!.schemas![name] as { properties: Record<string, Schema> }).properties;
    for (const dto of ['CreateCustomerDto', 'UpdateCustomerDto']) {
      expect(props(dto).email).toMatchObject({ type: 'string', nullable: true });
      expect(props(dto).phoneNumber).toMatchObject({ type: 'string', nullable: true });
    }
    expect(props('GroupDto').description).toMatchObject({ type: 'string', nullable: true });
    expect(props('ProfileValueDto').value).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] });
    expect(props('ConversationDto').notes).toMatchObject({
      oneOf: [{ type: 'string', nullable: true }, { type: 'object' }, { type: 'array' }],
    });
  });

  it('the main request bodies carry an example', () => {
    const ops = operations(doc);
    for (const id of ['createCustomer', 'searchCustomers', 'mergeCustomers', 'ingestEvents', 'createGroup']) {
      const media = ops.find((o) => o.op.operationId === id)!.op.requestBody!.content['application/json'];
      expect({ id, example: media.example !== undefined || media.examples !== undefined }).toEqual({ id, example: true });
    }
  });

  it('the document written without a server (npm run api:lint) is the served one, and opens no data folder', async () => {
    expect(await documentWithoutServer(t.env)).toEqual(doc);
    // It never takes the embedded database of DATA_DIR (a running server's, or a test's cleaned up later).
    expect(existsSync(join(t.env.DATA_DIR, 'pglite'))).toBe(false);
    expect(existsSync(join(t.env.DATA_DIR, 'pglite.lock'))).toBe(false);
  });

  describe('security as the server applies it', () => {
    const appId = newAppId();
    const concrete = (path: string) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'key' ? 'city' : name === 'appId' ? appId : randomUUID()));

    it('without credentials: 401 exactly where the document asks for one; public operations answer', async () => {
      for (const { method, path, op } of operations(doc)) {
        const r = await t.http()[method as (typeof METHODS)[number]](concrete(path));
        const needs = (op.security ?? []).length > 0;
        expect({ id: op.operationId, unauthorized: r.status === 401 }).toEqual({ id: op.operationId, unauthorized: needs });
      }
    });

    it('an API key alone is accepted by ingestEvents and refused (401) by every other operation', async () => {
      const key = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'Contract test' });
      expect(key.status).toBe(201);
      for (const { method, path, op } of operations(doc)) {
        if (!op.security?.length) continue;
        const req = t.http()[method as (typeof METHODS)[number]](concrete(path)).set('X-Api-Key', key.body.key);
        const r = op.operationId === 'ingestEvents' ? await req.send({ events: [] }) : await req;
        const allowed = op.security.some((s) => 'api-key' in s);
        expect({ id: op.operationId, status: allowed ? r.status : r.status === 401 }).toEqual({
          id: op.operationId,
          status: allowed ? 200 : true,
        });
      }
    });
  });
});
