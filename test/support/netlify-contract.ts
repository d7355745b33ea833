// Netlify's published contract, read from its own OpenAPI (Swagger 2.0) document, the npm package @netlify/open-api
// (pinned in devDependencies): every request the adapter sends and every answer the sandbox returns is checked against
// the operation it names. A field the document does not know, a wrong type or a missing required field is a problem.
import http from 'node:http';
import { createRequire } from 'node:module';

type Schema = Record<string, any>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header' | 'formData';
  type?: string;
  enum?: unknown[];
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  consumes?: string[];
  responses: Record<string, { schema?: Schema }>;
}
interface SwaggerDoc {
  swagger: string;
  basePath: string;
  paths: Record<string, Record<string, Operation | Parameter[]>>;
  definitions: Record<string, Schema>;
}

const doc = createRequire(import.meta.url)('@netlify/open-api/dist/swagger.json') as SwaggerDoc;
export const NETLIFY_OPEN_API_VERSION = (createRequire(import.meta.url)('@netlify/open-api/package.json') as { version: string }).version;

/**
 * The deliberate exceptions, each with its reason. Anything else the document does not say is a problem.
 *  - `null` for a field that is not required: Swagger 2.0 cannot say "nullable", Netlify's answers carry nulls for
 *    unset fields (build_id, error_message, published_at...), and its Go client (go-swagger) reads null as absent.
 *  - `default_domain` on a site: Netlify's answers carry it (the name the `www` CNAME points at) though the document's
 *    `site` definition omits it; the adapter reads it and falls back to `<name>.netlify.app` without it.
 *  - a 422 whose body is `{"errors": {field: [messages]}}`: how Netlify refuses a site's attributes (a taken name),
 *    unlike the document's `error` definition (netlify/open-api#377).
 */
export const DELIBERATE_EXCEPTIONS = [
  'null for a field that is not required',
  'site.default_domain',
  '422 {"errors": {...}} for site attributes (netlify/open-api#377)',
] as const;
const EXTRA_FIELDS: Record<string, string[]> = { site: ['default_domain'] };

export interface Exchange {
  method: string;
  /** under /api/v1 */
  path: string;
  query: URLSearchParams;
  requestType?: string;
  requestBody: Buffer;
  status: number;
  responseType?: string;
  responseBody: Buffer;
}

/** The operation a request names: the document's path templates, literal segments before parameters. */
export function operationOf(method: string, path: string): { template: string; op: Operation; pathParams: Parameter[] } | undefined {
  const candidates = Object.keys(doc.paths)
    .map((template) => ({ template, re: templateRegex(template), params: (template.match(/\{/g) ?? []).length }))
    .filter((c) => c.re.test(path))
    .sort((a, b) => a.params - b.params);
  for (const c of candidates) {
    const item = doc.paths[c.template]!;
    const op = item[method.toLowerCase()] as Operation | undefined;
    if (op) return { template: c.template, op, pathParams: (item.parameters as Parameter[] | undefined) ?? [] };
  }
  return undefined;
}

function templateRegex(template: string): RegExp {
  const body = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part === '{path}' ? '.+' : part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** What is wrong with one exchange, request and answer, by the document; empty when nothing is. */
export function contractProblems(x: Exchange): string[] {
  const where = `${x.method} ${x.path}`;
  const found = operationOf(x.method, x.path);
  if (!found) return [`${where}: no such operation in @netlify/open-api ${NETLIFY_OPEN_API_VERSION}`];
  const { op } = found;
  const params = [...found.pathParams, ...(op.parameters ?? [])];
  const problems: string[] = [];
  const at = `${where} (${op.operationId})`;
  // the request: its query parameters, its body
  for (const [name, value] of x.query) {
    const p = params.find((q) => q.in === 'query' && q.name === name);
    if (!p) problems.push(`${at}: query parameter "${name}" is not in the document`);
    else problems.push(...scalarProblems(value, p, `${at}: query ${name}`));
  }
  for (const p of params.filter((q) => q.in === 'query' && q.required)) if (!x.query.has(p.name)) problems.push(`${at}: query ${p.name} is required`);
  const body = params.find((q) => q.in === 'body');
  if (x.requestBody.length > 0 && !body) problems.push(`${at}: a request body, where the document takes none`);
  if (body?.required && x.requestBody.length === 0) problems.push(`${at}: the request body is required`);
  if (body?.schema && x.requestBody.length > 0) {
    if (body.schema.type === 'string' && body.schema.format === 'binary') {
      const consumes = op.consumes ?? [];
      if (consumes.length && !consumes.some((c) => x.requestType?.startsWith(c)))
        problems.push(`${at}: request content-type ${x.requestType} not in ${consumes}`);
    } else if (!x.requestType?.startsWith('application/json')) problems.push(`${at}: request content-type ${x.requestType}, JSON expected`);
    else problems.push(...schemaProblems(JSON.parse(x.requestBody.toString('utf8')), body.schema, `${at} request`));
  }
  // the answer: the schema of its status, else the default (error) one
  const declared = op.responses[String(x.status)];
  const schema = declared?.schema ?? (x.status >= 400 || !declared ? op.responses.default?.schema : undefined);
  if (!declared && x.status < 400) problems.push(`${at}: status ${x.status} is not among the answers the document lists (${Object.keys(op.responses)})`);
  if (x.status === 204 || !schema) {
    if (x.status === 204 && x.responseBody.length > 0) problems.push(`${at}: a 204 with a body`);
    return problems;
  }
  if (!x.responseType?.startsWith('application/json')) return [...problems, `${at}: answer content-type ${x.responseType}, JSON expected`];
  const value = JSON.parse(x.responseBody.toString('utf8')) as unknown;
  if (x.status === 422 && isFieldErrors(value)) return problems;
  problems.push(...schemaProblems(value, schema, `${at} answer ${x.status}`));
  return problems;
}

const isFieldErrors = (v: unknown) => !!v && typeof v === 'object' && Object.keys(v).length === 1 && typeof (v as { errors?: unknown }).errors === 'object';

function scalarProblems(value: string, p: Parameter, at: string): string[] {
  if (p.enum && !p.enum.includes(value)) return [`${at}: "${value}" not in ${JSON.stringify(p.enum)}`];
  if (p.type === 'integer' && !/^-?\d+$/.test(value)) return [`${at}: "${value}" is not an integer`];
  if (p.type === 'boolean' && !['true', 'false'].includes(value)) return [`${at}: "${value}" is not a boolean`];
  return [];
}

/** The bundled document inlines its definitions: a schema is known by its content as well as by its $ref. */
const definitionNames = new Map(Object.entries(doc.definitions).map(([name, d]) => [JSON.stringify(d), name]));

function resolve(schema: Schema): { schema: Schema; name?: string } {
  const ref = schema.$ref as string | undefined;
  if (!ref) return { schema, name: definitionNames.get(JSON.stringify(schema)) };
  const name = ref.replace('#/definitions/', '');
  const target = doc.definitions[name];
  if (!target) throw new Error(`unresolved ${ref}`);
  return { schema: target, name };
}

/** allOf's parts merged into one object schema (the document uses it for siteSetup). */
function merged(schema: Schema): Schema {
  if (!schema.allOf) return schema;
  const parts = (schema.allOf as Schema[]).map((s) => merged(resolve(s).schema));
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/** A value against a schema: types, required fields, enums, formats, and no field the document does not know. */
export function schemaProblems(value: unknown, raw: Schema, at: string, name?: string): string[] {
  const resolved = resolve(raw);
  const schema = merged(resolved.schema);
  const definition = resolved.name ?? name;
  const type = schema.type as string | undefined;
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [`${at}: ${JSON.stringify(value)} is not a string`];
      if (schema.format === 'dateTime' || schema.format === 'date-time') return Number.isNaN(Date.parse(value)) ? [`${at}: "${value}" is not a date-time`] : [];
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: ${JSON.stringify(value)} is not an array`];
      return value.flatMap((v, i) => (schema.items ? schemaProblems(v, schema.items, `${at}[${i}]`) : []));
  }
  if (type === 'object' || schema.properties || schema.additionalProperties) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${at}: ${JSON.stringify(value)} is not an object`];
    const problems: string[] = [];
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    for (const r of required) if (!(r in value)) problems.push(`${at}: required field "${r}" is missing`);
    for (const [k, v] of Object.entries(value)) {
      const prop = props[k];
      if (prop) {
        if (v === null && !required.includes(k)) continue;
        problems.push(...schemaProblems(v, prop, `${at}.${k}`, k));
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        problems.push(...schemaProblems(v, schema.additionalProperties, `${at}.${k}`));
      } else if (schema.properties && !(definition && EXTRA_FIELDS[definition]?.includes(k))) {
        // an object the document describes field by field is closed; `{type: object}` alone (a hash) is open
        problems.push(`${at}: field "${k}" is not in the document`);
      }
    }
    return problems;
  }
  return [];
}

/**
 * A recording proxy on loopback between the adapter and the sandbox API: each exchange is kept whole, so the test
 * checks what really crossed the wire.
 */
export async function recordingProxy(target: string): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const requestBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', target);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
      string,
      string
    >;
    try {
      const answer = await fetch(url, { method: req.method, headers, body: requestBody.length ? requestBody : undefined });
      const responseBody = Buffer.from(await answer.arrayBuffer());
      if (url.pathname.startsWith('/api/v1/')) {
        exchanges.push({
          method: req.method ?? 'GET',
          path: url.pathname.slice('/api/v1'.length),
          query: url.searchParams,
          requestType: req.headers['content-type'],
          requestBody,
          status: answer.status,
          responseType: answer.headers.get('content-type') ?? undefined,
          responseBody,
        });
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) out[k] = v;
      });
      res.writeHead(answer.status, out).end(responseBody);
    } catch (err) {
      res.writeHead(502).end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, exchanges, close: () => new Promise((r) => server.close(() => r())) };
}
