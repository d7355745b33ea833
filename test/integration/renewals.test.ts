// The year after delivery, over the sandbox world: the card saved at the first payment, reminders once each, the
// off-session charge once (retries, lost answers), the registrar's renewal once (its answer lost: the expiry is read
// before renewing again), a declined card into dunning then paid by link, auto-renewal off then on, and an unpaid expiry
// into the grace period's notice page, then removal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, eventually, visitSite, type TestSystem } from '../support/system.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { renewAtRegistrar } from '../../src/workflow/renewals/register.ts';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '3', RENEWAL_SCAN_SECONDS: '86400', RATE_LIMITS: 'demo:60' });
});
after(async () => sys?.stop());

interface Delivered {
  orderId: string;
  token: string;
  email: string;
  domain: string;
}

async function delivered(locale: 'fr' | 'en' = 'fr'): Promise<Delivered> {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const o = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  // the card the first payment saved is recorded by its own job
  await eventually(() => plan(r.body.orderId).then((p) => p.card_last4 === '4242'));
  return { orderId: r.body.orderId, token: r.body.trackingToken, email: o.email, domain: o.domain };
}

const plan = (orderId: string) => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const attempts = (orderId: string) => sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).execute();
const mailsTo = (email: string) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email));
const renewalsOf = (domain: string) => sys.sandbox!.namecheap.account.renewals.filter((r) => r.domain === domain);
const events = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute()).map((e) => e.type);
/** Stripe's record of the successful off-session charges of an order */
const chargesOf = (orderId: string) =>
  sys
    .sandbox!.stripe.events()
    .filter((e) => e.event.type === 'payment_intent.succeeded' && (e.event.data.object as { metadata: Record<string, string> }).metadata.orderId === orderId);
const registryExpiry = (domain: string) => sys.sandbox!.registry.get(domain)!.expiresAt;

test('delivery plans the renewal: expiry a year on, next year’s price, the card saved with consent', async () => {
  const o = await delivered();
  const p = await plan(o.orderId);
  assert.equal(p.state, 'scheduled');
  assert.equal(p.auto_renew, true);
  assert.ok(p.consent_at && p.consent_version);
  assert.match(p.customer_ref ?? '', /^cus_/);
  assert.match(p.payment_method_ref ?? '', /^pm_/);
  assert.equal(p.price_cents, sys.config.TLD_PRICES.fr! + sys.config.RENEWAL_SERVICE_CENTS);
  const days = (p.expires_at!.getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 360 && days < 367, String(days));
  assert.equal(Math.round((p.expires_at!.getTime() - p.charge_at!.getTime()) / 86_400_000), 30);
  const status = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: true } });
  assert.equal(status.status, 200);
  assert.deepEqual(status.body.savedPaymentMethod, { brand: 'visa', last4: '4242' });
});

test('reminders go once each, the latest due only; the charge at 30 days renews once, invoiced and told', async () => {
  const o = await delivered('en');
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 45);
  const first = await runRenewalScan(sys.deps);
  assert.ok(first.reminders >= 1);
  const again = await runRenewalScan(sys.deps);
  assert.equal(again.reminders, 0, 'a reminder is sent once');
  assert.equal((await plan(o.orderId)).reminded_days, 60);
  const reminder = await eventually(async () => mailsTo(o.email).find((m) => /Renewal of/.test(m.subject)));
  assert.match(reminder.text, /we will charge/);

  // 29 days before: the 30-day reminder and the charge
  const before = registryExpiry(o.domain);
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 29);
  const expiryBefore = registryExpiry(o.domain);
  assert.notEqual(before, expiryBefore);
  const scan = await runRenewalScan(sys.deps);
  assert.ok(scan.charges >= 1);
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 20_000);
  assert.equal(chargesOf(o.orderId).length, 1, 'charged once');
  assert.equal(renewalsOf(o.domain).length, 1, 'renewed once');
  const p = await plan(o.orderId);
  assert.equal(p.state, 'scheduled');
  assert.equal(p.expires_at!.toISOString().slice(0, 10), registryExpiry(o.domain).slice(0, 10));
  const newYear = new Date(expiryBefore);
  newYear.setUTCFullYear(newYear.getUTCFullYear() + 1);
  assert.equal(registryExpiry(o.domain).slice(0, 10), newYear.toISOString().slice(0, 10));
  const monitor = await sys.db.selectFrom('monitors').select('domain_expires_at').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.equal(monitor.domain_expires_at?.toISOString(), p.expires_at!.toISOString());
  await eventually(async () => mailsTo(o.email).find((m) => /is renewed for one year/.test(m.subject)));
  const timeline = await events(o.orderId);
  for (const t of ['renewal_scheduled', 'renewal_method_saved', 'renewal_reminder', 'renewal_charge_started', 'renewal_paid', 'renewal_renewed']) {
    assert.ok(timeline.includes(t), `${t} in ${timeline.join(', ')}`);
  }
  // nothing more to do this year, however often the scan runs
  const later = await runRenewalScan(sys.deps);
  assert.equal(later.charges, 0);
  assert.equal(chargesOf(o.orderId).length, 1);
});

test('lost answers: the charge and the registrar renewal happen once each', { timeout: 120_000 }, async () => {
  const o = await delivered();
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 20);
  // every spending call's answer is lost once the work is done (Stripe's PaymentIntent, Namecheap's renew)
  sys.sandbox!.stripe.faults.set({ lostAnswerRate: 1 });
  sys.sandbox!.namecheap.faults.set({ lostAnswerRate: 1 });
  try {
    await runRenewalScan(sys.deps);
    // a bound, not a timing: each lost answer costs the provider client its timeout before the retry that finds the work done
    await eventually(async () => renewalsOf(o.domain).length >= 1 && chargesOf(o.orderId).length >= 1, 60_000);
  } finally {
    sys.sandbox!.stripe.faults.reset();
    sys.sandbox!.namecheap.faults.reset();
  }
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 30_000);
  assert.equal(chargesOf(o.orderId).length, 1, 'charged once');
  assert.equal(renewalsOf(o.domain).length, 1, 'renewed once');
});

test('two runs at once (a worker frozen past its heartbeat): the second waits for the first, the domain renewed once', { timeout: 120_000 }, async () => {
  const o = await delivered();
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 20);
  let second: unknown;
  const namecheap = sys.sandbox!.namecheap;
  // as the worker's renewal reaches the registrar, the same job runs again elsewhere
  namecheap.faults.onSpending = async (call) => {
    if (call.operation !== 'domains.renew' || second !== undefined) return;
    second = 'running';
    const [attempt] = await attempts(o.orderId);
    second = await renewAtRegistrar(sys.deps, attempt!.id);
  };
  try {
    await runRenewalScan(sys.deps);
    await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 60_000);
  } finally {
    namecheap.faults.onSpending = undefined;
  }
  assert.equal(typeof second, 'object', `the second run comes back later instead of renewing: ${JSON.stringify(second)}`);
  assert.ok((second as { inMs: number }).inMs > 0);
  assert.equal(renewalsOf(o.domain).length, 1, 'renewed once');
  // the lease is let go once the run is over
  assert.equal((await attempts(o.orderId))[0]!.registering_until, null);
});

test('a declined card: dunning with a fresh link, paid by the customer, renewed once', async () => {
  const o = await delivered('en');
  const p = await plan(o.orderId);
  // the saved card now refuses off-session charges (Stripe's 4000 0000 0000 0341)
  sys.sandbox!.stripe.vault.swapCard(p.payment_method_ref!, '4000000000000341');
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 25);
  await runRenewalScan(sys.deps);
  const declined = await eventually(async () => (await attempts(o.orderId)).find((a) => a.state === 'declined' && a.link_ref));
  assert.equal(declined.decline_code, 'generic_decline');
  assert.equal((await plan(o.orderId)).state, 'dunning');
  const mail = await eventually(async () => mailsTo(o.email).find((m) => /Action needed/.test(m.subject)));
  assert.match(mail.text, /declined/);
  assert.ok(mail.html.includes(declined.link_url!.replace(/&/g, '&amp;')));
  assert.equal(renewalsOf(o.domain).length, 0, 'never renewed without payment');
  // the next dunning round comes after the spacing, not at every scan
  assert.equal((await runRenewalScan(sys.deps)).links, 0);
  sys.sandbox!.stripe.pay(declined.link_ref!);
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 20_000);
  assert.equal(renewalsOf(o.domain).length, 1);
  assert.equal((await plan(o.orderId)).state, 'scheduled');
  assert.ok((await events(o.orderId)).includes('renewal_declined'));
});

test('auto-renewal off: nothing charged, the reminder says so; expiry → notice page, payable; grace over → removed', async () => {
  const o = await delivered();
  const off = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: false } });
  assert.equal(off.status, 200);
  assert.equal(off.body.autoRenew, false);
  assert.equal(off.body.date, null);
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, 6);
  const scan = await runRenewalScan(sys.deps);
  assert.equal((await attempts(o.orderId)).length, 0, 'nothing charged');
  assert.ok(scan.reminders >= 1);
  const reminder = await eventually(async () => mailsTo(o.email).find((m) => /Renouvellement de/.test(m.subject)));
  assert.match(reminder.text, /désactivé/);

  // expired: the site shows the notice page, a payment link goes out
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, -1);
  await runRenewalScan(sys.deps);
  assert.equal((await plan(o.orderId)).state, 'grace');
  await eventually(async () => (await events(o.orderId)).includes('renewal_grace'), 20_000);
  const page = await eventually(async () => {
    const r = await visitSite(sys, o.domain).catch(() => undefined);
    return r && /renouvellement en attente/.test(r.text) ? r : undefined;
  }, 20_000);
  assert.match(page.text, /Renouveler/);
  await eventually(async () => mailsTo(o.email).find((m) => /Action requise/.test(m.subject) && /expiré/.test(m.text)), 20_000);

  // the grace period ends unpaid: hosting removed, monitor stopped, told
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, -(sys.config.RENEWAL_GRACE_DAYS + 1));
  await runRenewalScan(sys.deps);
  assert.equal((await plan(o.orderId)).state, 'lost');
  await eventually(async () => (await events(o.orderId)).includes('renewal_lost'), 20_000);
  const monitor = await sys.db.selectFrom('monitors').select('enabled').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.equal(monitor.enabled, false);
  await eventually(async () => mailsTo(o.email).find((m) => /n’a pas été renouvelé/.test(m.subject)));
  assert.equal(renewalsOf(o.domain).length, 0);
  // lost: the switch is refused, nothing changes
  const on = await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: true } });
  assert.equal(on.status, 409);
  assert.equal(on.body.code, 'renewal_closed');
});

test('paid during the grace period: reactivated once, the site back', async () => {
  const o = await delivered('en');
  await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: false } });
  await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, -2);
  await runRenewalScan(sys.deps);
  const a = await eventually(async () => (await attempts(o.orderId)).find((x) => x.link_ref));
  await eventually(async () => (await events(o.orderId)).includes('renewal_grace'), 20_000);
  sys.sandbox!.stripe.pay(a.link_ref!);
  await eventually(async () => (await attempts(o.orderId))[0]?.state === 'renewed', 20_000);
  const made = renewalsOf(o.domain);
  assert.deepEqual(
    made.map((r) => r.command),
    ['reactivate'],
  );
  await eventually(async () => (await events(o.orderId)).includes('renewal_restored'), 20_000);
  const site = await eventually(async () => {
    const r = await visitSite(sys, o.domain).catch(() => undefined);
    return r && !/renewal pending/.test(r.text) && r.status === 200 ? r : undefined;
  }, 20_000);
  assert.ok(site);
  assert.equal((await plan(o.orderId)).state, 'scheduled');
});

test('the notice page while the host takes its time: the grace job comes back to look at its deploy (no worker held), then the page is up', {
  timeout: 90_000,
}, async () => {
  const o = await delivered();
  await sys.api(`/api/concierge/status/${o.token}/auto-renew`, { body: { on: false } });
  const netlify = sys.sandbox!.netlify;
  netlify.setProcessingTime(3_000);
  try {
    await moveExpiry(sys.deps, sys.sandbox!.registry, o.orderId, -1);
    await runRenewalScan(sys.deps);
    // while the host processes the notice page, the job waits in the queue with the deploy it started, unlocked
    const waiting = await eventually(async () => {
      const { rows } = await sql<{ payload: { deploy?: { id: string } }; locked_at: Date | null }>`
        select payload, locked_at from graphile_worker._private_jobs where key = ${`renewal-grace:${o.orderId}`}`.execute(sys.db);
      return rows[0]?.payload.deploy && rows[0].locked_at === null ? rows[0] : undefined;
    }, 15_000);
    assert.match(waiting.payload.deploy!.id, /\S/);
    assert.ok(!(await events(o.orderId)).includes('renewal_grace'), 'not told before the host says ready');
  } finally {
    netlify.setProcessingTime(25);
  }
  await eventually(async () => (await events(o.orderId)).includes('renewal_grace'), 20_000);
  const page = await eventually(async () => {
    const r = await visitSite(sys, o.domain).catch(() => undefined);
    return r && /renouvellement en attente/.test(r.text) ? r : undefined;
  }, 20_000);
  assert.ok(page);
});

test('bad input to the switch: a clear error, nothing changed', async () => {
  const r = await sys.api('/api/concierge/status/unknown-token/auto-renew', { body: { on: false } });
  assert.equal(r.status, 404);
  assert.equal(r.body.code, 'order_not_found');
  const bad = await sys.api('/api/concierge/status/unknown-token/auto-renew', { body: { on: 'yes' } });
  assert.equal(bad.status, 422);
});

test('the demo: renewal and renewal_declined tell their whole story in the timeline', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'renewal', timeoutSeconds: 90, locale: 'en' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const messages = (r.body.timeline as { message: string }[]).map((e) => e.message).join('\n');
  for (const m of [/Payment method saved/, /Reminder: the domain expires in 30 days/, /Renewal paid/, /Domain renewed at the registrar/])
    assert.match(messages, m);
  const d = await sys.api('/api/test/concierge/demo', { body: { scenario: 'renewal_declined', timeoutSeconds: 90, locale: 'fr' } });
  assert.equal(d.status, 200, JSON.stringify(d.body));
  const fr = (d.body.timeline as { message: string }[]).map((e) => e.message).join('\n');
  for (const m of [/Paiement du renouvellement refusé/, /Lien de paiement du renouvellement envoyé/, /Renouvellement payé/, /Domaine renouvelé/])
    assert.match(fr, m);
  assert.equal(renewalsOf(d.body.domain).length, 1);
});

test('PayPal: no saved card, the renewal is paid by an emailed link, captured once, renewed once', async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale: 'en', paymentProvider: 'paypal' } });
  assert.equal(r.body.state, 'delivered');
  const orderId = r.body.orderId as string;
  const { domain, email } = await sys.db.selectFrom('orders').select(['domain', 'email']).where('id', '=', orderId).executeTakeFirstOrThrow();
  assert.equal((await plan(orderId)).payment_method_ref, null);
  // PAYPAL_VAULT is off by default: the first order asked PayPal to save nothing, and nothing was saved
  const first = sys.sandbox!.paypal.orders().find((x) => x.purchase_units[0]?.reference_id === orderId)!;
  assert.equal(first.payment_source!.paypal.attributes, undefined);
  assert.equal(sys.sandbox!.paypal.vault.list().length, 0);
  // a day before the charge date: nothing yet
  await moveExpiry(sys.deps, sys.sandbox!.registry, orderId, sys.config.RENEWAL_CHARGE_DAYS_BEFORE + 1);
  await runRenewalScan(sys.deps);
  assert.equal((await attempts(orderId)).length, 0);
  // on the charge date (30 days before expiry): the renewal link by email, the card-less way
  await moveExpiry(sys.deps, sys.sandbox!.registry, orderId, sys.config.RENEWAL_CHARGE_DAYS_BEFORE - 1);
  await runRenewalScan(sys.deps);
  const a = await eventually(async () => (await attempts(orderId)).find((x) => x.link_ref));
  assert.equal(a.method, 'link');
  assert.equal((await plan(orderId)).state, 'dunning');
  const mail = await eventually(async () => mailsTo(email).find((m) => /Action needed: renewal of/.test(m.subject)), 20_000);
  assert.match(mail.text, /The renewal of your domain name is due\./);
  assert.ok(mail.html.includes(a.link_url!.replace(/&/g, '&amp;')), 'the PayPal link');
  sys.sandbox!.paypal.approve(a.link_ref!);
  await eventually(async () => (await attempts(orderId))[0]?.state === 'renewed', 20_000);
  assert.equal(renewalsOf(domain).length, 1);
  const captures = sys.sandbox!.paypal.orders().find((o) => o.id === a.link_ref)?.purchase_units[0]?.payments?.captures ?? [];
  assert.equal(captures.length, 1, 'captured once');
});

test('the registrar’s later expiry (renewed elsewhere) moves the plan; an earlier one never takes it back', async () => {
  const o = await delivered();
  const before = (await plan(o.orderId)).expires_at!;
  const earlier = new Date(before.getTime() - 200 * 86_400_000);
  await sys.db.updateTable('monitors').set({ domain_expires_at: earlier }).where('order_id', '=', o.orderId).execute();
  await runRenewalScan(sys.deps);
  assert.equal((await plan(o.orderId)).expires_at!.toISOString(), before.toISOString(), 'never earlier');
  const later = new Date(before.getTime() + 365 * 86_400_000);
  await sys.db.updateTable('monitors').set({ domain_expires_at: later }).where('order_id', '=', o.orderId).execute();
  const scan = await runRenewalScan(sys.deps);
  assert.ok(scan.followed >= 1);
  const p = await plan(o.orderId);
  assert.equal(p.expires_at!.toISOString(), later.toISOString());
  assert.equal(Math.round((p.expires_at!.getTime() - p.charge_at!.getTime()) / 86_400_000), 30);
});
