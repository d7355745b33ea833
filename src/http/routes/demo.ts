// POST /api/test/concierge/demo: one whole order through the sandbox world in seconds, paid with a real signed webhook (sandbox mode only).
import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { SandboxWorld } from '../../sandbox/world.ts';
import { requestConciergeService, type ConciergeRequest } from '../../workflow/intake.ts';
import { findOrderById, latestPaymentLink } from '../../db/orders.ts';
import { isFinal } from '../../domain/order-state.ts';
import { orderStatus } from '../../workflow/status.ts';
import { perMinute } from '../rate-limits.ts';
import type { OfferedAlternative } from '../../domain/alternatives.ts';
import { routes } from '../../contract/index.ts';
import { demoRenewal } from '../../workflow/renewals/demo.ts';

/** The demo's holder: a French company, identified by its SIRET as AFNIC asks for a .fr name (a made-up one, its key valid). */
const DEMO_HOLDER: ConciergeRequest['holder'] = {
  type: 'organization',
  firstName: 'Camille',
  lastName: 'Martin',
  organization: 'Boulangerie Démo SARL',
  companyId: '55210055400013',
  address1: '12 rue de la République',
  city: 'Lyon',
  postalCode: '69002',
  country: 'FR',
  phone: '+33.472000000',
};

export const demoRoutes: FastifyPluginAsync<{ deps: Deps; sandbox?: SandboxWorld }> = async (fastify, { deps, sandbox }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/test/concierge/demo',
    {
      // Each call runs a whole order (providers, a site, emails) for up to 10 minutes: a few a minute per client
      config: { rateLimit: perMinute(deps.config, 'demo') },
      schema: routes['POST /api/test/concierge/demo'],
    },
    async (req) => {
      const cfg = deps.config.sandbox;
      if (!sandbox || !cfg.payments.stripe || !cfg.payments.paypal || !cfg.registrar || !cfg.hosting) throw new AppError('not_found', 404);
      const { scenario } = req.body;
      const renewal = scenario === 'renewal' || scenario === 'renewal_declined';
      // a renewal charges the method the first payment saved: Stripe's card, or PayPal's vault when PAYPAL_VAULT is on
      const provider = renewal && !deps.config.PAYPAL_VAULT ? 'stripe' : (req.body.paymentProvider ?? 'stripe');
      const suffix = crypto.randomBytes(4).toString('hex');
      const request: ConciergeRequest = {
        businessName: 'Boulangerie Démo',
        email: `demo-${suffix}@example.org`,
        domain: `${scenario === 'unavailable' ? 'taken-' : ''}demo-${suffix}.${req.body.tld ?? 'fr'}`,
        tier: scenario === 'urgent' ? 'express' : 'standard',
        locale: req.body.locale ?? req.locale,
        city: 'Lyon',
        paymentProvider: provider,
        holder: DEMO_HOLDER,
        // the demo's customer is a consumer who accepts the terms and asks for the work to start at once
        acceptTerms: true,
        earlyStart: true,
      };

      let resetTimer: NodeJS.Timeout | undefined;
      if (scenario === 'api_error') {
        // RDAP down for the request (whois answers instead), registrar and host failing for a while (retries, backoff)
        sandbox.rdap.faults.set({ errorRate: 1 });
        sandbox.namecheap.faults.set({ errorRate: 1 });
        sandbox.netlify.faults.set({ errorRate: 0.5 });
      }
      let body;
      try {
        try {
          body = (await requestConciergeService(deps, request)).body;
        } catch (err) {
          const alternatives = err instanceof AppError ? (err.extra.alternatives as { domain: string }[] | undefined) : undefined;
          if (scenario !== 'unavailable' || !alternatives?.length) throw err;
          // continue with the best alternative, as a person picking the first option would, saying which name it replaces
          body = (await requestConciergeService(deps, { ...request, domain: alternatives[0]!.domain, requestedDomain: request.domain })).body;
        }
      } finally {
        if (scenario === 'api_error') {
          sandbox.rdap.faults.reset();
          resetTimer = setTimeout(() => {
            sandbox.namecheap.faults.reset();
            sandbox.netlify.faults.reset();
          }, 4_000);
        }
      }

      // pay as the customer would: the sandbox marks it paid and sends the signed webhook
      const link = await latestPaymentLink(deps.db, body.orderId);
      if (!link?.provider_ref) throw new AppError('payment_provider_unavailable', 503);
      if (provider === 'stripe') sandbox.stripe.pay(link.provider_ref);
      else sandbox.paypal.approve(link.provider_ref);

      const until = Date.now() + (req.body.timeoutSeconds ?? 120) * 1000;
      let order = await findOrderById(deps.db, body.orderId);
      while (order && !isFinal(order.state) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        order = await findOrderById(deps.db, body.orderId);
      }
      if (order?.state === 'delivered' && renewal) {
        await demoRenewal(deps, sandbox, order.id, scenario === 'renewal_declined', until);
      }
      if (resetTimer) clearTimeout(resetTimer);
      if (scenario === 'api_error') {
        sandbox.namecheap.faults.reset();
        sandbox.netlify.faults.reset();
      }
      const status = await orderStatus(deps, order!, request.locale);
      // the names offered, as intake recorded them in the timeline
      const offered = await deps.db
        .selectFrom('order_events')
        .select('data')
        .where('order_id', '=', body.orderId)
        .where('type', '=', 'alternatives_offered')
        .executeTakeFirst();
      return {
        scenario,
        requestedDomain: request.domain,
        alternatives: ((offered?.data as { alternatives?: OfferedAlternative[] } | undefined)?.alternatives ?? []).map(({ domain, priceCents, currency }) => ({
          domain,
          priceCents,
          currency,
        })),
        orderId: status.orderId,
        trackingToken: body.trackingToken,
        domain: status.domain,
        state: status.state,
        timeline: status.timeline,
        report: status.report ?? null,
      };
    },
  );
};
