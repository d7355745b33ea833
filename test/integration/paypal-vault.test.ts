// PayPal's vault through the real PaypalPayments adapter against the PayPal sandbox on loopback (no database): the
// first order's vault attributes, the token saved at capture, orders paid with vault_id without the payer (once per
// PayPal-Request-Id, declined for the declining test payer, refused for a deleted token), the token's deletion, and
// what the sandbox refuses as PayPal's spec does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PaypalSandbox } from '../../src/sandbox/paypal/server.ts';
import { CLIENT_ID, CLIENT_SECRET, linkRequest as paypalLink, startSandbox } from '../support/paypal.ts';
import { DECLINING_PAYER } from '../../src/sandbox/paypal/vault.ts';
import { PaypalPayments } from '../../src/providers/payments/paypal/client.ts';
import type { PaymentLinkRequest } from '../../src/providers/payments/index.ts';

const linkRequest = (overrides: Partial<PaymentLinkRequest> = {}) =>
  paypalLink({ saveForRenewal: { consentText: 'J’accepte le renouvellement automatique.' }, ...overrides });

describe('PayPal vault through the REST client', () => {
  let sandbox: PaypalSandbox;
  let vaulting: PaypalPayments;
  let plain: PaypalPayments;

  before(async () => {
    sandbox = await startSandbox('WH-VAULT-TEST');
    const client = (vault: boolean) =>
      new PaypalPayments({ baseUrl: sandbox.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webhookId: 'WH-VAULT-TEST', timeoutMs: 2_000, vault });
    vaulting = client(true);
    plain = client(false);
  });
  after(async () => sandbox.close());

  /** a first payment approved by `payer` and captured; returns its capture id */
  async function firstPayment(client: PaypalPayments, payer?: string, overrides: Partial<PaymentLinkRequest> = {}) {
    const link = await client.createPaymentLink(linkRequest(overrides));
    sandbox.approve(link.providerRef, payer);
    const status = await client.capture!(link.providerRef, `capture:${link.providerRef}`);
    assert.equal(status.state, 'paid');
    return { orderId: link.providerRef, captureId: (status as { paymentRef: string }).paymentRef };
  }

  async function saved(client: PaypalPayments, payer?: string) {
    const { captureId } = await firstPayment(client, payer);
    const method = await vaulting.offSession!.savedMethodOf(captureId);
    assert.ok(method, 'a token was saved');
    return method;
  }

  const charge = (paymentMethodRef: string, key: string, attemptId = crypto.randomUUID()) =>
    vaulting.offSession!.charge({
      customerRef: 'unused',
      paymentMethodRef,
      amountCents: 9900,
      currency: 'EUR',
      description: 'Renouvellement annuel',
      attemptId,
      orderId: 'ord_renewal',
      idempotencyKey: key,
    });

  test('the setting decides: vault on offers off-session charges, off does not', () => {
    assert.ok(vaulting.offSession);
    assert.equal(plain.offSession, undefined);
  });

  test('the first order asks PayPal to save the payer’s PayPal, as the vault documents it; the capture answers the token', async () => {
    const { orderId, captureId } = await firstPayment(vaulting);
    const order = sandbox.orders().find((o) => o.id === orderId)!;
    const vault = (order.payment_source!.paypal.attributes as { vault: { id: string; status: string; customer: { id: string } } }).vault;
    assert.equal(vault.status, 'VAULTED');
    const method = await vaulting.offSession!.savedMethodOf(captureId);
    assert.deepEqual(method, { customerRef: vault.customer.id, paymentMethodRef: vault.id, brand: 'paypal', payerEmail: 'b•••r@sandbox.paypal.example' });
    const token = sandbox.vault.list().find((t) => t.id === vault.id)!;
    assert.equal(token.usageType, 'MERCHANT');
    assert.equal(token.customerType, 'CONSUMER');
  });

  test('without the customer’s consent, or with the vault off, nothing is saved', async () => {
    const before = sandbox.vault.list().length;
    const noConsent = await firstPayment(vaulting, undefined, { saveForRenewal: undefined });
    const off = await firstPayment(plain);
    assert.equal(sandbox.vault.list().length, before);
    assert.equal(await vaulting.offSession!.savedMethodOf(noConsent.captureId), undefined);
    assert.equal(await vaulting.offSession!.savedMethodOf(off.captureId), undefined);
    for (const id of [noConsent.orderId, off.orderId]) assert.equal(sandbox.orders().find((o) => o.id === id)!.payment_source!.paypal.attributes, undefined);
  });

  test('each order keeps a token of its own (permit_multiple_payment_tokens): one payer, two sites, two tokens', async () => {
    const a = await saved(vaulting);
    const b = await saved(vaulting);
    assert.notEqual(a.paymentMethodRef, b.paymentMethodRef);
    assert.equal(a.customerRef, b.customerRef, 'PayPal keeps one customer per payer');
  });

  test('a renewal is paid with the token without the payer, once per PayPal-Request-Id however often it is retried', async () => {
    const method = await saved(vaulting);
    const capturesBefore = sandbox.events().filter((e) => e.event.event_type === 'PAYMENT.CAPTURE.COMPLETED').length;
    const attemptId = crypto.randomUUID();
    const first = await charge(method.paymentMethodRef, `renewal:${attemptId}:charge`, attemptId);
    const again = await charge(method.paymentMethodRef, `renewal:${attemptId}:charge`, attemptId);
    const third = await charge(method.paymentMethodRef, `renewal:${attemptId}:charge`, attemptId);
    assert.equal(first.state, 'succeeded');
    assert.deepEqual(again, first);
    assert.deepEqual(third, first);
    const captures = sandbox.events().filter((e) => e.event.event_type === 'PAYMENT.CAPTURE.COMPLETED');
    assert.equal(captures.length, capturesBefore + 1, 'one capture');
    const resource = captures.at(-1)!.event.resource as { custom_id?: string; amount: { value: string } };
    assert.equal(resource.custom_id, `renewal:ord_renewal:${attemptId}`, 'the capture names the order and the attempt');
    assert.equal(resource.amount.value, '99.00');
  });

  test('a payer whose vaulted payments decline: INSTRUMENT_DECLINED, an answer, not a failure; nothing captured', async () => {
    const method = await saved(vaulting, DECLINING_PAYER.email_address);
    const before = sandbox.events().length;
    const outcome = await charge(method.paymentMethodRef, `renewal:${crypto.randomUUID()}:charge`);
    assert.deepEqual(outcome, { state: 'declined', code: 'instrument_declined', methodGone: false });
    assert.equal(sandbox.events().length, before);
  });

  test('a token swapped to the declining payer declines from then on', async () => {
    const method = await saved(vaulting);
    sandbox.vault.swapPayer(method.paymentMethodRef, DECLINING_PAYER.email_address);
    assert.equal((await charge(method.paymentMethodRef, `renewal:${crypto.randomUUID()}:charge`)).state, 'declined');
  });

  test('consent withdrawn: the token is deleted (twice is harmless), and an order naming it is refused, the method gone', async () => {
    const method = await saved(vaulting);
    await plain.forgetSavedMethod(method.paymentMethodRef);
    await plain.forgetSavedMethod(method.paymentMethodRef);
    assert.equal(sandbox.vault.list().find((t) => t.id === method.paymentMethodRef)!.deleted, true);
    const outcome = await charge(method.paymentMethodRef, `renewal:${crypto.randomUUID()}:charge`);
    assert.deepEqual(outcome, { state: 'declined', code: 'token_id_not_found', methodGone: true });
    assert.equal((await charge('neverissued', `renewal:${crypto.randomUUID()}:charge`)).state, 'declined');
  });

  test('a merchant PayPal has not enabled for the vault: PayPal refuses the vault, the order is made without it', async () => {
    sandbox.vault.enabled = false;
    try {
      const before = sandbox.vault.list().length;
      const { captureId } = await firstPayment(vaulting);
      assert.equal(sandbox.vault.list().length, before);
      assert.equal(await vaulting.offSession!.savedMethodOf(captureId), undefined);
    } finally {
      sandbox.vault.enabled = true;
    }
  });
});

describe('the sandbox refuses vault requests as PayPal’s spec does', () => {
  let sandbox: PaypalSandbox;
  let token: string;

  before(async () => {
    sandbox = await startSandbox('WH-X');
    const r = await fetch(`${sandbox.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    token = ((await r.json()) as { access_token: string }).access_token;
  });
  after(async () => sandbox.close());

  const order = (vault: unknown) =>
    fetch(`${sandbox.url}/v2/checkout/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        intent: 'CAPTURE',
        purchase_units: [{ amount: { currency_code: 'EUR', value: '10.00' } }],
        payment_source: { paypal: { experience_context: { return_url: 'http://x.test/r', cancel_url: 'http://x.test/c' }, attributes: { vault } } },
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { details?: { issue: string; field?: string }[] } }));

  test('store_in_vault is ON_SUCCESS only; usage_type is required and MERCHANT or PLATFORM', async () => {
    const noUsage = await order({ store_in_vault: 'ON_SUCCESS' });
    assert.equal(noUsage.status, 400);
    assert.equal(noUsage.body.details?.[0]?.issue, 'MISSING_REQUIRED_PARAMETER');
    assert.equal((await order({ store_in_vault: 'ALWAYS', usage_type: 'MERCHANT' })).status, 400);
    assert.equal((await order({ store_in_vault: 'ON_SUCCESS', usage_type: 'SOMEONE' })).status, 400);
    assert.equal((await order({ store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT', description: 'x'.repeat(129) })).status, 400);
    assert.equal((await order({ store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT' })).status, 201);
  });

  test('a merchant not enabled for the vault: 422 NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE, no order made', async () => {
    sandbox.vault.enabled = false;
    try {
      const count = sandbox.orders().length;
      const r = await order({ store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT' });
      assert.equal(r.status, 422);
      assert.equal(r.body.details?.[0]?.issue, 'NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE');
      assert.equal(sandbox.orders().length, count);
    } finally {
      sandbox.vault.enabled = true;
    }
  });

  test('an unknown token: 404 on GET and DELETE; a malformed vault_id: 400', async () => {
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${sandbox.url}/v3/vault/payment-tokens/nope1234`, { headers: auth })).status, 404);
    assert.equal((await fetch(`${sandbox.url}/v3/vault/payment-tokens/nope1234`, { method: 'DELETE', headers: auth })).status, 404);
    const bad = await fetch(`${sandbox.url}/v2/checkout/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        intent: 'CAPTURE',
        purchase_units: [{ amount: { currency_code: 'EUR', value: '10.00' } }],
        payment_source: { paypal: { vault_id: 'no spaces!' } },
      }),
    });
    assert.equal(bad.status, 400);
  });
});
