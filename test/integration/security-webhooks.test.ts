// Payment webhooks under attack: forged, replayed and stale deliveries (Stripe and PayPal) are refused or recognised, never acted on twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import type { PaypalPayments } from '../../src/providers/payments/paypal/client.ts';
import { send } from '../security/corpus.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
/** every PayPal delivery's headers as they reached the app (the body is the sandbox's event, compact JSON) */
const paypalDeliveries: { headers: IncomingHttpHeaders; at: number }[] = [];

before(async () => {
  sys = await startTestSystem();
  sys.app!.server.prependListener('request', (req) => {
    if (req.url === '/api/concierge/webhook/payment/paypal' && req.headers['paypal-transmission-sig'])
      paypalDeliveries.push({ headers: { ...req.headers }, at: Date.now() });
  });
});
after(async () => sys?.stop());

async function order(domain: string, paymentProvider: 'stripe' | 'paypal') {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Café Garde',
      email: `${domain}@example.org`,
      domain,
      tier: 'standard',
      locale: 'fr',
      paymentProvider,
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  return { orderId: r.body.orderId as string, ref: link.provider_ref! };
}

const stored = async (provider: string, eventId: string) =>
  (await sys.db.selectFrom('webhook_events').select('id').where('provider', '=', provider).where('event_id', '=', eventId).execute()).length;
const payments = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('id').where('order_id', '=', orderId).where('type', '=', 'payment_received').execute()).length;
const stripeHook = (body: string, signature?: string) =>
  send(sys.url!, {
    method: 'POST',
    path: '/api/concierge/webhook/payment',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });
const paypalHook = (headers: IncomingHttpHeaders, body: string) => {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  for (const k of ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url', 'paypal-auth-algo'])
    h[k] = String(headers[k]);
  return send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment/paypal', headers: h, body });
};

test('Stripe: a genuine event replayed is a duplicate, acted on once; stale, forged or tampered copies are refused and not stored', async () => {
  const o = await order('cafe-garde-stripe.fr', 'stripe');
  sys.sandbox!.stripe.pay(o.ref);
  const delivered = await eventually(async () =>
    sys
      .sandbox!.stripe.events()
      .find(
        (e) =>
          e.event.type === 'checkout.session.completed' && (e.event.data.object as { id: string }).id === o.ref && e.attempts.some((a) => a.status === 200),
      ),
  );
  const body = JSON.stringify(delivered.event, null, 2);
  const secret = sys.sandbox!.credentials.stripeWebhookSecret;
  await eventually(async () => (await payments(o.orderId)) === 1);

  // replayed within the tolerance (as Stripe's own retries are): recognised, not acted on again
  const replay = await stripeHook(body, signStripePayload(body, secret));
  assert.equal(replay.status, 200);
  assert.equal(replay.json.duplicate, true);
  // replayed with its original signature after the tolerance: refused
  const stale = await stripeHook(body, signStripePayload(body, secret, Math.floor(Date.now() / 1000) - 301));
  assert.equal(stale.status, 400);
  assert.equal(stale.json.code, 'webhook_signature_invalid');

  // an event we never saw: forged, stale or tampered, nothing is stored
  const fresh = JSON.stringify({ ...delivered.event, id: 'evt_attack_1' }, null, 2);
  for (const [what, r] of [
    ['no signature', await stripeHook(fresh)],
    ['another secret', await stripeHook(fresh, signStripePayload(fresh, 'whsec_attacker'))],
    ['stale', await stripeHook(fresh, signStripePayload(fresh, secret, Math.floor(Date.now() / 1000) - 3600))],
    ['tampered', await stripeHook(fresh.replace('"evt_attack_1"', '"evt_attack_2"'), signStripePayload(fresh, secret))],
  ] as const) {
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.match(r.json.code, /^webhook_signature_/);
  }
  assert.equal(await stored('stripe', 'evt_attack_1'), 0);
  assert.equal(await stored('stripe', 'evt_attack_2'), 0);
  assert.equal(await stored('stripe', delivered.event.id), 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await payments(o.orderId), 1);
});

test('PayPal: a captured delivery replayed is a duplicate, ten minutes later too (PayPal redelivers for days); tampered, it is refused', async () => {
  const o = await order('cafe-garde-paypal.fr', 'paypal');
  const since = Date.now();
  sys.sandbox!.paypal.approve(o.ref);
  const approval = await eventually(async () =>
    sys
      .sandbox!.paypal.events()
      .find(
        (e) =>
          e.event.event_type === 'CHECKOUT.ORDER.APPROVED' && (e.event.resource as { id: string }).id === o.ref && e.attempts.some((a) => a.status === 200),
      ),
  );
  const body = JSON.stringify(approval.event);
  const paypal = sys.deps.payments.paypal as PaypalPayments;
  // which delivery carried this body: PayPal's own check says (the signature covers the body)
  let headers: IncomingHttpHeaders | undefined;
  for (const d of paypalDeliveries.filter((x) => x.at >= since)) {
    if (
      await paypal.verifyWebhook(d.headers, body).then(
        () => true,
        () => false,
      )
    )
      headers = d.headers;
  }
  assert.ok(headers, 'the approval delivery was seen');
  await eventually(async () => (await payments(o.orderId)) === 1, 15_000);

  const replay = await paypalHook(headers, body);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.duplicate, true);

  const tampered = await paypalHook(headers, body.replace(o.ref, 'ATTACKERORDER0000'));
  assert.equal(tampered.status, 400);
  assert.equal(tampered.json.code, 'webhook_signature_invalid');

  // the same genuine transmission, ten minutes later
  const realNow = Date.now;
  Date.now = () => realNow() + 10 * 60_000;
  let late;
  try {
    late = await paypalHook(headers, body);
  } finally {
    Date.now = realNow;
  }
  // PayPal's verification decides, whatever the transmission's age; the event id stops it from being acted on twice
  assert.equal(late.status, 200, late.text);
  assert.equal(late.json.duplicate, true);
  assert.equal(await stored('paypal', approval.event.id), 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await payments(o.orderId), 1);
});
