// Our legal pages (terms of sale and privacy policy by version, the legal notice), what the order form needs to link
// them, and a customer's personal data by their order's tracking token: the JSON export and the erasure.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findOrderByToken } from '../../db/orders.ts';
import { isTrackingToken } from '../../domain/order-state.ts';
import type { Locale } from '../../domain/locale.ts';
import { legalPath, type LegalKind } from '../../legal/documents.ts';
import { currentText, currentVersion, findText, versionsOf } from '../../legal/texts.ts';
import { legalPartiesOf, sellerOf } from '../../legal/seller.ts';
import { WITHDRAWAL_DAYS } from '../../legal/consent.ts';
import { exportPersonalData } from '../../legal/export.ts';
import { erasePersonalData, previousErasure } from '../../legal/erasure.ts';
import { legalNoticePage, legalTextPage } from '../legal-pages.ts';
import { limited } from '../rate-limits.ts';

const PAGES: [path: string, kind: LegalKind, locale: Locale][] = [
  ['/conditions-generales', 'terms', 'fr'],
  ['/terms', 'terms', 'en'],
  ['/confidentialite', 'privacy', 'fr'],
  ['/privacy', 'privacy', 'en'],
];

function html(reply: FastifyReply, page: string, cache: boolean) {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', cache ? 'public, max-age=300' : 'no-store')
    .send(page);
}

export const legalRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db } = deps;
  // the texts in force are kept as this process starts: showing a page never writes, and a text is in legal_texts before
  // anyone can accept it
  fastify.addHook('onReady', async () => {
    try {
      for (const [, kind, locale] of PAGES) await currentText(db, config, kind, locale);
    } catch (err) {
      deps.log.warn({ event: 'legal_texts_not_published', err: (err as Error).message }, 'legal texts not published yet (published when first shown)');
    }
  });
  const urls = (kind: LegalKind | 'notice') => ({ fr: `${config.publicUrl}${legalPath(kind, 'fr')}`, en: `${config.publicUrl}${legalPath(kind, 'en')}` });

  app.get('/api/legal', limited(config, 'GET /api/legal', 'legal_page'), async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return {
      terms: { version: currentVersion('terms'), urls: urls('terms') },
      privacy: { version: currentVersion('privacy'), urls: urls('privacy') },
      notice: { urls: urls('notice') },
      withdrawalDays: WITHDRAWAL_DAYS,
      unpaidRetentionDays: config.UNPAID_ORDER_RETENTION_DAYS,
    };
  });

  for (const [path, kind, locale] of PAGES) {
    app.get(path, limited(config, `GET ${path}` as 'GET /terms', 'legal_page'), async (req, reply) => {
      const { version, text: sha256 } = req.query;
      const text = await findText(db, config, kind, locale, { version, sha256 });
      // an exact text is shown in its own language, whichever page asked for it
      if (!text || (sha256 && text.kind !== kind)) throw new AppError('not_found', 404);
      return html(reply, legalTextPage(text, versionsOf(kind)), !sha256 && !version);
    });
  }
  for (const [path, locale] of [
    ['/mentions-legales', 'fr'],
    ['/legal-notice', 'en'],
  ] as const) {
    app.get(path, limited(config, `GET ${path}`, 'legal_page'), async (_req, reply) =>
      html(reply, legalNoticePage(locale, sellerOf(config), legalPartiesOf(config).host), true),
    );
  }

  const orderOf = async (token: string) => {
    const order = isTrackingToken(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    return order;
  };

  app.get(
    '/api/concierge/status/:token/personal-data',
    limited(config, 'GET /api/concierge/status/:token/personal-data', 'personal_data'),
    async (req, reply) => {
      const order = await orderOf(req.params.token);
      const data = await exportPersonalData(deps, order.email);
      reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="personal-data-${order.id}.json"`);
      return data;
    },
  );

  app.post('/api/concierge/status/:token/erasure', limited(config, 'POST /api/concierge/status/:token/erasure', 'personal_data'), async (req) => {
    const order = await orderOf(req.params.token);
    const locale = req.query.lang ?? req.body.lang ?? order.locale;
    // this order's address is gone already: the erasure that took it answers again
    if (order.erased_at) {
      const previous = await previousErasure(deps, { orderId: order.id }, locale);
      if (previous) return previous;
    }
    return erasePersonalData(deps, order.email, { reason: 'customer', locale });
  });
};
