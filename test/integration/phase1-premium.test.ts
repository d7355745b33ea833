// A premium name under the configured ceiling is sold, and quoted, at the registrar's premium price.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ PREMIUM_MAX_CENTS: '300000' });
});
after(async () => sys?.stop());

test('the check and the quote use the premium price', async () => {
  const check = await sys.api('/api/domains/check?name=premium-shoes.com');
  assert.equal(check.body.available, true);
  assert.deepEqual(check.body.price, { amountCents: 250000, currency: 'EUR', premium: true });
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Shoes',
      email: 'shoes@example.org',
      domain: 'premium-shoes.com',
      tier: 'standard',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.price.premium, true);
  assert.deepEqual(r.body.price.items[0], { code: 'domain_first_year', amountCents: 250000 });
  assert.equal(r.body.price.totalCents, 250000 + 14900);
});

test('a premium price that rose after the quote is never paid: the order is refunded', async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Shoes Two',
      email: 'shoes2@example.org',
      domain: 'premium-boots.com',
      tier: 'standard',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201);
  // as if the registry had raised the price since the quote: the customer paid 2,000.00 for the name
  const items = [
    { code: 'domain_first_year', amountCents: 200000 },
    { code: 'service', amountCents: 14900 },
  ];
  await sys.db
    .updateTable('orders')
    .set({ price_items: JSON.stringify(items) })
    .where('id', '=', r.body.orderId)
    .execute();
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  const done = await eventually(async () => {
    const s = (await sys.api(`/api/concierge/status/${r.body.trackingToken}`)).body;
    return s.state === 'refunded' ? s : undefined;
  }, 20_000);
  assert.ok(done.timeline.some((e: { type: string; message: string }) => e.type === 'order_failed' && /premium_price_changed/.test(e.message)));
  assert.equal(sys.sandbox!.registry.get('premium-boots.com'), undefined, 'not bought');
});
