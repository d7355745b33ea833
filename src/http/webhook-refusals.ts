// Payment webhooks refused again and again from one address: past a budget, the next are answered 429 before any costly check; genuine deliveries are never what is counted.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { verifyStripeWebhook } from '../providers/payments/stripe/client.ts';
import { webhookProviderOf } from '../monitoring/observe.ts';

/**
 * Real providers send many deliveries from few addresses, so counting every request per address
 * would throttle exactly them. Only refusals are counted (bad or missing signature, stale,
 * malformed, too large): a provider's own deliveries are not refused, and nobody else can send from
 * its addresses. Once an address has used up its budget of refusals for the minute:
 * - a Stripe delivery is still checked (an HMAC costs nothing) and goes through when its signature
 *   holds, so a genuine one is never limited away; a bad one gets 429 instead of 400;
 * - a PayPal delivery gets 429 before its check, which is a call to PayPal's API: an attacker cannot
 *   make us call PayPal without end. PayPal retries a 429 (up to 25 times over 3 days).
 * A 429 is not itself counted, so the budget comes back when the minute is over.
 */
export function limitWebhookRefusals(scope: FastifyInstance, deps: Deps): void {
  const { config } = deps;
  const refusals = scope.createRateLimit({
    max: Math.ceil(config.RATE_LIMITS.webhook_refusals * config.RATE_LIMIT_SCALE),
    timeWindow: 60_000,
    // the PostgreSQL store keys a named limiter by this (src/http/rate-limits.ts)
    keyPrefix: 'webhook_refusals',
  } as Parameters<FastifyInstance['createRateLimit']>[0]);

  scope.addHook('preHandler', async (req) => {
    const count = await refusals(req, { increment: false });
    if (count.isAllowed || count.remaining > 0) return;
    if (webhookProviderOf(req.url) === 'stripe' && stripeSignatureHolds(req, deps)) return;
    throw new AppError('rate_limited', 429, {}, { retryAfterSeconds: Math.max(1, count.ttlInSeconds) });
  });

  scope.addHook('onError', async (req, _reply, err) => {
    const e = err as { status?: number; statusCode?: number };
    const status = err instanceof AppError ? err.status : (e.statusCode ?? e.status ?? 500);
    // a 5xx is our failure (or PayPal's), not the sender's; a 429 is this limit answering
    if (status >= 400 && status < 500 && status !== 429) await refusals(req);
  });
}

function stripeSignatureHolds(req: FastifyRequest, deps: Deps): boolean {
  try {
    verifyStripeWebhook(req.body as Buffer, req.headers['stripe-signature'] as string | undefined, deps.webhookSecrets.stripe, 300);
    return true;
  } catch {
    return false;
  }
}
