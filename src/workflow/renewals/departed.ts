// A renewal paid for a name that had already left our registrar account (transferred out) cannot be renewed: its payment
// goes back, exactly once. The attempt is closed and the refund asked in one transaction (a second run of the renewal
// job finds the attempt no longer paid and asks nothing); the refund job refunds under the attempt's own idempotency key,
// then records the refund, credits the renewal's invoice and tells the customer in one transaction.
import type { Deps } from '../../deps.ts';
import { creditInvoice } from '../../billing/issue.ts';
import { addEvent, lockOrder } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { defineTimelineTexts } from '../../domain/timeline.ts';
import { formatMoney } from '../../emails/i18n.ts';
import { queueEmail } from '../../emails/outbox.ts';
import { renewalRefundedEmail } from '../../emails/transfer.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { chargeOf } from './invoice.ts';

const sum = (d: Record<string, unknown>, locale: 'fr' | 'en') => formatMoney(Number(d.amountCents), String(d.currency), locale);
defineTimelineTexts({
  renewal_refund_requested: {
    fr: (d) => `Renouvellement payé alors que le domaine avait quitté notre registraire : ${sum(d, 'fr')} vont vous être remboursés.`,
    en: (d) => `Renewal paid after the domain had left our registrar: ${sum(d, 'en')} will be refunded to you.`,
  },
  renewal_refunded: {
    fr: (d) => `Renouvellement remboursé : ${sum(d, 'fr')}${d.creditNote ? `, avec l’avoir ${d.creditNote}` : ''}.`,
    en: (d) => `Renewal refunded: ${sum(d, 'en')}${d.creditNote ? `, with credit note ${d.creditNote}` : ''}.`,
  },
});

/** The provider's idempotency key of an attempt's refund: one refund per attempt, however often it is asked. */
export const renewalRefundKey = (attemptId: string) => `renewal-refund:${attemptId}`;

/**
 * Called by the renewal job when the registrar no longer holds the name: the paid attempt is closed (lost) and its
 * refund queued, once. Returns whether this call asked it.
 */
export async function refundDepartedRenewal(deps: Deps, attemptId: string): Promise<boolean> {
  const asked = await deps.db.transaction().execute(async (tx) => {
    const closed = await tx
      .updateTable('renewal_attempts')
      .set({ state: 'lost', refund_requested_at: new Date() })
      .where('id', '=', attemptId)
      .where('state', '=', 'paid')
      .where('refund_requested_at', 'is', null)
      .where('payment_ref', 'is not', null)
      .returning(['order_id', 'amount_cents', 'charge_cents', 'currency'])
      .executeTakeFirst();
    if (!closed) return false;
    await addEvent(tx, closed.order_id, 'renewal_refund_requested', { amountCents: chargeOf(closed), currency: closed.currency });
    await enqueue(tx, 'renewal_refund', { attemptId });
    return true;
  });
  if (asked) deps.log.info({ event: 'renewal_refund_requested', attemptId }, 'paid renewal of a domain that left the account: refund queued');
  return asked;
}

/** The renewal_refund job: refunded at the provider (once, by the attempt's key), then recorded, credited and told once. */
export async function runRenewalRefund(deps: Deps, attemptId: string): Promise<string> {
  const attempt = await deps.db.selectFrom('renewal_attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
  if (!attempt?.refund_requested_at || !attempt.payment_ref) return 'not_asked';
  if (attempt.refunded_at) return 'already';
  const plan = await deps.db.selectFrom('renewals').select('provider').where('order_id', '=', attempt.order_id).executeTakeFirstOrThrow();
  const provider = deps.payments[plan.provider];
  const refund = await recordProviderCall(deps.db, { orderId: attempt.order_id, provider: provider.name, operation: 'refund' }, () =>
    provider.refund({
      paymentRef: attempt.payment_ref!,
      // what the card was charged (the invoice's total with its VAT case), not the list price
      amountCents: chargeOf(attempt),
      currency: attempt.currency,
      idempotencyKey: renewalRefundKey(attempt.id),
      reason: 'renewal_domain_gone',
    }),
  );
  const refundedAt = new Date();
  const done = await deps.db.transaction().execute(async (tx) => {
    const order = (await lockOrder(tx, attempt.order_id))!;
    const marked = await tx
      .updateTable('renewal_attempts')
      .set({ refund_ref: refund.refundId, refunded_at: refundedAt })
      .where('id', '=', attempt.id)
      .where('refunded_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return false;
    const invoice = await tx
      .selectFrom('invoices')
      .selectAll()
      .where('kind', '=', 'invoice')
      .where('payment_ref', '=', attempt.payment_ref!)
      .executeTakeFirst();
    // the whole payment goes back: the whole renewal invoice is credited
    const note = invoice
      ? await creditInvoice(tx, invoice, { ref: refund.refundId, provider: plan.provider, refundedAt, reason: 'renewal_domain_gone' })
      : undefined;
    const money = { amountCents: chargeOf(attempt), currency: attempt.currency };
    await addEvent(tx, order.id, 'renewal_refunded', { ...money, refundId: refund.refundId, creditNote: note?.number ?? null });
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'renewal_refunded',
      dedupeKey: `renewal-refunded:${attempt.id}`,
      to: order.email,
      locale: order.locale,
      rendered: renewalRefundedEmail(
        {
          businessName: order.business_name,
          domain: order.domain_unicode,
          supportEmail: deps.config.SUPPORT_EMAIL,
          publicUrl: deps.config.publicUrl,
          refund: money,
          invoiceNumber: invoice?.number,
        },
        order.locale,
      ),
    });
    return true;
  });
  deps.log.info({ event: 'renewal_refunded', orderId: attempt.order_id, attemptId, recorded: done }, 'renewal of a departed domain refunded');
  return done ? 'refunded' : 'already';
}
