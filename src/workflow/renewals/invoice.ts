// The invoice of a renewal payment, issued in the transaction that records the payment (charge.ts, settleRenewal),
// last in it: the invoices' counter row stays locked only until that commit.
import { invoiceRenewal } from '../../billing/issue.ts';
import type { Config } from '../../config.ts';
import type { Tx } from '../../db/database.ts';
import type { Order, RenewalAttempt } from '../../db/schema.ts';

export interface RenewalInvoiceInput {
  order: Order;
  attempt: Pick<RenewalAttempt, 'id' | 'amount_cents' | 'currency'> & { payment_ref: string; paid_at: Date };
  provider: 'stripe' | 'paypal';
}

/**
 * The one place a renewal is invoiced, through the same numbering as a first payment. Its lines: the domain for another
 * year at the price it was sold, and the rest of the attempt's amount as the service's renewal fee.
 */
export async function issueRenewalInvoice(tx: Tx, config: Config, input: RenewalInvoiceInput): Promise<void> {
  const domain = Math.min(input.order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0, input.attempt.amount_cents);
  const items = [
    { code: 'domain_first_year' as const, amountCents: domain },
    { code: 'service' as const, amountCents: input.attempt.amount_cents - domain },
  ].filter((i) => i.amountCents > 0);
  await invoiceRenewal(tx, config, input.order, items, { ref: input.attempt.payment_ref, provider: input.provider, paidAt: input.attempt.paid_at });
}
