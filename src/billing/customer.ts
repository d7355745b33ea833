// A customer's documents as they see them: an order's (the tracking page), or every order's of one email (the customer space).
import type { Database } from '../db/database.ts';

export interface CustomerDocumentView {
  number: string;
  kind: 'invoice' | 'credit_note';
  issuedAt: Date;
  totalExclVatCents: number;
  vatCents: number;
  totalInclVatCents: number;
  currency: string;
  pdfUrl: string;
  orderId: string;
}

/** The PDF's address: behind the order's tracking token, never guessable from the number alone. */
export const documentPdfUrl = (publicUrl: string, token: string, number: string) =>
  `${publicUrl}/api/concierge/status/${token}/invoices/${encodeURIComponent(number)}`;

async function documentsWhere(db: Database, publicUrl: string, filter: { orderId?: string; email?: string }): Promise<CustomerDocumentView[]> {
  let q = db
    .selectFrom('invoices')
    .innerJoin('orders', 'orders.id', 'invoices.order_id')
    .select([
      'invoices.number',
      'invoices.kind',
      'invoices.issued_at',
      'invoices.total_excl_vat_cents',
      'invoices.vat_cents',
      'invoices.total_incl_vat_cents',
      'invoices.currency',
      'invoices.order_id',
      'orders.tracking_token',
    ]);
  if (filter.orderId) q = q.where('invoices.order_id', '=', filter.orderId);
  if (filter.email) q = q.where((eb) => eb(eb.fn('lower', ['orders.email']), '=', filter.email!.toLowerCase()));
  const rows = await q.orderBy('invoices.issued_at').execute();
  return rows.map((r) => ({
    number: r.number,
    kind: r.kind,
    issuedAt: r.issued_at,
    totalExclVatCents: Number(r.total_excl_vat_cents),
    vatCents: Number(r.vat_cents),
    totalInclVatCents: Number(r.total_incl_vat_cents),
    currency: r.currency,
    pdfUrl: documentPdfUrl(publicUrl, r.tracking_token, r.number),
    orderId: r.order_id,
  }));
}

/** An order's invoices and credit notes, oldest first. */
export const documentsOfOrder = (db: Database, publicUrl: string, orderId: string) => documentsWhere(db, publicUrl, { orderId });

/** Every invoice and credit note of the orders placed with this email (the customer space lists them), oldest first. */
export const listInvoicesForEmail = (db: Database, publicUrl: string, email: string) => documentsWhere(db, publicUrl, { email });
