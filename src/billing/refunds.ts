// Refunds that leave the order standing: an operator's refund of a paid order, in full or in part, and a consumer's
// withdrawal. The request is a row and a job written together; the job refunds at the provider (the row's id is the
// idempotency key, so a retry never refunds twice) and records the refund with its credit note in one transaction.
import crypto from 'node:crypto';
import type { Deps } from '../deps.ts';
import { addEvent, findOrderById, lockOrder } from '../db/orders.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import type { Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import { canTransition } from '../domain/order-state.ts';
import { defineTimelineTexts } from '../domain/timeline.ts';
import { formatMoney } from '../emails/i18n.ts';
import { queueEmail } from '../emails/outbox.ts';
import { withdrawalEmail } from '../emails/withdrawal.ts';
import { trackingUrl } from '../workflow/payment-link.ts';
import { creditRefund, creditable } from './issue.ts';

/** The 14 days of the withdrawal period (Code de la consommation L221-18), counted from the contract (the payment). */
export const WITHDRAWAL_DAYS = 14;

type RefundKind = 'operator' | 'withdrawal';

const sum = (d: Record<string, unknown>, locale: 'fr' | 'en') => formatMoney(Number(d.amountCents), String(d.currency), locale);
defineTimelineTexts({
  withdrawal_requested: {
    fr: (d) => `Rétractation reçue : le travail est arrêté, ${sum(d, 'fr')} vous seront remboursés.`,
    en: (d) => `Withdrawal received: the work has stopped, ${sum(d, 'en')} will be refunded to you.`,
  },
  withdrawn: {
    fr: (d) => `Rétractation : ${sum(d, 'fr')} remboursés, avec un avoir.`,
    en: (d) => `Withdrawal: ${sum(d, 'en')} refunded, with a credit note.`,
  },
  refund_requested: { fr: (d) => `Remboursement de ${sum(d, 'fr')} demandé.`, en: (d) => `Refund of ${sum(d, 'en')} requested.` },
  refunded_partly: { fr: (d) => `${sum(d, 'fr')} remboursés, avec un avoir.`, en: (d) => `${sum(d, 'en')} refunded, with a credit note.` },
});

/** What may still be refunded: the invoice less its credit notes and the refunds on their way. */
async function refundable(tx: Tx, orderId: string): Promise<number> {
  const open = await creditable(tx, orderId);
  if (!open) return 0;
  const pending = await tx
    .selectFrom('order_refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount_cents'), eb.val('0')).as('sum'))
    .where('order_id', '=', orderId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return open.remainingCents - Number(pending.sum);
}

/** Orders whose money may be given back this way: paid, and not being (or already) refunded by the pipeline. */
const refundableState = (o: Order) => !!o.payment_ref && !['refunding', 'refunded', 'cancelled', 'awaiting_payment', 'payment_expired'].includes(o.state);

async function queueRefund(tx: Tx, order: Order, kind: RefundKind, amountCents: number, reason: string, by: string) {
  const id = crypto.randomUUID();
  await tx.insertInto('order_refunds').values({ id, order_id: order.id, kind, amount_cents: amountCents, reason, requested_by: by }).execute();
  await addEvent(tx, order.id, kind === 'withdrawal' ? 'withdrawal_requested' : 'refund_requested', { amountCents, currency: order.currency });
  await enqueue(tx, 'refund_part', { refundId: id });
  return { refundId: id, amountCents, state: 'pending' as const };
}

/** An operator refunds a paid order: `amountCents` including VAT, or all that remains. */
export async function requestOperatorRefund(deps: Deps, orderId: string, req: { amountCents?: number; reason: string }, by: string) {
  return deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) throw new AppError('order_not_found', 404);
    if (!refundableState(order)) throw new AppError('refund_not_possible', 409);
    const left = await refundable(tx, orderId);
    const amount = req.amountCents ?? left;
    if (amount <= 0 || amount > left) throw new AppError('refund_amount_invalid', 422, {}, { remainingCents: left });
    return queueRefund(tx, order, 'operator', amount, req.reason, by);
  });
}

/**
 * A consumer withdraws within 14 days of paying (Code de la consommation L221-18). Per the terms, what has been
 * performed at their request is kept: the domain registration once bought (the registry's, not ours to undo), the
 * service once the site is delivered (L221-25, L221-28 1°); the rest is refunded with a credit note.
 */
export async function requestWithdrawal(deps: Deps, order: Order, now = new Date()) {
  return deps.db.transaction().execute(async (tx) => {
    const locked = (await lockOrder(tx, order.id))!;
    const billing = await tx.selectFrom('order_billing').select('tax').where('order_id', '=', order.id).executeTakeFirst();
    const consumer = (billing?.tax.customerKind ?? 'consumer') === 'consumer';
    const inTime = !!locked.paid_at && now.getTime() - locked.paid_at.getTime() <= WITHDRAWAL_DAYS * 86_400_000;
    const already = await tx.selectFrom('order_refunds').select('id').where('order_id', '=', order.id).where('kind', '=', 'withdrawal').executeTakeFirst();
    if (!consumer || !inTime || already || !refundableState(locked)) throw new AppError('withdrawal_not_possible', 409);
    const open = await creditable(tx, order.id);
    const kept = await performedCents(tx, locked);
    const left = await refundable(tx, order.id);
    const amount = left - kept;
    if (!open || amount <= 0) throw new AppError('withdrawal_not_possible', 409);
    const queued = await queueRefund(tx, locked, 'withdrawal', amount, 'withdrawal', 'customer');
    // the contract ends: the work stops where it is (a step running now finds its order left, and keeps what it did)
    if (canTransition(locked.state, 'cancelled')) {
      await tx.updateTable('orders').set({ state: 'cancelled', current_step: null, updated_at: now }).where('id', '=', locked.id).execute();
    }
    const paid = Number(open.invoice.total_incl_vat_cents);
    await queueEmail(tx, {
      orderId: locked.id,
      kind: 'withdrawal',
      dedupeKey: `withdrawal:${locked.id}`,
      to: locked.email,
      locale: locked.locale,
      rendered: withdrawalEmail(
        {
          businessName: locked.business_name,
          domain: locked.domain_unicode,
          supportEmail: deps.config.SUPPORT_EMAIL,
          publicUrl: deps.config.publicUrl,
          trackingUrl: trackingUrl(deps.config.publicUrl, locked),
          currency: open.invoice.currency,
          paidCents: paid,
          keptCents: kept,
          refundCents: amount,
          withdrawnAt: now,
        },
        locked.locale,
      ),
    });
    return { refundId: queued.refundId, amountCents: amount, keptCents: kept };
  });
}

/** The invoice's lines already performed, including their VAT: the domain once registered, everything once delivered. */
async function performedCents(tx: Tx, order: Order): Promise<number> {
  const open = await creditable(tx, order.id);
  if (!open) return 0;
  const total = Number(open.invoice.total_incl_vat_cents);
  if (order.state === 'delivered') return total;
  const registered = await tx
    .selectFrom('order_steps')
    .select('state')
    .where('order_id', '=', order.id)
    .where('step', '=', 'register_domain')
    .executeTakeFirst();
  if (registered?.state !== 'done') return 0;
  const rate = open.invoice.vat_breakdown[0]?.rateBp ?? 0;
  const domain = open.invoice.lines.find((l) => l.code === 'domain_first_year');
  return domain ? domain.totalExclVatCents + Math.round((domain.totalExclVatCents * rate) / 10_000) : 0;
}

/** The refund_part job: the provider refunds (once, by the row's id), then the refund and its credit note are recorded. */
export async function runPartRefund(deps: Deps, refundId: string): Promise<string> {
  const row = await deps.db.selectFrom('order_refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
  if (!row || row.state === 'refunded') return 'already';
  const order = (await findOrderById(deps.db, row.order_id))!;
  const provider = deps.payments[order.payment_provider];
  const amount = Number(row.amount_cents);
  const refund = await recordProviderCall(deps.db, { orderId: order.id, provider: provider.name, operation: 'refund' }, () =>
    provider.refund({
      paymentRef: order.payment_ref!,
      amountCents: amount,
      currency: order.currency,
      idempotencyKey: `order-refund:${row.id}`,
      reason: row.kind,
    }),
  );
  await deps.db.transaction().execute(async (tx) => {
    const locked = (await lockOrder(tx, order.id))!;
    const marked = await tx
      .updateTable('order_refunds')
      .set({ state: 'refunded', refund_id: refund.refundId, refunded_at: new Date() })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return;
    const withdrawal = row.kind === 'withdrawal';
    await creditRefund(tx, locked, {
      ref: refund.refundId,
      provider: order.payment_provider,
      refundedAt: new Date(),
      amountCents: amount,
      reason: row.reason,
      code: withdrawal ? 'withdrawal' : 'refund',
      label: withdrawal ? { fr: 'Rétractation : part non exécutée remboursée', en: 'Withdrawal: the part not performed, refunded' } : undefined,
    });
    await addEvent(tx, order.id, withdrawal ? 'withdrawn' : 'refunded_partly', { amountCents: amount, currency: order.currency });
  });
  return 'refunded';
}
