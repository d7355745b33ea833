// Admin API: every route needs `Authorization: Bearer $ADMIN_TOKEN` (compared in constant time); anything else is 401.
import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { AppOptions } from '../app.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export const adminRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string; sandboxOutbox?: AppOptions['sandboxOutbox'] }> = async (
  fastify,
  { deps, adminToken, sandboxOutbox },
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m || !sameSecret(m[1]!, adminToken)) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError('unauthorized', 401);
    }
  });

  app.get(
    '/api/admin/outbox',
    {
      schema: {
        tags: ['admin'],
        security: [{ admin: [] }],
        summary: "Emails as the sandbox SMTP server received them (or, with a real SMTP server, our outbox's record).",
        querystring: z.object({ to: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => {
      const { to, limit } = req.query;
      if (sandboxOutbox) {
        const messages = sandboxOutbox()
          .filter((m) => !to || m.to.some((t) => t.toLowerCase() === to.toLowerCase()))
          .sort((a, b) => b.date.localeCompare(a.date))
          .slice(0, limit);
        return { source: 'sandbox_smtp', messages };
      }
      let q = deps.db.selectFrom('outbox_emails').selectAll().orderBy('created_at', 'desc').limit(limit);
      if (to) q = q.where('to_address', '=', to);
      const rows = await q.execute();
      return {
        source: 'outbox',
        messages: rows.map((r) => ({
          to: [r.to_address],
          from: deps.config.MAIL_FROM,
          subject: r.subject,
          date: (r.sent_at ?? r.created_at).toISOString(),
          state: r.state,
          messageId: r.message_id,
          html: r.html_body,
          text: r.text_body,
        })),
      };
    },
  );

  app.get(
    '/api/admin/orders',
    {
      schema: {
        tags: ['admin'],
        security: [{ admin: [] }],
        summary: 'Orders, newest first.',
        querystring: z.object({ state: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => {
      let q = deps.db
        .selectFrom('orders')
        .select(['id', 'domain', 'business_name', 'email', 'tier', 'state', 'total_cents', 'currency', 'created_at', 'paid_at', 'deadline_at'])
        .orderBy('created_at', 'desc')
        .limit(req.query.limit);
      if (req.query.state) q = q.where('state', '=', req.query.state);
      return { orders: await q.execute() };
    },
  );
};
