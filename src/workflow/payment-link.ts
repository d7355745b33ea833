// Phase 1's last step: a payment link for the order (first one, or a fresh one after expiry), with its confirmation email.
import crypto from 'node:crypto';
import { renewalConsentFor, renewalQuoteCents } from './renewals/plan.ts';
import type { Deps } from '../deps.ts';
import { sql } from 'kysely';
import { addEvent, findOrderById, latestPaymentLink, lockOrder, transition } from '../db/orders.ts';
import type { Order, PaymentLinkRow } from '../db/schema.ts';
import { recordProviderCall, recordProviderCalls, type ProviderCallRow } from '../db/provider-calls.ts';
import { emailRow, queueEmail } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import { jobSpecOf } from './jobs/enqueue.ts';
import { comeBackIn, type ComeBack } from './jobs/run.ts';

export function trackingUrl(publicUrl: string, order: Pick<Order, 'tracking_token' | 'locale'>): string {
  return `${publicUrl}/${order.locale === 'fr' ? 'suivi' : 'track'}/${order.tracking_token}`;
}

/** The stable link we put in emails: it always leads to the order's current payment page. */
export function stablePaymentUrl(publicUrl: string, order: Pick<Order, 'tracking_token'>): string {
  return `${publicUrl}/pay/${order.tracking_token}`;
}

/**
 * Stripe takes expires_at between 30 minutes and 24 hours after the session's creation, by its own clock
 * (docs.stripe.com/api/checkout/sessions/create): a link is asked to expire a few minutes inside each bound, so a clock
 * a little ahead of Stripe's, or a request that takes a while, is never refused.
 */
const EXPIRY_MARGIN_MINUTES = 5;
const MIN_TTL_MINUTES = 30 + EXPIRY_MARGIN_MINUTES;
const MAX_TTL_MINUTES = 24 * 60 - EXPIRY_MARGIN_MINUTES;

/** When a link asked for now expires: the configured lifetime, kept inside Stripe's window with a margin. */
export function linkExpiry(config: Deps['config'], from = Date.now()): Date {
  const minutes = Math.min(MAX_TTL_MINUTES, Math.max(MIN_TTL_MINUTES, config.PAYMENT_LINK_TTL_MINUTES));
  return new Date(from + minutes * 60_000);
}

/** The payment link's row before the provider is asked: its parameters, so a retry asks for exactly the same link. */
export function paymentLinkIntent(config: Deps['config'], order: Pick<Order, 'id' | 'payment_provider' | 'total_cents' | 'currency'>, seq: number) {
  return {
    id: crypto.randomUUID(),
    order_id: order.id,
    seq,
    provider: order.payment_provider,
    amount_cents: order.total_cents,
    currency: order.currency,
    expires_at: linkExpiry(config),
  };
}

/**
 * Create payment link number `seq` for the order, record it and queue the email that carries it.
 * The row is written first with the link's parameters, so a retry after a crash sends the provider
 * exactly the same request under the same idempotency key (derived from the order and the link's
 * number) and gets the same link back, never a second one.
 */
export async function issuePaymentLink(
  deps: Deps,
  orderId: string,
  seq: number,
  /** intake has just written both in its own transaction: no need to read them back */
  written?: { order: Order; intent: PaymentLinkRow },
): Promise<PaymentLinkRow> {
  const { db, config, log } = deps;
  let order = written?.order;
  let intent = written?.intent;
  if (!order || !intent) {
    order = await findOrderById(db, orderId);
    if (!order) throw new Error(`order ${orderId} not found`);
    await db
      .insertInto('payment_links')
      .values(paymentLinkIntent(config, order, seq))
      .onConflict((oc) => oc.columns(['order_id', 'seq']).doNothing())
      .execute();
    intent = await db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).where('seq', '=', seq).executeTakeFirstOrThrow();
  }
  if (intent.state !== 'creating') return intent;

  let idempotencyKey = `order:${orderId}:payment-link:${seq}`;
  let expiresAt = intent.expires_at;
  // Stripe wants expires_at at least 30 minutes ahead: a retry long after the first try needs new parameters, hence a new key
  if (expiresAt.getTime() < Date.now() + (30 + 1) * 60_000) {
    expiresAt = linkExpiry(config);
    idempotencyKey += `:${expiresAt.getTime()}`;
    await db.updateTable('payment_links').set({ expires_at: expiresAt }).where('id', '=', intent.id).execute();
  }
  const provider = deps.payments[intent.provider];
  const base = config.publicUrl;
  // the provider call is written with the link it opens (one round trip), or at once when it fails
  const calls: ProviderCallRow[] = [];
  // auto-renewal chosen: the card is saved with the consent shown on the payment page
  const consent = await renewalConsentFor(deps, order);
  const link = await recordProviderCall(
    db,
    { orderId, provider: provider.name, operation: 'create_payment_link' },
    () =>
      provider.createPaymentLink({
        orderId,
        amountCents: intent.amount_cents,
        currency: intent.currency,
        description:
          order.locale === 'fr'
            ? `Mise en ligne de ${order.domain_unicode} (${order.tier === 'express' ? 'express 4 h' : 'standard 24 h'})`
            : `Putting ${order.domain_unicode} online (${order.tier === 'express' ? 'express 4 h' : 'standard 24 h'})`,
        customerEmail: order.email,
        locale: order.locale,
        successUrl: `${base}/payment/return?order=${order.tracking_token}`,
        cancelUrl: `${base}/payment/cancel?order=${order.tracking_token}`,
        expiresAt,
        idempotencyKey,
        ...consent,
      }),
    (row) => calls.push(row),
  ).catch(async (err) => {
    await recordProviderCalls(db, calls).catch(() => {}); // bookkeeping must never hide the provider's error
    throw err;
  });

  // The link opens, the timeline says so, its email is queued and its expiry checked later: one call of
  // open_payment_link (migration 010), which writes nothing twice when another process opened the link first.
  const kind = seq === 1 ? 'confirmation' : 'payment_link_renewed';
  // a renewal after a delayed payment failed says so, not that the link expired
  const previous =
    seq > 1
      ? await db
          .selectFrom('payment_links')
          .select('state')
          .where('order_id', '=', orderId)
          .where('seq', '=', seq - 1)
          .executeTakeFirst()
      : undefined;
  const email = emailRow({
    orderId,
    kind,
    dedupeKey: `${kind}:${orderId}:${seq}`,
    to: order.email,
    locale: order.locale,
    rendered: renderOrderEmail(kind, order, {
      paymentUrl: stablePaymentUrl(base, order),
      trackingUrl: trackingUrl(base, order),
      // the confirmation points to the editor: what is saved there before the deploy is what goes live
      editorUrl: `${base}/editor/${order.tracking_token}`,
      supportEmail: config.SUPPORT_EMAIL,
      publicUrl: base,
      expiresAt: link.expiresAt,
      renewal: previous?.state === 'failed' ? 'payment_failed' : 'expired',
      // the confirmation states next year's price, as the quote did and the renewal will charge it
      ...(seq === 1 ? { renewalCents: await renewalQuoteCents(deps, order) } : {}),
    }),
  });
  // check the link when it expires: the order moves to payment_expired unless it was paid
  const check = jobSpecOf('check_payment_link', { linkId: intent.id }, { runAt: new Date(link.expiresAt.getTime() + 2_000) });
  const { rows } = await sql<PaymentLinkRow>`
    select * from open_payment_link(${intent.id}, ${link.providerRef}, ${link.url}, ${link.expiresAt},
      ${seq === 1 ? 'payment_link_created' : 'payment_link_renewed'}, ${JSON.stringify({ provider: link.provider, seq })}::jsonb,
      ${JSON.stringify(email)}::jsonb, ${JSON.stringify(check)}::jsonb, ${JSON.stringify(calls)}::jsonb)`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`payment link ${intent.id} vanished`);
  log.info({ event: 'payment_link_created', orderId, domain: order.domain, provider: link.provider, seq }, 'payment link created');
  return row;
}

/** How often a link whose delayed payment is processing is looked at, in case its webhook is lost. */
const PROCESSING_RECHECK_MS = 60 * 60_000;

/**
 * The check_payment_link job, run when a link expires. The provider's own word decides:
 * expired → the order moves to payment_expired and the customer is told; paid (the webhook was
 * lost) → the payment is settled here; still open → look again in a minute; paid by a delayed method and still
 * processing → look again in an hour (never expired: the customer has paid); failed → a fresh link.
 */
export async function checkPaymentLink(deps: Deps, linkId: string): Promise<string | ComeBack> {
  const { db } = deps;
  const link = await db.selectFrom('payment_links').selectAll().where('id', '=', linkId).executeTakeFirst();
  if ((link?.state !== 'open' && link?.state !== 'processing') || !link.provider_ref) return 'ignored';
  const provider = deps.payments[link.provider];
  const status = await recordProviderCall(db, { orderId: link.order_id, provider: provider.name, operation: 'get_payment_status' }, () =>
    provider.getPaymentStatus(link.provider_ref!),
  );
  if (status.state === 'open') return comeBackIn(60_000);
  const events = await import('./payment-events.ts');
  if (status.state === 'paid')
    return events.markPaid(deps, link, { paymentRef: status.paymentRef, amountCents: status.amountCents, currency: status.currency });
  if (status.state === 'processing') {
    // the money takes days (SEPA Debit): the webhook says when; a slow look now and then covers a webhook lost
    await events.markProcessing(deps, link);
    return comeBackIn(PROCESSING_RECHECK_MS);
  }
  if (status.state === 'failed') return events.paymentFailed(deps, link);
  return expireLink(deps, linkId);
}

/** The link can no longer be paid: if it was the order's current one, the order waits for a fresh link. */
export async function expireLink(deps: Deps, linkId: string): Promise<'expired' | 'ignored'> {
  const { db, config } = deps;
  return db.transaction().execute(async (tx) => {
    const link = await tx.selectFrom('payment_links').selectAll().where('id', '=', linkId).executeTakeFirst();
    if (!link) return 'ignored';
    const order = await lockOrder(tx, link.order_id);
    if (!order) return 'ignored';
    const updated = await tx.updateTable('payment_links').set({ state: 'expired' }).where('id', '=', linkId).where('state', '=', 'open').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return 'ignored';
    const latest = await latestPaymentLink(tx, order.id);
    if (latest?.id !== linkId) return 'ignored'; // a newer link replaced this one
    // a completion that arrived first has already moved the order on: the state rules ignore a late expiry
    if (!(await transition(tx, order, 'payment_expired'))) return 'ignored';
    await addEvent(tx, order.id, 'payment_link_expired', { seq: link.seq });
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'payment_expired',
      dedupeKey: `payment_expired:${order.id}:${link.seq}`,
      to: order.email,
      locale: order.locale,
      rendered: renderOrderEmail('payment_expired', order, {
        paymentUrl: stablePaymentUrl(config.publicUrl, order),
        trackingUrl: trackingUrl(config.publicUrl, order),
        supportEmail: config.SUPPORT_EMAIL,
        publicUrl: config.publicUrl,
      }),
    });
    return 'expired';
  });
}

/** The customer asks for a fresh link: reuse the open one, or issue the next. */
export async function freshPaymentLink(deps: Deps, order: Order): Promise<PaymentLinkRow> {
  const state = order.state;
  const latest = await latestPaymentLink(deps.db, order.id);
  if (state === 'awaiting_payment' && latest && latest.state === 'open' && latest.expires_at.getTime() > Date.now() + 60_000) {
    return latest;
  }
  // paid by a delayed method, the money on its way: no second link to pay twice with
  if (latest?.state === 'processing') return latest;
  // a link whose creation failed half-way is finished with its own parameters, not replaced
  if (latest?.state === 'creating') return issuePaymentLink(deps, order.id, latest.seq);
  return issuePaymentLink(deps, order.id, (latest?.seq ?? 0) + 1);
}
