// Renewals with PayPal's vault on (PAYPAL_VAULT), over the sandbox world: the first PayPal payment saves the payer's
// PayPal with their consent, the renewal charges it without them once (lost answers and retries included), a declining
// payer goes to dunning and pays the link, turning auto-renewal off deletes the token, and a merchant PayPal has not
// enabled for the vault renews by link; erasing the customer's data deletes the token too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { DECLINING_PAYER } from '../../src/sandbox/paypal/vault.ts';
import { chargeKey, chargeRenewal } from '../../src/workflow/renewals/charge.ts';
import { erasePersonalData } from '../../src/legal/erasure.ts';
import { NO_METHOD } from '../../src/workflow/renewals/charge.ts';
import { recordSavedMethod } from '../../src/workflow/renewals/plan.ts';
import { recordTransferredOut } from '../../src/account/transfer.ts';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({ PAYPAL_VAULT: 'true', RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '3', RENEWAL_SCAN_SECONDS: '86400' });
});
after(async () => sys?.stop());

const plan = (orderId: string) => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const attempts = (orderId: string) => sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).execute();
const events = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute()).map((e) => e.type);
const mailsTo = (email: string) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email));
const renewalsOf = (domain: string) => sys.sandbox!.namecheap.account.renewals.filter((r) => r.domain === domain);
/** PayPal's captures of an attempt's vaulted charge (custom_id names the order and the attempt) */
const capturesOf = (attemptId: string) =>
  sys
    .sandbox!.paypal.events()
    .filter((e) => e.event.event_type === 'PAYMENT.CAPTURE.COMPLETED' && (e.event.resource as { custom_id?: string }).custom_id?.endsWith(`:${attemptId}`));

interface Delivered {
  orderId: string;
  token: string;
  email: string;
  domain: string;
}

async function delivered(locale: 'fr' | 'en' = 'en', opts: { saved?: boolean } = {}): Promise<Delivered> {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale, paymentProvider: 'paypal' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const o = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  // the token the first payment saved is recorded by its own job
  if (opts.saved !== false) await eventually(() => plan(r.body.orderId).then((p) => p.payment_method_ref !== null));
  return { orderId: r.body.orderId, token: r.body.trackingToken, email: o.email, domain: o.domain };
}

test('the first PayPal payment, auto-renewal on, saves the payer’s PayPal: shown as PayPal and the masked email, never the token', async () => {
  const o = await delivered();
  const p = await plan(o.orderId);
  const token = sys.sandbox!.paypal.vault.list().find((t) => t.id === p.payment_method_ref);
  assert.ok(token && !token.deleted, 'the sandbox holds the token');
  assert.equal(p.customer_ref, token.customerId);
  assert.equal(p.card_brand, 'paypal');
  assert.equal(p.card_last4, null);
  assert.equal(p.payer_email_masked, 'b•••r@sandbox.paypal.example');
  assert.ok(p.auto_renew && p.consent_at);
  // the first order asked for it, as PayPal's vault documents
  const first = sys.sandbox!.paypal.orders().find((x) => x.purchase_units[0]?.reference_id === o.orderId)!;
  assert.equal((first.payment_source!.paypal.attributes as { vault: { id: string } }).vault.id, token.id);
  const status = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: true } });
  assert.equal(status.status, 200);
  assert.deepEqual(status.body.savedPaymentMethod, { brand: 'paypal', payerEmail: 'b•••r@sandbox.paypal.example' });
  const page = await sys.api(`/api/concierge/status/${o.token}`);
  assert.ok(!JSON.stringify(page.body).includes(token.id), 'the token never leaves');
  assert.match(JSON.stringify(page.body.timeline), /Payment method saved for the renewal \(PayPal \(b•••r@sandbox\.paypal\.example\)\)/);
});

test('the renewal charges the saved PayPal without the payer, once under lost answers and retries; renewed once', { timeout: 120_000 }, async () => {
  const o = await delivered();
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 20);
  // every spending call's answer is lost once the work is done: the order paid with the token, Namecheap's renew
  sys.sandbox!.paypal.faults.set({ lostAnswerRate: 1 });
  sys.sandbox!.namecheap.faults.set({ lostAnswerRate: 1 });
  let attemptId = '';
  try {
    await runRenewalScan(sys.deps);
    attemptId = (await eventually(async () => (await attempts(o.orderId))[0])).id;
    // a bound, not a timing: each lost answer costs the client its timeout before the retry under the same PayPal-Request-Id
    await eventually(async () => capturesOf(attemptId).length >= 1 && renewalsOf(o.domain).length >= 1, 60_000);
  } finally {
    sys.sandbox!.paypal.faults.reset();
    sys.sandbox!.namecheap.faults.reset();
  }
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 40_000);
  const [a] = await attempts(o.orderId);
  assert.equal(a!.method, 'off_session');
  assert.equal(capturesOf(attemptId).length, 1, 'captured once');
  assert.equal(a!.payment_ref, (capturesOf(attemptId)[0]!.event.resource as { id: string }).id);
  assert.equal(renewalsOf(o.domain).length, 1, 'renewed once');
  // the charge job run again (a retry after a kill) finds the attempt settled: nothing more is charged
  const again = await sys.deps.db.selectFrom('renewal_attempts').select('state').where('id', '=', attemptId).executeTakeFirstOrThrow();
  assert.equal(again.state, 'renewed');
  assert.equal(await chargeRenewal(sys.deps, attemptId, { attempt: 2 }), 'not_due');
  // the charge itself sent twice more under the attempt's PayPal-Request-Id: PayPal answers the same capture
  const p = await plan(o.orderId);
  for (let i = 0; i < 2; i++) {
    const replay = await sys.deps.payments.paypal.offSession!.charge({
      customerRef: p.customer_ref!,
      paymentMethodRef: p.payment_method_ref!,
      amountCents: a!.amount_cents,
      currency: a!.currency,
      description: `Yearly renewal of ${o.domain}`,
      attemptId,
      orderId: o.orderId,
      idempotencyKey: chargeKey(a!),
    });
    assert.equal(replay.state === 'succeeded' && replay.paymentRef, a!.payment_ref);
  }
  assert.equal(capturesOf(attemptId).length, 1);
  const timeline = await events(o.orderId);
  for (const t of ['renewal_charge_started', 'renewal_paid', 'renewal_renewed']) assert.ok(timeline.includes(t), `${t} in ${timeline.join(', ')}`);
});

test('a payer whose vaulted payments decline: dunning with a PayPal link, paid by the customer, renewed once', async () => {
  const o = await delivered();
  const p = await plan(o.orderId);
  sys.sandbox!.paypal.vault.swapPayer(p.payment_method_ref!, DECLINING_PAYER.email_address);
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 25);
  await runRenewalScan(sys.deps);
  const declined = await eventually(async () => (await attempts(o.orderId)).find((a) => a.state === 'declined' && a.link_ref));
  assert.equal(declined.decline_code, 'instrument_declined');
  assert.equal(capturesOf(declined.id).length, 0);
  assert.equal((await plan(o.orderId)).state, 'dunning');
  assert.equal((await plan(o.orderId)).payment_method_ref, p.payment_method_ref, 'a decline keeps the token');
  const mail = await eventually(async () => mailsTo(o.email).find((m) => /Action needed/.test(m.subject)));
  assert.match(mail.text, /declined/);
  assert.equal(renewalsOf(o.domain).length, 0, 'never renewed without payment');
  sys.sandbox!.paypal.approve(declined.link_ref!);
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 20_000);
  assert.equal(renewalsOf(o.domain).length, 1);
});

test('auto-renewal off: the token is deleted at PayPal and forgotten; turned back on, the renewal goes by link', async () => {
  const o = await delivered('fr');
  const ref = (await plan(o.orderId)).payment_method_ref!;
  const off = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: false } });
  assert.equal(off.status, 200);
  await eventually(async () => sys.sandbox!.paypal.vault.list().find((t) => t.id === ref)?.deleted === true);
  const p = await eventually(async () => {
    const row = await plan(o.orderId);
    return row.payment_method_ref === null ? row : undefined;
  });
  assert.equal(p.card_brand, null);
  assert.equal(p.payer_email_masked, null);
  assert.ok((await events(o.orderId)).includes('renewal_method_forgotten'));
  const on = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: true } });
  assert.equal(on.status, 200);
  assert.equal(on.body.savedPaymentMethod, null);
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 25);
  await runRenewalScan(sys.deps);
  const a = await eventually(async () => (await attempts(o.orderId)).find((x) => x.link_ref));
  assert.equal(a.method, 'link');
  assert.equal(capturesOf(a.id).length, 0);
});

test('a merchant PayPal has not enabled for the vault: the first payment goes through unsaved, the renewal by link', async () => {
  sys.sandbox!.paypal.vault.enabled = false;
  let o: Delivered;
  try {
    o = await delivered('en', { saved: false });
  } finally {
    sys.sandbox!.paypal.vault.enabled = true;
  }
  // the setup job asked PayPal and found nothing saved
  await eventually(() =>
    sys.db.selectFrom('provider_calls').select('outcome').where('order_id', '=', o.orderId).where('operation', '=', 'retrieve_saved_method').executeTakeFirst(),
  );
  assert.equal((await plan(o.orderId)).payment_method_ref, null);
  const first = sys.sandbox!.paypal.orders().find((x) => x.purchase_units[0]?.reference_id === o.orderId)!;
  assert.equal(first.payment_source!.paypal.attributes, undefined);
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 25);
  await runRenewalScan(sys.deps);
  const a = await eventually(async () => (await attempts(o.orderId)).find((x) => x.link_ref));
  assert.equal(a.method, 'link');
});

test('the customer’s data erased: the masked email goes at once, the token is deleted at PayPal and forgotten', async () => {
  const o = await delivered();
  const ref = (await plan(o.orderId)).payment_method_ref!;
  await erasePersonalData(sys.deps, o.email, { reason: 'customer', locale: 'en' });
  const now = await plan(o.orderId);
  assert.equal(now.payer_email_masked, null);
  const saved = await sys.db
    .selectFrom('order_events')
    .select('data')
    .where('order_id', '=', o.orderId)
    .where('type', '=', 'renewal_method_saved')
    .executeTakeFirstOrThrow();
  assert.equal((saved.data as Record<string, unknown>).payerEmail, undefined, 'the timeline keeps no email either');
  assert.equal(now.auto_renew, false);
  await eventually(async () => sys.sandbox!.paypal.vault.list().find((t) => t.id === ref)?.deleted === true);
  await eventually(async () => (await plan(o.orderId)).payment_method_ref === null);
});

test('the domain leaves our registrar: nothing will be charged again, so the token is deleted at PayPal and forgotten', async () => {
  const o = await delivered();
  const ref = (await plan(o.orderId)).payment_method_ref!;
  assert.equal(await recordTransferredOut(sys.deps, o.orderId), true);
  assert.equal((await plan(o.orderId)).state, 'gone');
  await eventually(async () => sys.sandbox!.paypal.vault.list().find((t) => t.id === ref)?.deleted === true);
  await eventually(async () => (await plan(o.orderId)).payment_method_ref === null);
});

test('the demo’s renewal_declined by PayPal: the saved PayPal declines, the link is approved, renewed once, all in the timeline', async () => {
  const r = await sys.api('/api/test/concierge/demo', {
    body: { scenario: 'renewal_declined', timeoutSeconds: 90, locale: 'en', paymentProvider: 'paypal' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [a] = await attempts(r.body.orderId);
  assert.equal(a?.state, 'renewed');
  assert.equal(a?.decline_code, 'instrument_declined');
  assert.equal((await plan(r.body.orderId)).provider, 'paypal');
  const timeline = await events(r.body.orderId);
  for (const t of ['renewal_method_saved', 'renewal_declined', 'renewal_link_sent', 'renewal_paid', 'renewal_renewed']) {
    assert.ok(timeline.includes(t), `${t} in ${timeline.join(', ')}`);
  }
});

test('auto-renewal turned off before the token was recorded: recorded, then deleted at PayPal all the same', async () => {
  const o = await delivered();
  const ref = (await plan(o.orderId)).payment_method_ref!;
  // as if the customer turned it off between the payment and the setup job
  await sys.db
    .updateTable('renewals')
    .set({ ...NO_METHOD, auto_renew: false })
    .where('order_id', '=', o.orderId)
    .execute();
  assert.equal(await recordSavedMethod(sys.deps, o.orderId), 'saved');
  await eventually(async () => sys.sandbox!.paypal.vault.list().find((t) => t.id === ref)?.deleted === true);
  await eventually(async () => (await plan(o.orderId)).payment_method_ref === null);
});

test('a vaulted capture whose attempt no longer exists (withdrawn while its answer was lost) is refunded, never kept', async () => {
  const o = await delivered();
  const p = await plan(o.orderId);
  // a charge PayPal made for an attempt we no longer hold: only its webhook tells of it
  const gone = crypto.randomUUID();
  const charged = await sys.deps.payments.paypal.offSession!.charge({
    customerRef: p.customer_ref!,
    paymentMethodRef: p.payment_method_ref!,
    amountCents: 9900,
    currency: p.currency,
    description: 'Yearly renewal',
    attemptId: gone,
    orderId: o.orderId,
    idempotencyKey: `renewal:${gone}:charge`,
  });
  assert.ok(charged.state === 'succeeded');
  await eventually(async () => (await events(o.orderId)).includes('payment_duplicate_refunded'), 20_000);
  assert.equal(sys.sandbox!.paypal.ledger.byTarget('captures.refund').get(charged.paymentRef)?.length, 1, 'refunded once');
  assert.equal(renewalsOf(o.domain).length, 0);
});
