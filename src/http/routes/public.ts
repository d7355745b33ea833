// Public API: domain check, the concierge request, order status and a fresh payment link.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError, ProviderError } from '../../errors.ts';
import { parseDomainName } from '../../domain/domain-name.ts';
import { requestConciergeService } from '../../workflow/intake.ts';
import { findOrderByToken, latestPaymentLink } from '../../db/orders.ts';
import { freshPaymentLink } from '../../workflow/payment-link.ts';
import { isTrackingToken, isUnpaid } from '../../domain/order-state.ts';
import { perMinute } from '../rate-limits.ts';

// One line of text a person typed: no control characters (they would let a value break out of an email header).
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u);

export const requestBody = z.object({
  businessName: line(120),
  email: z.email().max(254),
  domain: z.string().trim().min(1).max(300),
  tier: z.enum(['express', 'standard']),
  locale: z.enum(['fr', 'en']).optional(),
  city: line(80).optional(),
  paymentProvider: z.enum(['stripe', 'paypal']).optional(),
  requestedDomain: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe(
      'The name first asked for, when `domain` is another name ordered instead (one of its alternatives, or any available name). ' +
        'It is checked again: a name that is in fact available is 422 `requested_domain_available`, a malformed one 422 `requested_domain_invalid`. ' +
        'The order’s timeline then says that it was taken, which alternatives were offered (with their price) and which one was ordered.',
    ),
});

const money = z.object({ amountCents: z.number().int(), currency: z.string(), premium: z.boolean() });
const alternative = z.object({ domain: z.string(), available: z.literal(true), price: money });
const tokenParam = z.object({ token: z.string().min(1).max(100) });

export const publicRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db, log } = deps;

  app.get(
    '/api/domains/check',
    {
      config: { rateLimit: perMinute(config, 'domain_check'), admission: 'check' },
      schema: {
        tags: ['public'],
        summary: 'Is this domain free? If not, available alternatives.',
        querystring: z.object({
          name: z.string().trim().min(1).max(300),
          businessName: line(120).optional(),
          city: line(80).optional(),
          lang: z.enum(['fr', 'en']).optional(),
        }),
        response: {
          200: z.object({
            domain: z.string(),
            unicode: z.string(),
            available: z.boolean(),
            source: z.enum(['rdap', 'whois', 'registrar']),
            price: money.optional(),
            alternatives: z.array(alternative).optional(),
            reason: z.string().optional(),
          }),
        },
      },
    },
    async (req) => {
      const name = parseDomainName(req.query.name, config.tlds);
      const result = await deps.checker.check(name, { businessName: req.query.businessName ?? name.label, city: req.query.city }).catch((err) => {
        if (err instanceof ProviderError) throw new AppError('availability_unknown', 503);
        throw err;
      });
      log.info({ event: 'domain_checked', domain: name.ascii, available: result.available, source: result.source }, 'domain checked');
      return {
        domain: name.ascii,
        unicode: name.unicode,
        available: result.available,
        source: result.source,
        price: result.price,
        alternatives: result.available ? undefined : result.alternatives,
        reason: (result as { refusedReason?: string }).refusedReason,
      };
    },
  );

  app.post(
    '/api/request-concierge-service',
    {
      config: { rateLimit: perMinute(config, 'order'), admission: 'order' },
      schema: {
        tags: ['public'],
        summary:
          'Ask for a site online at a domain: answers the quote and the payment link. 503 `busy` with Retry-After when the process has more requests than it can work on: nothing was stored; send the same request again with the same Idempotency-Key.',
        body: requestBody,
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && !/^[\x21-\x7e]{8,255}$/.test(key)) throw new AppError('idempotency_key_invalid', 422);
      const { status, body } = await requestConciergeService(deps, { ...req.body, locale: req.body.locale ?? req.locale }, key);
      return reply.code(status).send(body);
    },
  );

  app.post(
    '/api/concierge/status/:token/payment-link',
    {
      config: { rateLimit: perMinute(config, 'payment_link') },
      schema: { tags: ['public'], summary: 'A fresh payment link after the previous one expired.', params: tokenParam },
    },
    async (req) => {
      const order = isTrackingToken(req.params.token) ? await findOrderByToken(db, req.params.token) : undefined;
      if (!order) throw new AppError('order_not_found', 404);
      if (order.state === 'cancelled') throw new AppError('order_cancelled', 409);
      if (!isUnpaid(order.state)) throw new AppError('order_already_paid', 409);
      const link = await freshPaymentLink(deps, order);
      if (!link.url) throw new AppError('payment_provider_unavailable', 503);
      return { paymentUrl: link.url, expiresAt: link.expires_at.toISOString(), provider: link.provider };
    },
  );

  // The stable link in emails: always leads to a payable page while the order is unpaid.
  // security: each visit may ask the provider for a fresh link, so it is rate-limited like the other public actions
  app.get('/pay/:token', { config: { rateLimit: perMinute(config, 'pay') }, schema: { hide: true, params: tokenParam } }, async (req, reply) => {
    const order = isTrackingToken(req.params.token) ? await findOrderByToken(db, req.params.token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    const tracking = `/${order.locale === 'fr' ? 'suivi' : 'track'}/${order.tracking_token}`;
    if (!isUnpaid(order.state)) return reply.redirect(tracking, 303);
    let link = await latestPaymentLink(db, order.id);
    if (link?.state !== 'open' || link.expires_at.getTime() < Date.now() + 60_000) {
      try {
        link = await freshPaymentLink(deps, order);
      } catch (err) {
        log.warn({ event: 'payment_link_failed', orderId: order.id, err: (err as Error).message }, 'payment link failed');
        return reply.redirect(`${tracking}?payment=unavailable`, 303);
      }
    }
    if (!link.url) return reply.redirect(`${tracking}?payment=unavailable`, 303);
    return reply.redirect(link.url, 303);
  });
};
