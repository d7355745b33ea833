// The Fastify application: plugins, the error handler that turns typed errors into {code, message}, and the routes by audience.
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifySchema } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Deps } from '../deps.ts';
import { AppError, ProviderError } from '../errors.ts';
import { isErrorCode, type ErrorCode } from '../error-codes.ts';
import { errorMessage } from './error-messages.ts';
import type { Locale } from '../domain/locale.ts';
import { pickLocale } from './locale.ts';
import { publicRoutes } from './routes/public.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { adminRoutes } from './routes/admin.ts';
import { notFoundPage, pageRoutes, wantsPage } from './routes/pages.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { liveRoutes } from './routes/live.ts';
import { demoRoutes } from './routes/demo.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { siteRoutes } from './routes/sites.ts';
import { satisfactionRoutes } from './routes/satisfaction.ts';
import { renewalRoutes } from './routes/renewals.ts';
import { adminRenewalRoutes } from './routes/admin-renewals.ts';
import { accountRoutes } from './routes/account.ts';
import { ACCOUNT_COOKIE } from '../account/sessions.ts';
import { legalRoutes } from './routes/legal.ts';
import type { OrderEvents } from './live.ts';
import { Admission } from './admission.ts';
import { SESSION_COOKIE } from './admin-auth.ts';
import { postgresRateLimitStore } from './rate-limits.ts';
import type { SandboxWorld } from '../sandbox/world.ts';
import type { AdminActor } from '../monitoring/operations.ts';
import { routes } from '../contract/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the line a costly public route's requests wait in (src/http/admission.ts) */
    admission?: 'check' | 'order';
  }
}

export interface AppOptions {
  deps: Deps;
  /** requests per minute per client on public endpoints */
  rateLimitPerMinute?: number;
  /** admin token actually in force (configured, or generated for development) */
  adminToken: string;
  /** live order notifications (LISTEN/NOTIFY) for the SSE streams */
  events: OrderEvents;
  /** the sandbox world, when it runs (the demo endpoint needs it) */
  sandbox?: SandboxWorld;
  logger?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    /** how the admin came in (set by requireAdmin; null elsewhere): the audit log's actor */
    adminActor: AdminActor | null;
  }
  interface FastifyInstance {
    /** every route the app serves, as "METHOD /url" (HEAD twins left out): the security corpus must cover each one */
    routeList: string[];
    /** each of those routes' schema, as registered: every one must declare its answers (test/integration/contract.test.ts) */
    routeSchemas: Map<string, FastifySchema | undefined>;
  }
}

interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** Fields whose every refusal means one thing, said by its own code (a missing or false acceptTerms: the terms not accepted; confirm: an erasure not confirmed). */
const FIELD_CODES: Partial<Record<string, ErrorCode>> = { acceptTerms: 'terms_not_accepted', confirm: 'erasure_not_confirmed' };

function fieldProblems(err: FastifyError, locale: Locale): FieldProblem[] {
  // fastify-type-provider-zod puts the zod issue's code in `keyword` and the rest of it in `params`
  const issues = (err.validation ?? []) as unknown as {
    keyword?: string;
    instancePath?: string;
    message?: string;
    params?: {
      format?: string;
      minimum?: number | bigint;
      maximum?: number | bigint;
      origin?: string;
      input?: unknown;
      expected?: string;
      params?: { code?: unknown };
    };
  }[];
  return issues.map((v) => {
    const p = v.params ?? {};
    const field = (v.instancePath ?? '').split('/').filter(Boolean).join('.') || '(body)';
    // a refinement that names its own code (src/contract/holder.ts)
    const named = p.params?.code;
    if (v.keyword === 'custom' && isErrorCode(named)) return { field, code: named, message: errorMessage(named, locale) };
    const own = FIELD_CODES[field];
    if (own) return { field, code: own, message: errorMessage(own, locale) };
    // a number out of its range says which bound (a page's limit of 5,000: "at most 100")
    if (p.origin === 'number' && (v.keyword === 'too_big' || v.keyword === 'too_small')) {
      const [code, params]: [ErrorCode, Record<string, unknown>] =
        v.keyword === 'too_big' ? ['number_too_large', { max: Number(p.maximum) }] : ['number_too_small', { min: Number(p.minimum) }];
      return { field, code, message: errorMessage(code, locale, params) };
    }
    let code: ErrorCode = 'field_invalid';
    if (v.keyword === 'invalid_format' && p.format === 'email') code = 'email_invalid';
    else if (v.keyword === 'too_big') code = 'field_too_long';
    else if (v.keyword === 'too_small' && p.origin === 'string' && Number(p.minimum) === 1) code = 'field_required';
    else if (v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '')) code = 'field_required';
    return { field, code, message: errorMessage(code, locale) };
  });
}

/** For answers sent before the hooks ran (helmet's among them): no framing, no sniffing, no active content. */
const BASE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Answers a request Node's HTTP parser refused, before Fastify saw it, in our {code, message} shape with the basic security headers. */
function refuseMalformedRequest(err: Error & { code?: string }, socket: import('node:stream').Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code = status === 431 ? 'request_too_large' : 'invalid_request';
  // the headers were not parsed, but the bytes read so far may say which language the browser wants
  const raw = (err as { rawPacket?: Buffer }).rawPacket?.toString('latin1') ?? '';
  const locale = pickLocale(undefined, /\naccept-language:[ \t]*([^\r\n]*)/i.exec(raw)?.[1]);
  const body = JSON.stringify({ code, message: errorMessage(code, locale) });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${Object.entries(BASE_SECURITY_HEADERS)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** PostgreSQL is down or restarting: the connection was refused or cut, or the server is shutting down or starting. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (/^(08|57P0)/.test(e.code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e?.message ?? '');
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { deps } = opts;
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    trustProxy: false,
    // a request Node's parser refuses (headers or URL over 16 KB, a malformed request line) is answered {code, message}
    // with the basic security headers, like every other refusal
    clientErrorHandler: refuseMalformedRequest,
    // the router's own refusals (a path parameter over 100 characters, a URL that does not decode) skip the hooks: they
    // are answered here in our shape, with the security headers, never echoing the path
    frameworkErrors: (err, req, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const code = tooLong ? 'request_too_large' : 'invalid_request';
      const answer = reply as unknown as import('fastify').FastifyReply;
      void answer
        .code(tooLong ? 414 : 400)
        .headers(BASE_SECURITY_HEADERS)
        .send({ code, message: errorMessage(code, pickLocale(undefined, req.headers['accept-language'])) });
    },
  }).withTypeProvider<ZodTypeProvider>();
  const routeList: string[] = [];
  const routeSchemas = new Map<string, FastifySchema | undefined>();
  app.decorate('routeList', routeList);
  app.decorate('routeSchemas', routeSchemas);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeList.push(`${method} ${route.url}`);
      routeSchemas.set(`${method} ${route.url}`, route.schema);
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON must be UTF-8 (RFC 8259): invalid bytes are refused, never turned into U+FFFD and stored; the parser keeps
  // Fastify's own prototype-poisoning protection.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new AppError('body_not_utf8', 400), undefined);
    }
    jsonParser(req, text, done);
  });

  app.decorateRequest('locale', 'en');
  app.decorateRequest('adminActor', null);
  app.addHook('onRequest', async (req) => {
    const q = req.query as Record<string, unknown> | undefined;
    req.locale = pickLocale(q?.lang, req.headers['accept-language']);
  });
  app.addHook('preValidation', async (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && (body.locale === 'fr' || body.locale === 'en')) req.locale = body.locale;
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", 'http:', 'https:'],
      },
    },
  });
  // RATE_LIMIT_SCALE (load tests) multiplies each route's own limit; this hook runs before the plugin's, which reads it
  const scale = deps.config.RATE_LIMIT_SCALE;
  if (scale !== 1) {
    const scaled = new WeakSet<object>(); // a GET's HEAD twin shares its config object: scale it once
    app.addHook('onRoute', (route) => {
      const limit = (route.config as { rateLimit?: { max?: unknown } } | undefined)?.rateLimit;
      if (limit && typeof limit.max === 'number' && !scaled.has(limit)) {
        limit.max = Math.ceil(limit.max * scale);
        scaled.add(limit);
      }
    });
  }
  await app.register(rateLimit, {
    global: false,
    // Counted in PostgreSQL, so several API processes do not multiply the limits (RATE_LIMIT_STORE=memory: per process)
    store: deps.config.RATE_LIMIT_STORE === 'postgres' ? postgresRateLimitStore(deps.db) : undefined,
    skipOnError: true,
    max: Math.ceil((opts.rateLimitPerMinute ?? 600) * scale),
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => {
      const err = new AppError('rate_limited', 429, {}, { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) });
      return err;
    },
  });
  // the costly public routes say which line they stand in (`config: { admission: 'check' | 'order' }`); each kind has its own
  const admissions = {
    check: new Admission(deps.config.ADMISSION_CHECK_MAX_IN_FLIGHT, deps.config.ADMISSION_MAX_WAIT_MS),
    order: new Admission(deps.config.ADMISSION_MAX_IN_FLIGHT, deps.config.ADMISSION_MAX_WAIT_MS),
  };
  const releases = new WeakMap<object, () => void>();
  // after validation (a malformed request is answered at once, without waiting in line) and after the rate limit
  app.addHook('preHandler', async (req) => {
    const kind = req.routeOptions.config.admission;
    if (kind) releases.set(req, await admissions[kind].enter());
  });
  // the place is given back once the answer is made, whatever it is; a second call does nothing
  const giveBack = async (req: object) => releases.get(req)?.();
  app.addHook('onSend', async (req) => giveBack(req));
  app.addHook('onResponse', async (req) => giveBack(req));
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Conciergerie API',
        description:
          'Put a small business online at its own domain. Every refusal and failure answers `{code, message}`: a stable code, and a message in the ' +
          'asker’s language (`?lang=fr|en`, else Accept-Language). The schemas are src/contract; the web is typed from them.',
        version: '0.1.0',
      },
      tags: [
        { name: 'public', description: 'The customer’s side: check a name, order, follow the order, pay' },
        { name: 'account', description: 'The customer’s space: sign-in by emailed link, the orders, the domain’s DNS records and email forwarding' },
        { name: 'site', description: 'The site editor: the document, pictures, preview, publishing' },
        { name: 'webhooks', description: 'Signed events from the payment providers' },
        { name: 'admin', description: 'The operators’ console and API' },
        { name: 'monitoring', description: 'Health and Prometheus metrics' },
        { name: 'sandbox', description: 'The sandbox world (sandbox mode only)' },
        { name: 'legal', description: 'Terms of sale, privacy, legal notice; a customer’s data export and erasure' },
        { name: 'pages', description: 'The web app’s pages and files' },
      ],
      components: {
        securitySchemes: {
          admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (or METRICS_TOKEN for /metrics)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The console’s session (POST /api/admin/login); with the x-csrf-token header on every request that changes state',
          },
          accountSession: {
            type: 'apiKey',
            in: 'cookie',
            name: ACCOUNT_COOKIE,
            description: 'The customer’s session (POST /api/account/session); with the x-csrf-token header on every POST and DELETE',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const locale = req.locale ?? 'en';
    if (err instanceof AppError) {
      if (err.status === 429 || err.status === 503) reply.header('retry-after', String(err.extra.retryAfterSeconds ?? (err.status === 429 ? 60 : 5)));
      const extra = { ...err.extra };
      // field problems raised by the code (not the schema) come with their code and params: said in the asker's language
      if (Array.isArray(extra.fields)) {
        extra.fields = (extra.fields as { field: string; code: ErrorCode; message?: string; params?: Record<string, unknown> }[]).map((f) => ({
          ...f,
          message: f.message ?? errorMessage(f.code, locale, f.params),
        }));
      }
      return reply.code(err.status).send({ code: err.code, message: errorMessage(err.code, locale, err.params), ...extra });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = fieldProblems(err as FastifyError, locale);
      const first = fields[0];
      return reply.code(422).send({
        code: first && fields.length === 1 ? first.code : 'invalid_request',
        message: first && fields.length === 1 ? first.message : errorMessage('invalid_request', locale),
        fields,
      });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ code: 'body_too_large', message: errorMessage('body_too_large', locale) });
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ code: 'unsupported_media_type', message: errorMessage('unsupported_media_type', locale) });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode === 400 ? 400 : fe.statusCode).send({ code: 'invalid_request', message: errorMessage('invalid_request', locale) });
    }
    // PostgreSQL restarting or a provider not answering (PayPal's webhook check) is a 503 to retry, not a bug
    if ((err instanceof ProviderError && err.retryable) || isDatabaseUnavailable(err)) {
      deps.log.warn({ event: 'http_unavailable', method: req.method, url: req.routeOptions?.url, err: fe.message }, 'temporarily unavailable');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ code: 'temporarily_unavailable', message: errorMessage('temporarily_unavailable', locale) });
    }
    deps.log.error({ event: 'http_error', method: req.method, url: req.routeOptions?.url, err: { message: fe.message, stack: fe.stack } }, 'unhandled error');
    return reply.code(500).send({ code: 'internal_error', message: errorMessage('internal_error', locale) });
  });
  app.setNotFoundHandler((req, reply) => {
    // a browser that follows a wrong link gets the app's own "page not found" (in its language), an API client JSON
    if (wantsPage(req)) return notFoundPage(req, reply);
    return reply.code(404).send({ code: 'not_found', message: errorMessage('not_found', req.locale) });
  });

  app.get('/healthz', { schema: routes['GET /healthz'] }, async () => ({ ok: true }));
  await app.register(publicRoutes, { deps });
  await app.register(liveRoutes, { deps, events: opts.events });
  await app.register(webhookRoutes, { deps });
  await app.register(demoRoutes, { deps, sandbox: opts.sandbox });
  await app.register(siteRoutes, { deps }); // site content: the editor's API, pictures, publishing, the archive
  await app.register(satisfactionRoutes, { deps }); // "Are you satisfied?": the email's answer page, the tracking page's answer, "stop contacting me"
  await app.register(renewalRoutes, { deps }); // the automatic renewal switch (tracking page)
  await app.register(adminRenewalRoutes, { deps, adminToken: opts.adminToken }); // the console's renewals
  await app.register(accountRoutes, { deps }); // the customer's space: sign-in by link, the orders, DNS records, email forwarding
  await app.register(legalRoutes, { deps }); // terms of sale, privacy, legal notice; a customer's data export and erasure
  await app.register(adminRoutes, { deps, adminToken: opts.adminToken });
  await app.register(invoiceRoutes, { deps, adminToken: opts.adminToken }); // invoices and credit notes: the customer's list and PDFs, the operators' list, totals and exports
  await app.register(monitoringRoutes, { deps, adminToken: opts.adminToken }); // /metrics, the admin's figures, alerts, reports, monitors
  await app.register(pageRoutes, { deps });
  return app;
}
