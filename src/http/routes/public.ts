// Public API: domain check, the concierge request, order status and a fresh payment link.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError, ProviderError } from '../../errors.ts';
import { parseDomainName } from '../../domain/domain-name.ts';
import { refuseUnsoldIdn } from '../../domain/tld-rules.ts';
import { requestConciergeService } from '../../workflow/intake.ts';
import { findOrderByToken, latestPaymentLink } from '../../db/orders.ts';
import { freshPaymentLink } from '../../workflow/payment-link.ts';
import { isTrackingToken, isUnpaid } from '../../domain/order-state.ts';
import { limited, perMinute } from '../rate-limits.ts';
import { routes } from '../../contract/index.ts';

export const publicRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db, log } = deps;

  app.get(
    '/api/domains/check',
    {
      config: { rateLimit: perMinute(config, 'domain_check'), admission: 'check' },
      schema: routes['GET /api/domains/check'],
    },
    async (req, reply) => {
      const name = parseDomainName(req.query.name, config.tlds);
      refuseUnsoldIdn(name);
      const ctx = { businessName: req.query.businessName ?? name.label, city: req.query.city };
      // answered within CHECK_ANSWER_MS of the request's arrival (time in line included) with what is known by then;
      // the order confirms the rest
      const answerMs = Math.max(0, Math.floor(config.CHECK_ANSWER_MS - reply.elapsedTime));
      const result = await deps.checker.check(name, ctx, { answerMs, cached: true }).catch((err) => {
        if (err instanceof ProviderError) throw new AppError('availability_unknown', 503);
        throw err;
      });
      log.info(
        { event: 'domain_checked', domain: name.ascii, available: result.available, source: result.source, confirmed: result.confirmed },
        'domain checked',
      );
      return {
        domain: name.ascii,
        unicode: name.unicode,
        available: result.available,
        source: result.source,
        confirmed: result.confirmed,
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
      schema: routes['POST /api/request-concierge-service'],
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && !/^[\x21-\x7e]{8,255}$/.test(key)) throw new AppError('idempotency_key_invalid', 422);
      const { status, body } = await requestConciergeService(deps, { ...req.body, locale: req.body.locale ?? req.locale }, key, req.ip);
      return reply.code(status).send(body);
    },
  );

  app.post('/api/concierge/status/:token/payment-link', limited(config, 'POST /api/concierge/status/:token/payment-link', 'payment_link'), async (req) => {
    const order = isTrackingToken(req.params.token) ? await findOrderByToken(db, req.params.token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    if (order.state === 'cancelled') throw new AppError('order_cancelled', 409);
    if (!isUnpaid(order.state)) throw new AppError('order_already_paid', 409);
    const link = await freshPaymentLink(deps, order);
    if (!link.url) throw new AppError('payment_provider_unavailable', 503);
    return { paymentUrl: link.url, expiresAt: link.expires_at.toISOString(), provider: link.provider };
  });

  // The stable link in emails: always leads to a payable page while the order is unpaid.
  // Each visit may ask the provider for a fresh link, so it is rate-limited like the other public actions
  app.get('/pay/:token', limited(config, 'GET /pay/:token', 'pay'), async (req, reply) => {
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
