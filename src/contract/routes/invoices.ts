// Invoices and credit notes as routes: the customer's (behind the tracking token) and the operators' (list, totals
// per VAT rate, CSV and FEC exports, a document's PDF).
import { z } from 'zod';
import { errors, media, tokenParam } from '../common.ts';
import { customerDocument, documentParams, invoiceListQuery, invoicePage, periodQuery, vatTotals } from '../invoices.ts';

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
