// The sandbox providers' own books (src/sandbox/ledger.ts), which the chaos run and the benchmarks count instead of the
// app's records: each request that reached a refund, a purchase or a site creation, refused ones included; a repeat
// answered from the provider's memory of its idempotency key is not a new request. And an answer is lost "after the
// work" only when the work was done.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import { operatorContact, registrantContact } from '../../src/workflow/steps/register-domain.ts';
import { HOLDER } from '../support/holder.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected a refusal'),
    (err: unknown) => (assert.ok(err instanceof ProviderError, String(err)), err.code),
  );

const link = (orderId: string) => ({
  orderId,
  amountCents: 14900,
  currency: 'EUR',
  description: 'Site vitrine',
  customerEmail: 'livres@example.org',
  locale: 'fr' as const,
  successUrl: 'http://shop.test/paid',
  cancelUrl: 'http://shop.test/cancel',
  expiresAt: new Date(Date.now() + 3_600_000),
  idempotencyKey: `payment-link:${orderId}`,
});

test("Stripe's books: a refund replayed under its key is one request; a second key for the same payment is a second one, refused", async () => {
  const { stripe } = sys.deps.payments;
  const session = await stripe.createPaymentLink(link('ord_books_1'));
  const paid = sys.sandbox!.stripe.pay(session.providerRef);
  const pi = String(paid.payment_intent);
  await stripe.refund({ paymentRef: pi, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-1' });
  await stripe.refund({ paymentRef: pi, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-1' });
  assert.equal(
    await refused(stripe.refund({ paymentRef: pi, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-1:again' })),
    'charge_already_refunded',
  );
  const books = sys.sandbox!.stripe.ledger.byTarget('refunds.create').get(pi) ?? [];
  assert.deepEqual(
    books.map((e) => [e.key, e.outcome]),
    [
      ['refund:books-1', 'done'],
      ['refund:books-1:again', 'charge_already_refunded'],
    ],
  );
});

test("PayPal's books: the same for a capture, by PayPal-Request-Id", async () => {
  const { paypal } = sys.deps.payments;
  const order = await paypal.createPaymentLink({ ...link('ord_books_2'), currency: 'EUR' });
  sys.sandbox!.paypal.approve(order.providerRef);
  const captured = await paypal.capture!(order.providerRef, 'capture:books-2');
  assert.equal(captured.state, 'paid');
  const captureId = captured.state === 'paid' ? captured.paymentRef : '';
  await paypal.refund({ paymentRef: captureId, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-2' });
  await paypal.refund({ paymentRef: captureId, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-2' });
  assert.equal(
    await refused(paypal.refund({ paymentRef: captureId, amountCents: 14900, currency: 'EUR', idempotencyKey: 'refund:books-2:again' })),
    'capture_fully_refunded',
  );
  const books = sys.sandbox!.paypal.ledger.byTarget('captures.refund').get(captureId) ?? [];
  assert.deepEqual(
    books.map((e) => [e.key, e.outcome]),
    [
      ['refund:books-2', 'done'],
      ['refund:books-2:again', 'CAPTURE_FULLY_REFUNDED'],
    ],
  );
});

test("the registrar's books: a purchase whose answer was lost and its retry are one purchase request, since the retry looks before it buys", async () => {
  const world = sys.sandbox!;
  const { registrar } = sys.deps;
  const contacts = { registrant: registrantContact(HOLDER, 'books@example.com'), operator: operatorContact(sys.config), privacy: true };
  // a held answer is cut after 300 ms, not 30 s
  world.namecheap.faults.timeoutHoldMs = 300;
  world.namecheap.faults.set({ lostAnswerRate: 1 });
  try {
    await refused(registrar.create({ domain: 'livres-anciens.com', years: 1, ...contacts, idempotencyKey: 'order-books:buy' }));
  } finally {
    world.namecheap.faults.set({ lostAnswerRate: 0 });
  }
  assert.equal(world.namecheap.faults.lostAnswers.get('domains.create'), 1);
  const again = await registrar.create({ domain: 'livres-anciens.com', years: 1, ...contacts, idempotencyKey: 'order-books:buy:retry' });
  assert.equal(again.domainId, String(world.registry.get('livres-anciens.com')!.domainId));
  const books = world.namecheap.account.ledger.byTarget('domains.create').get('livres-anciens.com') ?? [];
  assert.deepEqual(
    books.map((e) => e.outcome),
    ['done'],
  );
});

test('a purchase the registrar refused did nothing: its answer is never lost "after the work", and the refusal is in the books', async () => {
  const world = sys.sandbox!;
  world.registry.register('livres-pris.fr', 1);
  const before = world.namecheap.faults.lostAnswers.get('domains.create') ?? 0;
  // a create sent as is, past the adapter's look (a name taken, no contacts): refused, the answer intact
  world.namecheap.faults.set({ lostAnswerRate: 1 });
  try {
    const params = new URLSearchParams({
      ApiUser: sys.sandbox!.credentials.namecheapApiUser,
      ApiKey: sys.sandbox!.credentials.namecheapApiKey,
      UserName: sys.sandbox!.credentials.namecheapApiUser,
      ClientIp: '127.0.0.1',
      Command: 'namecheap.domains.create',
      DomainName: 'livres-pris.fr',
    });
    const res = await fetch(`${world.namecheap.url}/xml.response?${params}`);
    assert.match(await res.text(), /Status="ERROR"/);
  } finally {
    world.namecheap.faults.set({ lostAnswerRate: 0 });
  }
  assert.equal(world.namecheap.faults.lostAnswers.get('domains.create') ?? 0, before, 'not counted as lost');
  assert.equal(world.namecheap.account.ledger.byTarget('domains.create').get('livres-pris.fr')?.length, 1);
});

test("the host's books: a site made, then asked again under its name (refused, found), then deleted, is one site made", async () => {
  const { hosting } = sys.deps;
  const site = await hosting.createSite({ name: 'livres-anciens-0a1b', idempotencyKey: 'order-books:site' });
  const same = await hosting.createSite({ name: 'livres-anciens-0a1b', idempotencyKey: 'order-books:site' });
  assert.equal(same.siteId, site.siteId);
  await hosting.deleteSite(site.siteId);
  const books = sys.sandbox!.netlify.ledger.byTarget('createSite').get('livres-anciens-0a1b') ?? [];
  assert.deepEqual(
    books.map((e) => e.outcome),
    ['done', '{"subdomain":["must be unique"]}'],
  );
});
