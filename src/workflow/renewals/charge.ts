// Paying a renewal, once per order and registration year (renewal_attempts' unique key): the saved method charged
// off-session, or a payment link emailed (a decline, no saved method, the grace period), and the payment settled the
// same way whichever way it came. A second payment for a settled attempt is refunded, never kept.
import type { Deps } from '../../deps.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import type { Order, Renewal, RenewalAttempt } from '../../db/schema.ts';
import { formatMoney } from '../../emails/i18n.ts';
import { queueEmail } from '../../emails/outbox.ts';
import { renewalPaymentEmail } from '../../emails/renewal.ts';
import type { OffSessionCharge } from '../../providers/payments/off-session.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { trackingUrl } from '../payment-link.ts';
import { chargeOf, issueRenewalInvoice } from './invoice.ts';
import { fromStripeAmount } from '../../domain/money.ts';
import { priceForLink } from './redemption.ts';
import { holdForOperator, premiumRenewal } from './premium.ts';
import { methodLabel, shownMethodOf } from '../../domain/payment-method.ts';

async function load(deps: Deps, attemptId: string) {
  const attempt = await deps.db.selectFrom('renewal_attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
  if (!attempt) return undefined;
  const plan = await deps.db.selectFrom('renewals').selectAll().where('order_id', '=', attempt.order_id).executeTakeFirstOrThrow();
  const order = (await findOrderById(deps.db, attempt.order_id))!;
  return { attempt, plan, order };
}

/** The Stripe idempotency key of an attempt's off-session charge: its order and the registration year it renews. */
export const chargeKey = (a: Pick<RenewalAttempt, 'order_id' | 'from_expiry'>) => `renewal:${a.order_id}:${isoDay(a.from_expiry)}:charge`;
const isoDay = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/**
 * The renewal_charge job. A run after the first asks the provider for a charge already made for this attempt before
 * charging (the idempotency key covers a day; a lost answer older than that is found by the attempt id it carries).
 */
export async function chargeRenewal(deps: Deps, attemptId: string, attempt_: { attempt: number }): Promise<string> {
  const found = await load(deps, attemptId);
  if (found?.attempt.state !== 'charging' || found.attempt.method !== 'off_session') return 'not_due';
  const { attempt, plan, order } = found;
  const offSession = deps.payments[plan.provider].offSession;
  if (!offSession || !plan.customer_ref || !plan.payment_method_ref) return toLink(deps, attempt);
  const call = { orderId: order.id, provider: plan.provider };
  let outcome: OffSessionCharge | undefined;
  if (attempt_.attempt > 1) {
    outcome = await recordProviderCall(deps.db, { ...call, operation: 'find_renewal_charge' }, () => offSession.findCharge(plan.customer_ref!, attempt.id));
  }
  // turned off since the scan, and no charge made: the attempt is withdrawn, the expiry takes its course
  if (!plan.auto_renew && !outcome) return withdraw(deps, attempt);
  // a premium name whose registrar price is now above what this charge asks for it: not charged, an operator decides
  const { held } = outcome ? {} : premiumRenewal(deps, order, attempt, false);
  if (held) return holdForOperator(deps, order, attempt.id, false, held);
  outcome ??= await recordProviderCall(deps.db, { ...call, operation: 'renewal_charge' }, () =>
    offSession.charge({
      customerRef: plan.customer_ref!,
      paymentMethodRef: plan.payment_method_ref!,
      amountCents: chargeOf(attempt),
      currency: attempt.currency,
      description: order.locale === 'fr' ? `Renouvellement annuel de ${order.domain_unicode}` : `Yearly renewal of ${order.domain_unicode}`,
      attemptId: attempt.id,
      orderId: order.id,
      idempotencyKey: chargeKey(attempt),
    }),
  );
  if (outcome.state === 'succeeded')
    return settleRenewal(deps, attempt.id, { paymentRef: outcome.paymentRef, amountCents: outcome.amountCents, currency: outcome.currency });
  await deps.db.transaction().execute(async (tx) => {
    const moved = await tx
      .updateTable('renewal_attempts')
      .set({ state: 'declined', decline_code: outcome.declineCode ?? outcome.code, method: 'link' })
      .where('id', '=', attempt.id)
      .where('state', '=', 'charging')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    await tx
      .updateTable('renewals')
      // a method that no longer exists (a deleted PayPal token) is forgotten: next year renews by link
      .set({ state: 'dunning', dunning_next_at: nextDunning(deps), updated_at: new Date(), ...(outcome.methodGone ? NO_METHOD : {}) })
      .where('order_id', '=', order.id)
      .execute();
    await addEvent(tx, order.id, 'renewal_declined', { code: outcome.declineCode ?? outcome.code });
    await enqueue(tx, 'renewal_link', { attemptId: attempt.id, seq: attempt.link_seq + 1 });
  });
  deps.log.info({ event: 'renewal_declined', orderId: order.id, code: outcome.code }, 'renewal charge declined');
  return 'declined';
}

async function withdraw(deps: Deps, attempt: RenewalAttempt): Promise<string> {
  await deps.db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('renewal_attempts').where('id', '=', attempt.id).where('state', '=', 'charging').executeTakeFirst();
    if (Number(gone.numDeletedRows) > 0) {
      await tx
        .updateTable('renewals')
        .set({ state: 'scheduled', updated_at: new Date() })
        .where('order_id', '=', attempt.order_id)
        .where('state', '=', 'charging')
        .execute();
    }
  });
  return 'turned_off';
}

/** A renewals row without a saved method. */
export const NO_METHOD = { customer_ref: null, payment_method_ref: null, card_brand: null, card_last4: null, payer_email_masked: null };

/** What the emails say of the saved method ("visa •••• 4242", "PayPal (c•••x@example.org)"), if there is one. */
export function savedMethodText(plan: Parameters<typeof shownMethodOf>[0]): string | undefined {
  const shown = shownMethodOf(plan);
  return shown ? methodLabel(shown) : undefined;
}

const nextDunning = (deps: Deps) => new Date(Date.now() + deps.config.RENEWAL_DUNNING_SPACING_DAYS * 86_400_000);

/** No saved method to charge (PayPal, none saved): the attempt is paid by link. */
async function toLink(deps: Deps, attempt: RenewalAttempt): Promise<string> {
  await deps.db.transaction().execute(async (tx) => {
    await tx.updateTable('renewal_attempts').set({ method: 'link' }).where('id', '=', attempt.id).execute();
    await enqueue(tx, 'renewal_link', { attemptId: attempt.id, seq: attempt.link_seq + 1 });
  });
  return 'by_link';
}

/**
 * The renewal_link job: a payment link for the attempt (Checkout in payment mode, or a PayPal order), emailed with the
 * reason. The previous link is asked first: paid (its webhook lost), the payment is settled and no new link goes.
 */
export async function sendRenewalLink(deps: Deps, attemptId: string, seq: number): Promise<string> {
  const found = await load(deps, attemptId);
  if (!found || !['charging', 'declined'].includes(found.attempt.state) || found.attempt.link_seq >= seq) return 'not_due';
  const { attempt, plan, order } = found;
  const provider = deps.payments[plan.provider];
  if (attempt.link_ref) {
    const before = await recordProviderCall(deps.db, { orderId: order.id, provider: provider.name, operation: 'payment_status' }, () =>
      provider.getPaymentStatus(attempt.link_ref!),
    );
    if (before.state === 'paid') return settleRenewal(deps, attempt.id, before);
    // a delayed debit (SEPA) on its way: no second link while the bank answers; the next dunning round asks again
    if (before.state === 'processing') return 'processing';
  }
  // in redemption the link asks for the registrar's restore price, fixed before the provider is asked
  const priced = await priceForLink(deps, attempt, plan, order);
  const redemption = priced.redemption_usd_cents !== null;
  const tracking = trackingUrl(deps.config.publicUrl, order);
  const { expiresAt, idempotencyKey } = await linkParameters(deps, attempt.id, seq, chargeOf(priced));
  const link = await recordProviderCall(deps.db, { orderId: order.id, provider: provider.name, operation: 'create_payment_link' }, () =>
    provider.createPaymentLink({
      orderId: order.id,
      amountCents: chargeOf(priced),
      currency: attempt.currency,
      description: linkDescription(order, redemption),
      customerEmail: order.email,
      locale: order.locale,
      successUrl: tracking,
      cancelUrl: tracking,
      expiresAt,
      idempotencyKey,
      metadata: { renewalAttempt: attempt.id },
    }),
  );
  await deps.db.transaction().execute(async (tx) => {
    const moved = await tx
      .updateTable('renewal_attempts')
      .set({ link_seq: seq, link_ref: link.providerRef, link_url: link.url })
      .where('id', '=', attempt.id)
      .where('link_seq', '<', seq)
      .where('state', 'in', ['charging', 'declined'])
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    // a renewal by link waits in dunning (its next link after the spacing) unless its grace period already started
    if (plan.state === 'charging') {
      await tx
        .updateTable('renewals')
        .set({ state: 'dunning', dunning_next_at: nextDunning(deps), updated_at: new Date() })
        .where('order_id', '=', order.id)
        .where('state', '=', 'charging')
        .execute();
    }
    await addEvent(tx, order.id, 'renewal_link_sent', { seq });
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'renewal_payment',
      dedupeKey: `renewal-link:${attempt.id}:${seq}`,
      to: order.email,
      locale: order.locale,
      rendered: renewalPaymentEmail(
        {
          ...renewalView(deps, order, plan),
          priceCents: chargeOf(priced),
          paymentUrl: link.url,
          reason: redemption ? 'redemption' : plan.state === 'grace' ? 'expired' : attempt.state === 'declined' ? 'declined' : 'no_method',
          lostAt: new Date((plan.expires_at?.getTime() ?? Date.now()) + deps.config.RENEWAL_GRACE_DAYS * 86_400_000),
        },
        order.locale,
      ),
    });
  });
  return 'sent';
}

/**
 * The link's expiry, fixed before the provider is first asked so that a retry sends the very same request under its
 * idempotency key (Stripe refuses a reused key with other parameters). Checkout sessions last 30 minutes to 24 hours
 * (docs.stripe.com/api/checkout/sessions/create, expires_at): one retried too late for its expiry gets a new one and key.
 */
async function linkParameters(deps: Deps, attemptId: string, seq: number, amountCents: number): Promise<{ expiresAt: Date; idempotencyKey: string }> {
  const fresh = () => new Date(Date.now() + 23 * 3_600_000);
  const row = await deps.db
    .updateTable('renewal_attempts')
    .set({ link_next_seq: seq, link_next_expires_at: fresh() })
    .where('id', '=', attemptId)
    .where((eb) => eb.or([eb('link_next_seq', 'is', null), eb('link_next_seq', '<>', seq)]))
    .returning('link_next_expires_at')
    .executeTakeFirst();
  let expiresAt =
    row?.link_next_expires_at ??
    (await deps.db.selectFrom('renewal_attempts').select('link_next_expires_at').where('id', '=', attemptId).executeTakeFirstOrThrow()).link_next_expires_at!;
  if (expiresAt.getTime() < Date.now() + 31 * 60_000) {
    expiresAt = fresh();
    await deps.db.updateTable('renewal_attempts').set({ link_next_expires_at: expiresAt }).where('id', '=', attemptId).execute();
  }
  // the expiry and the amount (a restore from redemption reprices it) are in the key: either changed is a new request
  return { expiresAt, idempotencyKey: `renewal:${attemptId}:link:${seq}:${expiresAt.getTime()}:${amountCents}` };
}

/** What the payment page names: a yearly renewal, or a restore from redemption and its year. */
const linkDescription = (order: Order, redemption: boolean) =>
  redemption
    ? order.locale === 'fr'
      ? `Rachat en rédemption et renouvellement de ${order.domain_unicode}`
      : `Redemption restore and renewal of ${order.domain_unicode}`
    : order.locale === 'fr'
      ? `Renouvellement annuel de ${order.domain_unicode}`
      : `Yearly renewal of ${order.domain_unicode}`;

/** What every renewal email shows of the plan. */
export function renewalView(deps: Deps, order: Order, plan: Renewal) {
  return {
    businessName: order.business_name,
    domain: order.domain_unicode,
    supportEmail: deps.config.SUPPORT_EMAIL,
    expiresAt: plan.expires_at ?? new Date(),
    priceCents: chargeOf(plan),
    currency: plan.currency,
    autoRenew: plan.auto_renew,
    chargeAt: plan.charge_at ?? undefined,
    savedMethod: savedMethodText(plan),
    trackingUrl: trackingUrl(deps.config.publicUrl, order),
  };
}

export interface RenewalPayment {
  paymentRef: string;
  amountCents: number;
  currency: string;
}

/**
 * A payment for an attempt, however it came (off-session, a link's webhook, a link found paid). Under the attempt's
 * lock: the first payment of the right amount settles it (paid, invoiced, the registrar's renewal queued, in one
 * transaction); the same payment again is nothing; any other payment is refunded.
 */
export async function settleRenewal(deps: Deps, attemptId: string, payment: RenewalPayment): Promise<'paid' | 'duplicate' | 'refunded'> {
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const a = await tx.selectFrom('renewal_attempts').selectAll().where('id', '=', attemptId).forUpdate().executeTakeFirstOrThrow();
    const plan = await tx.selectFrom('renewals').selectAll().where('order_id', '=', a.order_id).forUpdate().executeTakeFirstOrThrow();
    if (a.payment_ref === payment.paymentRef) return 'duplicate' as const;
    const rightAmount = payment.amountCents === chargeOf(a) && payment.currency.toUpperCase() === a.currency.toUpperCase();
    if (a.payment_ref || !rightAmount || a.state === 'lost' || !['charging', 'declined'].includes(a.state)) {
      await addEvent(tx, a.order_id, 'payment_duplicate', { provider: plan.provider });
      await enqueue(tx, 'refund_payment', {
        orderId: a.order_id,
        provider: plan.provider,
        paymentRef: payment.paymentRef,
        amountCents: payment.amountCents,
        currency: payment.currency,
      });
      return 'refunded' as const;
    }
    const paidAt = new Date();
    await tx.updateTable('renewal_attempts').set({ state: 'paid', payment_ref: payment.paymentRef, paid_at: paidAt }).where('id', '=', a.id).execute();
    await tx.updateTable('renewals').set({ state: 'paid', dunning_next_at: null, updated_at: paidAt }).where('order_id', '=', a.order_id).execute();
    const order = (await findOrderById(tx, a.order_id))!;
    await addEvent(tx, a.order_id, 'renewal_paid', {
      amount: formatMoney(payment.amountCents, payment.currency, order.locale),
      paymentRef: payment.paymentRef,
    });
    await enqueue(tx, 'renewal_register', { attemptId: a.id });
    // last: the invoice's counter row stays locked only until this transaction commits
    await issueRenewalInvoice(tx, deps.config, { order, attempt: { ...a, payment_ref: payment.paymentRef, paid_at: paidAt }, provider: plan.provider });
    return 'paid' as const;
  });
  deps.log.info({ event: 'renewal_payment', attemptId, outcome }, 'renewal payment settled');
  return outcome;
}

/** A Checkout session of a renewal link completed (its webhook): settled here, not as a first payment. */
export async function settleRenewalSession(deps: Deps, session: Record<string, unknown>): Promise<string | undefined> {
  const attemptId = (session.metadata as Record<string, string> | undefined)?.renewalAttempt;
  if (!attemptId) return undefined;
  if (session.payment_status !== 'paid') return 'not_paid_yet';
  const known = await deps.db.selectFrom('renewal_attempts').select('id').where('id', '=', attemptId).executeTakeFirst();
  if (!known) return 'unknown_renewal';
  return settleRenewal(deps, attemptId, {
    paymentRef: String(session.payment_intent),
    amountCents: fromStripeAmount(Number(session.amount_total), String(session.currency ?? '')),
    currency: String(session.currency ?? '').toUpperCase(),
  });
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const RENEWAL_CUSTOM_ID = new RegExp(`^renewal:(${UUID}):(${UUID})$`, 'i');

/**
 * A PayPal capture of a renewal charged with the saved token (its webhook): custom_id names the order and attempt
 * (src/providers/payments/paypal/vault.ts). It settles the attempt whose charge answer was lost past the
 * PayPal-Request-Id's hours; a capture for an attempt that no longer exists (withdrawn while its answer was lost) is
 * refunded. Undefined when custom_id is no renewal's.
 */
export async function settleRenewalCapture(deps: Deps, customId: string, payment: RenewalPayment): Promise<string | undefined> {
  const [, orderId, attemptId] = RENEWAL_CUSTOM_ID.exec(customId) ?? [];
  if (!orderId || !attemptId) return undefined;
  const a = await deps.db.selectFrom('renewal_attempts').select('id').where('id', '=', attemptId).executeTakeFirst();
  if (a) return settleRenewal(deps, a.id, payment);
  const order = await findOrderById(deps.db, orderId);
  if (!order) return undefined;
  await deps.db.transaction().execute(async (tx) => {
    await addEvent(tx, order.id, 'payment_duplicate', { provider: 'paypal' });
    await enqueue(tx, 'refund_payment', { orderId: order.id, provider: 'paypal', ...payment });
  });
  return 'refunded';
}

/**
 * A PayPal renewal link (an Orders v2 order) approved, or its capture completed (their webhooks): captured once under a
 * key of the attempt and link, then settled like any renewal payment. Undefined when the order is no renewal's.
 */
export async function settleRenewalPaypal(deps: Deps, paypalOrderId: string, captured?: RenewalPayment): Promise<string | undefined> {
  const a = await deps.db.selectFrom('renewal_attempts').select(['id', 'order_id', 'link_seq']).where('link_ref', '=', paypalOrderId).executeTakeFirst();
  if (!a) return undefined;
  if (captured) return settleRenewal(deps, a.id, captured);
  const paypal = deps.payments.paypal;
  const status = await recordProviderCall(deps.db, { orderId: a.order_id, provider: 'paypal', operation: 'capture' }, () =>
    paypal.capture!(paypalOrderId, `renewal:${a.id}:capture:${a.link_seq}`),
  );
  if (status.state !== 'paid') return status.state;
  return settleRenewal(deps, a.id, status);
}
