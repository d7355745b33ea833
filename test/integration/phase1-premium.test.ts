// A premium name under the configured ceiling is sold, and quoted, at the registrar's premium price.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ PREMIUM_MAX_CENTS: '300000', RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

test('the check and the quote use the premium price', async () => {
  const check = await sys.api('/api/domains/check?name=premium-shoes.com');
  assert.equal(check.body.available, true);
  assert.deepEqual(check.body.price, { amountCents: 250000, currency: 'EUR', premium: true });
  const r = await sys.api('/api/request-concierge-service', {
    body: { businessName: 'Shoes', email: 'shoes@example.org', domain: 'premium-shoes.com', tier: 'standard', locale: 'en' },
  });
  assert.equal(r.status, 201);
  assert.equal(r.body.price.premium, true);
  assert.deepEqual(r.body.price.items[0], { code: 'domain_first_year', amountCents: 250000 });
  assert.equal(r.body.price.totalCents, 250000 + 14900);
});
