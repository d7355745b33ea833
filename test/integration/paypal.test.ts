// The real PaypalPayments adapter against the PayPal sandbox on loopback: orders, approval page, capture, refunds, webhooks, faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, ProviderError } from '../../src/errors.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { PAYPAL_REDELIVERY_DELAYS_MS, startPaypalServer, type PaypalSandbox } from '../../src/sandbox/paypal/server.ts';
import { PaypalPayments, formatAmount, parseAmount, type PaypalWebhookEvent } from '../../src/providers/payments/paypal/client.ts';
import { CLIENT_ID, CLIENT_SECRET, linkRequest } from '../support/paypal.ts';

const WEBHOOK_ID = 'WH-SANDBOX-TEST';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A stand-in for the app's webhook route: keeps every delivery. */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  const waiters: { check: () => void }[] = [];
  let refusals = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = refusals > 0 ? 500 : 200;
      if (refusals > 0) refusals--;
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
      for (const w of [...waiters]) w.check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/paypal`,
    deliveries,
    /** the next `n` deliveries are answered 500, as by an app that is down */
    refuseNext(n: number) {
      refusals = n;
    },
    /** resolves with the matching deliveries once `count` of them arrived */
    waitFor(match: (event: PaypalWebhookEvent) => boolean, count = 1): Promise<Delivery[]> {
      return new Promise((resolve, reject) => {
        // a guard against hanging, not a timing assertion
        const guard = setTimeout(() => reject(new Error(`webhook never arrived (${count} expected)`)), 15_000);
        const waiter = {
          check: () => {
            const found = deliveries.filter((d) => match(JSON.parse(d.body) as PaypalWebhookEvent));
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

const isEvent = (type: string, resourceId: string) => (e: PaypalWebhookEvent) => e.event_type === type && e.resource.id === resourceId;
const orderOf = (e: PaypalWebhookEvent) =>
  (e.resource as { supplementary_data?: { related_ids?: { order_id?: string } } }).supplementary_data?.related_ids?.order_id;

function clientFor(sandbox: PaypalSandbox, overrides: Partial<ConstructorParameters<typeof PaypalPayments>[0]> = {}) {
  return new PaypalPayments({
    baseUrl: sandbox.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    webhookId: WEBHOOK_ID,
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
  assert.equal(err.provider, 'paypal');
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, retryable);
  return err;
}

async function rejectsWithAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => assert.fail(`expected AppError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, code);
}

describe('PayPal sandbox through the REST client', () => {
  let receiver: Receiver;
  let sandbox: PaypalSandbox;
  let paypal: PaypalPayments;

  before(async () => {
    receiver = await startReceiver();
    sandbox = await startPaypalServer({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      webhookId: WEBHOOK_ID,
      webhookUrl: () => receiver.url,
      faults: new FaultInjector(),
      webhookRetryDelaysMs: [20, 20, 20],
      reorderHoldMs: 200,
    });
    paypal = clientFor(sandbox);
  });

  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  test('amounts go to PayPal as exact decimal strings', () => {
    assert.equal(formatAmount(14900, 'EUR'), '149.00');
    assert.equal(formatAmount(14999, 'EUR'), '149.99');
    assert.equal(formatAmount(5, 'EUR'), '0.05');
    assert.equal(formatAmount(1500, 'JPY'), '1500');
    assert.equal(parseAmount('149.00', 'EUR'), 14900);
    assert.equal(parseAmount('0.1', 'EUR'), 10);
    assert.throws(() => formatAmount(149.5, 'EUR'), ProviderError);
    assert.throws(() => formatAmount(0, 'EUR'), ProviderError);
  });

  test('a payment link is an order whose payer-action link serves the approval page', async () => {
    const req = linkRequest();
    const link = await paypal.createPaymentLink(req);
    assert.equal(link.provider, 'paypal');
    assert.match(link.providerRef, /^[A-Z0-9]{17}$/);
    assert.equal(link.url, `${sandbox.url}/checkoutnow?token=${link.providerRef}`);
    assert.ok(link.expiresAt.getTime() <= Date.now() + 3 * 3600_000, 'an unapproved order lives 3 hours at most');

    const order = sandbox.orders().find((o) => o.id === link.providerRef)!;
    assert.equal(order.status, 'PAYER_ACTION_REQUIRED');
    assert.deepEqual(order.purchase_units[0].amount, { currency_code: 'EUR', value: '149.00' });
    assert.equal(order.purchase_units[0].reference_id, req.orderId);
    assert.equal(order.purchase_units[0].custom_id, req.orderId);

    const page = await fetch(link.url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="fr">/);
    assert.ok(html.includes('Payer avec PayPal'));
    assert.ok(html.includes('149,00'));
    assert.ok(html.includes('Site vitrine sur boulangerie-dupont.fr'));

    const english = await paypal.createPaymentLink(linkRequest({ locale: 'en', amountCents: 5 }));
    const englishHtml = await (await fetch(english.url)).text();
    assert.ok(englishHtml.includes('Pay with PayPal'));
    assert.ok(englishHtml.includes('€0.05'));
  });

  test('the same PayPal-Request-Id gives the same order; another body under it is refused', async () => {
    const req = linkRequest();
    const first = await paypal.createPaymentLink(req);
    const again = await paypal.createPaymentLink(req);
    assert.equal(again.providerRef, first.providerRef);
    await rejectsWith(paypal.createPaymentLink({ ...req, amountCents: 15900 }), 'paypal_request_id_previously_used', false);
  });

  test('approving on the page, then capturing: webhooks arrive, verify, and the order reads paid', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    await rejectsWith(paypal.capture(link.providerRef, `capture:${link.providerRef}`), 'order_not_approved', false);

    const approved = await fetch(`${sandbox.url}/checkoutnow/approve`, {
      method: 'POST',
      body: new URLSearchParams({ token: link.providerRef }),
      redirect: 'manual',
    });
    assert.equal(approved.status, 303);
    assert.match(approved.headers.get('location') ?? '', new RegExp(`^http://shop\\.test/paid\\?token=${link.providerRef}&PayerID=[A-Z0-9]{13}$`));

    const [approval] = await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', link.providerRef));
    const approvalEvent = await paypal.verifyWebhook(approval.headers, approval.body);
    assert.match(approvalEvent.id, /^WH-/);
    assert.equal(approvalEvent.resource_type, 'checkout-order');
    assert.deepEqual(await paypal.getPaymentStatus(link.providerRef), { state: 'open' });

    const paid = await paypal.capture(link.providerRef, `capture:${link.providerRef}`);
    assert.equal(paid.state, 'paid');
    const captureId = paid.state === 'paid' ? paid.paymentRef : '';
    assert.deepEqual(paid, { state: 'paid', paymentRef: captureId, amountCents: 14900, currency: 'EUR' });

    const [completed] = await receiver.waitFor((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && orderOf(e) === link.providerRef);
    const completedEvent = await paypal.verifyWebhook(completed.headers, completed.body);
    assert.equal(completedEvent.resource.id, captureId);

    assert.deepEqual(await paypal.capture(link.providerRef, `capture:${link.providerRef}`), paid, 'same request id: same answer');
    assert.deepEqual(await paypal.capture(link.providerRef, `capture:${link.providerRef}:again`), paid, 'already captured reads as paid');
    assert.deepEqual(await paypal.getPaymentStatus(link.providerRef), paid);
  });

  test('verification refuses a tampered body, missing headers and another webhook id', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    sandbox.approve(link.providerRef);
    const [delivery] = await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', link.providerRef));
    assert.equal(delivery.headers['paypal-auth-algo'], 'SHA256withRSA');
    assert.match(String(delivery.headers['paypal-transmission-id']), /^[0-9a-f-]{36}$/);

    await rejectsWithAppError(paypal.verifyWebhook(delivery.headers, delivery.body.replace('149.00', '1.00')), 'webhook_signature_invalid');
    await rejectsWithAppError(
      paypal.verifyWebhook(delivery.headers, delivery.body.replace(link.providerRef, 'SOMEOTHERORDER000')),
      'webhook_signature_invalid',
    );
    await rejectsWithAppError(paypal.verifyWebhook(delivery.headers, 'not json'), 'webhook_signature_invalid');
    await rejectsWithAppError(paypal.verifyWebhook({ ...delivery.headers, 'paypal-transmission-sig': undefined }, delivery.body), 'webhook_signature_missing');
    await rejectsWithAppError(clientFor(sandbox, { webhookId: 'WH-SOMEONE-ELSE' }).verifyWebhook(delivery.headers, delivery.body), 'webhook_signature_invalid');
    assert.equal((await paypal.verifyWebhook(delivery.headers, Buffer.from(delivery.body))).event_type, 'CHECKOUT.ORDER.APPROVED');
  });

  test('a refund succeeds once, is idempotent, and sends PAYMENT.CAPTURE.REFUNDED', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    const res = await fetch(`${sandbox.url}/__sandbox/orders/${link.providerRef}/approve`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.match(((await res.json()) as { redirect_url: string }).redirect_url, /^http:\/\/shop\.test\/paid\?token=/);
    const paid = await paypal.capture(link.providerRef, `capture:${link.providerRef}`);
    assert.equal(paid.state, 'paid');
    const captureId = paid.state === 'paid' ? paid.paymentRef : '';

    const refund = await paypal.refund({
      paymentRef: captureId,
      amountCents: 14900,
      currency: 'EUR',
      idempotencyKey: `refund:${link.providerRef}`,
      reason: 'domain unavailable',
    });
    assert.equal(refund.state, 'succeeded');
    const same = await paypal.refund({ paymentRef: captureId, amountCents: 14900, currency: 'EUR', idempotencyKey: `refund:${link.providerRef}` });
    assert.equal(same.refundId, refund.refundId);

    const [delivery] = await receiver.waitFor(isEvent('PAYMENT.CAPTURE.REFUNDED', refund.refundId));
    const event = await paypal.verifyWebhook(delivery.headers, delivery.body);
    assert.deepEqual(event.resource.amount, { currency_code: 'EUR', value: '149.00' });

    await rejectsWith(
      paypal.refund({ paymentRef: captureId, amountCents: 100, currency: 'EUR', idempotencyKey: `refund:${link.providerRef}:2` }),
      'capture_fully_refunded',
      false,
    );
    await rejectsWith(paypal.refund({ paymentRef: 'NOSUCHCAPTURE0000', amountCents: 100, currency: 'EUR', idempotencyKey: 'refund:none' }), 'not_found', false);
  });

  test('an order nobody approves in time is voided, says so by webhook, and cannot be paid', async () => {
    const short = await startPaypalServer({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      webhookId: WEBHOOK_ID,
      webhookUrl: receiver.url,
      faults: new FaultInjector(),
      orderTtlSeconds: 1,
    });
    try {
      const client = clientFor(short);
      const link = await client.createPaymentLink(linkRequest());
      const [delivery] = await receiver.waitFor(isEvent('CHECKOUT.ORDER.VOIDED', link.providerRef));
      assert.equal((await client.verifyWebhook(delivery.headers, delivery.body)).event_type, 'CHECKOUT.ORDER.VOIDED');
      assert.deepEqual(await client.getPaymentStatus(link.providerRef), { state: 'expired' });

      const refused = await fetch(`${short.url}/checkoutnow/approve`, {
        method: 'POST',
        body: new URLSearchParams({ token: link.providerRef }),
        redirect: 'manual',
      });
      assert.equal(refused.status, 410);
      assert.ok((await refused.text()).includes('a expiré'));
      const viaControl = await fetch(`${short.url}/__sandbox/orders/${link.providerRef}/approve`, { method: 'POST' });
      assert.equal(viaControl.status, 422);
      await rejectsWith(client.capture(link.providerRef, 'capture:late'), 'order_expired', false);
    } finally {
      await short.close();
    }
  });

  test('the token is cached, and a revoked token is replaced once', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    const before = sandbox.tokensIssued();
    await paypal.getPaymentStatus(link.providerRef);
    await paypal.getPaymentStatus(link.providerRef);
    assert.equal(sandbox.tokensIssued(), before, 'a cached token is reused');

    sandbox.revokeTokens();
    assert.deepEqual(await paypal.getPaymentStatus(link.providerRef), { state: 'open' });
    assert.equal(sandbox.tokensIssued(), before + 1);

    await rejectsWith(clientFor(sandbox, { clientSecret: 'wrong' }).getPaymentStatus(link.providerRef), 'authentication_failed', false);
    await rejectsWith(paypal.getPaymentStatus('NOSUCHORDER000000'), 'not_found', false);
  });

  test('injected faults become retryable ProviderErrors', async () => {
    try {
      sandbox.faults.set({ errorRate: 1 });
      const server = await rejectsWith(paypal.getPaymentStatus('ANYORDER'), 'server_error', true);
      assert.equal(server.status, 500);

      sandbox.faults.reset();
      sandbox.faults.set({ rateLimitRate: 1 });
      const limited = await rejectsWith(paypal.getPaymentStatus('ANYORDER'), 'rate_limited', true);
      assert.equal(limited.retryAfterMs, 1_000);

      sandbox.faults.reset();
      sandbox.faults.set({ dropRate: 1 });
      await rejectsWith(paypal.getPaymentStatus('ANYORDER'), 'network_error', true);

      sandbox.faults.reset();
      sandbox.faults.set({ timeoutRate: 1 });
      sandbox.faults.timeoutHoldMs = 5_000;
      await rejectsWith(clientFor(sandbox, { timeoutMs: 300 }).getPaymentStatus('ANYORDER'), 'timeout', true);
    } finally {
      sandbox.faults.reset();
    }
  });

  test('the duplicate fault sends the same event twice, each transmission signed on its own', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    sandbox.faults.set({ duplicateWebhookRate: 1 });
    try {
      sandbox.approve(link.providerRef);
      const deliveries = await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', link.providerRef), 2);
      const [a, b] = await Promise.all(deliveries.map((d) => paypal.verifyWebhook(d.headers, d.body)));
      assert.equal(a.id, b.id);
      assert.notEqual(deliveries[0].headers['paypal-transmission-id'], deliveries[1].headers['paypal-transmission-id']);
    } finally {
      sandbox.faults.reset();
      await sandbox.webhooksIdle();
    }
  });

  test('a delivery the app refused comes again with its original transmission, and is genuine days later too', async () => {
    const link = await paypal.createPaymentLink(linkRequest());
    receiver.refuseNext(1);
    sandbox.approve(link.providerRef);
    const [first, again] = await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', link.providerRef), 2);
    assert.deepEqual([first!.status, again!.status], [500, 200]);
    for (const h of ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig']) assert.equal(again!.headers[h], first!.headers[h], h);
    // PayPal's verification decides, whatever the age: two days on, the redelivery is still accepted
    const realNow = Date.now;
    Date.now = () => realNow() + 2 * 86_400_000;
    try {
      assert.equal((await paypal.verifyWebhook(again!.headers, again!.body)).resource.id, link.providerRef);
    } finally {
      Date.now = realNow;
    }
    // PayPal's schedule: 25 attempts over three days
    assert.equal(PAYPAL_REDELIVERY_DELAYS_MS.length, 24);
    const total = PAYPAL_REDELIVERY_DELAYS_MS.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 3 * 86_400_000) < 60_000, `${total} ms`);
  });

  test('the reorder fault delivers an event after the one that followed it', async () => {
    const first = await paypal.createPaymentLink(linkRequest());
    const second = await paypal.createPaymentLink(linkRequest());
    sandbox.faults.set({ reorderWebhookRate: 1 });
    try {
      sandbox.approve(first.providerRef);
      sandbox.approve(second.providerRef);
      await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', first.providerRef));
      await receiver.waitFor(isEvent('CHECKOUT.ORDER.APPROVED', second.providerRef));
      const order = receiver.deliveries
        .map((d) => (JSON.parse(d.body) as PaypalWebhookEvent).resource.id)
        .filter((id) => id === first.providerRef || id === second.providerRef);
      assert.deepEqual(order, [second.providerRef, first.providerRef]);
    } finally {
      sandbox.faults.reset();
      await sandbox.webhooksIdle();
    }
  });

  test("webhooks: the app's is registered for every event; they are listed, created, patched and deleted as PayPal does", async () => {
    assert.deepEqual(await paypal.listWebhooks(), [{ id: WEBHOOK_ID, url: receiver.url, eventTypes: ['*'] }]);
    const token = (
      (await (
        await fetch(`${sandbox.url}/v1/oauth2/token`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        })
      ).json()) as { access_token: string }
    ).access_token;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const created = await call('POST', '/v1/notifications/webhooks', {
      url: 'https://shop.example/paypal',
      event_types: [{ name: 'PAYMENT.CAPTURE.COMPLETED' }],
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.event_types, [{ name: 'PAYMENT.CAPTURE.COMPLETED' }]);
    assert.equal(
      (await call('POST', '/v1/notifications/webhooks', { url: 'https://shop.example/paypal', event_types: [{ name: '*' }] })).body.name,
      'WEBHOOK_URL_ALREADY_EXISTS',
    );
    assert.equal((await call('POST', '/v1/notifications/webhooks', { url: 'https://shop.example/other' })).body.details[0].issue, 'MISSING_REQUIRED_PARAMETER');
    const listed = await call('GET', '/v1/notifications/webhooks?anchor_type=APPLICATION');
    assert.deepEqual(
      listed.body.webhooks.map((w: { id: string }) => w.id),
      [WEBHOOK_ID, created.body.id],
    );
    assert.deepEqual(listed.body.webhooks[0].event_types, [{ name: '*', description: 'ALL' }]);
    assert.deepEqual((await call('GET', '/v1/notifications/webhooks?anchor_type=ACCOUNT')).body, { webhooks: [] });
    const patched = await call('PATCH', `/v1/notifications/webhooks/${created.body.id}`, [{ op: 'replace', path: '/event_types', value: [{ name: '*' }] }]);
    assert.deepEqual(patched.body.event_types, [{ name: '*', description: 'ALL' }]);
    assert.equal((await call('DELETE', `/v1/notifications/webhooks/${created.body.id}`)).status, 204);
    assert.equal((await call('GET', `/v1/notifications/webhooks/${created.body.id}`)).status, 404);
  });

  test("an event goes to the app's webhook only when it subscribes to that event type", async () => {
    sandbox.webhooks.update(WEBHOOK_ID, { eventTypes: ['PAYMENT.CAPTURE.COMPLETED'] });
    try {
      const link = await paypal.createPaymentLink(linkRequest());
      sandbox.approve(link.providerRef);
      await paypal.capture(link.providerRef, `capture:${link.providerRef}`);
      await receiver.waitFor((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && orderOf(e) === link.providerRef);
      await sandbox.webhooksIdle();
      const approved = sandbox.events().find((e) => isEvent('CHECKOUT.ORDER.APPROVED', link.providerRef)(e.event as unknown as PaypalWebhookEvent))!;
      assert.deepEqual(approved.attempts, [], 'recorded, sent nowhere');
    } finally {
      sandbox.webhooks.update(WEBHOOK_ID, { eventTypes: ['*'] });
    }
  });
});
