// The order's live view: status JSON, and a server-sent-events stream of it (past events first, then each change as it commits).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findOrderById, findOrderByToken } from '../../db/orders.ts';
import { orderStatus } from '../../workflow/status.ts';
import { chooseDomain } from '../../workflow/failure.ts';
import type { OrderEvents } from '../live.ts';
import { isTrackingToken } from '../../domain/order-state.ts';

const tokenParam = z.object({ token: z.string().min(1).max(100) });

export const liveRoutes: FastifyPluginAsync<{ deps: Deps; events: OrderEvents }> = async (fastify, { deps, events }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const load = async (token: string) => {
    const order = isTrackingToken(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    return order;
  };

  app.get(
    '/api/concierge/status/:token',
    {
      schema: {
        tags: ['public'],
        summary: 'Where the order stands: state, steps with ETA, timeline, links.',
        params: tokenParam,
        querystring: z.object({ lang: z.enum(['fr', 'en']).optional() }),
      },
    },
    async (req) => {
      const order = await load(req.params.token);
      return orderStatus(deps, order, req.query.lang ?? order.locale);
    },
  );

  app.get(
    '/api/concierge/status/:token/events',
    {
      schema: {
        tags: ['public'],
        summary: 'Server-sent events: `event: status` with the status JSON, at once and after every change.',
        params: tokenParam,
        querystring: z.object({ lang: z.enum(['fr', 'en']).optional() }),
      },
    },
    async (req, reply) => {
      const order = await load(req.params.token);
      const locale = req.query.lang ?? order.locale;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      let closed = false;
      let pending = false;
      let running = false;
      let lastSent = -1;
      const send = async () => {
        if (closed) return;
        if (running) {
          pending = true;
          return;
        }
        running = true;
        try {
          do {
            pending = false;
            const fresh = await findOrderById(db, order.id);
            if (!fresh || closed) break;
            const status = await orderStatus(deps, fresh, locale);
            const stamp = status.lastEventId * 1000 + (status.final ? 1 : 0);
            if (stamp !== lastSent) {
              lastSent = stamp;
              res.write(`event: status\nid: ${status.lastEventId}\ndata: ${JSON.stringify(status)}\n\n`);
            }
          } while (pending && !closed);
        } catch {
          // the database is restarting: the next notification (or the reconnect) sends again
        } finally {
          running = false;
        }
      };
      const unsubscribe = events.subscribe(order.id, () => void send());
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), 15_000);
      req.raw.on('close', () => {
        closed = true;
        clearInterval(keepalive);
        unsubscribe();
      });
      await send();
    },
  );

  app.post(
    '/api/concierge/status/:token/domain',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'After the domain was taken at purchase time: continue with one of the names offered.',
        params: tokenParam,
        body: z.object({ domain: z.string().trim().min(1).max(300) }),
      },
    },
    async (req) => {
      const order = await load(req.params.token);
      const outcome = await chooseDomain(deps, order.id, req.body.domain.toLowerCase());
      if (outcome === 'wrong_state') throw new AppError('order_not_waiting_for_domain', 409);
      if (outcome === 'not_offered') throw new AppError('domain_not_offered', 422);
      return { ok: true, domain: req.body.domain.toLowerCase() };
    },
  );
};
