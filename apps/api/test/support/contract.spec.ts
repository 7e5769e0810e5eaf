import type { OpenAPIObject } from '@nestjs/swagger';
import { Contract, type Exchange } from './contract';

/** A small document in the shape @nestjs/swagger writes, to show what the e2e check catches. */
const doc = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/things': {
      get: {
        operationId: 'listThings',
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
          {
            name: 'kind',
            in: 'query',
            required: false,
            style: 'form',
            explode: false,
            schema: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
          },
        ],
        responses: {
          200: {
            description: '',
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } },
          },
          401: { description: '', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } } },
        },
      },
      post: {
        operationId: 'createThing',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } } },
        responses: { 201: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
    },
    '/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: { 200: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
      delete: {
        operationId: 'deleteThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { 204: { description: '' } },
      },
    },
    '/v1/things/export': {
      get: {
        operationId: 'exportThings',
        responses: { 200: { description: '', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          note: { type: 'string', nullable: true },
          value: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
          extra: { type: 'object', additionalProperties: true },
        },
        required: ['id', 'note'],
      },
      NewThing: { type: 'object', properties: { note: { type: 'string', nullable: true } } },
      ProblemDto: {
        type: 'object',
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' } },
        required: ['type', 'title', 'status', 'code'],
      },
    },
  },
} as unknown as OpenAPIObject;

const ID = '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f';
const problem = { type: 'urn:cdp:problem:not_found', title: 'Not Found', status: 404, code: 'not_found' };
const ok = (over: Partial<Exchange>): Exchange => ({
  method: 'GET',
  target: '/v1/things',
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: [{ id: ID, note: null, value: 3 }],
  text: 'x',
  ...over,
});

describe('The contract check of e2e exchanges (apps/api/test/support/contract.ts)', () => {
  const c = new Contract(doc);

  it('passes an exchange that matches: nullable string null, a union value, an open map', () => {
    expect(c.check(ok({ body: [{ id: ID, note: null, value: true, extra: { any: [1] } }] }))).toEqual([]);
    expect(c.check(ok({ method: 'DELETE', target: `/v1/things/${ID}`, status: 204, contentType: undefined, body: {}, text: '' }))).toEqual(
      [],
    );
    expect(c.check(ok({ target: '/v1/things/export', contentType: 'text/csv; charset=utf-8', body: {}, text: 'a,b\n' }))).toEqual([]);
  });

  it('fails a status the operation does not declare, and a content type the status does not declare', () => {
    expect(c.check(ok({ status: 422, contentType: 'application/problem+json', body: problem }))).toEqual([
      expect.stringContaining('status not declared by listThings'),
    ]);
    expect(c.check(ok({ contentType: 'text/html' }))).toEqual([expect.stringContaining('content type "text/html" not declared')]);
    expect(c.check(ok({ method: 'DELETE', target: `/v1/things/${ID}`, status: 204, text: '{}' }))).toEqual([
      expect.stringContaining('a body was sent, the document declares none'),
    ]);
  });

  it('fails a body whose field has another type (a nullable string sent as an object), misses a required field, or names a field the document does not', () => {
    expect(c.check(ok({ body: [{ id: ID, note: {} }] }))).toEqual([expect.stringContaining('/0/note must be string,null')]);
    expect(c.check(ok({ body: [{ id: ID, note: null, value: {} }] }))).toEqual([expect.stringContaining('/0/value must be string')]);
    expect(c.check(ok({ body: [{ note: null }] }))).toEqual([expect.stringContaining("must have required property 'id'")]);
    expect(c.check(ok({ body: [{ id: ID, note: null, colour: 'red' }] }))).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
  });

  it('fails a request the server accepted while the document refuses it: body, query parameter, path parameter', () => {
    const post = (requestBody: unknown) => ok({ method: 'POST', status: 201, body: { id: ID, note: 'x' }, requestBody });
    expect(c.check(post({ note: null }))).toEqual([]);
    expect(c.check(post({ note: 5 }))).toEqual([expect.stringContaining('accepted a body the document refuses')]);
    expect(c.check(ok({ target: '/v1/things?limit=5&kind=a,b' }))).toEqual([]);
    expect(c.check(ok({ target: '/v1/things?kind=a&kind=b' }))).toEqual([]);
    expect(c.check(ok({ target: '/v1/things?kind=a,c' }))).toEqual([expect.stringContaining('"kind"')]);
    expect(c.check(ok({ target: '/v1/things?limit=2.5' }))).toEqual([expect.stringContaining('"limit"')]);
    expect(c.check(ok({ target: '/v1/things?colour=red' }))).toEqual([
      expect.stringContaining('query parameter "colour" the document does not declare'),
    ]);
    expect(c.check(ok({ method: 'DELETE', target: '/v1/things/nope', status: 204, contentType: undefined, text: '' }))).toEqual([
      expect.stringContaining('"id"'),
    ]);
    // A refusal is not checked against the request: bad requests are what 4xx answers are for.
    expect(c.check(ok({ status: 401, contentType: 'application/problem+json', body: problem, target: '/v1/things?colour=red' }))).toEqual(
      [],
    );
  });

  it('a /v1 path the document does not know must be a 404 problem; paths outside the API are not checked', () => {
    expect(c.check(ok({ target: '/v1/nope', status: 404, contentType: 'application/problem+json', body: problem }))).toEqual([]);
    expect(c.check(ok({ target: '/v1/nope', status: 200 }))).toEqual([expect.stringContaining('no operation in the document')]);
    expect(c.check(ok({ method: 'PUT', target: '/v1/things', status: 404, contentType: 'application/json', body: problem }))).toEqual([
      expect.stringContaining('is not a problem'),
    ]);
    expect(c.check(ok({ target: '/docs/', status: 200, contentType: 'text/html', body: {}, text: '<html>' }))).toEqual([]);
  });

  it('the literal segment wins over a parameter, as in the router', () => {
    expect(c.check(ok({ target: '/v1/things/export', contentType: 'text/csv', text: 'a' }))).toEqual([]);
  });
});
