// The invoice of a renewal payment, issued in the transaction that records the payment (charge.ts, settleRenewal),
// last in it: the invoices' counter row stays locked only until that commit.
import type { Tx } from '../../db/database.ts';
import type { Order, RenewalAttempt } from '../../db/schema.ts';

export interface RenewalInvoiceInput {
  order: Order;
  attempt: Pick<RenewalAttempt, 'id' | 'amount_cents' | 'currency'> & { payment_ref: string; paid_at: Date };
  provider: 'stripe' | 'paypal';
}

/**
 * The one place a renewal is invoiced. Until the invoices module is merged this issues nothing; merged, it calls its
 * invoicePayment(tx, config, order-with-the-renewal's-lines, { ref, provider, paidAt }) with the attempt's amount
 * (domain renewal + service renewal lines), the same path as a first payment.
 */
export async function issueRenewalInvoice(_tx: Tx, _input: RenewalInvoiceInput): Promise<void> {}
