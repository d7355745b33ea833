// The invoice of a renewal payment, issued in the transaction that records the payment (charge.ts, settleRenewal),
// last in it: the invoices' counter row stays locked only until that commit. The same lines and VAT case give the
// price with VAT the customer's space shows before the payment.
import { invoiceRenewal, renewalBilling } from '../../billing/issue.ts';
import type { Config } from '../../config.ts';
import type { Database, Tx } from '../../db/database.ts';
import type { Order, RenewalAttempt } from '../../db/schema.ts';
import type { PriceItem } from '../../domain/pricing.ts';

export interface RenewalInvoiceInput {
  order: Order;
  attempt: Pick<RenewalAttempt, 'id' | 'amount_cents' | 'currency'> & { payment_ref: string; paid_at: Date };
  provider: 'stripe' | 'paypal';
}

/**
 * A renewal's lines: the domain for another year at the price it was sold, and the rest of the amount as the service's
 * renewal fee (a redemption's surcharge included, when the registrar charges one).
 */
export function renewalItems(order: Pick<Order, 'price_items'>, amountCents: number): PriceItem[] {
  const domain = Math.min(order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0, amountCents);
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

/** A renewal amount as its invoice will tax it: the order's buyer and VAT case, the renewal's own lines. */
export async function renewalTax(db: Database | Tx, config: Config, order: Order, amountCents: number) {
  const { tax } = await renewalBilling(db, config, order, renewalItems(order, amountCents));
  return { totalInclVatCents: tax.totalInclVatCents, vatCents: tax.vatCents, totalExclVatCents: tax.totalExclVatCents, rateBp: tax.treatment.rateBp };
}
