// Server-rendered pages: the payment return/cancel pages and a plain tracking page (the React front end builds on the same API).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { findOrderByToken, timeline } from '../../db/orders.ts';
import { timelineMessage } from '../../domain/timeline.ts';
import { addJob } from '../../db/database.ts';
import type { Locale } from '../error-messages.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Conciergerie</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.6rem}ol{padding-left:1.2rem}li{margin:.3rem 0}time{color:#616e7c;font-size:.9em;margin-right:.5rem}
a.button{display:inline-block;background:#0b5fff;color:#fff;padding:.6rem 1rem;border-radius:.4rem;text-decoration:none}</style>
</head><body>${body}</body></html>`;
}

const t = {
  fr: {
    home: 'Votre site en ligne, à votre nom de domaine, en quelques heures.',
    homeLead: 'Nous vérifions le domaine, l’achetons, hébergeons et sécurisons votre site, puis le surveillons. Express en 4 h, standard en 24 h.',
    tracking: 'Suivi de votre commande',
    state: 'État',
    notFound: 'Commande introuvable.',
    thanks: 'Merci ! Votre paiement est en cours de confirmation.',
    follow: 'Suivre ma commande',
    cancelled: 'Paiement annulé. Vous pouvez reprendre quand vous voulez.',
    pay: 'Payer',
  },
  en: {
    home: 'Your site online, at your own domain, within hours.',
    homeLead: 'We check the domain, buy it, host and secure your site, then keep watching it. Express within 4 h, standard within 24 h.',
    tracking: 'Your order',
    state: 'State',
    notFound: 'Order not found.',
    thanks: 'Thank you! Your payment is being confirmed.',
    follow: 'Follow my order',
    cancelled: 'Payment cancelled. You can come back to it whenever you like.',
    pay: 'Pay',
  },
};

export const pageRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const l = req.locale;
    return reply
      .type('text/html; charset=utf-8')
      .send(page(l, 'Conciergerie', `<h1>${t[l].home}</h1><p>${t[l].homeLead}</p><p><a href="/docs">API</a></p>`));
  });

  const tracking = async (token: string, lang: Locale | undefined) => {
    const order = /^[A-Za-z0-9_-]{32,64}$/.test(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) return { status: 404, html: page(lang ?? 'en', '404', `<h1>${t[lang ?? 'en'].notFound}</h1>`) };
    const l = lang ?? order.locale;
    const events = await timeline(db, order.id);
    const items = events
      .map((e) => `<li><time datetime="${e.at.toISOString()}">${escapeHtml(e.at.toISOString().slice(0, 16).replace('T', ' '))} UTC</time>${escapeHtml(timelineMessage(e.type, e.data, l))}</li>`)
      .join('');
    const pay = order.state === 'awaiting_payment' || order.state === 'payment_expired' ? `<p><a class="button" href="/pay/${order.tracking_token}">${t[l].pay}</a></p>` : '';
    return {
      status: 200,
      html: page(l, t[l].tracking, `<h1>${t[l].tracking} · ${escapeHtml(order.domain_unicode)}</h1><p>${t[l].state} : <strong>${escapeHtml(order.state)}</strong></p>${pay}<ol>${items}</ol>`),
    };
  };
  const params = z.object({ token: z.string().max(100) });
  const query = z.object({ lang: z.enum(['fr', 'en']).optional(), payment: z.string().optional() });
  app.get('/suivi/:token', { schema: { hide: true, params, querystring: query } }, async (req, reply) => {
    const r = await tracking(req.params.token, req.query.lang ?? 'fr');
    return reply.code(r.status).type('text/html; charset=utf-8').send(r.html);
  });
  app.get('/track/:token', { schema: { hide: true, params, querystring: query } }, async (req, reply) => {
    const r = await tracking(req.params.token, req.query.lang ?? 'en');
    return reply.code(r.status).type('text/html; charset=utf-8').send(r.html);
  });

  // PayPal appends its own ?token=<order id>&PayerID=… to the return URL, so ours is called `order`
  const back = z.object({ order: z.string().max(100).optional(), token: z.string().max(100).optional(), PayerID: z.string().max(100).optional(), lang: z.enum(['fr', 'en']).optional() }).passthrough();
  app.get('/payment/return', { schema: { hide: true, querystring: back } }, async (req, reply) => {
    const order = req.query.order ? await findOrderByToken(db, req.query.order) : undefined;
    if (order && order.payment_provider === 'paypal' && req.query.token && req.query.PayerID) {
      // the buyer approved: capture now rather than wait for the webhook (the capture is idempotent)
      await addJob(db, 'capture_paypal', { orderId: order.id, paypalOrderId: req.query.token }, { jobKey: `capture:${req.query.token}` });
    }
    const l = order?.locale ?? req.locale;
    const link = order ? `<p><a class="button" href="/${l === 'fr' ? 'suivi' : 'track'}/${order.tracking_token}">${t[l].follow}</a></p>` : '';
    return reply.type('text/html; charset=utf-8').send(page(l, t[l].thanks, `<h1>${t[l].thanks}</h1>${link}`));
  });
  app.get('/payment/cancel', { schema: { hide: true, querystring: back } }, async (req, reply) => {
    const order = req.query.order ? await findOrderByToken(db, req.query.order) : undefined;
    const l = order?.locale ?? req.locale;
    const link = order ? `<p><a class="button" href="/pay/${order.tracking_token}">${t[l].pay}</a></p>` : '';
    return reply.type('text/html; charset=utf-8').send(page(l, t[l].cancelled, `<h1>${t[l].cancelled}</h1>${link}`));
  });
};
