// An issued document's content as a new draft: what tests issue directly, beside the payments and refunds that do.
import type { DocumentDraft } from '../../src/billing/documents.ts';
import type { InvoiceRow } from '../../src/db/schema.ts';

export function draftLike(doc: InvoiceRow, paymentRef: string): DocumentDraft {
  return {
    kind: 'invoice',
    orderId: doc.order_id,
    invoiceId: null,
    paymentRef,
    provider: doc.provider,
    locale: doc.locale,
    currency: doc.currency,
    customerKind: doc.customer_kind,
    vatCase: doc.vat_case,
    seller: doc.seller,
    buyer: doc.buyer,
    lines: doc.lines,
    vatBreakdown: doc.vat_breakdown,
    totalExclVatCents: Number(doc.total_excl_vat_cents),
    vatCents: Number(doc.vat_cents),
    totalInclVatCents: Number(doc.total_incl_vat_cents),
    mentions: doc.mentions,
    settledAt: doc.settled_at,
    reason: null,
  };
}
