// Payment webhooks: signature, timestamp tolerance, duplicates by event id, and events out of order settled by the order's state rules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem();
});
after(async () => sys?.stop());

const secret = () => sys.sandbox!.credentials.stripeWebhookSecret;

async function newOrder(domain: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Café Lune',
      email: `${domain}@example.org`,
      domain,
      tier: 'standard',
      locale: 'fr',
    },
  });
  assert.equal(r.status, 201);
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  return { ...r.body, sessionId: link.provider_ref!, amount: link.amount_cents };
}

function event(id: string, type: string, object: Record<string, unknown>) {
  return JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, api_version: '2025-01-27', data: { object } });
}

async function post(body: string, signature?: string) {
  const res = await fetch(`${sys.url}/api/concierge/webhook/payment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });
  return { status: res.status, body: await res.json() };
}

const stored = async (eventId: string) => (await sys.db.selectFrom('webhook_events').select('id').where('event_id', '=', eventId).execute()).length;

const state = async (token: string) => (await sys.api(`/api/concierge/status/${token}`)).body.state as string;

test('a missing, wrong or stale signature is 400 and nothing is stored', async () => {
  const body = event('evt_forged_1', 'checkout.session.completed', { id: 'cs_x', payment_status: 'paid' });
  assert.equal((await post(body)).status, 400);
  assert.equal((await post(body, signStripePayload(body, 'whsec_wrong'))).status, 400);
  const stale = signStripePayload(body, secret(), Math.floor(Date.now() / 1000) - 301);
  const r = await post(body, stale);
  assert.equal(r.status, 400);
  assert.equal(r.body.code, 'webhook_signature_invalid');
  const tampered = signStripePayload(body, secret());
  assert.equal((await post(body.replace('cs_x', 'cs_y'), tampered)).status, 400);
  assert.equal(await stored('evt_forged_1'), 0);
});

test('a duplicate is 200 and processed never again', async () => {
  const o = await newOrder('cafe-lune-dup.fr');
  const session = {
    id: o.sessionId,
    object: 'checkout.session',
    payment_status: 'paid',
    status: 'complete',
    payment_intent: 'pi_dup_1',
    amount_total: o.amount,
    currency: 'eur',
  };
  const body = event('evt_dup_1', 'checkout.session.completed', session);
  const first = await post(body, signStripePayload(body, secret()));
  assert.equal(first.status, 200);
  assert.equal(first.body.duplicate, false);
  const again = await post(body, signStripePayload(body, secret()));
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  assert.equal(await stored('evt_dup_1'), 1);
  await eventually(async () => (await state(o.trackingToken)) === 'delivered', 20_000);
  const payments = (await sys.api(`/api/concierge/status/${o.trackingToken}`)).body.timeline.filter((e: { type: string }) => e.type === 'payment_received');
  assert.equal(payments.length, 1);
});

test('a completion after an expiry still counts: the money is real', async () => {
  const o = await newOrder('cafe-lune-late.fr');
  const session = { id: o.sessionId, object: 'checkout.session', payment_status: 'unpaid', status: 'expired' };
  const expired = event('evt_late_exp', 'checkout.session.expired', session);
  assert.equal((await post(expired, signStripePayload(expired, secret()))).status, 200);
  await eventually(async () => (await state(o.trackingToken)) === 'payment_expired');
  const paid = event('evt_late_paid', 'checkout.session.completed', {
    ...session,
    payment_status: 'paid',
    status: 'complete',
    payment_intent: 'pi_late',
    amount_total: o.amount,
    currency: 'eur',
  });
  assert.equal((await post(paid, signStripePayload(paid, secret()))).status, 200);
  await eventually(async () => (await state(o.trackingToken)) === 'delivered', 20_000);
});

test('an expiry after the completion changes nothing; a retry days later with the same event id is a duplicate', async () => {
  const o = await newOrder('cafe-lune-order.fr');
  const base = { id: o.sessionId, object: 'checkout.session' };
  const paid = event('evt_ord_paid', 'checkout.session.completed', {
    ...base,
    payment_status: 'paid',
    status: 'complete',
    payment_intent: 'pi_ord',
    amount_total: o.amount,
    currency: 'eur',
  });
  await post(paid, signStripePayload(paid, secret()));
  await eventually(async () => (await state(o.trackingToken)) !== 'awaiting_payment');
  const expired = event('evt_ord_exp', 'checkout.session.expired', { ...base, payment_status: 'unpaid', status: 'expired' });
  await post(expired, signStripePayload(expired, secret()));
  await eventually(
    async () => (await sys.db.selectFrom('webhook_events').select('processed_at').where('event_id', '=', 'evt_ord_exp').executeTakeFirst())?.processed_at,
  );
  await eventually(async () => (await state(o.trackingToken)) === 'delivered', 20_000);
  // Stripe retries for up to three days; the event id is what we deduplicate on
  const replay = await post(paid, signStripePayload(paid, secret()));
  assert.equal(replay.body.duplicate, true);
  const timeline = (await sys.api(`/api/concierge/status/${o.trackingToken}`)).body.timeline;
  assert.ok(!timeline.some((e: { type: string }) => e.type === 'payment_link_expired'));
});

/** A real Stripe checkout of `amountCents` standing as link 2 of the order (the order's own price on the link); its session id. */
async function standingCheckout(o: { orderId: string; amount: number }, link: { amountCents: number; key: string; state: 'open' | 'superseded' }) {
  const checkout = await sys.deps.payments.stripe.createPaymentLink({
    orderId: o.orderId,
    amountCents: link.amountCents,
    currency: 'EUR',
    description: 'another checkout',
    customerEmail: 'another@example.org',
    locale: 'fr',
    successUrl: 'http://localhost/ok',
    cancelUrl: 'http://localhost/cancel',
    expiresAt: new Date(Date.now() + 3_600_000),
    idempotencyKey: link.key,
  });
  await sys.db
    .insertInto('payment_links')
    .values({
      id: crypto.randomUUID(),
      order_id: o.orderId,
      seq: 2,
      provider: 'stripe',
      provider_ref: checkout.providerRef,
      url: checkout.url,
      amount_cents: o.amount,
      currency: 'EUR',
      expires_at: checkout.expiresAt,
      state: link.state,
    })
    .execute();
  return checkout.providerRef;
}

test('a second payment for an order already paid is refunded', async () => {
  const o = await newOrder('cafe-lune-twice.fr');
  sys.sandbox!.stripe.pay(o.sessionId);
  await eventually(async () => (await state(o.trackingToken)) === 'delivered', 20_000);
  // a second checkout session for the same order (an older link the customer kept), paid too
  const second = await standingCheckout(o, { amountCents: o.amount, key: `second-${o.orderId}`, state: 'superseded' });
  const paid = sys.sandbox!.stripe.pay(second);
  await eventually(async () => {
    const t = (await sys.api(`/api/concierge/status/${o.trackingToken}`)).body.timeline;
    return t.some((e: { type: string }) => e.type === 'payment_duplicate_refunded');
  }, 15_000);
  const refunds = sys.sandbox!.stripe.events().filter((e) => e.event.type === 'charge.refunded');
  const mine = refunds.filter((e) => JSON.stringify(e.event.data).includes(String(paid.payment_intent)));
  assert.equal(mine.length, 1);
  const order = await sys.db.selectFrom('orders').select(['state', 'refund_id']).where('id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.equal(order.state, 'delivered');
  assert.equal(order.refund_id, null, 'the order itself is not refunded');
});

test('PayPal: a forged webhook is refused', async () => {
  const res = await fetch(`${sys.url}/api/concierge/webhook/payment/paypal`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'paypal-transmission-id': 'x',
      'paypal-transmission-time': new Date().toISOString(),
      'paypal-transmission-sig': 'Zm9yZ2Vk',
      'paypal-cert-url': 'https://api.paypal.com/cert.pem',
      'paypal-auth-algo': 'SHA256withRSA',
    },
    body: JSON.stringify({ id: 'WH-FORGED', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} }),
  });
  assert.equal(res.status, 400);
  assert.equal((await sys.db.selectFrom('webhook_events').select('id').where('event_id', '=', 'WH-FORGED').execute()).length, 0);
});

test('a payment of another amount than asked is refunded at Stripe and the order stays unpaid', async () => {
  const o = await newOrder('cafe-lune-amount.fr');
  // a checkout at Stripe for 1.00 € standing as a link of the order, which asked its whole price: paid for real
  const other = await standingCheckout(o, { amountCents: 100, key: `other-amount-${o.orderId}`, state: 'open' });
  const paid = sys.sandbox!.stripe.pay(other);
  const pi = String(paid.payment_intent);
  const timeline = async () => (await sys.api(`/api/concierge/status/${o.trackingToken}`)).body.timeline as { type: string }[];
  await eventually(async () => (await timeline()).some((e) => e.type === 'payment_duplicate_refunded'), 15_000);
  assert.ok((await timeline()).some((e) => e.type === 'payment_mismatch'));
  // Stripe's own records: one refund request for that payment, done, and the charge refunded in full
  const requests = sys.sandbox!.stripe.ledger.byTarget('refunds.create').get(pi) ?? [];
  assert.deepEqual(
    requests.map((r) => r.outcome),
    ['done'],
  );
  const refunded = sys
    .sandbox!.stripe.events()
    .filter((e) => e.event.type === 'charge.refunded' && (e.event.data.object as { payment_intent?: string }).payment_intent === pi);
  assert.equal(refunded.length, 1);
  assert.equal((refunded[0]!.event.data.object as { amount_refunded?: number }).amount_refunded, 100);
  assert.equal(await state(o.trackingToken), 'awaiting_payment');
});
