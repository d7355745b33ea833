// Invoices and credit notes as routes: the customer's (behind the tracking token) and the operators' (list, totals
// per VAT rate, CSV and FEC exports, a document's PDF).
import { z } from 'zod';
import { errors, media, tokenParam } from '../common.ts';
import {
  customerDocument,
  documentParams,
  invoiceListQuery,
  invoicePage,
  periodQuery,
  refundQueued,
  refundRequest,
  vatTotals,
  withdrawalAnswer,
  withdrawalRequest,
} from '../invoices.ts';

const security: { [scheme: string]: string[] }[] = [{ admin: [] }, { session: [] }];
const guarded = { 401: 'unauthorized', 403: 'csrf_invalid: a session without its x-csrf-token' } as const;

export const invoiceRoutes = {
  'GET /api/concierge/status/:token/invoices': {
    tags: ['public'],
    summary: 'The order’s invoices and credit notes, oldest first, each with its PDF’s address (behind the same token).',
    params: tokenParam,
    response: { 200: z.array(customerDocument).describe('the documents'), ...errors({ 404: 'order_not_found' }) },
  },
  'GET /api/concierge/status/:token/invoices/:number': {
    tags: ['public'],
    summary: 'One document’s PDF, in the customer’s language (Factur-X, PDF/A-3 with its EN 16931 XML, for a business customer).',
    params: documentParams,
    response: { 200: media('the PDF', ['application/pdf'], 'bytes'), ...errors({ 404: '`order_not_found`, `invoice_not_found`' }) },
  },
  'POST /api/concierge/status/:token/withdrawal': {
    tags: ['public'],
    summary:
      'A consumer withdraws within 14 days of paying (Code de la consommation L221-18): what was performed at their request is kept (the domain once registered, the service once delivered), the rest refunded with a credit note; the work stops and the withdrawal is acknowledged by email.',
    params: tokenParam,
    body: withdrawalRequest,
    response: {
      202: withdrawalAnswer.describe('the refund is on its way'),
      ...errors({
        404: 'order_not_found',
        409: '`withdrawal_not_possible`: a business customer, the 14 days over, already withdrawn, or nothing left to refund',
      }),
    },
  },
  'POST /api/admin/orders/:id/refunds': {
    tags: ['admin'],
    security,
    summary:
      'Refund a paid order in full or in part without stopping it (a delivered order): the provider refunds it (idempotently) and a credit note is issued.',
    params: z.object({ id: z.guid() }),
    body: refundRequest,
    response: {
      202: refundQueued.describe('the refund is queued'),
      ...errors({ ...guarded, 404: 'order_not_found', 409: 'refund_not_possible', 422: '`refund_amount_invalid` (with `remainingCents`)' }),
    },
  },
  'GET /api/admin/invoices': {
    tags: ['admin'],
    security,
    summary: 'Invoices and credit notes, newest first, by kind and period (Paris days), searched by number, customer, email and order; paged.',
    querystring: invoiceListQuery,
    response: { 200: invoicePage.describe('a page of documents'), ...errors(guarded) },
  },
  'GET /api/admin/invoices/totals': {
    tags: ['admin'],
    security,
    summary: 'Over a period: per VAT rate and case, the invoices’ and credit notes’ bases and VAT, and the net.',
    querystring: periodQuery,
    response: { 200: vatTotals.describe('the totals'), ...errors(guarded) },
  },
  'GET /api/admin/invoices/export.csv': {
    tags: ['admin'],
    security,
    summary: 'The period’s documents as CSV (one row a document).',
    querystring: periodQuery,
    response: { 200: media('CSV, UTF-8', ['text/csv']), ...errors(guarded) },
  },
  'GET /api/admin/invoices/export.fec': {
    tags: ['admin'],
    security,
    summary: 'The period’s sales journal in the FEC layout (LPF art. A47 A-1: 18 tab-separated columns).',
    querystring: periodQuery,
    response: { 200: media('the FEC, tab-separated, UTF-8', ['text/plain']), ...errors(guarded) },
  },
  'GET /api/admin/invoices/:id/pdf': {
    tags: ['admin'],
    security,
    summary: 'A document’s PDF.',
    params: z.object({ id: z.guid() }),
    response: { 200: media('the PDF', ['application/pdf'], 'bytes'), ...errors({ ...guarded, 404: 'invoice_not_found' }) },
  },
};
