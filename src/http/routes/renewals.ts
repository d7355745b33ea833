// The automatic renewal switch over HTTP, from the tracking page (its token): the customer's space calls the same
// setAutoRenew behind its own session and CSRF guard.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { autoRenewBody } from '../../contract/renewals.ts';
import { findOrderByToken } from '../../db/orders.ts';
import { AppError } from '../../errors.ts';
import { setAutoRenew } from '../../workflow/renewals/plan.ts';
import { parseOrThrow } from '../field-problems.ts';
import { limited } from '../rate-limits.ts';

const TOKEN = /^[A-Za-z0-9_-]{16,100}$/;

export const renewalRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/concierge/status/:token/auto-renew',
    { ...limited(deps.config, 'POST /api/concierge/status/:token/auto-renew', 'renewal_toggle'), attachValidation: true },
    async (req) => {
      const body = parseOrThrow(autoRenewBody, req.body, req.locale);
      // tracking tokens are base64url: anything else (a NUL, markup) is no order, without asking the database
      const order = TOKEN.test(req.params.token) ? await findOrderByToken(deps.db, req.params.token) : undefined;
      if (!order) throw new AppError('order_not_found', 404);
      return setAutoRenew(deps.db, deps.config, order.id, body.on);
    },
  );
};
