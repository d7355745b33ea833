// A premium name's year after, over the sandbox world: its quote and confirmation state the premium renewal price
// (domains.check's PremiumRenewalPrice, converted like the first year, plus the service), the renewal sends
// IsPremiumDomain and PremiumPrice and the sandbox renews at that price, a price risen at the registry goes to the
// operator instead of renewing at a loss, a restore from redemption is priced at the premium restore plus a year, and
// the sandbox refuses a premium renew or reactivate that does not confirm its price. A regular name is unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { namecheapCall } from '../support/namecheap.ts';
import { HOLDER } from '../support/holder.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { fromUsd } from '../../src/domain/money.ts';
import { formatMoney } from '../../src/emails/i18n.ts';
import { renewalHeld, renewalPaidNotRenewed } from '../../src/monitoring/renewals.ts';
import { sql } from 'kysely';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({
    PREMIUM_MAX_CENTS: '300000',
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '400',
    STEP_MAX_ATTEMPTS: '3',
    RENEWAL_SCAN_SECONDS: '86400',
    RENEWAL_GRACE_DAYS: '60',
  });
});
after(async () => sys?.stop());

const DAY = 86_400_000;
/** the sandbox registrar's premium renewal and restore prices (src/sandbox/namecheap/server.ts defaults), US cents */
const RENEWAL_USD = 200_000;
const RESTORE_USD = 6_500;
const local = (usdCents: number) => fromUsd({ cents: usdCents, currency: 'USD' }, sys.config.exchange)!.cents;

const plan = (orderId: string) => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const attempt = async (orderId: string) => (await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).execute())[0];
const order = (orderId: string) => sys.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
const events = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute()).map((e) => e.type);
const renewalsOf = (domain: string) => sys.sandbox!.namecheap.account.renewals.filter((r) => r.domain === domain);

async function place(domain: string, locale: 'fr' | 'en' = 'en') {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Premium Shop',
      email: `${domain.split('.')[0]}@example.org`,
      domain,
      tier: 'standard',
      locale,
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string; renewal: { amountCents: number; currency: string }; price: { totalCents: number } };
}

/** Placed, paid as the customer would, delivered, its card saved for the renewal. */
async function delivered(domain: string, locale: 'fr' | 'en' = 'en', placed_?: Awaited<ReturnType<typeof place>>) {
  const placed = placed_ ?? (await place(domain, locale));
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', placed.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(async () => (await order(placed.orderId)).state === 'delivered', 90_000, 200);
  await eventually(async () => (await plan(placed.orderId)).card_last4 === '4242', 20_000);
  return placed;
}

const name = (prefix: string) => `${prefix}-${crypto.randomBytes(3).toString('hex')}.com`;

test('a premium order’s quote and confirmation state next year at the premium renewal price; a regular name’s as before', async () => {
  const domain = name('premium-renew');
  const q = await place(domain);
  const expected = local(RENEWAL_USD) + sys.config.RENEWAL_SERVICE_CENTS;
  // a French consumer: the list price is what is paid
  assert.equal(q.renewal.amountCents, expected);
  assert.notEqual(q.renewal.amountCents, q.price.totalCents - sys.config.SERVICE_PRICE_CENTS + sys.config.RENEWAL_SERVICE_CENTS, 'not the first year');
  const o = await order(q.orderId);
  assert.equal(o.premium_renewal_usd_cents, RENEWAL_USD);
  assert.equal(o.premium_restore_usd_cents, RESTORE_USD);
  assert.equal(o.renewal_domain_cents, local(RENEWAL_USD));
  const mail = await eventually(async () =>
    sys
      .sandbox!.smtp.messages()
      .find(
        (m) => m.to.includes(o.email) && /a year/.test(m.text) && m.text.replace(/\s/g, ' ').includes(formatMoney(expected, 'EUR', 'en').replace(/\s/g, ' ')),
      ),
  );
  assert.ok(mail);

  const regular = await place(`regular-${crypto.randomBytes(3).toString('hex')}.fr`);
  assert.equal(regular.renewal.amountCents, sys.config.TLD_PRICES.fr! + sys.config.RENEWAL_SERVICE_CENTS);
  const r = await order(regular.orderId);
  assert.equal(r.premium_renewal_usd_cents, null);
  assert.equal(r.renewal_domain_cents, null);
});

test('a premium renewal sends IsPremiumDomain and its PremiumPrice: renewed once at the registrar’s renewal price, charged and invoiced as told', async () => {
  const q = await delivered(name('premium-year'));
  const { domain } = await order(q.orderId);
  const p = await plan(q.orderId);
  assert.equal(p.price_cents, q.renewal.amountCents);
  assert.equal(p.charge_cents, q.renewal.amountCents);
  await moveExpiry(sys.deps, sys.sandbox!.registry, q.orderId, 29);
  await runRenewalScan(sys.deps);
  const done = await eventually(async () => {
    const a = await attempt(q.orderId);
    return a?.state === 'renewed' ? a : undefined;
  }, 30_000);
  assert.deepEqual(
    renewalsOf(domain).map((r) => r.command),
    ['renew'],
  );
  assert.equal(done.registrar_usd_cents, RENEWAL_USD, 'ChargedAmount: the premium renewal');
  assert.equal(done.amount_cents, q.renewal.amountCents);
  const invoices = await sys.db.selectFrom('invoices').select('total_incl_vat_cents').where('order_id', '=', q.orderId).orderBy('seq').execute();
  assert.equal(Number(invoices.at(-1)!.total_incl_vat_cents), q.renewal.amountCents);
});

test('a premium renewal the registry now sells dearer is not made: held for the operator, nothing renewed', async () => {
  const q = await delivered(name('premium-rise'));
  const { domain } = await order(q.orderId);
  // the registry raised the name's renewal since it was quoted: the PremiumPrice we send no longer covers it
  sys.sandbox!.registry.premiumRenewalRaisedTo.set(domain, RENEWAL_USD + 10_000);
  await moveExpiry(sys.deps, sys.sandbox!.registry, q.orderId, 29);
  await runRenewalScan(sys.deps);
  await eventually(async () => (await events(q.orderId)).includes('renewal_held'), 30_000);
  assert.equal((await attempt(q.orderId))!.state, 'paid', 'paid, waiting for an operator');
  assert.deepEqual(renewalsOf(domain), [], 'nothing renewed at a loss');
  const ledger = await sys.db
    .selectFrom('provider_calls')
    .select(['operation', 'outcome'])
    .where('order_id', '=', q.orderId)
    .where('operation', '=', 'domains.renew')
    .execute();
  assert.equal(ledger.length, 1, 'asked once, refused, not retried');
  // an hour on, the operators are alerted: renew at the registrar or refund
  const a = (await attempt(q.orderId))!;
  assert.deepEqual(await renewalPaidNotRenewed.evaluate(sys.deps).then((f) => f.filter((x) => x.subject === a.id)), [], 'not within the hour');
  await sql`update renewal_attempts set paid_at = paid_at - interval '61 minutes' where id = ${a.id}`.execute(sys.db);
  await sql`update order_events set at = at - interval '61 minutes' where order_id = ${q.orderId} and type = 'renewal_held'`.execute(sys.db);
  const [alert] = (await renewalPaidNotRenewed.evaluate(sys.deps)).filter((x) => x.subject === a.id);
  assert.equal(alert?.severity, 'critical');
  // the hold's reason: the registrar's refusal of the price sent
  assert.equal(alert?.details.held, 'invalid_request');
  assert.match(alert!.summary, /held for an operator \(invalid_request\): renew at the registrar or refund/);
});

test('the purchase keeps the registrar’s renewal of the day; risen above what the customer was told, the renewal is not charged but held', async () => {
  const domain = name('premium-known');
  const placed = await place(domain);
  // between the quote and the purchase the registry raised the name's renewal: the purchase's fresh check says so
  sys.sandbox!.registry.premiumRenewalRaisedTo.set(domain, RENEWAL_USD + 50_000);
  // (the quote's check is no longer in the shared cache, as when the customer pays minutes later)
  await sys.db.deleteFrom('registrar_checks').where('domain', '=', domain).execute();
  const q = await delivered(domain, 'en', placed);
  const o = await order(q.orderId);
  assert.equal(o.premium_renewal_usd_cents, RENEWAL_USD + 50_000, 'refreshed by register_domain');
  assert.equal(o.renewal_domain_cents, local(RENEWAL_USD), 'what the customer was told stays');
  await moveExpiry(sys.deps, sys.sandbox!.registry, q.orderId, 29);
  await runRenewalScan(sys.deps);
  await eventually(async () => (await events(q.orderId)).includes('renewal_held'), 30_000);
  const a = (await attempt(q.orderId))!;
  assert.equal(a.state, 'charging');
  assert.equal(a.payment_ref, null);
  const charges = sys
    .sandbox!.stripe.events()
    .filter((e) => e.event.type === 'payment_intent.succeeded' && (e.event.data.object as { metadata: Record<string, string> }).metadata.orderId === q.orderId);
  assert.equal(charges.length, 0, 'nothing charged');
  assert.deepEqual(renewalsOf((await order(q.orderId)).domain), []);
  // the operators hear of it at once, not a week before the expiry: a warning with the hold's reason, critical in the last week
  const [alert] = (await renewalHeld.evaluate(sys.deps)).filter((x) => x.subject === a.id);
  assert.equal(alert?.severity, 'warning');
  assert.equal(alert?.details.reason, 'premium_price_rose');
  assert.match(alert!.summary, /renewal held before its charge \(premium_price_rose\)/);
  await moveExpiry(sys.deps, sys.sandbox!.registry, q.orderId, 5);
  assert.equal((await renewalHeld.evaluate(sys.deps)).find((x) => x.subject === a.id)?.severity, 'critical');
  assert.deepEqual(await renewalPaidNotRenewed.evaluate(sys.deps).then((f) => f.filter((x) => x.subject === a.id)), [], 'nothing was paid');
});

test('in redemption a premium name is priced at its restore plus a premium year, shown before payment, and reactivated at it', async () => {
  const q = await delivered(name('premium-redeem'), 'fr');
  const { domain, email } = await order(q.orderId);
  assert.equal((await sys.api(`/api/concierge/status/${q.trackingToken}/auto-renew`, { body: { on: false } })).status, 200);
  // expired 31 days ago: past the registrar's grace, the name is in redemption
  await moveExpiry(sys.deps, sys.sandbox!.registry, q.orderId, -31);
  await runRenewalScan(sys.deps);
  const repriced = await eventually(async () => {
    const a = await attempt(q.orderId);
    return a?.redemption_usd_cents !== null && a?.link_ref ? a : undefined;
  }, 30_000);
  const restore = local(RESTORE_USD + RENEWAL_USD) + sys.config.RENEWAL_SERVICE_CENTS;
  assert.equal(repriced.redemption_usd_cents, RESTORE_USD + RENEWAL_USD);
  assert.equal(repriced.amount_cents, restore);
  assert.equal(sys.sandbox!.stripe.sessions().find((s) => s.id === repriced.link_ref)?.amount_total, restore, 'the payment page asks it');
  const amount = formatMoney(restore, 'EUR', 'fr').replace(/\s/g, ' ');
  await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.to.includes(email) && m.text.replace(/\s/g, ' ').includes(amount)));

  sys.sandbox!.stripe.pay(repriced.link_ref!);
  const done = await eventually(async () => {
    const a = await attempt(q.orderId);
    return a?.state === 'renewed' ? a : undefined;
  }, 30_000);
  assert.deepEqual(
    renewalsOf(domain).map((r) => [r.command, r.chargedCents]),
    [['reactivate', RESTORE_USD + RENEWAL_USD]],
  );
  assert.equal(done.registrar_usd_cents, RESTORE_USD + RENEWAL_USD);
});

/** A raw Namecheap call to the sandbox, as the live API takes it. */
const namecheap = (params: Record<string, string>) => namecheapCall(sys.sandbox!, params);

test('the sandbox refuses a premium renew or reactivate without IsPremiumDomain and a PremiumPrice covering its price', async () => {
  const domain = name('premium-raw');
  const registry = sys.sandbox!.registry;
  registry.register(domain, 1, undefined, sys.sandbox!.credentials.namecheapApiUser, {});
  const renew = (extra: Record<string, string>) => namecheap({ Command: 'namecheap.domains.renew', DomainName: domain, Years: '1', ...extra });
  const bads: Record<string, string>[] = [{}, { PremiumPrice: '2000.00' }, { IsPremiumDomain: 'true' }, { IsPremiumDomain: 'true', PremiumPrice: '1999.99' }];
  for (const bad of bads) {
    const xml = await renew(bad);
    assert.match(xml, /Status="ERROR"/, JSON.stringify(bad));
    assert.match(xml, /<Error Number="2011400">/);
  }
  assert.deepEqual(renewalsOf(domain), [], 'nothing renewed');
  assert.match(await renew({ IsPremiumDomain: 'true', PremiumPrice: '2000.00' }), /ChargedAmount="2000\.0000"/);

  // in redemption, a reactivation confirms the restore and the year
  registry.setExpiry(domain, new Date(Date.now() - 40 * DAY));
  const reactivate = (price: string) =>
    namecheap({ Command: 'namecheap.domains.reactivate', DomainName: domain, IsPremiumDomain: 'true', PremiumPrice: price });
  assert.match(await reactivate('2000.00'), /Number="2011400"/);
  assert.match(await reactivate('2065.00'), /IsSuccess="true" ChargedAmount="2065\.0000"/);
});
