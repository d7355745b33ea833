// Settles payments: verified webhook events (processed once, in a job), PayPal captures, and the order's state rules for late or repeated events.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { addEvent, latestPaymentLink, lockOrder, transition } from '../db/orders.ts';
import type { PaymentLinkRow } from '../db/schema.ts';
import type { Tx } from '../db/database.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { deadlineAt } from '../domain/deadline.ts';
import { fromDecimal, fromStripeAmount } from '../domain/money.ts';
import { isUnpaid } from '../domain/order-state.ts';
import type { Payload } from './jobs/catalogue.ts';
import { enqueue } from './jobs/enqueue.ts';
import { scheduleStep } from './schedule.ts';
import { expireLink, issuePaymentLink, paymentLinkIntent } from './payment-link.ts';
import { pipeline } from './pipeline.ts';
import { settleRenewalCapture, settleRenewalPaypal, settleRenewalSession } from './renewals/charge.ts';
import { invoicePayment } from '../billing/issue.ts';

export interface Payment {
  paymentRef: string;
  amountCents: number;
  currency: string;
}

async function linkByRef(deps: Deps, provider: 'stripe' | 'paypal', ref: string): Promise<PaymentLinkRow | undefined> {
  return deps.db.selectFrom('payment_links').selectAll().where('provider', '=', provider).where('provider_ref', '=', ref).executeTakeFirst();
}

/**
 * A payment completed on `link`. An unpaid order (even one whose link had expired: the money is
 * real) becomes paid, its deadline starts and the pipeline's first step is enqueued, all in one
 * transaction. A second payment for an already paid order is refunded, never kept.
 */
export async function markPaid(deps: Deps, link: PaymentLinkRow, payment: Payment): Promise<'paid' | 'duplicate' | 'extra_refunded'> {
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, link.order_id);
    if (!order) return 'duplicate' as const;
    if (order.payment_ref === payment.paymentRef) return 'duplicate' as const;
    if (payment.amountCents !== link.amount_cents || payment.currency.toUpperCase() !== link.currency.toUpperCase()) {
      // not the amount we asked for: the money goes back and the order waits for a proper payment
      await addEvent(tx, order.id, 'payment_mismatch', { provider: link.provider, amountCents: payment.amountCents, currency: payment.currency });
      await refundLater(tx, order.id, link, payment);
      return 'extra_refunded' as const;
    }
    const linkPaid = await tx.updateTable('payment_links').set({ state: 'paid' }).where('id', '=', link.id).where('state', '<>', 'paid').executeTakeFirst();
    if (!isUnpaid(order.state)) {
      // one extra payment can reach us several times (PayPal: the approval, the capture and the return page); a link
      // is paid at most once, so only the first of them counts and is refunded
      if (Number(linkPaid.numUpdatedRows) === 0) return 'duplicate' as const;
      await addEvent(tx, order.id, 'payment_duplicate', { provider: link.provider });
      await refundLater(tx, order.id, link, payment);
      return 'extra_refunded' as const;
    }
    const paidAt = new Date();
    await transition(tx, order, 'paid');
    const first = pipeline[0]!.step.name;
    await tx
      .updateTable('orders')
      .set({
        paid_at: paidAt,
        deadline_at: deadlineAt(paidAt, order.deadline_hours),
        payment_ref: payment.paymentRef,
        paid_cents: payment.amountCents,
        current_step: first,
      })
      .where('id', '=', order.id)
      .execute();
    await tx
      .updateTable('payment_links')
      .set({ state: 'superseded' })
      .where('order_id', '=', order.id)
      .where('id', '<>', link.id)
      .where('state', 'in', ['open', 'creating'])
      .execute();
    await addEvent(tx, order.id, 'payment_received', { provider: link.provider, amountCents: payment.amountCents, currency: payment.currency });
    await scheduleStep(tx, order, first);
    // last: the invoice's counter row stays locked only until this transaction commits
    if (!deps.config.BENCH_SKIP_INVOICES) await invoicePayment(tx, deps.config, order, { ref: payment.paymentRef, provider: link.provider, paidAt });
    return 'paid' as const;
  });
  deps.log.info({ event: 'payment_received', orderId: link.order_id, provider: link.provider, outcome }, 'payment settled');
  return outcome;
}

/**
 * A delayed method (SEPA Debit) completed the link's payment but the money has not arrived: the link is processing and
 * the customer sees it; the order stays unpaid and its deadline has not started (markPaid starts it when the money
 * arrives). Once per link.
 */
export async function markProcessing(deps: Deps, link: PaymentLinkRow): Promise<'processing' | 'ignored'> {
  return deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, link.order_id);
    if (!order || !isUnpaid(order.state)) return 'ignored' as const;
    const updated = await tx
      .updateTable('payment_links')
      .set({ state: 'processing' })
      .where('id', '=', link.id)
      .where('state', 'in', ['open', 'expired', 'superseded'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'ignored' as const;
    // a link that expired on our side while the bank worked: the order waits for this payment again
    if (order.state === 'payment_expired') await transition(tx, order, 'awaiting_payment');
    await addEvent(tx, order.id, 'payment_processing', { provider: link.provider, seq: link.seq });
    return 'processing' as const;
  });
}

/**
 * A delayed payment failed (the bank refused the debit): the link is failed, an unpaid order goes back to awaiting
 * payment, and a fresh link goes to the customer (its email says why). The next link's row is written in the same
 * transaction, so a retry of this job after a crash finishes that link rather than forgetting it.
 */
export async function paymentFailed(deps: Deps, link: PaymentLinkRow): Promise<'failed' | 'ignored'> {
  const next = await deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, link.order_id);
    if (!order) return undefined;
    const failed = await tx
      .updateTable('payment_links')
      .set({ state: 'failed' })
      .where('id', '=', link.id)
      .where('state', 'in', ['open', 'processing'])
      .executeTakeFirst();
    const latest = await latestPaymentLink(tx, order.id);
    if (!isUnpaid(order.state) || latest?.id !== link.id) {
      // paid meanwhile, or a newer link exists: nothing to renew (a renewal this job wrote earlier is finished below)
      return latest && latest.seq === link.seq + 1 && latest.state === 'creating' && isUnpaid(order.state) ? latest.seq : undefined;
    }
    if (Number(failed.numUpdatedRows) === 0) return undefined;
    if (order.state === 'payment_expired') await transition(tx, order, 'awaiting_payment');
    await addEvent(tx, order.id, 'payment_failed', { provider: link.provider, seq: link.seq });
    await tx
      .insertInto('payment_links')
      .values(paymentLinkIntent(deps.config, order, link.seq + 1))
      .execute();
    return link.seq + 1;
  });
  if (next === undefined) return 'ignored';
  await issuePaymentLink(deps, link.order_id, next);
  return 'failed';
}

/** A payment we do not keep goes back, by its own job (refund_payment), once per payment. */
const refundLater = (tx: Tx, orderId: string, link: PaymentLinkRow, payment: Payment) =>
  enqueue(tx, 'refund_payment', {
    orderId,
    provider: link.provider,
    paymentRef: payment.paymentRef,
    amountCents: payment.amountCents,
    currency: payment.currency,
  });

/** The capture_paypal job: the buyer approved the PayPal order of one of our links (the return page or the webhook said so). */
export async function captureApproved(deps: Deps, paypalOrderId: string): Promise<string> {
  const link = await linkByRef(deps, 'paypal', paypalOrderId);
  return link ? capturePaypal(deps, link) : 'unknown_order';
}

/** PayPal: an approved order is captured (idempotently), then settled like any payment. */
export async function capturePaypal(deps: Deps, link: PaymentLinkRow): Promise<string> {
  if (link.state === 'paid' || !link.provider_ref) return 'already';
  const paypal = deps.payments.paypal;
  const status = await recordProviderCall(deps.db, { orderId: link.order_id, provider: 'paypal', operation: 'capture' }, () =>
    paypal.capture!(link.provider_ref!, `order:${link.order_id}:capture:${link.seq}`),
  );
  if (status.state !== 'paid') return status.state;
  return markPaid(deps, link, { paymentRef: status.paymentRef, amountCents: status.amountCents, currency: status.currency });
}

/** The process_webhook job: act on one stored, verified event, once. */
export async function processWebhookEvent(deps: Deps, id: string): Promise<string> {
  const row = await deps.db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.processed_at) return 'already_processed';
  const outcome = row.provider === 'stripe' ? await stripeEvent(deps, row.type, row.payload) : await paypalEvent(deps, row.type, row.payload);
  await deps.db.updateTable('webhook_events').set({ processed_at: new Date(), outcome }).where('id', '=', id).execute();
  return outcome;
}

/** The Stripe events the switch below acts on: the app's webhook endpoint must take them (npm run doctor checks it). */
export const STRIPE_EVENTS_HANDLED = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] as const;
/** The PayPal events paypalEvent acts on: the app's webhook must subscribe to them. */
export const PAYPAL_EVENTS_HANDLED = ['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED', 'CHECKOUT.ORDER.VOIDED'] as const;

async function stripeEvent(deps: Deps, type: string, payload: Record<string, unknown>): Promise<string> {
  const object = ((payload.data as { object?: Record<string, unknown> })?.object ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      // a renewal's payment link settles its renewal, not a first payment (a delayed method's once the money arrived)
      const renewal = await settleRenewalSession(deps, object);
      if (renewal) return renewal;
      const link = await linkByRef(deps, 'stripe', String(object.id));
      if (!link) return 'unknown_session';
      // complete but unpaid: a delayed method (SEPA Debit) whose money is on its way (docs.stripe.com/payments/checkout/fulfill-orders)
      if (object.payment_status === 'unpaid') return type === 'checkout.session.completed' ? markProcessing(deps, link) : 'not_paid_yet';
      if (object.payment_status !== 'paid') return 'not_paid_yet';
      return markPaid(deps, link, {
        paymentRef: String(object.payment_intent),
        amountCents: fromStripeAmount(Number(object.amount_total), String(object.currency ?? '')),
        currency: String(object.currency ?? '').toUpperCase(),
      });
    }
    case 'checkout.session.async_payment_failed': {
      // a renewal link's debit refused: the renewal stays in dunning, whose next link follows at its spacing
      if ((object.metadata as Record<string, string> | undefined)?.renewalAttempt) return 'renewal_payment_failed';
      const link = await linkByRef(deps, 'stripe', String(object.id));
      return link ? paymentFailed(deps, link) : 'unknown_session';
    }
    case 'checkout.session.expired': {
      const link = await linkByRef(deps, 'stripe', String(object.id));
      return link ? expireLink(deps, link.id) : 'unknown_session';
    }
    default:
      return 'ignored';
  }
}

async function paypalEvent(deps: Deps, type: string, payload: Record<string, unknown>): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: PayPal's event resource differs by event type; each branch reads its own fields
  const resource = (payload.resource ?? {}) as Record<string, any>;
  switch (type) {
    case 'CHECKOUT.ORDER.APPROVED': {
      const renewal = await settleRenewalPaypal(deps, String(resource.id));
      if (renewal) return renewal;
      const link = await linkByRef(deps, 'paypal', String(resource.id));
      return link ? capturePaypal(deps, link) : 'unknown_order';
    }
    case 'PAYMENT.CAPTURE.COMPLETED': {
      const ref = resource.supplementary_data?.related_ids?.order_id;
      const currency = String(resource.amount?.currency_code ?? '');
      // minor units by the currency's own digits (JPY, HUF, TWD have none); a malformed amount never matches the link's
      const payment = { paymentRef: String(resource.id), amountCents: fromDecimal(String(resource.amount?.value ?? ''), currency) ?? -1, currency };
      // a renewal's link settles its renewal
      const renewal = ref ? await settleRenewalPaypal(deps, String(ref), payment) : undefined;
      if (renewal) return renewal;
      const link = ref ? await linkByRef(deps, 'paypal', String(ref)) : undefined;
      // a renewal charged with the saved token: its order is no link's, its custom_id is the attempt
      if (!link) return (await settleRenewalCapture(deps, String(resource.custom_id ?? ''), payment)) ?? 'unknown_order';
      return markPaid(deps, link, payment);
    }
    case 'CHECKOUT.ORDER.VOIDED': {
      const link = await linkByRef(deps, 'paypal', String(resource.id));
      return link ? expireLink(deps, link.id) : 'unknown_order';
    }
    default:
      return 'ignored';
  }
}

/** The refund_payment job: a payment that arrived for an order already paid (a second link paid) goes back. */
export async function refundExtraPayment(deps: Deps, p: Payload<'refund_payment'>) {
  const provider = deps.payments[p.provider];
  // jobs queued before the payload carried the currency: the order's (one currency per order)
  const currency = p.currency ?? (await deps.db.selectFrom('orders').select('currency').where('id', '=', p.orderId).executeTakeFirstOrThrow()).currency;
  const refund = await recordProviderCall(deps.db, { orderId: p.orderId, provider: provider.name, operation: 'refund' }, () =>
    provider.refund({ paymentRef: p.paymentRef, amountCents: p.amountCents, currency, idempotencyKey: `refund-payment:${p.paymentRef}` }),
  );
  // a job run again after a crash replays the refund (same idempotency key, same refund id): its event is written once
  await deps.db.transaction().execute(async (tx) => {
    await lockOrder(tx, p.orderId);
    const told = await tx
      .selectFrom('order_events')
      .select('id')
      .where('order_id', '=', p.orderId)
      .where('type', '=', 'payment_duplicate_refunded')
      .where(sql<string>`data->>'refundId'`, '=', refund.refundId)
      .executeTakeFirst();
    if (!told) await addEvent(tx, p.orderId, 'payment_duplicate_refunded', { provider: p.provider, amountCents: p.amountCents, refundId: refund.refundId });
  });
}
