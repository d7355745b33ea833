// The web front end: the built React app (web/dist) for every page route, its hashed assets, the price list it shows, and the payment return pages.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { findOrderByToken } from '../../db/orders.ts';
import { enqueue } from '../../workflow/jobs/enqueue.ts';
import { AppError } from '../../errors.ts';
import { tldRule } from '../../domain/tld-rules.ts';
import { isTrackingToken } from '../../domain/order-state.ts';
import { perMinute } from '../rate-limits.ts';
import { routes } from '../../contract/index.ts';

/** Where `npm run build` puts the front end. */
export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json', '.html']);

interface CachedFile {
  mtimeMs: number;
  body: Buffer;
  gzip?: Buffer;
}
const cache = new Map<string, CachedFile>();

/** A file of web/dist, read once per build (and gzipped once), or undefined when it is not there. */
function readDist(file: string): CachedFile | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit;
  const body = fs.readFileSync(file);
  const entry: CachedFile = {
    mtimeMs: stat.mtimeMs,
    body,
    gzip: COMPRESSIBLE.has(path.extname(file)) && body.length > 1024 ? zlib.gzipSync(body, { level: 9 }) : undefined,
  };
  cache.set(file, entry);
  return entry;
}

/** index.html with `<html lang>` set to the visitor's language (the app may switch it after), cached per build and language. */
function readIndex(distDir: string, locale: string): CachedFile | undefined {
  const file = path.join(distDir, 'index.html');
  const base = readDist(file);
  if (!base) return undefined;
  const key = `${file}#${locale}`;
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === base.mtimeMs) return hit;
  const body = Buffer.from(base.body.toString('utf8').replace(/<html lang="[a-z-]+">/, `<html lang="${locale}">`));
  const entry: CachedFile = { mtimeMs: base.mtimeMs, body, gzip: zlib.gzipSync(body, { level: 9 }) };
  cache.set(key, entry);
  return entry;
}

function send(req: FastifyRequest, reply: FastifyReply, file: CachedFile) {
  reply.header('vary', 'accept-encoding');
  if (file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conciergerie</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>The front end is not built yet</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it when needed), then reload.</p>
<p lang="fr">L’interface n’est pas encore construite : lancez <code>npm run build</code>, puis rechargez.</p></body></html>`;

/** The single page: the app decides what to show from the URL. */
const spaFrom = (distDir: string) => async (req: FastifyRequest, reply: FastifyReply) => {
  const index = readIndex(distDir, req.locale);
  reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
  if (!index) return reply.code(503).send(notBuilt);
  return send(req, reply, index);
};

/** A browser navigating (GET, HTML first in Accept) to a path outside the API: it is shown a page, not JSON. */
export function wantsPage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (/^\/(api|metrics|healthz|docs)(\/|$|\?)/.test(req.url)) return false;
  return /^text\/html\b/.test(String(req.headers.accept ?? '').trim());
}

/** The app's own "page not found" (the single page shows it for a path it does not know), with status 404. */
export async function notFoundPage(req: FastifyRequest, reply: FastifyReply) {
  reply.code(404);
  return spaFrom(webDist)(req, reply);
}

export const pageRoutes: FastifyPluginAsync<{ deps: Deps; distDir?: string }> = async (fastify, { deps, distDir = webDist }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;
  const spa = spaFrom(distDir);
  app.get('/', { schema: routes['GET /'] }, spa);
  app.get('/admin', { schema: routes['GET /admin'] }, spa);
  app.get('/admin/*', { schema: routes['GET /admin/*'] }, spa);
  app.get('/suivi/:token', { schema: routes['GET /suivi/:token'] }, spa);
  app.get('/suivi/:token/*', { schema: routes['GET /suivi/:token/*'] }, spa);
  app.get('/track/:token', { schema: routes['GET /track/:token'] }, spa);
  app.get('/track/:token/*', { schema: routes['GET /track/:token/*'] }, spa);
  // the editor: the link in the delivery email; the app loads the site document by the same token
  app.get('/editor/:token', { schema: routes['GET /editor/:token'] }, spa);
  // the customer's space (a sign-in link's token rides in ?signin=; the page exchanges it)
  app.get('/espace', { schema: routes['GET /espace'] }, spa);
  app.get('/account', { schema: routes['GET /account'] }, spa);

  // PayPal appends its own ?token=<order id>&PayerID=… to the return URL, so ours is called `order`
  app.get('/payment/return', { config: { rateLimit: perMinute(config, 'payment_return') }, schema: routes['GET /payment/return'] }, async (req, reply) => {
    const order = req.query.order && isTrackingToken(req.query.order) ? await findOrderByToken(db, req.query.order) : undefined;
    if (order && order.payment_provider === 'paypal' && req.query.token && req.query.PayerID) {
      // `token` comes from the address bar: it is only taken for what PayPal put there, one of this order's own PayPal
      // orders; anything else shows the page and queues nothing
      const link = await db
        .selectFrom('payment_links')
        .select('provider_ref')
        .where('order_id', '=', order.id)
        .where('provider', '=', 'paypal')
        .where('provider_ref', '=', req.query.token)
        .executeTakeFirst();
      // the buyer approved: capture now rather than wait for the webhook (the capture is idempotent)
      if (link) await enqueue(db, 'capture_paypal', { orderId: order.id, paypalOrderId: link.provider_ref! });
    }
    if (order && !req.query.lang) req.locale = order.locale;
    return spa(req, reply);
  });
  app.get('/payment/cancel', { schema: routes['GET /payment/cancel'] }, spa);

  // the built files: hashed names, so they can be cached for good
  app.get('/assets/:file', { schema: routes['GET /assets/:file'] }, async (req, reply) => {
    const name = req.params.file;
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) throw new AppError('not_found', 404);
    const file = readDist(path.join(distDir, 'assets', name));
    if (!file) throw new AppError('not_found', 404);
    reply.type(TYPES[path.extname(name)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable');
    return send(req, reply, file);
  });
  app.get('/favicon.svg', { schema: routes['GET /favicon.svg'] }, async (req, reply) => {
    const file = readDist(path.join(distDir, 'favicon.svg'));
    if (!file) throw new AppError('not_found', 404);
    reply.type(TYPES['.svg']!).header('cache-control', 'public, max-age=86400');
    return send(req, reply, file);
  });

  // What the landing page says things cost and how long they take: the same settings the quotes are made from; and
  // what each TLD asks of its holder (src/domain/tld-rules.ts), for the order form.
  app.get('/api/prices', { schema: routes['GET /api/prices'] }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return {
      currency: config.CURRENCY,
      serviceCents: config.SERVICE_PRICE_CENTS,
      expressSurchargeCents: config.EXPRESS_SURCHARGE_CENTS,
      renewalServiceCents: config.RENEWAL_SERVICE_CENTS,
      renewalChargeDaysBefore: config.RENEWAL_CHARGE_DAYS_BEFORE,
      expressHours: config.EXPRESS_HOURS,
      standardHours: config.STANDARD_HOURS,
      tlds: Object.entries(config.TLD_PRICES).map(([tld, amountCents]) => ({ tld, amountCents, holder: holderRulesOf(tld) })),
      vat: { pricesIncludeVat: config.PRICES_INCLUDE_VAT ?? true, rateBp: config.VAT_RATE_OVERRIDES?.FR ?? 2000 },
    };
  });
};

/** A TLD's rules for holders as the order form reads them. */
function holderRulesOf(tld: string) {
  const rule = tldRule(tld);
  return {
    registry: rule.registry,
    countries: rule.countries ? [...rule.countries] : null,
    requires: { individual: [...rule.requires.individual], organization: [...rule.requires.organization] },
    privacy: rule.privacy,
    idn: !!rule.idn,
    why: rule.why,
  };
}
