// The real StripePayments adapter (official SDK) against the Stripe sandbox on loopback: links, hosted page, webhooks, expiry, refunds, faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { AppError, ProviderError } from '../../src/errors.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { signStripePayload, startStripeServer, type StripeSandbox } from '../../src/sandbox/stripe/server.ts';
import { StripePayments, verifyStripeWebhook } from '../../src/providers/payments/stripe/client.ts';
import type { PaymentLinkRequest } from '../../src/providers/payments/index.ts';

const SECRET_KEY = 'sk_test_sandbox_0123456789';
const WEBHOOK_SECRET = 'whsec_sandbox_test_secret';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** what the receiver answered */
  status: number;
}

/** A stand-in for the app's webhook route: keeps every delivery, answers what the test says. */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  const waiters: { check: () => void }[] = [];
  let answer: (body: string) => number = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(body);
      deliveries.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
      for (const w of [...waiters]) w.check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    deliveries,
    answerWith(fn: (body: string) => number) {
      answer = fn;
    },
    /** resolves with the matching deliveries once `count` of them arrived */
    waitFor(match: (event: Stripe.Event) => boolean, count = 1): Promise<Delivery[]> {
      return new Promise((resolve, reject) => {
        // a guard against hanging, not a timing assertion
        const guard = setTimeout(() => reject(new Error(`webhook never arrived (${count} expected)`)), 15_000);
        const waiter = {
          check: () => {
            const found = deliveries.filter((d) => d.status < 300 && match(JSON.parse(d.body) as Stripe.Event));
            if (found.length < count) return;
            clearTimeout(guard);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(found);
          },
        };
        waiters.push(waiter);
        waiter.check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const isEvent = (type: string, objectId: string) => (e: Stripe.Event) =>
  e.type === type && (e.data.object as { id?: string; payment_intent?: string }).id === objectId;

let seq = 0;
function linkRequest(overrides: Partial<PaymentLinkRequest> = {}): PaymentLinkRequest {
  seq++;
  return {
    orderId: `ord_${seq}`,
    amountCents: 14900,
    currency: 'EUR',
    description: 'Site vitrine sur boulangerie-dupont.fr',
    customerEmail: 'camille@example.org',
    locale: 'fr',
    successUrl: 'http://shop.test/paid?session={CHECKOUT_SESSION_ID}',
    cancelUrl: 'http://shop.test/cancel',
    expiresAt: new Date(Date.now() + 3600_000),
    idempotencyKey: `payment-link:ord_${seq}:1`,
    ...overrides,
  };
}

function clientFor(sandbox: StripeSandbox, overrides: Partial<ConstructorParameters<typeof StripePayments>[0]> = {}) {
  const { hostname, port } = new URL(sandbox.url);
  return new StripePayments({
    secretKey: SECRET_KEY,
    apiHost: { host: hostname, port: Number(port), protocol: 'http' },
    maxNetworkRetries: 0,
    timeoutMs: 2_000,
    ...overrides,
  });
}

async function rejectsWith(promise: Promise<unknown>, code: string, retryable: boolean): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail(`expected ProviderError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
  assert.equal(err.provider, 'stripe');
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, retryable);
  return err;
}

function assertAppError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof AppError && err.code === code);
}

describe('Stripe sandbox through the official SDK', () => {
  let receiver: Receiver;
  let sandbox: StripeSandbox;
  let stripe: StripePayments;

  before(async () => {
    receiver = await startReceiver();
    sandbox = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: () => receiver.url,
      faults: new FaultInjector(),
      webhookRetryDelaysMs: [20, 20, 20],
      reorderHoldMs: 200,
    });
    stripe = clientFor(sandbox);
  });

  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  test('a payment link is a Checkout Session whose url serves the hosted page', async () => {
    const req = linkRequest();
    const link = await stripe.createPaymentLink(req);
    assert.equal(link.provider, 'stripe');
    assert.match(link.providerRef, /^cs_test_/);
    assert.equal(link.url, `${sandbox.url}/c/pay/${link.providerRef}`);
    assert.equal(link.expiresAt.getTime(), Math.floor(req.expiresAt.getTime() / 1000) * 1000);

    const session = sandbox.sessions().find((s) => s.id === link.providerRef)!;
    assert.equal(session.status, 'open');
    assert.equal(session.payment_status, 'unpaid');
    assert.equal(session.amount_total, 14900);
    assert.equal(session.currency, 'eur');
    assert.equal(session.client_reference_id, req.orderId);
    assert.deepEqual(session.metadata, { orderId: req.orderId });
    assert.equal(session.payment_intent, null);

    const page = await fetch(link.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /<html lang="fr">/);
    assert.ok(html.includes('149,00'), 'amount in French format');
    assert.ok(html.includes('Site vitrine sur boulangerie-dupont.fr'));
    assert.ok(html.includes('4242 4242 4242 4242'));
    assert.ok(html.includes('href="http://shop.test/cancel"'));

    const english = await stripe.createPaymentLink(linkRequest({ locale: 'en' }));
    assert.ok((await (await fetch(english.url)).text()).includes('Pay €149.00'));
  });

  test('the same idempotency key gives the same session; other parameters under it are refused', async () => {
    const req = linkRequest();
    const first = await stripe.createPaymentLink(req);
    const again = await stripe.createPaymentLink(req);
    assert.equal(again.providerRef, first.providerRef);
    await rejectsWith(stripe.createPaymentLink({ ...req, amountCents: 15900 }), 'idempotency_key_reused', false);

    // on the wire: a replay says so
    const form = new URLSearchParams({
      mode: 'payment',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '1000',
      'line_items[0][price_data][product_data][name]': 'Raw',
      'line_items[0][quantity]': '1',
      success_url: 'http://shop.test/ok',
    });
    const post = () =>
      fetch(`${sandbox.url}/v1/checkout/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET_KEY}`, 'idempotency-key': 'raw-key-1', 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const a = await post();
    const b = await post();
    assert.equal(a.headers.get('idempotent-replayed'), null);
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(((await a.json()) as { id: string }).id, ((await b.json()) as { id: string }).id);
  });

  test('unknown parameters, unknown sessions and a wrong key are refused as Stripe refuses them', async () => {
    const res = await fetch(`${sandbox.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'mode=payment&colour=blue',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { type: string; code: string; param: string } };
    assert.deepEqual([body.error.type, body.error.code, body.error.param], ['invalid_request_error', 'parameter_unknown', 'colour']);

    const missing = await rejectsWith(stripe.getPaymentStatus('cs_test_doesnotexist'), 'resource_missing', false);
    assert.equal(missing.status, 404);
    await rejectsWith(clientFor(sandbox, { secretKey: 'sk_test_wrong' }).getPaymentStatus('cs_test_x'), 'authentication_failed', false);
  });

  test('paying on the hosted page completes the session, redirects, and sends a signed checkout.session.completed', async () => {
    const link = await stripe.createPaymentLink(linkRequest());

    const declined = await fetch(`${link.url}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ card_number: '4000 0000 0000 0002' }),
      redirect: 'manual',
    });
    assert.equal(declined.status, 402);
    assert.ok((await declined.text()).includes('refusée'));
    assert.deepEqual(await stripe.getPaymentStatus(link.providerRef), { state: 'open' });

    const paid = await fetch(`${link.url}/pay`, {
      method: 'POST',
      body: new URLSearchParams({ card_number: '4242 4242 4242 4242' }),
      redirect: 'manual',
    });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://shop.test/paid?session=${link.providerRef}`);

    const [delivery] = await receiver.waitFor(isEvent('checkout.session.completed', link.providerRef));
    const event = verifyStripeWebhook(delivery.body, delivery.headers['stripe-signature'] as string, WEBHOOK_SECRET);
    assert.equal(event.object, 'event');
    assert.equal(event.livemode, false);
    assert.match(event.id, /^evt_/);
    const session = event.data.object as Stripe.Checkout.Session;
    assert.equal(session.payment_status, 'paid');
    assert.equal(session.status, 'complete');
    assert.match(String(session.payment_intent), /^pi_/);

    const status = await stripe.getPaymentStatus(link.providerRef);
    assert.deepEqual(status, { state: 'paid', paymentRef: session.payment_intent, amountCents: 14900, currency: 'EUR' });

    const again = await fetch(link.url);
    assert.ok((await again.text()).includes('déjà effectué'));
  });

  test('webhook verification refuses a tampered body, a stale timestamp, a wrong secret and a missing header', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    sandbox.pay(link.providerRef);
    const [delivery] = await receiver.waitFor(isEvent('checkout.session.completed', link.providerRef));
    const signature = delivery.headers['stripe-signature'] as string;
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);

    assertAppError(
      () => verifyStripeWebhook(delivery.body.replace('"amount_total": 14900', '"amount_total": 100'), signature, WEBHOOK_SECRET),
      'webhook_signature_invalid',
    );
    assertAppError(() => verifyStripeWebhook(JSON.stringify(JSON.parse(delivery.body)), signature, WEBHOOK_SECRET), 'webhook_signature_invalid');
    assertAppError(() => verifyStripeWebhook(delivery.body, signature, 'whsec_someone_else'), 'webhook_signature_invalid');
    assertAppError(() => verifyStripeWebhook(delivery.body, undefined, WEBHOOK_SECRET), 'webhook_signature_missing');

    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    const stale = signStripePayload(delivery.body, WEBHOOK_SECRET, anHourAgo);
    // the sandbox signs exactly as Stripe's own test helper does
    assert.equal(stale, Stripe.webhooks.generateTestHeaderString({ payload: delivery.body, secret: WEBHOOK_SECRET, timestamp: anHourAgo }));
    assertAppError(() => verifyStripeWebhook(delivery.body, stale, WEBHOOK_SECRET), 'webhook_signature_invalid');
    assert.equal(verifyStripeWebhook(delivery.body, stale, WEBHOOK_SECRET, 7200).type, 'checkout.session.completed');
  });

  test('paying through /__sandbox needs no browser', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    const res = await fetch(`${sandbox.url}/__sandbox/checkout/${link.providerRef}/pay`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { session: { payment_status: string }; redirect_url: string };
    assert.equal(body.session.payment_status, 'paid');
    assert.equal(body.redirect_url, `http://shop.test/paid?session=${link.providerRef}`);
    assert.equal((await stripe.getPaymentStatus(link.providerRef)).state, 'paid');

    const events = (await (await fetch(`${sandbox.url}/__sandbox/events`)).json()) as { data: { event: Stripe.Event }[] };
    await receiver.waitFor(isEvent('checkout.session.completed', link.providerRef));
    assert.ok(events.data.some((e) => e.event.type === 'checkout.session.completed' && (e.event.data.object as { id: string }).id === link.providerRef));
  });

  test('expiring a link sends checkout.session.expired; an expired link cannot be paid; a paid one cannot be expired', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    await stripe.expire(link.providerRef);
    const [delivery] = await receiver.waitFor(isEvent('checkout.session.expired', link.providerRef));
    assert.equal(verifyStripeWebhook(delivery.body, delivery.headers['stripe-signature'] as string, WEBHOOK_SECRET).type, 'checkout.session.expired');
    assert.deepEqual(await stripe.getPaymentStatus(link.providerRef), { state: 'expired' });
    await stripe.expire(link.providerRef); // already expired: nothing to do

    const refused = await fetch(`${sandbox.url}/c/pay/${link.providerRef}/pay`, { method: 'POST', body: '', redirect: 'manual' });
    assert.equal(refused.status, 410);
    assert.ok((await refused.text()).includes('a expiré'));
    const viaControl = await fetch(`${sandbox.url}/__sandbox/checkout/${link.providerRef}/pay`, { method: 'POST' });
    assert.equal(viaControl.status, 410);

    const paid = await stripe.createPaymentLink(linkRequest());
    sandbox.pay(paid.providerRef);
    await rejectsWith(stripe.expire(paid.providerRef), 'already_paid', false);
  });

  test('a session expires by itself at expires_at and says so by webhook', async () => {
    const short = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
      faults: new FaultInjector(),
      checkoutTtlSeconds: 1,
    });
    try {
      const client = clientFor(short);
      const link = await client.createPaymentLink(linkRequest());
      assert.ok(link.expiresAt.getTime() <= Date.now() + 1_000, 'the sandbox TTL shortens the session');
      const [delivery] = await receiver.waitFor(isEvent('checkout.session.expired', link.providerRef));
      assert.ok(verifyStripeWebhook(delivery.body, delivery.headers['stripe-signature'] as string, WEBHOOK_SECRET));
      assert.deepEqual(await client.getPaymentStatus(link.providerRef), { state: 'expired' });
      assert.ok((await (await fetch(link.url)).text()).includes('a expiré'));
    } finally {
      await short.close();
    }
  });

  test('a refund succeeds once, is idempotent, and sends charge.refunded', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    sandbox.pay(link.providerRef);
    const status = await stripe.getPaymentStatus(link.providerRef);
    assert.equal(status.state, 'paid');
    const paymentRef = status.state === 'paid' ? status.paymentRef : '';

    const refund = await stripe.refund({
      paymentRef,
      amountCents: 14900,
      currency: 'EUR',
      idempotencyKey: `refund:${link.providerRef}`,
      reason: 'domain unavailable',
    });
    assert.equal(refund.state, 'succeeded');
    assert.match(refund.refundId, /^re_/);
    const same = await stripe.refund({
      paymentRef,
      amountCents: 14900,
      currency: 'EUR',
      idempotencyKey: `refund:${link.providerRef}`,
      reason: 'domain unavailable',
    });
    assert.equal(same.refundId, refund.refundId);

    const [delivery] = await receiver.waitFor((e) => e.type === 'charge.refunded' && (e.data.object as Stripe.Charge).payment_intent === paymentRef);
    const charge = verifyStripeWebhook(delivery.body, delivery.headers['stripe-signature'] as string, WEBHOOK_SECRET).data.object as Stripe.Charge;
    assert.equal(charge.amount_refunded, 14900);
    assert.equal(charge.refunded, true);

    await rejectsWith(
      stripe.refund({ paymentRef, amountCents: 100, currency: 'EUR', idempotencyKey: `refund:${link.providerRef}:2` }),
      'charge_already_refunded',
      false,
    );
    await rejectsWith(
      stripe.refund({ paymentRef: 'pi_unknown', amountCents: 100, currency: 'EUR', idempotencyKey: 'refund:unknown' }),
      'resource_missing',
      false,
    );
  });

  test('injected faults become retryable ProviderErrors', async () => {
    try {
      sandbox.faults.set({ errorRate: 1 });
      const server = await rejectsWith(stripe.createPaymentLink(linkRequest()), 'server_error', true);
      assert.equal(server.status, 500);

      sandbox.faults.reset();
      sandbox.faults.set({ rateLimitRate: 1 });
      const limited = await rejectsWith(stripe.getPaymentStatus('cs_test_any'), 'rate_limited', true);
      assert.equal(limited.retryAfterMs, 1_000);

      sandbox.faults.reset();
      sandbox.faults.set({ dropRate: 1 });
      await rejectsWith(stripe.getPaymentStatus('cs_test_any'), 'network_error', true);

      sandbox.faults.reset();
      sandbox.faults.set({ timeoutRate: 1 });
      sandbox.faults.timeoutHoldMs = 5_000;
      await rejectsWith(clientFor(sandbox, { timeoutMs: 300 }).getPaymentStatus('cs_test_any'), 'timeout', true);
    } finally {
      sandbox.faults.reset();
    }
  });

  test('the SDK retries a failed call with the same idempotency key, so a retry never makes a second session', async () => {
    // every other call fails: the first attempt gets a 500, the SDK's retry goes through
    let calls = 0;
    const flaky = new FaultInjector({ faults: { errorRate: 0.5 }, random: () => (calls++ % 2 === 0 ? 0 : 0.99) });
    const server = await startStripeServer({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, webhookUrl: receiver.url, faults: flaky });
    try {
      const client = clientFor(server, { maxNetworkRetries: 2 });
      const link = await client.createPaymentLink(linkRequest());
      assert.equal(server.sessions().length, 1);
      assert.equal((await client.getPaymentStatus(link.providerRef)).state, 'open');
    } finally {
      await server.close();
    }
  });

  test('a webhook the app refuses is retried until it is accepted', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    let refusedOnce = false;
    receiver.answerWith((body) => {
      const e = JSON.parse(body) as Stripe.Event;
      if (!refusedOnce && isEvent('checkout.session.completed', link.providerRef)(e)) {
        refusedOnce = true;
        return 500;
      }
      return 200;
    });
    try {
      sandbox.pay(link.providerRef);
      const [delivery] = await receiver.waitFor(isEvent('checkout.session.completed', link.providerRef));
      const event = verifyStripeWebhook(delivery.body, delivery.headers['stripe-signature'] as string, WEBHOOK_SECRET);
      await sandbox.webhooksIdle();
      const attempts = sandbox
        .events()
        .find((e) => e.event.id === event.id)!
        .attempts.map((a) => a.status);
      assert.deepEqual(attempts, [500, 200]);
    } finally {
      receiver.answerWith(() => 200);
    }
  });

  test('the duplicate fault sends the same event twice', async () => {
    const link = await stripe.createPaymentLink(linkRequest());
    sandbox.faults.set({ duplicateWebhookRate: 1 });
    try {
      sandbox.pay(link.providerRef);
      const deliveries = await receiver.waitFor(isEvent('checkout.session.completed', link.providerRef), 2);
      const [a, b] = deliveries.map((d) => verifyStripeWebhook(d.body, d.headers['stripe-signature'] as string, WEBHOOK_SECRET));
      assert.equal(a.id, b.id);
    } finally {
      sandbox.faults.reset();
      await sandbox.webhooksIdle();
    }
  });

  test('the reorder fault delivers an event after the one that followed it', async () => {
    const first = await stripe.createPaymentLink(linkRequest());
    const second = await stripe.createPaymentLink(linkRequest());
    sandbox.faults.set({ reorderWebhookRate: 1 });
    try {
      sandbox.pay(first.providerRef);
      sandbox.pay(second.providerRef);
      await receiver.waitFor(isEvent('checkout.session.completed', first.providerRef));
      await receiver.waitFor(isEvent('checkout.session.completed', second.providerRef));
      const order = receiver.deliveries
        .map((d) => (JSON.parse(d.body) as Stripe.Event).data.object as { id: string })
        .map((o) => o.id)
        .filter((id) => id === first.providerRef || id === second.providerRef);
      assert.deepEqual(order, [second.providerRef, first.providerRef]);
    } finally {
      sandbox.faults.reset();
      await sandbox.webhooksIdle();
    }
  });

  test("webhook endpoints: the app's is registered for every event; the official SDK lists, pages, creates, updates and deletes them", async () => {
    const [app] = await stripe.listWebhookEndpoints();
    assert.deepEqual(app, { id: sandbox.webhookEndpoints.appEndpointId, url: receiver.url, status: 'enabled', enabledEvents: ['*'] });
    const { hostname, port } = new URL(sandbox.url);
    const sdk = new Stripe(SECRET_KEY, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
    const created = await sdk.webhookEndpoints.create({ url: 'https://shop.example/hooks', enabled_events: ['checkout.session.completed', 'charge.refunded'] });
    assert.match(created.id, /^we_/);
    assert.match(created.secret ?? '', /^whsec_/, 'the signing secret is shown at creation');
    assert.equal((await sdk.webhookEndpoints.retrieve(created.id)).secret, undefined, 'and only then');
    // newest first, one page at a time: the SDK follows has_more / starting_after
    const firstPage = await sdk.webhookEndpoints.list({ limit: 1 });
    assert.deepEqual([firstPage.object, firstPage.has_more, firstPage.data[0].id], ['list', true, created.id]);
    assert.deepEqual(
      (await sdk.webhookEndpoints.list({ limit: 1 }).autoPagingToArray({ limit: 10 })).map((e) => e.id),
      [created.id, app.id],
    );
    const disabled = await sdk.webhookEndpoints.update(created.id, { disabled: true, enabled_events: ['*'] });
    assert.deepEqual([disabled.status, disabled.enabled_events], ['disabled', ['*']]);
    assert.deepEqual(await sdk.webhookEndpoints.del(created.id), { id: created.id, object: 'webhook_endpoint', deleted: true });
    await assert.rejects(
      sdk.webhookEndpoints.retrieve(created.id),
      (err: Stripe.errors.StripeError) => err.statusCode === 404 && err.code === 'resource_missing',
    );
    await assert.rejects(
      sdk.webhookEndpoints.create({ url: 'https://shop.example/x', enabled_events: [] }),
      (err: Stripe.errors.StripeError) => err.code === 'parameter_missing',
    );
  });

  test("an event goes to the app's endpoint only while it is enabled and takes that event type", async () => {
    const id = sandbox.webhookEndpoints.appEndpointId;
    const link = await stripe.createPaymentLink(linkRequest());
    sandbox.webhookEndpoints.update(id, { enabled_events: ['checkout.session.expired'] });
    try {
      sandbox.pay(link.providerRef);
      await stripe.expire((await stripe.createPaymentLink(linkRequest())).providerRef);
      await sandbox.webhooksIdle();
      const completed = sandbox.events().find((e) => isEvent('checkout.session.completed', link.providerRef)(e.event as unknown as Stripe.Event))!;
      assert.deepEqual(completed.attempts, [], 'created, sent nowhere');
      assert.equal(sandbox.events().at(-1)!.event.type, 'checkout.session.expired');
      assert.equal(sandbox.events().at(-1)!.attempts[0].status, 200);
    } finally {
      sandbox.webhookEndpoints.update(id, { enabled_events: ['*'] });
    }
  });

  test('a revoked (rolled) key is refused 401 api_key_expired, as Stripe answers once a key is rolled', async () => {
    sandbox.faults.set({ revokedCredentials: true });
    try {
      const err = await rejectsWith(stripe.listWebhookEndpoints(), 'authentication_failed', false);
      assert.equal(err.status, 401);
      assert.match(err.message, /Expired API Key provided: sk_test_\*+6789/);
    } finally {
      sandbox.faults.reset();
    }
  });
});
