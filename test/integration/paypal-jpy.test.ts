// A currency without decimals through PayPal, end to end: the order's amount in yen goes out as PayPal's "14900" (not
// "149.00"), the capture comes back as the same number of yen, and the order is paid for exactly its price.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ CURRENCY: 'JPY', DEFAULT_PAYMENT_PROVIDER: 'paypal', USD_PER_CURRENCY_UNIT: '0.0067' });
});
after(async () => sys?.stop());

test('JPY through PayPal: the amount crosses both ways in whole yen and the order is paid for its price', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', paymentProvider: 'paypal', timeoutSeconds: 60 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const order = await sys.db.selectFrom('orders').selectAll().where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  assert.equal(order.currency, 'JPY');
  assert.equal(order.paid_cents, order.total_cents);
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  const captured = sys
    .sandbox!.paypal.events()
    .map((e) => e.event)
    .find((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && JSON.stringify(e.resource).includes(link.provider_ref!));
  assert.ok(captured, 'the capture webhook');
  assert.deepEqual((captured.resource as { amount: unknown }).amount, { currency_code: 'JPY', value: String(order.total_cents) });
  assert.ok(!r.body.timeline.some((e: { type: string }) => e.type === 'payment_mismatch'));
});
