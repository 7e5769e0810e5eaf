import Ajv, { _, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { version as AJV_VERSION } from 'ajv/package.json';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The served OpenAPI document as a checker of real exchanges (API.md "The served contract is exact").
 *
 * Every response the e2e specs receive through `t.http()` is checked: its status must be declared by the
 * operation, its content type must be one the status declares, and its body must match that schema. Object
 * schemas are read as closed (`additionalProperties: false` unless the document says otherwise), so a field
 * the server sends but the document does not name is a failure too. When the server accepted a request (2xx),
 * the request itself must have been valid by the document (its JSON body, query and path parameters): a
 * document stricter than the server would make generated clients refuse what the server takes.
 *
 * Paths outside the API (`/docs`, the console) are not checked; a `/v1` path the document does not know
 * must be answered 404 with a problem.
 *
 * Cost: every schema of the document is compiled once per run, by the first test file that needs it, into
 * one module of validators kept in node_modules/.cache by the document's hash; the other files (and the
 * other pass) load that module instead of compiling again.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: unknown };
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  explode?: boolean;
}

/** What the checker needs of an exchange. */
export interface Exchange {
  method: string;
  /** The request target as sent: path and query string. */
  target: string;
  /** The JSON body sent, when the request had one. */
  requestBody?: unknown;
  status: number;
  contentType: string | undefined;
  /** Parsed JSON for JSON responses, the text otherwise. */
  body: unknown;
  text: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
/** JSON Schema keywords kept from an OpenAPI 3.0 schema object; the others (example, xml, …) are documentation. */
const KEPT = new Set([
  'type',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'required',
  'minProperties',
  'maxProperties',
]);
const REF = '#/components/schemas/';
const ROOT_ID = 'cdp-openapi';
const PROBLEM: Schema = { $ref: `${REF}ProblemDto` };

/** An OpenAPI 3.0 schema object as draft-07 JSON Schema, objects closed unless they say otherwise. */
export function toJsonSchema(s: Schema): Schema {
  if (typeof s.$ref === 'string') {
    if (!s.$ref.startsWith(REF)) throw new Error(`Unsupported $ref ${s.$ref}`);
    return { $ref: `${ROOT_ID}#/definitions/${s.$ref.slice(REF.length)}` };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) if (KEPT.has(k)) out[k] = v;
  // OpenAPI 3.0 exclusive bounds are booleans beside minimum/maximum.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (s[flag] === true) {
      out[flag] = s[bound];
      delete out[bound];
    }
  }
  if (s.items) out.items = toJsonSchema(s.items as Schema);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) out[k] = (s[k] as Schema[]).map(toJsonSchema);
  if (s.not) out.not = toJsonSchema(s.not as Schema);
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, toJsonSchema(v)]));
  }
  if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
    out.additionalProperties = toJsonSchema(s.additionalProperties as Schema);
  } else if (s.additionalProperties !== undefined) {
    out.additionalProperties = s.additionalProperties;
  } else if (s.properties && !s.allOf && !s.anyOf && !s.oneOf) {
    out.additionalProperties = false;
  }
  if (s.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

/** Path templates matched like the router: a literal segment wins over a `{param}`. */
function compileTemplates(paths: string[]): { template: string; re: RegExp; names: string[]; rank: number[] }[] {
  return paths
    .map((template) => {
      const names: string[] = [];
      const segments = template.split('/');
      const re = segments.map((seg) =>
        seg.replace(/\{([^}]+)\}|[^{]+/g, (m, name?: string) => {
          if (name) {
            names.push(name);
            return '([^/]+)';
          }
          return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }),
      );
      return { template, re: new RegExp(`^${re.join('/')}$`), names, rank: segments.map((s) => (s.includes('{') ? 1 : 0)) };
    })
    .sort((a, b) => {
      for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
      return 0;
    });
}

const mediaType = (ct: string | undefined) => (ct ?? '').split(';')[0].trim().toLowerCase();
const isJson = (mt: string) => mt === 'application/json' || mt.endsWith('+json');
const inScope = (path: string) => path === '/health' || path === '/openapi.json' || path === '/v1' || path.startsWith('/v1/');

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

export class Contract {
  private readonly ajv: Ajv;
  private readonly templates: ReturnType<typeof compileTemplates>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly bySchema = new WeakMap<Schema, ValidateFunction>();

  constructor(
    private readonly doc: OpenAPIObject,
    opts: { source?: boolean } = {},
  ) {
    this.ajv = newAjv(opts.source ?? false);
    const definitions = Object.fromEntries(
      Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [name, toJsonSchema(s as Schema)]),
    );
    this.ajv.addSchema({ $id: ROOT_ID, definitions });
    this.templates = compileTemplates(Object.keys(doc.paths));
  }

  /** Validators compiled elsewhere (the run's shared module), by schema key. */
  adopt(validators: Map<string, ValidateFunction>): void {
    for (const [key, v] of validators) this.compiled.set(key, v);
  }

  /** Every schema the checks can need: responses, JSON request bodies, parameters, the problem of unknown routes. */
  schemas(): Schema[] {
    const out: Schema[] = [PROBLEM];
    for (const item of Object.values(this.doc.paths) as Record<string, Operation>[]) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        for (const r of Object.values(op.responses)) for (const m of Object.values(r.content ?? {})) if (m.schema) out.push(m.schema);
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body) out.push(body);
        for (const p of op.parameters ?? []) if (p.schema) out.push(p.schema);
      }
    }
    return out;
  }

  /** A CommonJS module exporting a validator per schema key (ajv's standalone code). */
  standalone(): { code: string; ids: Record<string, string> } {
    const ids: Record<string, string> = {};
    for (const schema of this.schemas()) {
      const json = toJsonSchema(schema);
      const key = JSON.stringify(json);
      if (ids[key]) continue;
      ids[key] = `v${createHash('sha1').update(key).digest('hex')}`;
      this.ajv.addSchema({ $id: ids[key], allOf: [json] });
    }
    const code = standaloneCode(this.ajv, Object.fromEntries(Object.values(ids).map((id) => [id, id])));
    return { code, ids };
  }

  /** The problems of one exchange, empty when it matches the document. */
  check(x: Exchange): string[] {
    const url = new URL(x.target, 'http://contract.invalid');
    const path = url.pathname;
    if (!inScope(path)) return [];
    const method = x.method.toLowerCase();
    const found = this.find(method, path);
    const where = `${x.method} ${path} → ${x.status}`;
    if (!found) {
      // Unknown routes (and methods) are 404 problems (API.md "Errors").
      if (x.status !== 404) return [`${where}: no operation in the document, yet not answered 404`];
      return this.checkBody(where, PROBLEM, x).concat(
        mediaType(x.contentType) === 'application/problem+json' ? [] : [`${where}: content type ${x.contentType} is not a problem`],
      );
    }
    const { op, params } = found;
    const problems: string[] = [];
    const declared = op.responses[String(x.status)] ?? op.responses[`${String(x.status)[0]}XX`] ?? op.responses.default;
    if (!declared) return [`${where}: status not declared by ${op.operationId} (declares ${Object.keys(op.responses).join(', ')})`];
    const mt = mediaType(x.contentType);
    const content = declared.content ?? {};
    if (Object.keys(content).length === 0) {
      if (x.text.length > 0) problems.push(`${where}: a body was sent, the document declares none`);
    } else if (!content[mt]) {
      problems.push(`${where}: content type "${mt || '(none)'}" not declared (declares ${Object.keys(content).join(', ')})`);
    } else if (content[mt].schema) {
      const body = isJson(mt) ? x.body : x.text;
      problems.push(...this.checkBody(where, content[mt].schema!, { ...x, body }));
    }
    if (x.status >= 200 && x.status < 300) problems.push(...this.checkRequest(where, op, params, url, x));
    return problems;
  }

  private find(method: string, path: string): { op: Operation; params: Record<string, string> } | undefined {
    for (const t of this.templates) {
      const m = t.re.exec(path);
      if (!m) continue;
      const item = this.doc.paths[t.template] as Record<string, Operation>;
      const op = METHODS.includes(method as (typeof METHODS)[number]) ? item[method] : undefined;
      if (!op) continue;
      const params = Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      return { op, params };
    }
    return undefined;
  }

  /** One compiled validator per distinct schema (most are a `$ref` shared by many operations), found by identity first. */
  private validator(schema: Schema): ValidateFunction {
    let v = this.bySchema.get(schema);
    if (v) return v;
    const json = toJsonSchema(schema);
    const key = JSON.stringify(json);
    v = this.compiled.get(key) ?? this.ajv.compile(json);
    this.compiled.set(key, v);
    this.bySchema.set(schema, v);
    return v;
  }

  private checkBody(where: string, schema: Schema, x: { body: unknown }): string[] {
    const v = this.validator(schema);
    return v(x.body) ? [] : [`${where}: body does not match the document: ${describe(v.errors)}`];
  }

  /** A request the server accepted must be one the document allows. */
  private checkRequest(where: string, op: Operation, pathParams: Record<string, string>, url: URL, x: Exchange): string[] {
    const problems: string[] = [];
    const params = op.parameters ?? [];
    for (const p of params.filter((q) => q.in === 'path')) {
      problems.push(...this.checkParam(where, op, p, [pathParams[p.name]]));
    }
    const sent = new Set(url.searchParams.keys());
    for (const name of sent) {
      const p = params.find((q) => q.in === 'query' && q.name === name);
      if (!p) problems.push(`${where}: accepted the query parameter "${name}" the document does not declare`);
      else problems.push(...this.checkParam(where, op, p, url.searchParams.getAll(name)));
    }
    for (const p of params) {
      if (p.in === 'query' && p.required && !sent.has(p.name)) problems.push(`${where}: accepted without the required "${p.name}"`);
    }
    const json = op.requestBody?.content?.['application/json']?.schema;
    // A batch answered with a `rejected` list took the envelope only; its bad items are reported, not accepted.
    const partial =
      Array.isArray((x.body as { rejected?: unknown } | null)?.rejected) && (x.body as { rejected: unknown[] }).rejected.length > 0;
    if (json && x.requestBody !== undefined && !partial) {
      const v = this.validator(json);
      if (!v(x.requestBody)) problems.push(`${where}: accepted a body the document refuses: ${describe(v.errors)}`);
    }
    return problems;
  }

  private checkParam(where: string, op: Operation, p: Parameter, raw: string[]): string[] {
    const schema = p.schema ?? {};
    // `explode: false` lists are comma-separated; the server takes them repeated as well.
    const items = p.explode === false ? raw.flatMap((r) => r.split(',')) : raw;
    const value =
      schema.type === 'array' ? items.map((r) => coerce((schema.items ?? {}) as Schema, r)) : coerce(schema, raw[raw.length - 1]);
    const v = this.validator(schema);
    return v(value)
      ? []
      : [`${where}: accepted ${p.in} parameter "${p.name}"=${JSON.stringify(raw)} the document refuses: ${describe(v.errors)}`];
  }
}

/** A query or path string read as the parameter's type (`5` → 5, `true` → true), as a generated client writes it. */
function coerce(schema: Schema, raw: string): Json {
  if ((schema.type === 'integer' || schema.type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

const AJV_OPTIONS = { allErrors: true, strict: true, strictTypes: false, strictTuples: false, validateSchema: false } as const;

function newAjv(source: boolean): Ajv {
  // The document itself is linted (npm run api:lint): no meta-schema check here. Standalone code refers
  // to the formats by module, as ajv-formats documents for it.
  const ajv = new Ajv({
    ...AJV_OPTIONS,
    code: source ? { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } : undefined,
  });
  addFormats(ajv);
  return ajv;
}

const cache = new Map<string, Contract>();
// Beside the other tools' caches in node_modules/.cache (per checkout, not shared with other users).
const CACHE_DIR = join(dirname(require.resolve('ajv/package.json')), '..', '.cache', 'cdp-openapi-contract');

/** The run's shared validators for a document: loaded when compiled before, else compiled now and kept. */
function sharedValidators(docJson: string, hash: string): Map<string, ValidateFunction> {
  const file = join(CACHE_DIR, `${hash}.json`);
  let stored: { code: string; ids: Record<string, string> };
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  } catch {
    stored = new Contract(JSON.parse(docJson) as OpenAPIObject, { source: true }).standalone();
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written whole then renamed, so a file running beside this one never reads half of it.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(stored));
    renameSync(partial, file);
  }
  const mod: { exports: Record<string, ValidateFunction> } = { exports: {} };
  new Function('require', 'module', 'exports', stored.code)(require, mod, mod.exports);
  return new Map(Object.entries(stored.ids).map(([key, id]) => [key, mod.exports[id]]));
}

// The cache of compiled validators holds for one document and one version of ajv.
/** One checker per document and process; its validators are compiled once per run (see the top of this file). */
export function contractFor(docJson: string): Contract {
  const hash = createHash('sha256').update(docJson).update(AJV_VERSION).update(JSON.stringify(AJV_OPTIONS)).digest('hex');
  let c = cache.get(hash);
  if (!c) {
    c = new Contract(JSON.parse(docJson) as OpenAPIObject);
    c.adopt(sharedValidators(docJson, hash));
    cache.set(hash, c);
  }
  return c;
}
