// Admin API: login (session cookie + CSRF) or bearer token; orders (paged), an order's whole story, actions, the outbox (paged), providers' health.
import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AdminPassword, createSession, endSession, findSession, requireAdmin } from '../admin-auth.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { enqueue } from '../../workflow/jobs/enqueue.ts';
import { isStepName } from '../../domain/steps.ts';
import { orderStatus } from '../../workflow/status.ts';
import { satisfactionOf } from '../../workflow/satisfaction.ts';
import { holderOf } from '../../db/holders.ts';
import { scheduleStep } from '../../workflow/schedule.ts';
import { startRefund } from '../../workflow/failure.ts';
import { WORKING_STATES } from '../../domain/order-state.ts';
import { limited } from '../rate-limits.ts';
import { listOrders, listOutbox, outboxEmail } from '../admin-lists.ts';
import { routes } from '../../contract/index.ts';

const WORKING: string[] = WORKING_STATES;

export const adminRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string }> = async (fastify, { deps, adminToken }) => {
  const { db, config } = deps;
  const password = new AdminPassword(config);
  const secureCookie = config.publicUrl.startsWith('https://');

  // Open routes: logging in and out.
  const open = fastify.withTypeProvider<ZodTypeProvider>();
  open.post('/api/admin/login', limited(config, 'POST /api/admin/login', 'admin_login'), async (req, reply) => {
    if (!password.verify(req.body.password)) throw new AppError('login_failed', 401);
    const csrfToken = await createSession(db, reply, secureCookie);
    deps.log.info({ event: 'admin_login' }, 'admin logged in');
    return { ok: true, csrfToken };
  });
  open.post('/api/admin/logout', { schema: routes['POST /api/admin/logout'] }, async (req, reply) => {
    await endSession(db, req, reply);
    return { ok: true };
  });
  open.get('/api/admin/session', { schema: routes['GET /api/admin/session'] }, async (req) => {
    const session = await findSession(db, req);
    if (!session) throw new AppError('unauthorized', 401);
    return { ok: true, csrfToken: session.csrf };
  });

  // Everything else needs the admin.
  await fastify.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req, reply) => requireAdmin(db, adminToken, req, reply));

    app.get('/api/admin/outbox', { schema: routes['GET /api/admin/outbox'] }, async (req) => listOutbox(deps, req.query));
    app.get('/api/admin/outbox/:id', { schema: routes['GET /api/admin/outbox/:id'] }, async (req) => {
      const row = await db.selectFrom('outbox_emails').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!row) throw new AppError('not_found', 404);
      return { ...outboxEmail(row), from: config.MAIL_FROM, html: row.html_body, text: row.text_body };
    });

    app.get('/api/admin/orders', { schema: routes['GET /api/admin/orders'] }, async (req) => listOrders(deps, req.query));

    const loadOrder = async (id: string) => {
      const order = await findOrderById(db, id);
      if (!order) throw new AppError('order_not_found', 404);
      return order;
    };

    app.get('/api/admin/orders/:id', { schema: routes['GET /api/admin/orders/:id'] }, async (req) => {
      const order = await loadOrder(req.params.id);
      const [status, satisfaction, holder, steps, providerCalls, emails] = await Promise.all([
        orderStatus(deps, order, req.query.lang ?? req.locale),
        satisfactionOf(deps, order.id),
        holderOf(db, order.id),
        db.selectFrom('order_steps').selectAll().where('order_id', '=', order.id).orderBy('started_at').execute(),
        db
          .selectFrom('provider_calls')
          .select(['provider', 'operation', 'outcome', 'error_code', 'duration_ms', 'at'])
          .where('order_id', '=', order.id)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('outbox_emails')
          .select(['id', 'kind', 'subject', 'state', 'to_address', 'sent_at', 'attempts', 'last_error', 'created_at'])
          .where('order_id', '=', order.id)
          .orderBy('created_at')
          .execute(),
      ]);
      const { tracking_token: _hidden, ...safe } = order;
      return { order: safe, status, satisfaction, holder: holder ?? null, steps, providerCalls, emails };
    });

    app.post('/api/admin/orders/:id/retry', { schema: routes['POST /api/admin/orders/:id/retry'] }, async (req) => {
      const order = await loadOrder(req.params.id);
      const step = order.current_step;
      if (order.state === 'refunding') {
        await enqueue(db, 'refund_order', { orderId: order.id }, { mode: 'replace' });
      } else if (WORKING.includes(order.state) && step && isStepName(step) && (!req.body?.step || req.body.step === step)) {
        await db.transaction().execute(async (tx) => {
          await tx.updateTable('order_steps').set({ failures: 0 }).where('order_id', '=', order.id).where('step', '=', order.current_step!).execute();
          await addEvent(tx, order.id, 'admin_action', { action: 'retry', step: order.current_step });
          await scheduleStep(tx, order, step, { runAt: new Date(), replace: true });
        });
      } else {
        throw new AppError('action_not_possible', 409);
      }
      deps.log.info({ event: 'admin_retry', orderId: order.id, step: order.current_step }, 'admin retried a step');
      return { ok: true, step: order.current_step };
    });

    app.post('/api/admin/orders/:id/refund', { schema: routes['POST /api/admin/orders/:id/refund'] }, async (req) => {
      const order = await loadOrder(req.params.id);
      await addEvent(db, order.id, 'admin_action', { action: 'refund' });
      if (!(await startRefund(deps, order.id, order.current_step ?? 'admin', 'admin_refund'))) throw new AppError('action_not_possible', 409);
      deps.log.info({ event: 'admin_refund', orderId: order.id }, 'admin refunded an order');
      return { ok: true };
    });

    app.post('/api/admin/orders/:id/resend-email', { schema: routes['POST /api/admin/orders/:id/resend-email'] }, async (req) => {
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
        await enqueue(tx, 'send_email', { emailId: id });
        await addEvent(tx, order.id, 'admin_action', { action: 'resend_email', kind: email.kind });
      });
      return { ok: true, emailId: id };
    });

    app.get('/api/admin/providers/health', { schema: routes['GET /api/admin/providers/health'] }, async () => {
      const { rows } = await sql<{ provider: string; calls: string; errors: string; p50: number | null }>`
        select provider, count(*) as calls, count(*) filter (where outcome <> 'ok') as errors,
               percentile_cont(0.5) within group (order by duration_ms) as p50
        from provider_calls where at > now() - interval '15 minutes' group by provider order by provider`.execute(db);
      const circuits = new Map(deps.circuits.all().map((c) => [c.provider, c.state]));
      // the providers every order depends on are listed even before their first call (SMTP included)
      const names = new Set([
        deps.registrar.name,
        deps.hosting.name,
        ...Object.keys(deps.payments),
        'smtp',
        ...rows.map((r) => r.provider),
        ...circuits.keys(),
      ]);
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
