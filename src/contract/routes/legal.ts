// The terms of sale, privacy and legal notice pages, their versions for the order form, and a customer's personal data:
// the export and the erasure (by an order's tracking token), as "METHOD /path".
import { z } from 'zod';
import { errors, htmlPage, langQuery, tokenParam } from '../common.ts';
import { erasureRequest, erasureResult, legalInfo, legalPageQuery } from '../legal.ts';

const legalPage = (what: string) => ({
  tags: ['legal'],
  summary: `${what}, as plain HTML (no JavaScript needed): the version in force, or the one asked for.`,
  querystring: legalPageQuery,
  response: { 200: htmlPage('the page'), ...errors({ 404: 'not_found: no such version or text' }) },
});
const noticePage = { tags: ['legal'], summary: 'The legal notice: who publishes this site.', response: { 200: htmlPage('the page'), ...errors() } };
const notFound = { 404: 'order_not_found' } as const;

/** The export's shape: the orders placed with the address, each with what is stored beside it. */
export const personalDataExport = z.looseObject({
  generatedAt: z.string(),
  email: z.string(),
  about: z.string(),
  doNotContact: z.object({ since: z.string() }).nullable(),
  orders: z.array(
    z
      .looseObject({ orderId: z.string(), placedAt: z.string(), state: z.string(), erasedAt: z.string().nullable() })
      .describe(
        'the order, its consent (terms version, exact text, time, address, early-start request), holder, billing, invoices, timeline, emails, payment links, satisfaction answer and site content (pictures by URL)',
      ),
  ),
});

export const legalRoutes = {
  'GET /api/legal': {
    tags: ['legal'],
    summary: 'The versions in force of the terms of sale and privacy policy, their pages, the withdrawal period and the unpaid orders’ retention.',
    response: { 200: legalInfo.describe('what the order form links to and states'), ...errors() },
  },
  'GET /conditions-generales': legalPage('Les conditions générales de vente'),
  'GET /terms': legalPage('The terms of sale'),
  'GET /confidentialite': legalPage('La politique de confidentialité'),
  'GET /privacy': legalPage('The privacy policy'),
  'GET /mentions-legales': noticePage,
  'GET /legal-notice': noticePage,
  'GET /api/concierge/status/:token/personal-data': {
    tags: ['legal'],
    summary:
      'Everything we hold about the customer of this order, as a JSON download: every order placed with the same address (GDPR art. 15 and 20). Also offered by the customer space for the signed-in address.',
    params: tokenParam,
    response: { 200: personalDataExport.describe('the data, as an attachment'), ...errors(notFound) },
  },
  'POST /api/concierge/status/:token/erasure': {
    tags: ['legal'],
    summary:
      'Erase the personal data of every order placed with this order’s address (GDPR art. 17): answers what was erased and what is kept, why and until when. Idempotent: a repeated request answers the first erasure.',
    params: tokenParam,
    querystring: langQuery,
    body: erasureRequest,
    response: {
      200: erasureResult.describe('erased (or already erased): what is kept and why'),
      ...errors({ ...notFound, 409: 'erasure_order_in_progress: a paid order is being worked on', 422: 'erasure_not_confirmed' }),
    },
  },
};
