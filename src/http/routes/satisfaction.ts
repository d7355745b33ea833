// "Are you satisfied?" over HTTP: the page a score's link in an email opens and its form, the tracking page's
// one-click answer, and "stop contacting me". Answers are limited per address and per order.
//
// A link in an email only opens a page; the answer is recorded by the page's form (POST). Mail scanners fetch every
// link of a message before its reader sees it: recording on GET would take a scanner's visit for an answer, and a
// scanner fetching the five links in turn would leave the last one, 5, as the customer's. With no JavaScript needed,
// the page shows the score clicked already chosen, so answering stays a click and a confirmation.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { satisfactionAnswer, satisfactionForm, satisfactionPageQuery, stopQuery } from '../../contract/satisfaction.ts';
import { recordAnswer, stopContacting } from '../../workflow/satisfaction.ts';
import { errorMessage } from '../error-messages.ts';
import { parseOrThrow } from '../field-problems.ts';
import { limited } from '../rate-limits.ts';
import { answerPage, refusalPage, stopPage, stoppedPage, thanksPage } from '../satisfaction-page.ts';

/** A form's fields are few and short; a comment of 1,000 characters, each percent-encoded UTF-8, stays far below this. */
const FORM_BODY_LIMIT = 16 * 1024;

export const satisfactionRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = deps;

  // the pages' forms post application/x-www-form-urlencoded (scoped to this plugin: the rest of the API takes JSON only)
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT }, (req, body, done) => {
    try {
      const fields = readForm(body as Buffer);
      if (fields.lang === 'fr' || fields.lang === 'en') req.locale = fields.lang;
      done(null, fields);
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  // answers per order (its token) whatever the address, besides each route's own limit per address; counted once an
  // answer has passed its checks (a refused one costs no lookup, and the address's limit holds those)
  const perToken = fastify.createRateLimit({
    max: Math.ceil(config.RATE_LIMITS.satisfaction_token * config.RATE_LIMIT_SCALE),
    timeWindow: 60_000,
    // the PostgreSQL store keys a named limiter by this (src/http/rate-limits.ts); the token itself is not kept there
    keyPrefix: 'satisfaction_token',
    keyGenerator: (req: FastifyRequest) => tokenKey(req),
  } as Parameters<FastifyInstance['createRateLimit']>[0]);
  const limitToken = async (req: FastifyRequest) => {
    const count = await perToken(req);
    if (!count.isAllowed && count.isExceeded) throw new AppError('rate_limited', 429, {}, { retryAfterSeconds: Math.max(1, count.ttlInSeconds) });
  };

  // a browser is shown its refusals as a page (the form again, with what was wrong); any other client gets {code, message}
  fastify.setErrorHandler(async (err, req, reply) => {
    if (!(err instanceof AppError) || !wantsHtml(req)) throw err;
    const message = String(err.extra.message ?? errorMessage(err.code, req.locale, err.params));
    if (err.status === 429) reply.header('retry-after', String(err.extra.retryAfterSeconds ?? 60));
    reply.code(err.status);
    if (err.status === 422 && req.method === 'POST' && req.url.startsWith('/satisfaction/')) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const score = typeof body.score === 'number' && Number.isInteger(body.score) && body.score >= 1 && body.score <= 5 ? body.score : undefined;
      return html(
        reply,
        answerPage({
          locale: req.locale,
          action: pagePath(req),
          score,
          comment: typeof body.comment === 'string' ? body.comment : undefined,
          problem: message,
        }),
      );
    }
    return html(reply, refusalPage(req.locale, message, req.url.startsWith('/stop/') ? 'stop' : 'answer'));
  });

  // each route validates below (`attachValidation`), so each field's refusal says precisely why and a browser sees it as a page
  const checked = { attachValidation: true };
  app.get('/satisfaction/:token', { ...limited(config, 'GET /satisfaction/:token', 'satisfaction_page'), ...checked }, async (req, reply) => {
    const { score } = parseOrThrow(satisfactionPageQuery, req.query, req.locale);
    // nothing is looked up: the same page for any token, so opening a link tells nothing of an order
    return html(reply, answerPage({ locale: req.locale, action: pagePath(req), score: score ? Number(score) : undefined }));
  });

  app.post('/satisfaction/:token', { ...limited(config, 'POST /satisfaction/:token', 'satisfaction'), ...checked }, async (req, reply) => {
    const form = parseOrThrow(satisfactionForm, req.body, req.locale);
    await limitToken(req);
    // the page does not show a comment given before (it looks nothing up): an empty box keeps that one
    const answer = await recordAnswer(deps, req.params.token, { score: form.score, comment: form.comment || undefined });
    return html(
      reply,
      thanksPage({
        locale: req.locale,
        score: answer.score!,
        comment: answer.comment,
        closesAt: answer.closesAt,
        again: `${pagePath(req)}?lang=${req.locale}`,
      }),
    );
  });

  app.post(
    '/api/concierge/status/:token/satisfaction',
    { ...limited(config, 'POST /api/concierge/status/:token/satisfaction', 'satisfaction'), ...checked },
    async (req) => {
      const body = parseOrThrow(satisfactionAnswer, req.body, req.locale);
      await limitToken(req);
      const answer = await recordAnswer(deps, req.params.token, body);
      return { score: answer.score, comment: answer.comment, answeredAt: answer.answeredAt, closesAt: answer.closesAt, open: answer.open };
    },
  );

  app.get('/stop/:token', { ...limited(config, 'GET /stop/:token', 'contact_stop'), ...checked }, async (req, reply) => {
    parseOrThrow(stopQuery, req.query, req.locale);
    return html(reply, stopPage({ locale: req.locale, action: `/stop/${encodeURIComponent(req.params.token)}` }));
  });
  // same for a link prefetched by a mail scanner: only the page's button records it
  app.post('/stop/:token', { ...limited(config, 'POST /stop/:token', 'contact_stop'), ...checked }, async (req, reply) => {
    parseOrThrow(stopQuery, req.body ?? {}, req.locale);
    await stopContacting(deps, req.params.token);
    return html(reply, stoppedPage(req.locale));
  });
};

function html(reply: FastifyReply, page: string) {
  // the pages hold a customer's token in their address and form: never cached by anyone
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
}

/** The answer page of the request's token (where its form posts). */
const pagePath = (req: FastifyRequest) => `/satisfaction/${encodeURIComponent(String((req.params as { token?: string }).token ?? ''))}`;

/** A browser navigating or posting a form puts HTML first in Accept; the JSON route is never a page. */
const wantsHtml = (req: FastifyRequest) => !req.url.startsWith('/api/') && /^text\/html\b/.test(String(req.headers.accept ?? '').trim());

/** The per-order limit's key: a digest of the token, so the counters' table never holds a customer's key. */
const tokenKey = (req: FastifyRequest) =>
  crypto
    .createHash('sha256')
    .update(String((req.params as { token?: string }).token ?? ''))
    .digest('hex')
    .slice(0, 32);

/**
 * application/x-www-form-urlencoded as the HTML standard defines it ('+' a space, percent-escapes UTF-8), refused when
 * it is not UTF-8 rather than read with replacement characters; a field given twice keeps its last value. The score,
 * text in a form, is read as the number it stands for.
 */
function readForm(body: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('body_not_utf8', 400);
  }
  const fields: Record<string, unknown> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      Object.defineProperty(fields, decode(name), { value: decode(value), enumerable: true, writable: true, configurable: true });
    } catch {
      throw new AppError('body_not_utf8', 400);
    }
  }
  if (typeof fields.score === 'string' && /^\d{1,3}$/.test(fields.score)) fields.score = Number(fields.score);
  return fields;
}

const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
