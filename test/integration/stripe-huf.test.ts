// A currency Stripe reads with two decimals though it is charged in whole units (HUF), end to end: the order's forints
// go to Checkout as hundredths (unit_amount = forints × 100), the paid session comes back as the same forints, the
// order is paid for exactly its price, and a partial refund of 6,000 Ft reaches Stripe as 600000.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({
    CURRENCY: 'HUF',
    DEFAULT_PAYMENT_PROVIDER: 'stripe',
    USD_PER_CURRENCY_UNIT: '0.0028',
    // prices in whole forints: our minor unit for HUF
    TLD_PRICES: 'fr:5000,com:5500,net:6000,org:6000,eu:4000,io:18000,shop:14000',
    SERVICE_PRICE_CENTS: '59000',
    EXPRESS_SURCHARGE_CENTS: '39000',
  });
});
after(async () => sys?.stop());

test('HUF through Stripe: forints go out as hundredths and come back as forints; the order is paid for its price; a refund is scaled too', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', paymentProvider: 'stripe', timeoutSeconds: 60 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const order = await sys.db.selectFrom('orders').selectAll().where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  assert.equal(order.currency, 'HUF');
  assert.equal(order.paid_cents, order.total_cents, 'paid for its price, in forints');
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  const session = sys.sandbox!.stripe.sessions().find((s) => s.id === link.provider_ref);
  assert.ok(session, 'the Checkout Session');
  assert.equal(session.currency, 'huf');
  assert.equal(session.amount_total, Number(order.total_cents) * 100, 'Stripe reads HUF with two decimals');
  assert.ok(!r.body.timeline.some((e: { type: string }) => e.type === 'payment_mismatch'));

  const auth = { authorization: `Bearer ${sys.adminToken}` };
  const part = await sys.api(`/api/admin/orders/${order.id}/refunds`, { body: { amountCents: 6000, reason: 'geste commercial' }, headers: auth });
  assert.equal(part.status, 202, JSON.stringify(part.body));
  const refunded = await eventually(
    async () =>
      sys
        .sandbox!.stripe.events()
        .map((e) => e.event)
        .find((e) => e.type === 'charge.refunded' && (e.data.object as { payment_intent?: string }).payment_intent === order.payment_ref),
    30_000,
  );
  assert.equal((refunded.data.object as { amount_refunded: number }).amount_refunded, 600000, '6,000 Ft as Stripe hundredths');
});
