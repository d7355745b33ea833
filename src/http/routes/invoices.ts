// Invoices and credit notes over HTTP: the customer's list and PDFs behind the tracking token, the operators' list,
// totals and exports behind the admin login.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findOrderByToken } from '../../db/orders.ts';
import { isTrackingToken } from '../../domain/order-state.ts';
import { documentsOfOrder } from '../../billing/customer.ts';
import { documentPdf } from '../../billing/files.ts';
import { documentsCsv, documentsFec, documentsOf, listDocuments, vatTotals } from '../../billing/ledger.ts';
import { routes } from '../../contract/index.ts';
import { limited } from '../rate-limits.ts';
import { requireAdmin } from '../admin-auth.ts';
import { requestOperatorRefund, requestWithdrawal } from '../../billing/refunds.ts';
import { recordAdminAction } from '../../monitoring/operations.ts';

export const invoiceRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string }> = async (fastify, { deps, adminToken }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db } = deps;
  const orderOf = async (token: string) => {
    const order = isTrackingToken(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    return order;
  };

  app.get('/api/concierge/status/:token/invoices', limited(config, 'GET /api/concierge/status/:token/invoices', 'status'), async (req) => {
    const order = await orderOf(req.params.token);
    return (await documentsOfOrder(db, config.publicUrl, order.id)).map(({ orderId: _, ...d }) => d);
  });

  app.get(
    '/api/concierge/status/:token/invoices/:number',
    limited(config, 'GET /api/concierge/status/:token/invoices/:number', 'status'),
    async (req, reply) => {
      const order = await orderOf(req.params.token);
      // the number alone finds nothing: it must be one of this order's documents
      const doc = await db.selectFrom('invoices').select('id').where('order_id', '=', order.id).where('number', '=', req.params.number).executeTakeFirst();
      const file = doc && (await documentPdf(db, doc.id));
      if (!file) throw new AppError('invoice_not_found', 404);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${file.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(file.pdf);
    },
  );

  app.post('/api/concierge/status/:token/withdrawal', limited(config, 'POST /api/concierge/status/:token/withdrawal', 'payment_link'), async (req, reply) => {
    const order = await orderOf(req.params.token);
    return reply.code(202).send(await requestWithdrawal(deps, order));
  });

  await fastify.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('onRequest', async (req, reply) => requireAdmin(db, adminToken, req, reply));
    admin.post('/api/admin/orders/:id/refunds', { schema: routes['POST /api/admin/orders/:id/refunds'] }, async (req, reply) => {
      const queued = await requestOperatorRefund(deps, req.params.id, req.body, req.adminActor ?? 'api');
      await recordAdminAction(deps, req.adminActor, 'order_refund', req.params.id, { amountCents: queued.amountCents, reason: req.body.reason });
      return reply.code(202).send(queued);
    });
    admin.get('/api/admin/invoices', { schema: routes['GET /api/admin/invoices'] }, async (req) => listDocuments(db, req.query));
    admin.get('/api/admin/invoices/totals', { schema: routes['GET /api/admin/invoices/totals'] }, async (req) =>
      vatTotals(db, config.CURRENCY, req.query.from, req.query.to),
    );
    const attachment = (name: string) => `attachment; filename="${name}"`;
    admin.get('/api/admin/invoices/export.csv', { schema: routes['GET /api/admin/invoices/export.csv'] }, async (req, reply) => {
      const docs = await documentsOf(db, req.query.from, req.query.to);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`documents-${req.query.from}-${req.query.to}.csv`))
        .send(documentsCsv(docs));
    });
    admin.get('/api/admin/invoices/export.fec', { schema: routes['GET /api/admin/invoices/export.fec'] }, async (req, reply) => {
      const docs = await documentsOf(db, req.query.from, req.query.to);
      // the FEC's file name: SIREN, FEC, the closing date (BOI-CF-IOR-60-40-20)
      const siren = config.SELLER_SIREN ?? '000000000';
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', attachment(`${siren}FEC${req.query.to.replace(/-/g, '')}.txt`))
        .send(documentsFec(docs));
    });
    admin.get('/api/admin/invoices/:id/pdf', { schema: routes['GET /api/admin/invoices/:id/pdf'] }, async (req, reply) => {
      const file = await documentPdf(db, req.params.id);
      if (!file) throw new AppError('invoice_not_found', 404);
      return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${file.number}.pdf"`).send(file.pdf);
    });
  });
};
