// The renewal in the customer's space over real HTTP: each order's renewal (date, expiry, next year's price with VAT as
// its invoice will tax it, the switch, its state in plain terms) and the saved card by brand and last digits only; the
// switch behind the session and its CSRF token, for the address's own delivered orders only, bad input refused; for an
// EU business under reverse charge, the space, the reminder, the charge and the invoice state the same figure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { signIn } from '../support/account.ts';
import { HOLDER } from '../support/holder.ts';
import { errorMessage } from '../../src/http/error-messages.ts';
import type { RenewalState } from '../../src/db/schema.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { formatMoney } from '../../src/emails/i18n.ts';

let sys: TestSystem;
let mine: { orderId: string; email: string; domain: string };
let theirs: { orderId: string; email: string };
let session: { cookie: string; csrfToken: string };
let nextAddress = 3000;
const from = () => clientAddress(nextAddress++);

async function delivered(locale: 'fr' | 'en') {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale } });
  assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
  const orderId = r.body.orderId as string;
  await eventually(async () => (await plan(orderId)).card_last4 === '4242');
  const o = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', orderId).executeTakeFirstOrThrow();
  return { orderId, email: o.email, domain: o.domain };
}

before(async () => {
  sys = await startTestSystem();
  mine = await delivered('fr');
  theirs = await delivered('en');
  assert.notEqual(mine.email, theirs.email);
  session = await signIn(sys, mine.email, from());
});
after(async () => sys?.stop());

const plan = (orderId: string) => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const overview = async () => {
  const r = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from());
  assert.equal(r.status, 200, r.text);
  return r;
};
const orderOf = async (orderId: string) => (await overview()).json.orders.find((o: { id: string }) => o.id === orderId);
const toggle = (orderId: string, body: object, csrf: string | null = session.csrfToken, lang = 'fr') =>
  send(
    sys.url!,
    {
      method: 'POST',
      path: `/api/account/orders/${orderId}/auto-renew`,
      body,
      headers: { cookie: session.cookie, 'accept-language': lang, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    },
    from(),
  );

test('GET /api/account: the renewal (charge date, expiry, price with VAT, on) and the saved card by brand and last 4 only', async () => {
  const r = await overview();
  const o = r.json.orders.find((x: { id: string }) => x.id === mine.orderId);
  const p = await plan(mine.orderId);
  assert.equal(o.renewal.state, 'scheduled');
  assert.equal(o.renewal.autoRenew, true);
  assert.equal(o.renewal.expiresAt, p.expires_at!.toISOString());
  assert.equal(o.renewal.date, p.charge_at!.toISOString(), 'automatic: the day the card is charged');
  // the sandbox's prices include VAT: a consumer in France pays the list price, 20 % of it VAT
  assert.notEqual(sys.config.PRICES_INCLUDE_VAT, false);
  assert.deepEqual(o.renewal.price, { cents: p.price_cents, currency: 'EUR' });
  assert.deepEqual(o.renewal.vat, { cents: p.price_cents! - Math.round((p.price_cents! * 10_000) / 12_000), rateBp: 2000 });
  assert.deepEqual(o.savedPaymentMethod, { brand: 'visa', last4: '4242' });
  // nothing of the provider's references or the card number reaches the page
  for (const secret of [p.customer_ref!, p.payment_method_ref!, '4242424242424242']) assert.ok(!r.text.includes(secret), secret);
  // another address's order is not listed
  assert.ok(!r.json.orders.some((x: { id: string }) => x.id === theirs.orderId));
});

test('an order not delivered yet has no renewal and no saved card, and its switch is 404 renewal_not_found', async () => {
  const placed = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Atelier Attente',
      email: mine.email,
      domain: 'atelier-attente-espace.fr',
      tier: 'standard',
      locale: 'fr',
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const o = await orderOf(placed.body.orderId);
  assert.equal(o.renewal, null);
  assert.equal(o.savedPaymentMethod, null);
  const before = await plan(placed.body.orderId);
  const r = await toggle(placed.body.orderId, { on: false });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.code, 'renewal_not_found');
  assert.equal((await plan(placed.body.orderId)).auto_renew, before.auto_renew);
});

test('POST /api/account/orders/{id}/auto-renew turns it off (the site stays until expiry) and on again (consent anew)', async () => {
  const consentBefore = (await plan(mine.orderId)).consent_at!;
  const off = await toggle(mine.orderId, { on: false });
  assert.equal(off.status, 200, off.text);
  const p = await plan(mine.orderId);
  assert.equal(p.auto_renew, false);
  assert.equal(off.json.renewal.state, 'off');
  assert.equal(off.json.renewal.autoRenew, false);
  assert.equal(off.json.renewal.date, p.expires_at!.toISOString(), 'off: the date that matters is the expiry');
  assert.deepEqual(off.json.savedPaymentMethod, { brand: 'visa', last4: '4242' });
  assert.equal((await orderOf(mine.orderId)).renewal.state, 'off');
  // the same again changes nothing (no second event)
  assert.equal((await toggle(mine.orderId, { on: false })).status, 200);
  const on = await toggle(mine.orderId, { on: true });
  assert.equal(on.status, 200, on.text);
  assert.equal(on.json.renewal.state, 'scheduled');
  assert.equal(on.json.renewal.date, p.charge_at!.toISOString());
  const q = await plan(mine.orderId);
  assert.equal(q.auto_renew, true);
  assert.ok(q.consent_at! > consentBefore, 'the consent is recorded anew');
  const types = (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', mine.orderId).orderBy('id').execute()).map((e) => e.type);
  assert.deepEqual(
    types.filter((t) => t === 'renewal_auto_off' || t === 'renewal_auto_on'),
    ['renewal_auto_off', 'renewal_auto_on'],
  );
});

test('another address’s order and an unknown id are 404 order_not_found; a stale CSRF token 403; nothing changes', async () => {
  for (const id of [theirs.orderId, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
    const r = await toggle(id, { on: false }, session.csrfToken, 'en');
    assert.equal(r.status, 404, `${id}: ${r.text}`);
    assert.equal(r.json.code, 'order_not_found');
    assert.equal(r.json.message, errorMessage('order_not_found', 'en'));
  }
  assert.equal((await plan(theirs.orderId)).auto_renew, true);
  for (const csrf of [null, 'stale-token']) {
    const r = await toggle(mine.orderId, { on: false }, csrf);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'csrf_mismatch');
  }
  const signedOut = await send(sys.url!, { method: 'POST', path: `/api/account/orders/${mine.orderId}/auto-renew`, body: { on: false } }, from());
  assert.equal(signedOut.status, 401);
  assert.equal((await plan(mine.orderId)).auto_renew, true);
});

test('a bad body is 422 with the field’s code, in the customer’s language, and nothing changes', async () => {
  const cases: [object, string][] = [
    [{}, 'field_required'],
    [{ on: 'false' }, 'field_invalid'],
    [{ on: 0 }, 'field_invalid'],
    [{ on: null }, 'field_invalid'],
    [{ on: false, autoRenew: false }, 'field_invalid'],
  ];
  for (const [body, code] of cases) {
    const r = await toggle(mine.orderId, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.fields?.[0]?.code, code, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.fields[0].message, errorMessage(code as 'field_invalid', 'fr'));
  }
  assert.equal((await plan(mine.orderId)).auto_renew, true);
});

test('the state in plain terms: declined (dunning), grace, expired (the switch then 409), charged, charging', async () => {
  const expected: [RenewalState, string][] = [
    ['charging', 'charging'],
    ['paid', 'charged'],
    ['dunning', 'dunning'],
    ['grace', 'grace'],
    ['lost', 'expired'],
  ];
  try {
    for (const [state, shown] of expected) {
      await sys.db.updateTable('renewals').set({ state }).where('order_id', '=', mine.orderId).execute();
      const o = await orderOf(mine.orderId);
      assert.equal(o.renewal.state, shown, state);
      // not scheduled: the date shown is the expiry, not a charge date
      assert.equal(o.renewal.date, (await plan(mine.orderId)).expires_at!.toISOString(), state);
    }
    const closed = await toggle(mine.orderId, { on: false });
    assert.equal(closed.status, 409);
    assert.equal(closed.json.code, 'renewal_closed');
    assert.equal((await plan(mine.orderId)).auto_renew, true);
  } finally {
    await sys.db.updateTable('renewals').set({ state: 'scheduled' }).where('order_id', '=', mine.orderId).execute();
  }
});

test('an EU business under reverse charge: the space, the reminder, the charge and the invoice state one figure, without VAT', async () => {
  const placed = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Brouwerij',
      email: 'brouwerij-renewal@example.org',
      domain: `brouwerij-${Date.now().toString(36)}.fr`,
      tier: 'standard',
      locale: 'en',
      billing: {
        type: 'organization',
        name: 'Brouwerij Test BV',
        address1: 'Kerkstraat 1',
        postalCode: '1000',
        city: 'Brussel',
        country: 'BE',
        vatNumber: 'BE0403170701',
      },
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.price.vat.case, 'reverse_charge');
  const orderId = placed.body.orderId as string;
  const list = sys.config.TLD_PRICES.fr! + sys.config.RENEWAL_SERVICE_CENTS;
  // the list prices include French VAT: a business accounting for VAT itself pays them without it
  const figure = Math.round((list * 10_000) / 12_000);
  assert.equal(placed.body.renewal.amountCents, figure, 'the quote');
  const revenue = async () => {
    const r = await sys.api('/api/admin/renewals', { headers: { authorization: `Bearer ${sys.config.ADMIN_TOKEN}` } });
    return (r.body.nextYearRevenue as { currency: string; amountCents: number }[]).find((x) => x.currency === 'EUR')?.amountCents ?? 0;
  };
  const revenueBefore = await revenue();
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(
    async () => (await sys.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state === 'delivered',
    90_000,
    200,
  );
  await eventually(async () => (await plan(orderId)).card_last4 === '4242', 20_000);

  const business = await signIn(sys, 'brouwerij-renewal@example.org', from());
  const space = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: business.cookie } }, from());
  const shown = space.json.orders.find((o: { id: string }) => o.id === orderId).renewal;
  assert.deepEqual(shown.price, { cents: figure, currency: 'EUR' }, 'the space');
  assert.deepEqual(shown.vat, { cents: 0, rateBp: 0 });
  assert.equal((await revenue()) - revenueBefore, figure, 'the console’s next-year revenue counts what the plan will charge, not the list price');

  // 29 days before expiry: the reminder, then the off-session charge, at that figure
  await moveExpiry(sys.deps, sys.sandbox!.registry, orderId, 29);
  await runRenewalScan(sys.deps);
  const amount = formatMoney(figure, 'EUR', 'en').replace(/\s/g, ' ');
  const reminder = await eventually(async () =>
    sys.sandbox!.smtp.messages().find((m) => m.to.includes('brouwerij-renewal@example.org') && /Renewal of/.test(m.subject)),
  );
  assert.ok(reminder.text.replace(/\s/g, ' ').includes(amount), `${amount} in ${reminder.text}`);
  const paid = await eventually(async () => {
    const a = await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    return a?.payment_ref ? a : undefined;
  }, 30_000);
  const charge = sys
    .sandbox!.stripe.events()
    .find((e) => e.event.type === 'payment_intent.succeeded' && (e.event.data.object as { id: string }).id === paid.payment_ref);
  assert.equal((charge?.event.data.object as { amount: number } | undefined)?.amount, figure, 'the charge');
  const invoice = await eventually(async () => {
    const docs = await sys.db.selectFrom('invoices').select(['total_incl_vat_cents', 'vat_case']).where('order_id', '=', orderId).orderBy('seq').execute();
    return docs.length === 2 ? docs[1] : undefined;
  });
  assert.equal(Number(invoice.total_incl_vat_cents), figure, 'the invoice');
  assert.equal(invoice.vat_case, 'reverse_charge');
});
