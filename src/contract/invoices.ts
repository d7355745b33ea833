// Invoicing on the wire: the billing identity an order may carry, the VAT of a quote, a customer's documents, and the
// operators' list, totals, exports and refunds.
import { z } from 'zod';
import { VAT_CASES } from '../domain/vat.ts';
import { instant, line, page, pageQuery } from './common.ts';

const country = z
  .string()
  .trim()
  .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2')
  .describe('ISO 3166-1 alpha-2, e.g. FR');

export const billingInput = z
  .object({
    type: z
      .enum(['individual', 'organization'])
      .describe('a consumer, or a business (a business with an EU VAT number outside France is invoiced under reverse charge)'),
    name: line(200).describe('a person’s full name, or the organisation’s legal name'),
    contact: line(200).optional(),
    companyId: z
      .string()
      .trim()
      .max(40)
      .regex(/^[0-9A-Za-z .-]+$/)
      .optional()
      .describe('SIREN or SIRET of a French business (printed on its invoices)'),
    vatNumber: z
      .string()
      .trim()
      .min(4)
      .max(20)
      .regex(/^[A-Za-z]{2}[0-9A-Za-z .-]+$/)
      .optional()
      .describe('EU VAT number with its country prefix; checked for format, and with VIES when VIES_CHECK=on: a bad one is 422 `vat_number_invalid`'),
    address1: line(200),
    address2: line(200).optional(),
    postalCode: line(20),
    city: line(80),
    country,
    email: z.email().max(254).optional().describe('where invoices go; the order’s email when absent'),
  })
  .describe('Who is invoiced, when not the domain’s holder');

export const vatSummary = z.object({
  case: z
    .enum(VAT_CASES)
    .describe(
      'domestic, reverse_charge, oss, eu_consumer_fr_vat, outside_eu_business, outside_eu_consumer, dom (Guadeloupe, Martinique, La Réunion: 8.5 %), dom_no_vat (Guyane, Mayotte)',
    ),
  customerKind: z.enum(['consumer', 'business']),
  rateBp: z.number().int().describe('VAT rate in basis points: 2000 is 20 %'),
  pricesIncludeVat: z.boolean().describe('the list prices (`items`) include French VAT'),
  totalExclVatCents: z.number().int(),
  vatCents: z.number().int(),
  totalInclVatCents: z.number().int().describe('what is paid: `totalCents`'),
  mention: z.object({ fr: z.string(), en: z.string() }).nullable().describe('the legal ground when no French VAT, or another state’s, applies'),
});

export const DOCUMENT_KINDS = ['invoice', 'credit_note'] as const;

/** One of an order's documents as its customer sees it. */
export const customerDocument = z.object({
  number: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  issuedAt: instant,
  totalExclVatCents: z.number().int(),
  vatCents: z.number().int(),
  totalInclVatCents: z.number().int(),
  currency: z.string(),
  pdfUrl: z.string().describe('the PDF, behind the tracking token (Factur-X for a business customer)'),
});

export const documentParams = z.object({ token: z.string().min(1).max(100), number: z.string().min(1).max(40) });

// ---------- operators ----------

export const invoiceListQuery = z.object({
  kind: z.enum(DOCUMENT_KINDS).optional(),
  from: z.iso.date().optional().describe('issued on or after this day (Paris time)'),
  to: z.iso.date().optional().describe('issued on or before this day (Paris time)'),
  q: z.string().trim().max(200).optional().describe('number, customer name or email, order id'),
  ...pageQuery,
});

export const adminDocument = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  orderId: z.string(),
  invoiceNumber: z.string().nullable().describe('a credit note’s invoice'),
  issuedAt: instant,
  customer: z.string(),
  email: z.string(),
  customerKind: z.enum(['consumer', 'business']),
  vatCase: z.string(),
  totalExclVatCents: z.number().int(),
  vatCents: z.number().int(),
  totalInclVatCents: z.number().int(),
  currency: z.string(),
});

export const invoicePage = page(adminDocument);

export const periodQuery = z.object({
  from: z.iso.date().describe('first day (Paris time)'),
  to: z.iso.date().describe('last day (Paris time)'),
});

export const vatTotals = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  rates: z.array(
    z.object({
      rateBp: z.number().int(),
      vatCase: z.string(),
      invoices: z.object({ count: z.number().int(), baseCents: z.number().int(), vatCents: z.number().int() }),
      creditNotes: z.object({ count: z.number().int(), baseCents: z.number().int(), vatCents: z.number().int() }),
    }),
  ),
  net: z.object({ baseCents: z.number().int(), vatCents: z.number().int(), totalCents: z.number().int() }).describe('invoices less credit notes'),
});

export const refundRequest = z.object({
  amountCents: z.number().int().positive().optional().describe('including VAT; absent: all that remains paid'),
  reason: line(300),
});

export const refundQueued = z.object({ refundId: z.string(), amountCents: z.number().int(), state: z.enum(['pending', 'refunded']) });

export const withdrawalRequest = z.object({ confirm: z.literal(true).describe('the customer confirms the withdrawal') });

export const withdrawalAnswer = z.object({
  refundId: z.string(),
  amountCents: z.number().int().describe('what is refunded: the total less what was already performed (the domain registration once bought)'),
  keptCents: z.number().int(),
});

export type BillingInputWire = z.input<typeof billingInput>;
export type VatSummary = z.input<typeof vatSummary>;
export type CustomerDocument = z.input<typeof customerDocument>;
export type AdminDocument = z.input<typeof adminDocument>;
export type VatTotals = z.input<typeof vatTotals>;
