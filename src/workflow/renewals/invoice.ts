// The invoice of a renewal payment, issued in the transaction that records the payment (charge.ts, settleRenewal),
// last in it: the invoices' counter row stays locked only until that commit. The same lines and VAT case give the
// price with VAT the customer's space shows before the payment.
import { invoiceRenewal, renewalBilling } from '../../billing/issue.ts';
import type { Config } from '../../config.ts';
import type { Database, Tx } from '../../db/database.ts';
import type { Order, RenewalAttempt } from '../../db/schema.ts';
import type { PriceItem } from '../../domain/pricing.ts';
import { renewalDomainCents, type RenewalBasis } from '../../domain/renewal.ts';

export interface RenewalInvoiceInput {
  order: Order;
  attempt: Pick<RenewalAttempt, 'id' | 'amount_cents' | 'currency'> & { payment_ref: string; paid_at: Date };
  provider: 'stripe' | 'paypal';
}

/**
 * A renewal's lines: the domain for another year at its renewal price (a premium name's as quoted), and the rest of the
 * amount as the service's renewal fee (a redemption's surcharge included, when the registrar charges one).
 */
export function renewalItems(order: RenewalBasis, amountCents: number): PriceItem[] {
  const domain = Math.min(renewalDomainCents(order), amountCents);
  return [
    { code: 'domain_first_year' as const, amountCents: domain },
    { code: 'service' as const, amountCents: amountCents - domain },
  ].filter((i) => i.amountCents > 0);
}

/** The one place a renewal is invoiced, through the same numbering as a first payment. */
export async function issueRenewalInvoice(tx: Tx, config: Config, input: RenewalInvoiceInput): Promise<void> {
  const items = renewalItems(input.order, input.attempt.amount_cents);
  await invoiceRenewal(tx, config, input.order, items, { ref: input.attempt.payment_ref, provider: input.provider, paidAt: input.attempt.paid_at });
}

/**
 * What a renewal of `amountCents` (list price) charges: its invoice's total with VAT, so that the charge, the invoice,
 * the space and the emails state one figure (an EU business under reverse charge pays the list price less French VAT).
 */
export async function renewalChargeCents(db: Database | Tx, config: Config, order: Order, amountCents: number): Promise<number> {
  return (await renewalTax(db, config, order, amountCents)).totalInclVatCents;
}

/** What an attempt or plan charges: its recorded figure, else (recorded before migration 022) its list price. */
export const chargeOf = (row: { charge_cents: number | null; amount_cents?: number; price_cents?: number | null }): number =>
  row.charge_cents ?? row.amount_cents ?? row.price_cents ?? 0;

/** A renewal amount as its invoice will tax it: the order's buyer and VAT case, the renewal's own lines. */
export async function renewalTax(db: Database | Tx, config: Config, order: Order, amountCents: number) {
  const { tax } = await renewalBilling(db, config, order, renewalItems(order, amountCents));
  return { totalInclVatCents: tax.totalInclVatCents, vatCents: tax.vatCents, totalExclVatCents: tax.totalExclVatCents, rateBp: tax.treatment.rateBp };
}
