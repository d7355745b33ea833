// A renewal still unpaid past the registrar's grace period, over the sandbox world: the name is in redemption, the next
// link asks for the registrar's restore price (users.getPricing REACTIVATE, in our currency, plus the service), the
// email and the customer's space show it before payment, a payment of the old price is refunded, and the restore is made
// once with domains.reactivate and invoiced at that price. Also the sandbox's getPricing and reactivate windows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { namecheapCall } from '../support/namecheap.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { signIn } from '../support/account.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { fromUsd } from '../../src/domain/money.ts';
import { formatMoney } from '../../src/emails/i18n.ts';
import { ProviderError } from '../../src/errors.ts';
import { NamecheapRegistrar } from '../../src/providers/registrar/namecheap/client.ts';

let sys: TestSystem;

before(async () => {
  // the renewal stays payable 60 days: the registrar's grace (30 days), then its redemption
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '3', RENEWAL_SCAN_SECONDS: '86400', RENEWAL_GRACE_DAYS: '60' });
});
after(async () => sys?.stop());

const DAY = 86_400_000;
const plan = (orderId: string) => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const attempt = async (orderId: string) => (await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).execute())[0];
const events = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute()).map((e) => e.type);

/** The registration expired `days` ago, at the registrar, in the plan and in its open attempt alike (the same registration year). */
async function lapsed(orderId: string, domain: string, days: number): Promise<Date> {
  const at = new Date(Date.now() - days * DAY);
  sys.sandbox!.registry.setExpiry(domain, at);
  await sys.db.updateTable('renewals').set({ expires_at: at }).where('order_id', '=', orderId).execute();
  await sql`update renewal_attempts set from_expiry = (${at}::timestamptz at time zone 'UTC')::date where order_id = ${orderId}`.execute(sys.db);
  return at;
}

/** The adapter straight to the sandbox (no shared budget: the test's own reads). */
const direct = () =>
  new NamecheapRegistrar({
    baseUrl: `${sys.sandbox!.namecheap.url}/xml.response`,
    apiUser: sys.sandbox!.credentials.namecheapApiUser,
    apiKey: sys.sandbox!.credentials.namecheapApiKey,
    userName: sys.sandbox!.credentials.namecheapApiUser,
    clientIp: '127.0.0.1',
    timeoutMs: 5_000,
  });

/** A raw Namecheap call to the sandbox, as the live API takes it. */
const namecheap = (params: Record<string, string>) => namecheapCall(sys.sandbox!, params);

test('past the registrar’s grace period: the link asks for the restore price, shown before payment; reactivated once at it', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale: 'fr' } });
  assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
  const orderId = r.body.orderId as string;
  const { email, domain } = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', orderId).executeTakeFirstOrThrow();
  assert.equal((await sys.api(`/api/concierge/status/${r.body.trackingToken}/auto-renew`, { body: { on: false } })).status, 200);
  const price = (await plan(orderId)).price_cents!;

  // expired two days ago: the grace period's link, at a renewal's price
  await moveExpiry(sys.deps, sys.sandbox!.registry, orderId, -2);
  await runRenewalScan(sys.deps);
  const first = await eventually(async () => {
    const a = await attempt(orderId);
    return a?.link_ref ? a : undefined;
  }, 20_000);
  assert.equal(first.amount_cents, price);
  assert.equal(first.redemption_usd_cents, null);
  assert.equal(sys.sandbox!.stripe.sessions().find((s) => s.id === first.link_ref)?.amount_total, price);

  // 31 days on, the same registration is in redemption: the scan sends the next link at once, repriced
  await lapsed(orderId, domain, 31);
  await runRenewalScan(sys.deps);
  const second = await eventually(async () => {
    const a = await attempt(orderId);
    return a && a.link_seq === 2 && a.link_ref !== first.link_ref ? a : undefined;
  }, 20_000);
  const usd = await direct().reactivatePrice(domain);
  assert.equal(usd.currency, 'USD');
  const restore = fromUsd(usd, sys.config.exchange)!.cents + sys.config.RENEWAL_SERVICE_CENTS;
  assert.ok(restore > price, `${restore} > ${price}`);
  assert.equal(second.amount_cents, restore);
  assert.equal(second.redemption_usd_cents, usd.cents);
  assert.equal(sys.sandbox!.stripe.sessions().find((s) => s.id === second.link_ref)?.amount_total, restore, 'the payment page asks the restore price');
  assert.ok((await events(orderId)).includes('renewal_redemption'));
  // the email says why, and how much
  const amount = formatMoney(restore, 'EUR', 'fr');
  const mail = await eventually(async () =>
    sys
      .sandbox!.smtp.messages()
      .find((m) => m.to.includes(email) && /en rédemption/.test(m.text) && m.text.replace(/\s/g, ' ').includes(amount.replace(/\s/g, ' '))),
  );
  assert.ok(mail.html.includes(second.link_url!.replace(/&/g, '&amp;')));
  // the customer's space shows it too, before any payment
  const session = await signIn(sys, email, clientAddress(4100));
  const overview = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, clientAddress(4101));
  const shown = overview.json.orders.find((o: { id: string }) => o.id === orderId).renewal;
  assert.equal(shown.state, 'grace');
  assert.equal(shown.redemption, true);
  assert.deepEqual(shown.price, { cents: restore, currency: 'EUR' });

  // the old link paid at a renewal's price: refunded, not kept for a dearer restore, nothing renewed
  sys.sandbox!.stripe.pay(first.link_ref!);
  await eventually(async () => (await events(orderId)).includes('payment_duplicate'), 20_000);
  assert.notEqual((await attempt(orderId))!.state, 'paid');

  // the new link paid: restored once with domains.reactivate, at the registrar's price, and invoiced at ours
  sys.sandbox!.stripe.pay(second.link_ref!);
  const done = await eventually(async () => {
    const a = await attempt(orderId);
    return a?.state === 'renewed' ? a : undefined;
  }, 20_000);
  const made = sys.sandbox!.namecheap.account.renewals.filter((x) => x.domain === domain);
  assert.deepEqual(
    made.map((x) => [x.command, x.chargedCents]),
    [['reactivate', usd.cents]],
  );
  assert.equal(done.registrar_usd_cents, usd.cents);
  const lapsedFrom = new Date(Date.now() - 31 * DAY);
  assert.ok(done.new_expiry! > new Date(lapsedFrom.getTime() + 360 * DAY), String(done.new_expiry));
  const invoices = await sys.db.selectFrom('invoices').select(['total_incl_vat_cents', 'kind']).where('order_id', '=', orderId).orderBy('seq').execute();
  assert.equal(Number(invoices.at(-1)!.total_incl_vat_cents), restore);
  assert.equal((await plan(orderId)).state, 'scheduled');
});

test('the sandbox’s getPricing answers as its page shows it, and refuses what is not a product', async () => {
  const xml = await namecheap({ Command: 'namecheap.users.getPricing', ProductType: 'DOMAIN', ActionName: 'REACTIVATE', ProductName: 'FR' });
  assert.match(xml, /<ApiResponse [^>]*Status="OK"/);
  assert.match(
    xml,
    /<UserGetPricingResult><ProductType Name="DOMAIN"><ProductCategory Name="REACTIVATE"><Product Name="fr"><Price Duration="1" DurationType="YEAR" Price="\d+\.\d\d" RegularPrice="\d+\.\d\d" YourPrice="\d+\.\d\d" CouponPrice="" Currency="USD" \/>/,
  );
  assert.ok(!/ProductCategory Name="RENEW"/.test(xml), 'ActionName narrows the answer');
  const bads: Record<string, string>[] = [
    { ProductType: 'HOSTING' },
    { ProductType: 'DOMAIN', ActionName: 'RESTORE' },
    { ProductType: 'DOMAIN', ProductName: 'nope' },
    {},
  ];
  for (const bad of bads) {
    const refused = await namecheap({ Command: 'namecheap.users.getPricing', ...bad });
    assert.match(refused, /Status="ERROR"/, JSON.stringify(bad));
  }
});

test('the sandbox reactivates an expired name within its grace at the regular rate, in redemption at the restore price, and not after', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale: 'en' } });
  const { domain } = await sys.db.selectFrom('orders').select('domain').where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  const registrar = direct();
  const reactivated = (days: number) => {
    sys.sandbox!.registry.setExpiry(domain, new Date(Date.now() - days * DAY));
    return registrar.reactivate(domain, 1);
  };
  const regular = await reactivated(5);
  const restore = await reactivated(40);
  assert.ok(restore.chargedAmountCents! > regular.chargedAmountCents!, `${restore.chargedAmountCents} > ${regular.chargedAmountCents}`);
  assert.equal(restore.chargedAmountCents, (await registrar.reactivatePrice(domain)).cents);
  const gone = await reactivated(61).then(
    () => assert.fail('reactivated after redemption'),
    (e: unknown) => e,
  );
  assert.ok(gone instanceof ProviderError, String(gone));
  // not expired yet: renew, not reactivate
  const early = await reactivated(-10).then(
    () => assert.fail('reactivated before expiry'),
    (e: unknown) => e,
  );
  assert.ok(early instanceof ProviderError);
});
