// The order's live view: status JSON, and a server-sent-events stream of it (past events first, then each change as it commits).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findOrderById, findOrderByToken, timelineSince } from '../../db/orders.ts';
import { orderStatus, type OrderStatus } from '../../workflow/status.ts';
import { chooseDomain } from '../../workflow/failure.ts';
import { StatusFeeds, type OrderEvents } from '../live.ts';
import { isTrackingToken } from '../../domain/order-state.ts';
import type { Locale } from '../../domain/locale.ts';
import { limited } from '../rate-limits.ts';

export const liveRoutes: FastifyPluginAsync<{ deps: Deps; events: OrderEvents }> = async (fastify, { deps, events }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  // one status per order and change for all the streams following it, each sent only the events it lacks
  const feeds = new StatusFeeds<OrderStatus>(events, async (orderId, locale, cursor) => {
    const [fresh, read] = await Promise.all([findOrderById(db, orderId), timelineSince(db, orderId, cursor)]);
    return fresh && { status: await orderStatus(deps, fresh, locale as Locale, read.events), horizon: read.horizon };
  });
  const streams = new OpenStreams(deps.config.SSE_MAX_STREAMS_PER_TOKEN, deps.config.SSE_MAX_STREAMS_PER_ADDRESS);
  const load = async (token: string) => {
    const order = isTrackingToken(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    return order;
  };

  app.get('/api/concierge/status/:token', limited(deps.config, 'GET /api/concierge/status/:token', 'status'), async (req) => {
    const order = await load(req.params.token);
    return orderStatus(deps, order, req.query.lang ?? order.locale);
  });

  app.get('/api/concierge/status/:token/events', limited(deps.config, 'GET /api/concierge/status/:token/events', 'status_stream'), async (req, reply) => {
    const order = await load(req.params.token);
    const locale = req.query.lang ?? order.locale;
    // A stream holds a socket and a subscription for as long as the client likes, so each token and each
    // address may hold only so many at once (in this process); past that, 429 before anything is opened
    const release = streams.open(order.id, req.ip);
    reply.hijack();
    const res = reply.raw;
    res.on('close', release);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    // The browser's EventSource sends back the last id it got when it reconnects ("<event id>:<horizon>"): only what
    // it lacks is sent again. Without one, the whole timeline first.
    const resume = /^(\d{1,15}):(\d{1,20})$/.exec(String(req.headers['last-event-id'] ?? ''));
    const cursor = resume ? { after: Number(resume[1]), horizon: resume[2] } : { after: 0 };
    const unfollow = feeds.follow(order.id, locale, cursor, (_status, at, text) =>
      res.write(`event: status\nid: ${at.after}:${at.horizon}\ndata: ${text}\n\n`),
    );
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), 15_000);
    req.raw.on('close', () => {
      release();
      clearInterval(keepalive);
      unfollow();
    });
  });

  app.post('/api/concierge/status/:token/domain', limited(deps.config, 'POST /api/concierge/status/:token/domain', 'domain_choice'), async (req) => {
    const order = await load(req.params.token);
    const outcome = await chooseDomain(deps, order.id, req.body.domain.toLowerCase());
    if (outcome === 'wrong_state') throw new AppError('order_not_waiting_for_domain', 409);
    if (outcome === 'not_offered') throw new AppError('domain_not_offered', 422);
    return { ok: true, domain: req.body.domain.toLowerCase() };
  });
};

/** Live streams open in this process, counted per order and per client address. */
class OpenStreams {
  private readonly perOrder = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly maxPerToken: number,
    private readonly maxPerAddress: number,
  ) {}

  /** Counts one more stream, or throws 429 `too_many_streams`; the function returned gives the place back (once). */
  open(orderId: string, address: string): () => void {
    if ((this.perOrder.get(orderId) ?? 0) >= this.maxPerToken || (this.perAddress.get(address) ?? 0) >= this.maxPerAddress) {
      // a place frees when another stream of the same order or address closes: a browser tab left open may keep it long
      throw new AppError('too_many_streams', 429, {}, { retryAfterSeconds: 30 });
    }
    bump(this.perOrder, orderId, 1);
    bump(this.perAddress, address, 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      bump(this.perOrder, orderId, -1);
      bump(this.perAddress, address, -1);
    };
  }
}

function bump(counts: Map<string, number>, key: string, by: number) {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
