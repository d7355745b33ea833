// A refund that waits on its payment provider is never silent: each failed try says so in the order's timeline (in the
// customer's language), then the refund goes through once the provider answers again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '200', RETRY_MAX_MS: '400' });
});
after(async () => sys?.stop());

test('the payment provider failing a refund: the timeline says the refund is under way and retried, then it is refunded once', {
  timeout: 120_000,
}, async () => {
  // the registrar failing: the paid order waits in its purchase, where the operator stops it
  sys.sandbox!.namecheap.faults.set({ errorRate: 1 });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 5, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const orderId: string = r.body.orderId;
  await eventually(async () => (await sys.db.selectFrom('orders').select('paid_at').where('id', '=', orderId).executeTakeFirstOrThrow()).paid_at !== null);
  const stripe = sys.sandbox!.stripe;
  stripe.faults.set({ errorRate: 1 });
  try {
    const refund = await sys.api(`/api/admin/orders/${orderId}/refund`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    await eventually(
      async () =>
        (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).where('type', '=', 'refund_delayed').execute()).length >= 1,
      30_000,
    );
  } finally {
    stripe.faults.reset();
    sys.sandbox!.namecheap.faults.reset();
  }
  await eventually(
    async () => (await sys.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state === 'refunded',
    60_000,
  );
  const status = await sys.api(`/api/concierge/status/${r.body.trackingToken}?lang=fr`);
  const messages: string[] = status.body.timeline.map((e: { message: string }) => e.message);
  assert.ok(
    messages.some((m) => /^Remboursement en cours : le service \w+ ne répond pas pour l’instant \(\w+\) ; nouvel essai automatique\.$/.test(m)),
    messages.join('\n'),
  );
  const refunds = stripe.events().filter((e) => e.event.type === 'charge.refunded');
  assert.ok(refunds.length <= 1, 'refunded once');
});
