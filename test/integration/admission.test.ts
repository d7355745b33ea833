// Past its capacity the API refuses quickly instead of answering everyone late: 503 busy with Retry-After, nothing stored, the same request later succeeds once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  // every sandbox provider takes 300 ms: an order (RDAP, the registrar's check, Stripe) takes about a second,
  // far longer than the 100 ms the line may be waited in
  sys = await startTestSystem({ SANDBOX_LATENCY_MS: '300', ADMISSION_MAX_IN_FLIGHT: '2', ADMISSION_MAX_WAIT_MS: '100' }, { role: 'api' });
});
after(async () => {
  await sys?.stop();
});

const order = (i: number) => ({
  businessName: `Fleuriste ${i}`,
  acceptTerms: true,
  earlyStart: true,
  email: `fleurs-${i}@example.org`,
  domain: `fleuriste-admission-${i}.fr`,
  tier: 'standard',
  holder: HOLDER,
  locale: 'fr',
});
const send = (i: number) =>
  sys.api('/api/request-concierge-service', { body: order(i), headers: { 'idempotency-key': `admission-test-${i}`, 'accept-language': 'fr' } });
const ordersStored = async () => Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(sys.deps.db)).rows[0]!.n);

test('six orders at once with room for two: the others are refused as busy, in French, and nothing of them is stored', async () => {
  const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(send));
  const created = answers.filter((a) => a.status === 201);
  const refused = answers.filter((a) => a.status === 503);
  assert.equal(created.length + refused.length, 6, JSON.stringify(answers.map((a) => [a.status, a.body.code])));
  assert.equal(created.length, 2);
  for (const r of refused) {
    assert.equal(r.body.code, 'busy');
    assert.match(r.body.message, /rien n’a été enregistré/);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  }
  assert.equal(await ordersStored(), 2);

  // sent again with the same keys, one at a time: each is taken, once
  for (const [i, a] of answers.entries()) {
    if (a.status !== 503) continue;
    const again = await send(i + 1);
    assert.equal(again.status, 201);
  }
  assert.equal(await ordersStored(), 6);
  const replay = await send(1);
  assert.equal(replay.status, 201);
  assert.equal(await ordersStored(), 6, 'a key already taken answers the same order');
});

test('while the orders line is full, a malformed order is answered at once and a domain check still runs', async () => {
  const inFlight = [7, 8].map(send);
  const malformed = await sys.api('/api/request-concierge-service', {
    body: { ...order(9), email: 'not an email' },
    headers: { 'idempotency-key': 'admission-test-9' },
  });
  assert.equal(malformed.status, 422);
  const check = await sys.api('/api/domains/check?name=fleuriste-libre.fr');
  assert.equal(check.status, 200);
  assert.equal(check.body.available, true);
  const done = await Promise.all(inFlight);
  assert.deepEqual(
    done.map((d) => d.status),
    [201, 201],
  );
});
