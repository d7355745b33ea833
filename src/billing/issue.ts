// Issuing invoices and credit notes: numbered from the series' counter row inside the caller's transaction (the one
// that records the payment or the refund), so a document exists exactly when its payment or refund does.
//
// Numbers read F-2026-000123 (credit notes AV-…): the year of issue (Paris time) for the reader, then the series'
// counter, which is never reset, so the series stays one continuous chronological sequence across years (CGI annexe II
// art. 242 nonies A, I-6°: "un numéro unique basé sur une séquence chronologique et continue"; BOI-TVA-DECLA-30-20-20-10
// admits separate series, here one for invoices and one for credit notes).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { sellerOf } from '../config/seller.ts';
import type { Database, Tx } from '../db/database.ts';
import { holderOf } from '../db/holders.ts';
import type { InvoiceRow, Order } from '../db/schema.ts';
import type { PriceItem } from '../domain/pricing.ts';
import { queueEmail } from '../emails/outbox.ts';
import { creditNoteEmail, invoiceEmail } from '../emails/invoice.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import { trackingUrl } from '../workflow/payment-link.ts';
import { documentPdf } from './files.ts';
import { type DocumentDraft, creditNoteDraft, invoiceDraft } from './documents.ts';
import { type BillingIdentity, type OrderTax, billingIdentityOf, checkVatNumber, orderTax } from './identity.ts';

/** Write a document with the next number of its series: one statement, the counter row locked until the caller commits. */
export async function issueDocument(tx: Tx, d: DocumentDraft, id: string = crypto.randomUUID()): Promise<InvoiceRow> {
  const { rows } = await sql<InvoiceRow>`
    with n as (
      update document_counters set next = next + 1 where series = ${d.kind}
      returning next - 1 as seq, prefix, clock_timestamp() as at
    )
    insert into invoices (id, kind, seq, number, order_id, invoice_id, payment_ref, provider, issued_at, locale, currency, customer_kind,
                          vat_case, seller, buyer, lines, vat_breakdown, total_excl_vat_cents, vat_cents, total_incl_vat_cents, mentions,
                          settled_at, reason)
    select ${id}, ${d.kind}, n.seq, n.prefix || '-' || to_char(n.at at time zone 'Europe/Paris', 'YYYY') || '-' || lpad(n.seq::text, 6, '0'),
           ${d.orderId}, ${d.invoiceId}, ${d.paymentRef}, ${d.provider}, n.at, ${d.locale}, ${d.currency}, ${d.customerKind}, ${d.vatCase},
           ${JSON.stringify(d.seller)}::jsonb, ${JSON.stringify(d.buyer)}::jsonb, ${JSON.stringify(d.lines)}::jsonb,
           ${JSON.stringify(d.vatBreakdown)}::jsonb, ${d.totalExclVatCents}, ${d.vatCents}, ${d.totalInclVatCents},
           ${JSON.stringify(d.mentions)}::jsonb, ${d.settledAt}, ${d.reason}
      from n
    returning *`.execute(tx);
  return rows[0]!;
}

/**
 * The order's billing identity and VAT case as quoted; an order placed before invoicing existed gets them now, from its
 * holder when it has one (no VIES: the payment is already made).
 */
export async function billingOf(tx: Database | Tx, order: Order, config: Config): Promise<{ identity: BillingIdentity; tax: OrderTax }> {
  const row = await tx.selectFrom('order_billing').select(['identity', 'tax']).where('order_id', '=', order.id).executeTakeFirst();
  if (row) return row;
  const holder = await holderOf(tx, order.id);
  const identity = billingIdentityOf({ holder, businessName: order.business_name, email: order.email, city: order.city ?? undefined });
  const vatNumber = await checkVatNumber(identity, { ...config, VIES_CHECK: false });
  return { identity, tax: orderTax(identity, order.price_items, config, vatNumber) };
}

/** The document's mention of its VAT case (reverse charge, no VAT, OSS, overseas), as printed on it. */
export const vatMentionOf = (doc: Pick<InvoiceRow, 'mentions' | 'vat_case'>) => doc.mentions.find((m) => m.code === `vat_${doc.vat_case}`);

/** The email that carries a document, its PDF attached (one per document: its dedupe key). */
export function documentEmail(config: Pick<Config, 'SUPPORT_EMAIL' | 'publicUrl'>, order: Order, doc: InvoiceRow) {
  const view = {
    businessName: order.business_name,
    domain: order.domain_unicode,
    ref: doc.number,
    supportEmail: config.SUPPORT_EMAIL,
    trackingUrl: trackingUrl(config.publicUrl, order),
    currency: doc.currency,
    totalInclVatCents: Number(doc.total_incl_vat_cents),
    vatCents: Number(doc.vat_cents),
    totalExclVatCents: Number(doc.total_excl_vat_cents),
    business: doc.customer_kind === 'business',
    vatByRate: doc.vat_breakdown.map(({ rateBp, vatCents }) => ({ rateBp, vatCents })),
    vatMention: vatMentionOf(doc)?.[order.locale],
  };
  return {
    orderId: order.id,
    kind: doc.kind,
    dedupeKey: `${doc.kind}:${doc.id}`,
    to: doc.buyer.email || order.email,
    locale: order.locale,
    rendered: (doc.kind === 'invoice' ? invoiceEmail : creditNoteEmail)(view, order.locale),
    attachments: [{ invoiceId: doc.id }],
  };
}

/**
 * Number the document, its PDF left to the render_document job: a render takes seconds of CPU, which the payment's
 * transaction and the order's steps do not wait for. The job is queued first, so the series' counter row is locked
 * for the last statement only, until the commit.
 */
async function issueThenRender(tx: Tx, d: DocumentDraft): Promise<InvoiceRow> {
  const id = crypto.randomUUID();
  await enqueue(tx, 'render_document', { invoiceId: id });
  return issueDocument(tx, d, id);
}

/**
 * The render_document job (a low-priority queue of its own, one render at a time): the document's PDF rendered and
 * kept, then its email queued with it attached (once: the email's dedupe key). The PDF route renders on demand a
 * document whose job has not run yet, and the first stored file is the one every later reader gets.
 */
export async function renderDocument(deps: { db: Database; config: Config }, invoiceId: string): Promise<void> {
  const { db, config } = deps;
  const doc = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst();
  if (!doc) return;
  await documentPdf(db, invoiceId);
  const order = await db.selectFrom('orders').selectAll().where('id', '=', doc.order_id).executeTakeFirstOrThrow();
  await queueEmail(db, documentEmail(config, order, doc));
}

/**
 * The invoice of a captured payment, in the transaction that records it, with the email that confirms the payment and
 * carries it. Called last in that transaction: the counter row stays locked only until its commit.
 */
export async function invoicePayment(tx: Tx, config: Config, order: Order, payment: { ref: string; provider: string; paidAt: Date }): Promise<InvoiceRow> {
  const billing = await billingOf(tx, order, config);
  return issueThenRender(tx, invoiceDraft(order, billing, payment, sellerOf(config), config.VAT_ON_DEBITS));
}

/**
 * The invoice of a yearly renewal's payment, in the transaction that records it: the renewal's own lines (the domain for
 * another year, the service's renewal fee), taxed as the order's buyer is (its identity and VAT case), numbered in the
 * same series as every other invoice.
 */
export async function invoiceRenewal(
  tx: Tx,
  config: Config,
  order: Order,
  items: PriceItem[],
  payment: { ref: string; provider: string; paidAt: Date },
): Promise<InvoiceRow> {
  const { identity, tax } = await renewalBilling(tx, config, order, items);
  const renewed = { ...order, price_items: items, total_cents: items.reduce((sum, i) => sum + i.amountCents, 0) };
  return issueThenRender(tx, invoiceDraft(renewed, { identity, tax }, payment, sellerOf(config), config.VAT_ON_DEBITS));
}

/** A renewal's buyer and VAT case: the order's buyer, taxed on the renewal's own lines (the invoice and the space's price). */
export async function renewalBilling(
  db: Database | Tx,
  config: Config,
  order: Order,
  items: PriceItem[],
): Promise<{ identity: BillingIdentity; tax: OrderTax }> {
  const { identity } = await billingOf(db, order, config);
  // the number was checked when the order was placed; the renewal asks no outside service (inside the payment's transaction)
  const vatNumber = await checkVatNumber(identity, { ...config, VIES_CHECK: false });
  return { identity, tax: orderTax(identity, items, config, vatNumber) };
}

/** What remains of the order's invoice once its credit notes are taken off (cents including VAT), and the invoice. */
export async function creditable(tx: Tx, orderId: string): Promise<{ invoice: InvoiceRow; remainingCents: number } | undefined> {
  const docs = await tx.selectFrom('invoices').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
  const invoice = docs.find((d) => d.kind === 'invoice');
  if (!invoice) return undefined;
  // a renewal's invoice and its credit notes are their own: only the first invoice's credit notes count here
  const credited = docs.filter((d) => d.kind === 'credit_note' && d.invoice_id === invoice.id).reduce((s, d) => s + Number(d.total_incl_vat_cents), 0);
  return { invoice, remainingCents: Number(invoice.total_incl_vat_cents) - credited };
}

export interface CreditedRefund {
  ref: string;
  provider: string;
  refundedAt: Date;
  amountCents?: number;
  reason: string | null;
  code?: 'refund' | 'withdrawal';
  label?: { fr: string; en: string };
}

/**
 * The credit note of a refund, in the transaction that records it (the order locked by the caller). `amountCents`
 * undefined: what remains of the invoice. Nothing is issued for an order never invoiced, or for a refund already
 * credited (the unique index on the refund's reference says so too).
 */
export async function creditRefund(tx: Tx, order: Order, refund: CreditedRefund): Promise<InvoiceRow | undefined> {
  const open = await creditable(tx, order.id);
  return open ? creditInvoice(tx, open.invoice, refund) : undefined;
}

/** The credit note of a refund against one invoice (the first payment's or a renewal's): what remains of it at most, once per refund. */
export async function creditInvoice(tx: Tx, invoice: InvoiceRow, refund: CreditedRefund): Promise<InvoiceRow | undefined> {
  const already = await tx.selectFrom('invoices').select('id').where('kind', '=', 'credit_note').where('payment_ref', '=', refund.ref).executeTakeFirst();
  if (already) return undefined;
  const notes = await tx.selectFrom('invoices').select('total_incl_vat_cents').where('kind', '=', 'credit_note').where('invoice_id', '=', invoice.id).execute();
  const remaining = Number(invoice.total_incl_vat_cents) - notes.reduce((s, d) => s + Number(d.total_incl_vat_cents), 0);
  if (remaining <= 0) return undefined;
  const amount = Math.min(refund.amountCents ?? remaining, remaining);
  return issueThenRender(tx, creditNoteDraft(invoice, { ...refund, amountCents: amount }));
}
