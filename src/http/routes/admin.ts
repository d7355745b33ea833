// Admin API: login (session cookie + CSRF) or bearer token; orders, an order's whole story, actions, outbox, providers' health.
import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { AppOptions } from '../app.ts';
import { AdminPassword, createSession, endSession, findSession, requireAdmin } from '../admin-auth.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { addJob } from '../../db/database.ts';
import { orderStatus } from '../../workflow/status.ts';
import { scheduleStep } from '../../workflow/schedule.ts';
import { startRefund } from '../../workflow/failure.ts';
import { WORKING_STATES } from '../../domain/order-state.ts';
import { perMinute } from '../rate-limits.ts';

const WORKING: string[] = WORKING_STATES;

export const adminRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string; sandboxOutbox?: AppOptions['sandboxOutbox'] }> = async (
  fastify,
  { deps, adminToken, sandboxOutbox },
) => {
  const { db, config } = deps;
  const password = new AdminPassword(config);
  const secureCookie = config.publicUrl.startsWith('https://');

  // Open routes: logging in and out.
  const open = fastify.withTypeProvider<ZodTypeProvider>();
  open.post(
    '/api/admin/login',
    {
      config: { rateLimit: perMinute(config, 'admin_login') },
      schema: { tags: ['admin'], summary: 'Log in with the admin password: sets an httpOnly session cookie.', body: z.object({ password: z.string().min(1).max(200) }) },
    },
    async (req, reply) => {
      if (!password.verify(req.body.password)) throw new AppError('login_failed', 401);
      const csrfToken = await createSession(db, reply, secureCookie);
      deps.log.info({ event: 'admin_login' }, 'admin logged in');
      return { ok: true, csrfToken };
    },
  );
  open.post('/api/admin/logout', { schema: { tags: ['admin'] } }, async (req, reply) => {
    await endSession(db, req, reply);
    return { ok: true };
  });
  open.get('/api/admin/session', { schema: { tags: ['admin'], summary: 'Whether the session cookie is valid, with its CSRF token.' } }, async (req) => {
    const session = await findSession(db, req);
    if (!session) throw new AppError('unauthorized', 401);
    return { ok: true, csrfToken: session.csrf };
  });

  // Everything else needs the admin.
  await fastify.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req, reply) => requireAdmin(db, adminToken, req, reply));
    const security = [{ admin: [] }];

    app.get(
      '/api/admin/outbox',
      {
        schema: {
          tags: ['admin'],
          security,
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
        let q = db.selectFrom('outbox_emails').selectAll().orderBy('created_at', 'desc').limit(limit);
        if (to) q = q.where('to_address', '=', to);
        const rows = await q.execute();
        return {
          source: 'outbox',
          messages: rows.map((r) => ({
            to: [r.to_address],
            from: config.MAIL_FROM,
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
          security,
          summary: 'Orders, newest first, with filters and search.',
          querystring: z.object({
            state: z.string().max(40).optional(),
            tier: z.enum(['express', 'standard']).optional(),
            atRisk: z.enum(['true', 'false']).optional(),
            q: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
        },
      },
      async (req) => {
        const { state, tier, atRisk, q, limit } = req.query;
        // at risk: working on it, and past ALERT_DEADLINE_RISK_SHARE of the time to the deadline (as the alert and the overview count it)
        const risk = sql<boolean>`(o.state = any(${WORKING}) and o.deadline_at is not null and now() > o.paid_at + (o.deadline_at - o.paid_at) * ${config.ALERT_DEADLINE_RISK_SHARE}::float8)`;
        let query = db
          .selectFrom('orders as o')
          .select(['o.id', 'o.domain', 'o.domain_unicode', 'o.business_name', 'o.email', 'o.tier', 'o.state', 'o.total_cents', 'o.currency', 'o.created_at', 'o.paid_at', 'o.deadline_at', 'o.delivered_at', 'o.current_step'])
          .select(risk.as('at_risk'))
          .orderBy('o.created_at', 'desc')
          .limit(limit);
        if (state) query = query.where('o.state', '=', state);
        if (tier) query = query.where('o.tier', '=', tier);
        if (atRisk === 'true') query = query.where(risk);
        if (q) {
          const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          query = query.where((eb) =>
            eb.or([eb('o.domain', 'ilike', like), eb('o.domain_unicode', 'ilike', like), eb('o.business_name', 'ilike', like), eb('o.email', 'ilike', like), eb(sql`o.id::text`, 'like', like)]),
          );
        }
        return { orders: await query.execute() };
      },
    );

    const idParam = z.object({ id: z.uuid() });
    const loadOrder = async (id: string) => {
      const order = await findOrderById(db, id);
      if (!order) throw new AppError('order_not_found', 404);
      return order;
    };

    app.get('/api/admin/orders/:id', { schema: { tags: ['admin'], security, summary: "An order's whole story.", params: idParam, querystring: z.object({ lang: z.enum(['fr', 'en']).optional() }) } }, async (req) => {
      const order = await loadOrder(req.params.id);
      const [status, steps, providerCalls, emails] = await Promise.all([
        orderStatus(deps, order, req.query.lang ?? req.locale),
        db.selectFrom('order_steps').selectAll().where('order_id', '=', order.id).orderBy('started_at').execute(),
        db.selectFrom('provider_calls').select(['provider', 'operation', 'outcome', 'error_code', 'duration_ms', 'at']).where('order_id', '=', order.id).orderBy('id').execute(),
        db.selectFrom('outbox_emails').select(['id', 'kind', 'subject', 'state', 'to_address', 'sent_at', 'attempts', 'last_error', 'created_at']).where('order_id', '=', order.id).orderBy('created_at').execute(),
      ]);
      const { tracking_token: _hidden, ...safe } = order;
      return { order: safe, status, steps, providerCalls, emails };
    });

    app.post(
      '/api/admin/orders/:id/retry',
      { schema: { tags: ['admin'], security, summary: 'Run the current step again now (its failure count starts over).', params: idParam, body: z.object({ step: z.string().max(40).optional() }).optional() } },
      async (req) => {
        const order = await loadOrder(req.params.id);
        if (order.state === 'refunding') {
          await addJob(db, 'refund_order', { orderId: order.id }, { jobKey: `refund:${order.id}`, jobKeyMode: 'replace' });
        } else if (WORKING.includes(order.state) && order.current_step && (!req.body?.step || req.body.step === order.current_step)) {
          await db.transaction().execute(async (tx) => {
            await tx.updateTable('order_steps').set({ failures: 0 }).where('order_id', '=', order.id).where('step', '=', order.current_step!).execute();
            await addEvent(tx, order.id, 'admin_action', { action: 'retry', step: order.current_step });
            await scheduleStep(tx, order, order.current_step!, { runAt: new Date(), replace: true });
          });
        } else {
          throw new AppError('action_not_possible', 409);
        }
        deps.log.info({ event: 'admin_retry', orderId: order.id, step: order.current_step }, 'admin retried a step');
        return { ok: true, step: order.current_step };
      },
    );

    app.post('/api/admin/orders/:id/refund', { schema: { tags: ['admin'], security, summary: 'Stop the order and refund the customer.', params: idParam } }, async (req) => {
      const order = await loadOrder(req.params.id);
      await addEvent(db, order.id, 'admin_action', { action: 'refund' });
      if (!(await startRefund(deps, order.id, order.current_step ?? 'admin', 'admin_refund'))) throw new AppError('action_not_possible', 409);
      deps.log.info({ event: 'admin_refund', orderId: order.id }, 'admin refunded an order');
      return { ok: true };
    });

    app.post(
      '/api/admin/orders/:id/resend-email',
      { schema: { tags: ['admin'], security, summary: 'Send one of the order’s emails again.', params: idParam, body: z.object({ emailId: z.uuid() }) } },
      async (req) => {
        const order = await loadOrder(req.params.id);
        const email = await db.selectFrom('outbox_emails').selectAll().where('id', '=', req.body.emailId).where('order_id', '=', order.id).executeTakeFirst();
        if (!email) throw new AppError('not_found', 404);
        const id = crypto.randomUUID();
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('outbox_emails')
            .values({
              id,
              order_id: order.id,
              dedupe_key: `resend:${email.id}:${id}`,
              kind: email.kind,
              to_address: email.to_address,
              locale: email.locale,
              subject: email.subject,
              text_body: email.text_body,
              html_body: email.html_body,
              message_id: `<${id}@conciergerie.example>`,
            })
            .execute();
          await addJob(tx, 'send_email', { emailId: id }, { jobKey: `email:${id}`, maxAttempts: 12 });
          await addEvent(tx, order.id, 'admin_action', { action: 'resend_email', kind: email.kind });
        });
        return { ok: true, emailId: id };
      },
    );

    app.get('/api/admin/providers/health', { schema: { tags: ['admin'], security, summary: 'Circuit state and error rate per provider (last 15 minutes).' } }, async () => {
      const { rows } = await sql<{ provider: string; calls: string; errors: string; p50: number | null }>`
        select provider, count(*) as calls, count(*) filter (where outcome <> 'ok') as errors,
               percentile_cont(0.5) within group (order by duration_ms) as p50
        from provider_calls where at > now() - interval '15 minutes' group by provider order by provider`.execute(db);
      const circuits = new Map(deps.circuits.all().map((c) => [c.provider, c.state]));
      // the providers every order depends on are listed even before their first call (SMTP included)
      const names = new Set([deps.registrar.name, deps.hosting.name, ...Object.keys(deps.payments), 'smtp', ...rows.map((r) => r.provider), ...circuits.keys()]);
      return {
        providers: [...names].sort().map((provider) => {
          const r = rows.find((x) => x.provider === provider);
          const calls = Number(r?.calls ?? 0);
          const errors = Number(r?.errors ?? 0);
          return { provider, circuit: circuits.get(provider) ?? 'closed', calls, errors, errorRate: calls ? errors / calls : 0, p50Ms: r?.p50 ?? null };
        }),
      };
    });
  });
};
