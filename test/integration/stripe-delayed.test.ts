// Stripe's delayed payment methods, end to end against the sandbox Stripe: the methods offered are our setting; a
// SEPA Debit payment completes unpaid (the customer sees "payment processing", the deadline has not started), then
// succeeds (the order is paid, its deadline starts) or fails (back to awaiting payment, a fresh link emailed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { checkPaymentLink } from '../../src/workflow/payment-link.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ STRIPE_PAYMENT_METHODS: 'card,sepa_debit', SANDBOX_DELAYED_PAYMENT_SECONDS: '1.5' });
});
after(async () => sys?.stop());

async function order(domain: string, locale: 'fr' | 'en', email: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName: 'Épicerie Roux', email, domain, tier: 'standard', locale, city: 'Dijon' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  return { ...(r.body as { orderId: string; trackingToken: string }), sessionId: link.provider_ref! };
}
/** The sandbox's pay-without-a-browser control, with the method and the bank's outcome. */
async function payBy(sessionId: string, body?: Record<string, unknown>) {
  const r = await fetch(`${sys.sandbox!.stripe.url}/__sandbox/checkout/${sessionId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : '',
  });
  return { status: r.status, body: (await r.json()) as { session?: { status: string; payment_status: string }; error?: { message: string } } };
}
const status = async (token: string) => (await sys.api(`/api/concierge/status/${token}`)).body;
const orderRow = (id: string) => sys.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('the session offers exactly the configured methods; the sandbox refuses a method it does not offer', async () => {
  const o = await order('epicerie-roux-methodes.fr', 'en', 'methodes@example.org');
  const session = sys.sandbox!.stripe.sessions().find((s) => s.id === o.sessionId)!;
  assert.deepEqual(session.payment_method_types, ['card', 'sepa_debit']);
  const refused = await payBy(o.sessionId, { paymentMethod: 'ideal' });
  assert.equal(refused.status, 400);
});

test('SEPA Debit that succeeds: processing first (seen on the status, no deadline), then paid with the deadline counted from then', async () => {
  const o = await order('epicerie-roux-sepa.fr', 'en', 'sepa-ok@example.org');
  const paid = await payBy(o.sessionId, { paymentMethod: 'sepa_debit', outcome: 'succeeded' });
  assert.equal(paid.status, 200);
  assert.deepEqual([paid.body.session?.status, paid.body.session?.payment_status], ['complete', 'unpaid']);
  const processing = await eventually(async () => {
    const s = await status(o.trackingToken);
    // the status reads the link and the timeline side by side: wait for both to show it
    return s.payment?.state === 'processing' && s.timeline.some((e: { type: string }) => e.type === 'payment_processing') ? s : undefined;
  });
  assert.equal(processing.state, 'awaiting_payment');
  assert.equal(processing.deadline.at, null, 'the deadline has not started');
  assert.equal(processing.paidAt, null);
  assert.equal(processing.paymentUrl, undefined, 'nothing to pay twice');
  // a complete but unpaid session is never taken for an open one: the provider says processing, the check waits
  assert.equal((await sys.deps.payments.stripe.getPaymentStatus(o.sessionId)).state, 'processing');
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
  const checked = await checkPaymentLink(sys.deps, link.id);
  assert.equal(typeof checked, 'object', 'comes back later, expires nothing');
  assert.equal((await orderRow(o.orderId)).state, 'awaiting_payment');

  const settled = await eventually(async () => {
    const s = await status(o.trackingToken);
    return s.paidAt ? s : undefined;
  }, 15_000);
  assert.equal(settled.payment, null);
  const row = await orderRow(o.orderId);
  const processingAt = processing.timeline.find((e: { type: string }) => e.type === 'payment_processing').at;
  assert.ok(row.paid_at!.getTime() > Date.parse(processingAt), 'the clock started when the money arrived, not at checkout');
  assert.equal(row.deadline_at!.getTime(), row.paid_at!.getTime() + row.deadline_hours * 3_600_000);
  const events = sys.sandbox!.stripe.events().map((e) => e.event.type);
  assert.ok(events.includes('checkout.session.async_payment_succeeded'));
});

for (const locale of ['fr', 'en'] as const) {
  test(`SEPA Debit that fails (${locale}): back to awaiting payment, a fresh link emailed saying why`, async () => {
    const email = `sepa-ko-${locale}@example.org`;
    const o = await order(`epicerie-roux-echec-${locale}.fr`, locale, email);
    await payBy(o.sessionId, { paymentMethod: 'sepa_debit', outcome: 'failed' });
    const failed = await eventually(async () => {
      const s = await status(o.trackingToken);
      return s.timeline.some((e: { type: string }) => e.type === 'payment_failed') ? s : undefined;
    }, 15_000);
    assert.equal(failed.state, 'awaiting_payment');
    assert.equal(failed.payment.state, 'awaiting');
    assert.ok(failed.paymentUrl);
    assert.equal((await orderRow(o.orderId)).paid_at, null);
    // the fresh link opens right after (its row was written with the failure)
    const links = await eventually(async () => {
      const rows = await sys.db.selectFrom('payment_links').select(['seq', 'state']).where('order_id', '=', o.orderId).orderBy('seq').execute();
      return rows.at(-1)?.state === 'open' ? rows : undefined;
    });
    assert.deepEqual(
      links.map((l) => [l.seq, l.state]),
      [
        [1, 'failed'],
        [2, 'open'],
      ],
    );
    const subject = locale === 'fr' ? /^Votre paiement n’a pas abouti/ : /^Your payment did not go through/;
    const mail = await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.to.includes(email) && subject.test(m.subject)));
    assert.match(mail.text, locale === 'fr' ? /rien n’a été débité/ : /nothing was taken/);
    assert.ok(mail.text.includes(`/pay/${o.trackingToken}`));
    // the fresh link pays by card as usual
    const second = await sys.db
      .selectFrom('payment_links')
      .select('provider_ref')
      .where('order_id', '=', o.orderId)
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    sys.sandbox!.stripe.pay(second.provider_ref!);
    await eventually(async () => (await orderRow(o.orderId)).paid_at, 15_000);
  });
}

test('card only by default: the setting reaches Stripe as allowed_payment_method_types, and expires_at stays inside the window', async () => {
  const card = await startTestSystem({});
  try {
    const r = await card.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Épicerie Roux',
        email: 'carte@example.org',
        domain: 'epicerie-roux-carte.fr',
        tier: 'express',
        locale: 'fr',
        city: 'Dijon',
      },
    });
    const link = await card.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
    const session = card.sandbox!.stripe.sessions().find((s) => s.id === link.provider_ref)!;
    // the sandbox account enables SEPA Debit too: only our setting keeps it off a euro session
    assert.deepEqual(session.payment_method_types, ['card']);
    const margin = session.created + 24 * 3600 - session.expires_at;
    assert.ok(margin >= 60, `expires_at ${margin} s inside Stripe's 24 h bound`);
  } finally {
    await card.stop();
  }
  // Stripe's bound is strict: a second past 24 hours is refused
  const stripe = new Stripe(sys.sandbox!.credentials.stripeSecretKey, {
    host: '127.0.0.1',
    port: Number(new URL(sys.sandbox!.stripe.url).port),
    protocol: 'http',
  });
  await assert.rejects(
    stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://example.org/ok',
      line_items: [{ price_data: { currency: 'eur', unit_amount: 1000, product_data: { name: 'x' } }, quantity: 1 }],
      expires_at: Math.floor(Date.now() / 1000) + 24 * 3600 + 2,
    }),
    /less than 24 hours/,
  );
});
