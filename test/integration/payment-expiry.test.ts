// An expired payment link moves the order to payment_expired and tells the customer; a fresh link brings it back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  // sandbox checkout sessions and PayPal orders live 1 s instead of 30 min to 24 h
  sys = await startTestSystem({ SANDBOX_CHECKOUT_TTL_SECONDS: '1' });
});
after(async () => sys?.stop());

for (const provider of ['stripe', 'paypal'] as const) {
  test(`${provider}: expiry, the customer is told, and a fresh link reopens the order`, async () => {
    const email = `expiry-${provider}@example.org`;
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Fleurs Lucie',
        email,
        domain: `fleurs-lucie-${provider}.fr`,
        tier: 'standard',
        locale: 'fr',
        paymentProvider: provider,
      },
    });
    assert.equal(r.status, 201);
    const token = r.body.trackingToken;
    const expired = await eventually(async () => {
      const s = await sys.api(`/api/concierge/status/${token}`);
      return s.body.state === 'payment_expired' ? s.body : undefined;
    }, 15_000);
    assert.ok(expired.timeline.some((e: { type: string }) => e.type === 'payment_link_expired'));
    await eventually(async () => sys.sandbox!.smtp.messages().some((m) => m.to.includes(email) && /expir/i.test(m.subject)));

    const fresh = await sys.api(`/api/concierge/status/${token}/payment-link`, { method: 'POST' });
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.notEqual(fresh.body.paymentUrl, r.body.paymentUrl);
    const page = await fetch(fresh.body.paymentUrl);
    assert.equal(page.status, 200);
    const after = await sys.api(`/api/concierge/status/${token}`);
    assert.equal(after.body.state, 'awaiting_payment');
    assert.ok(after.body.timeline.some((e: { type: string }) => e.type === 'payment_link_renewed'));
    await eventually(async () => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email)).length === 3);
    const links = await sys.db.selectFrom('payment_links').select(['seq', 'state']).where('order_id', '=', r.body.orderId).orderBy('seq').execute();
    assert.deepEqual(
      links.map((l) => l.seq),
      [1, 2],
    );
    assert.equal(links[0]!.state, 'expired');
  });
}

test('a fresh link for an order that is not unpaid is refused', async () => {
  const r = await sys.api(`/api/concierge/status/${'B'.repeat(32)}/payment-link`, { method: 'POST' });
  assert.equal(r.status, 404);
});
