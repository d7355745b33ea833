// Leaving with the domain and updating the holder from the customer's space, over real HTTP against the sandbox
// registrar: the lock removed once however often the request comes, automatic renewal off, the transfer code left to
// the registrar; the holder's address and phone written to the registrant contact, a change of holder and bad fields
// refused with nothing changed; another customer's domain and a stale CSRF token refused; and, once the name leaves the
// account, the order records it, its monitor stops, nothing renews and the customer is told. ICANN's 60-day wait: a
// .com inside it is refused with the date (from its registration, then from a change of registrant), a .fr has none;
// a renewal paid after the name left is refunded once, its invoice credited and the customer told.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { signIn } from '../support/account.ts';
import { runDomainChecks } from '../../src/monitoring/sites.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { renewAtRegistrar } from '../../src/workflow/renewals/register.ts';
import { refundDepartedRenewal, runRenewalRefund } from '../../src/workflow/renewals/departed.ts';
import { renewalDayCounts } from '../../src/monitoring/renewals.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';
import { distinctRequests } from '../../src/sandbox/ledger.ts';

let sys: TestSystem;
let nextAddress = 4000;
const from = () => clientAddress(nextAddress++);

interface Customer {
  orderId: string;
  email: string;
  domain: string;
  session: { cookie: string; csrfToken: string };
}

async function delivered(tld: 'fr' | 'com', locale: 'fr' | 'en'): Promise<Customer> {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale, tld } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const o = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  return { orderId: r.body.orderId, email: o.email, domain: o.domain, session: await signIn(sys, o.email, from()) };
}

let com: Customer;
let fr: Customer;
let lost: Customer;

const DAY_MS = 86_400_000;
/** The sandbox registrar's clock moved for one name: registered `days` ago. */
const registeredDaysAgo = (c: Customer, days: number) => sys.sandbox!.registry.setCreated(c.domain, new Date(Date.now() - days * DAY_MS));

before(async () => {
  // retries at a test's pace: a lost answer is retried in a fraction of a second, not after the production backoff
  sys = await startTestSystem({ RATE_LIMITS: 'account_change:500,account:500', RETRY_BASE_MS: '100', RETRY_MAX_MS: '400' });
  com = await delivered('com', 'en');
  fr = await delivered('fr', 'fr');
  lost = await delivered('com', 'fr');
  // past ICANN's 60 days after registration: these two may leave
  registeredDaysAgo(com, 61);
  registeredDaysAgo(lost, 61);
});
after(async () => sys?.stop());

const call = (c: Customer, method: string, path: string, body?: object, s = c.session) =>
  send(sys.url!, { method, path, body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } }, from());
const transfer = (c: Customer, s = c.session) => call(c, 'POST', `/api/account/domains/${c.domain}/transfer`, undefined, s);
const registration = (c: Customer) => sys.sandbox!.registry.get(c.domain)!;
const callsOf = async (c: Customer, operation: string) =>
  Number(
    (
      await sys.db
        .selectFrom('provider_calls')
        .select(sys.db.fn.countAll<string>().as('n'))
        .where('order_id', '=', c.orderId)
        .where('operation', '=', operation)
        .executeTakeFirstOrThrow()
    ).n,
  );
const eventsOf = async (c: Customer, type: string) =>
  (await sys.db.selectFrom('order_events').select('id').where('order_id', '=', c.orderId).where('type', '=', type).execute()).length;
const mailsOf = async (c: Customer, kind: string) =>
  (await sys.db.selectFrom('outbox_emails').select('id').where('order_id', '=', c.orderId).where('kind', '=', kind).execute()).length;
const storedHolder = async (c: Customer) =>
  (await sys.db.selectFrom('order_holders').select('holder').where('order_id', '=', c.orderId).executeTakeFirstOrThrow()).holder as Record<string, string>;

test('transfer out of a .com: the lock comes off once however often it is asked; auto-renewal off; the code is left to the registrar', async () => {
  assert.equal(registration(com).locked, undefined, 'locked since its purchase');
  const first = await transfer(com);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.state, 'requested');
  assert.equal(first.json.lock, 'removed');
  assert.equal(first.json.codeSentTo, com.email, 'the registrant’s email: the demo holder has the order’s');
  assert.equal(registration(com).locked, false);
  const again = await transfer(com);
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, first.json);
  assert.equal(await callsOf(com, 'domains.setRegistrarLock'), 1);
  assert.equal(await callsOf(com, 'domains.getRegistrarLock'), 1, 'the second request reads what was recorded');
  assert.equal(await eventsOf(com, 'transfer_requested'), 1);
  assert.equal(await mailsOf(com, 'transfer_requested'), 1);
  assert.equal(await mailsOf(com, 'transfer_code_request'), 1, 'the operator is asked to have Namecheap send the code');
  const plan = await sys.db.selectFrom('renewals').select(['auto_renew', 'state']).where('order_id', '=', com.orderId).executeTakeFirstOrThrow();
  assert.deepEqual(plan, { auto_renew: false, state: 'scheduled' });
  const space = await call(com, 'GET', '/api/account');
  const row = space.json.orders.find((o: { domain: string }) => o.domain === com.domain);
  assert.equal(row.transfer.state, 'requested');
  assert.equal(row.dnsManaged, true, 'the domain is still ours until it leaves');
});

test('a lock removed by a request whose answer was lost is not removed again: the retry reads it off and records the request', async () => {
  // the first request's setRegistrarLock reached Namecheap, its answer did not reach us
  sys.sandbox!.registry.setLock(lost.domain, false);
  const r = await transfer(lost);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lock, 'removed');
  assert.equal(await callsOf(lost, 'domains.setRegistrarLock'), 0);
  assert.equal(await eventsOf(lost, 'transfer_requested'), 1);
});

test('a .fr name has no registrar lock: nothing is asked of the registrar, the request is recorded as such', async () => {
  const r = await transfer(fr);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lock, 'none');
  assert.equal(await callsOf(fr, 'domains.getRegistrarLock'), 0);
  assert.equal(await callsOf(fr, 'domains.setRegistrarLock'), 0);
  const mail = await sys.db
    .selectFrom('outbox_emails')
    .select(['subject', 'text_body'])
    .where('order_id', '=', fr.orderId)
    .where('kind', '=', 'transfer_requested')
    .executeTakeFirstOrThrow();
  assert.match(mail.subject, /^Transfert de /);
  assert.match(mail.text_body, /n’a pas de verrou de transfert/);
});

const overviewRow = async (c: Customer) =>
  (await call(c, 'GET', '/api/account')).json.orders.find((o: { domain: string }) => o.domain === c.domain) as { transferableFrom: string | null };

test('a .com within 60 days of its registration: 409 transfer_too_soon with the date, nothing unlocked; past them it goes', async () => {
  const young = await delivered('com', 'fr');
  // the space shows the date instead of the button: 60 days from our registration
  const shown = (await overviewRow(young)).transferableFrom;
  assert.ok(shown, 'a date while the wait runs');
  assert.ok(Math.abs(Date.parse(shown) - (Date.now() + 60 * DAY_MS)) < DAY_MS, shown);
  // the registrar registered it 10 days ago (its clock moved): the wait counts from its Created date
  registeredDaysAgo(young, 10);
  const created = new Date(`${registration(young).createdAt.slice(0, 10)}T00:00:00Z`);
  const expected = new Date(created.getTime() + 60 * DAY_MS).toISOString();
  const inFrench = await call(young, 'POST', `/api/account/domains/${young.domain}/transfer?lang=fr`);
  assert.equal(inFrench.status, 409, inFrench.text);
  assert.equal(inFrench.json.code, 'transfer_too_soon');
  assert.equal(inFrench.json.transferableFrom, expected);
  const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(new Date(expected));
  assert.match(inFrench.json.message, new RegExp(`possible à partir du ${day}`));
  const en = await call(young, 'POST', `/api/account/domains/${young.domain}/transfer?lang=en`);
  assert.equal(en.status, 409);
  assert.match(en.json.message, /cannot change registrar yet: .* possible from \d{1,2} [A-Z][a-z]+ \d{4}\.$/);
  // nothing unlocked, recorded or turned off
  assert.equal(registration(young).locked, undefined);
  assert.equal(await callsOf(young, 'domains.setRegistrarLock'), 0);
  assert.equal(await callsOf(young, 'domains.getRegistrarLock'), 0);
  assert.equal(await sys.db.selectFrom('domain_transfers').select('order_id').where('order_id', '=', young.orderId).executeTakeFirst(), undefined);
  assert.equal(await eventsOf(young, 'transfer_requested'), 0);
  assert.equal((await sys.db.selectFrom('renewals').select('auto_renew').where('order_id', '=', young.orderId).executeTakeFirstOrThrow()).auto_renew, true);
  // the space now shows the registrar's date
  assert.equal((await overviewRow(young)).transferableFrom, expected);
  // 61 days on, the same request unlocks it
  registeredDaysAgo(young, 61);
  const later = await transfer(young);
  assert.equal(later.status, 200, later.text);
  assert.equal(later.json.lock, 'removed');
  assert.equal(registration(young).locked, false);
});

test('a .fr has no waiting period (AFNIC sets none): no date in the space, and a name delivered today may leave', async () => {
  const row = (await call(fr, 'GET', '/api/account')).json.orders.find((o: { domain: string }) => o.domain === fr.domain);
  assert.equal(row.transferableFrom, null);
  assert.equal(row.transfer.state, 'requested', 'the .fr delivered today was let go above');
});

test('a gTLD registrant email changed from the space: a change of registrant, recorded with its date; the transfer waits 60 days from it', async () => {
  const mover = await delivered('com', 'en');
  registeredDaysAgo(mover, 200);
  const current = await storedHolder(mover);
  const r = await call(mover, 'PUT', `/api/account/domains/${mover.domain}/holder`, { holder: { ...current, email: `nouveau-${mover.email}` } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.changeOfRegistrant, true);
  assert.ok(Math.abs(Date.parse(r.json.transferableFrom) - (Date.now() + 60 * DAY_MS)) < 60_000, r.json.transferableFrom);
  assert.equal(registration(mover).contacts!.Registrant!.EmailAddress, `nouveau-${mover.email}`);
  const window = await sys.db.selectFrom('transfer_windows').selectAll().where('order_id', '=', mover.orderId).executeTakeFirstOrThrow();
  assert.ok(window.registrant_changed_at);
  assert.equal(await eventsOf(mover, 'registrant_changed'), 1);
  assert.equal((await overviewRow(mover)).transferableFrom, r.json.transferableFrom);
  // registered 200 days ago, but changed today: refused until 60 days after the change
  const refused = await transfer(mover);
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.transferableFrom, r.json.transferableFrom);
  assert.equal(registration(mover).locked, undefined);
  // an address change is no change of registrant: nothing more recorded
  const address = await call(mover, 'PUT', `/api/account/domains/${mover.domain}/holder`, { holder: { ...r.json.holder, city: 'Lyon', postalCode: '69001' } });
  assert.equal(address.status, 200, address.text);
  assert.equal(address.json.changeOfRegistrant, false);
  assert.equal(await eventsOf(mover, 'registrant_changed'), 1);
  // the change 61 days old (our clock moved): the name may leave
  await sql`update transfer_windows set registrant_changed_at = now() - interval '61 days' where order_id = ${mover.orderId}`.execute(sys.db);
  assert.equal((await transfer(mover)).status, 200);
});

test('another customer’s domain is 404, a stale CSRF token 403, no session 401: nothing is unlocked or recorded', async () => {
  const other = await delivered('com', 'en');
  const theirs = await call(com, 'POST', `/api/account/domains/${other.domain}/transfer`);
  assert.equal(theirs.status, 404);
  assert.equal(theirs.json.code, 'account_domain_not_found');
  const stale = await transfer(other, { cookie: other.session.cookie, csrfToken: com.session.csrfToken });
  assert.equal(stale.status, 403);
  assert.equal(stale.json.code, 'csrf_mismatch');
  const none = await send(sys.url!, { method: 'POST', path: `/api/account/domains/${other.domain}/transfer` }, from());
  assert.equal(none.status, 401);
  assert.equal(registration(other).locked, undefined);
  assert.equal(await sys.db.selectFrom('domain_transfers').select('order_id').where('order_id', '=', other.orderId).executeTakeFirst(), undefined);
  const holder = await call(com, 'PUT', `/api/account/domains/${other.domain}/holder`, { holder: { ...(await storedHolder(other)), phone: '+33.100000000' } });
  assert.equal(holder.status, 404);
});

test('the holder’s new address and phone reach the registrar’s registrant contact; admin, tech and billing stay the operator’s', async () => {
  const before = structuredClone(registration(lost).contacts!);
  const current = (await call(lost, 'GET', `/api/account/domains/${lost.domain}/holder`)).json.holder;
  assert.equal(current.organization, 'Boulangerie Démo SARL');
  const r = await call(lost, 'PUT', `/api/account/domains/${lost.domain}/holder`, {
    holder: { ...current, address1: '3 place Bellecour', postalCode: '69002', phone: '+33.478000000' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.holder.address1, '3 place Bellecour');
  assert.equal(r.json.changeOfRegistrant, false);
  const after = registration(lost).contacts!;
  assert.equal(after.Registrant!.Address1, '3 place Bellecour');
  assert.equal(after.Registrant!.Phone, '+33.478000000');
  assert.deepEqual([after.Tech, after.Admin, after.AuxBilling], [before.Tech, before.Admin, before.AuxBilling]);
  assert.equal((await storedHolder(lost)).address1, '3 place Bellecour');
  assert.equal(await eventsOf(lost, 'holder_updated'), 1);
});

test('bad fields and a change of holder are 422 naming each field; neither the registrar nor the order changes', async () => {
  const current = await storedHolder(fr);
  const registrant = JSON.stringify(registration(fr).contacts);
  const put = (holder: object) => call(fr, 'PUT', `/api/account/domains/${fr.domain}/holder?lang=fr`, { holder });
  const bad = await put({ ...current, phone: '0612345678', country: 'XX', address1: '' });
  assert.equal(bad.status, 422);
  const fields = bad.json.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`).sort();
  assert.deepEqual(fields, ['holder.address1:field_required', 'holder.country:holder_country_invalid', 'holder.phone:holder_phone_invalid']);
  const other = await put({ ...current, lastName: 'Dupont', organization: 'Autre Société SAS' });
  assert.equal(other.status, 422);
  assert.deepEqual(other.json.fields.map((f: { field: string }) => f.field).sort(), ['holder.lastName', 'holder.organization']);
  assert.equal(other.json.fields[0].code, 'holder_change_not_allowed');
  assert.match(other.json.fields[0].message, /changement de titulaire/);
  const abroad = await put({ ...current, country: 'US', phone: '+1.2125550100' });
  assert.equal(abroad.status, 422);
  assert.equal(abroad.json.fields[0].code, 'holder_country_not_eligible');
  assert.equal(JSON.stringify(registration(fr).contacts), registrant);
  assert.deepEqual(await storedHolder(fr), current);
  assert.equal(await callsOf(fr, 'domains.setContacts'), 0);
});

test('once the name leaves the account: transferred_out recorded, monitor stopped, renewals over (no charge), the customer told', async () => {
  sys.sandbox!.namecheap.transferOut(com.domain);
  await runDomainChecks(sys.deps, { restart: true });
  const t = await sys.db.selectFrom('domain_transfers').selectAll().where('order_id', '=', com.orderId).executeTakeFirstOrThrow();
  assert.equal(t.state, 'completed');
  assert.ok(t.completed_at);
  const monitor = await sys.db.selectFrom('monitors').select(['enabled', 'disabled_reason']).where('order_id', '=', com.orderId).executeTakeFirstOrThrow();
  assert.deepEqual(monitor, { enabled: false, disabled_reason: 'domain_left' });
  assert.equal(await eventsOf(com, 'transferred_out'), 1);
  const mail = await sys.db
    .selectFrom('outbox_emails')
    .select('subject')
    .where('order_id', '=', com.orderId)
    .where('kind', '=', 'transferred_out')
    .executeTakeFirstOrThrow();
  assert.equal(mail.subject, `${com.domain} has left our registrar`);
  // the charge date comes and goes, even with auto-renewal switched back on in the database: nothing is charged
  await sql`update renewals set auto_renew = true, charge_at = now() - interval '1 day', expires_at = now() + interval '10 days' where order_id = ${com.orderId}`.execute(
    sys.db,
  );
  await runRenewalScan(sys.deps);
  assert.equal((await sys.db.selectFrom('renewal_attempts').select('id').where('order_id', '=', com.orderId).execute()).length, 0);
  assert.equal(await eventsOf(com, 'renewal_reminder'), 0);
  assert.equal((await sys.db.selectFrom('renewals').select('state').where('order_id', '=', com.orderId).executeTakeFirstOrThrow()).state, 'gone');
  // a second walk records nothing twice
  await runDomainChecks(sys.deps, { restart: true });
  assert.equal(await mailsOf(com, 'transferred_out'), 1);
  const space = await call(com, 'GET', '/api/account');
  const row = space.json.orders.find((o: { domain: string }) => o.domain === com.domain);
  assert.equal(row.transfer.state, 'completed');
  assert.equal(row.dnsManaged, false);
  assert.equal((await call(com, 'GET', `/api/account/domains/${com.domain}/dns`)).status, 404, 'no longer ours to manage');
});

test('a renewal paid after the name left is refunded once: its invoice credited, the customer told; the jobs run again change nothing', {
  timeout: 120_000,
}, async () => {
  const departed = await delivered('fr', 'en');
  await eventually(
    async () => (await sys.db.selectFrom('renewals').select('card_last4').where('order_id', '=', departed.orderId).executeTakeFirst())?.card_last4,
  );
  // the name leaves with a code the registrar sent (a .fr has no lock and no wait); the expiry walk has not seen it yet
  sys.sandbox!.namecheap.transferOut(departed.domain);
  await moveExpiry(sys.deps, sys.sandbox!.registry, departed.orderId, 29);
  await runRenewalScan(sys.deps);
  const attempt = await eventually(
    async () => (await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', departed.orderId).executeTakeFirst()) ?? undefined,
  );
  const refunded = await eventually(
    async () =>
      (await sys.db.selectFrom('renewal_attempts').selectAll().where('id', '=', attempt.id).where('refunded_at', 'is not', null).executeTakeFirst()) ??
      undefined,
    30_000,
  );
  assert.equal(refunded.state, 'lost');
  assert.ok(refunded.payment_ref);
  assert.equal(sys.sandbox!.namecheap.account.renewals.filter((r) => r.domain === departed.domain).length, 0, 'nothing renewed');
  assert.equal(
    (await sys.db.selectFrom('domain_transfers').select('state').where('order_id', '=', departed.orderId).executeTakeFirstOrThrow()).state,
    'completed',
  );
  // Stripe refunded the renewal's payment once, in full
  const books = sys.sandbox!.stripe.ledger.byTarget('refunds.create').get(refunded.payment_ref!) ?? [];
  assert.equal(distinctRequests(books), 1);
  assert.deepEqual(
    books.map((b) => [b.key, b.outcome]),
    [[`renewal-refund:${attempt.id}`, 'done']],
  );
  // the renewal's invoice credited in full; the first invoice untouched
  const docs = await sys.db.selectFrom('invoices').selectAll().where('order_id', '=', departed.orderId).orderBy('seq').execute();
  const renewalInvoice = docs.find((d) => d.kind === 'invoice' && d.payment_ref === refunded.payment_ref)!;
  assert.ok(renewalInvoice, 'the renewal was invoiced when paid');
  const notes = docs.filter((d) => d.kind === 'credit_note');
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.invoice_id, renewalInvoice.id);
  assert.equal(notes[0]!.total_incl_vat_cents, renewalInvoice.total_incl_vat_cents);
  assert.equal(notes[0]!.payment_ref, refunded.refund_ref);
  // told once, in the timeline and by email
  assert.equal(await eventsOf(departed, 'transferred_out'), 1);
  assert.equal(await eventsOf(departed, 'renewal_refund_requested'), 1);
  assert.equal(await eventsOf(departed, 'renewal_refunded'), 1);
  const mail = await sys.db
    .selectFrom('outbox_emails')
    .select(['subject', 'text_body'])
    .where('order_id', '=', departed.orderId)
    .where('kind', '=', 'renewal_refunded')
    .execute();
  assert.equal(mail.length, 1);
  assert.equal(mail[0]!.subject, `Renewal of ${departed.domain} refunded`);
  assert.match(mail[0]!.text_body, new RegExp(`credit note cancels invoice ${renewalInvoice.number}`));
  // the jobs run again (a retry, a replay): nothing asked or refunded twice
  assert.equal(await renewAtRegistrar(sys.deps, attempt.id), 'not_paid');
  assert.equal(await refundDepartedRenewal(sys.deps, attempt.id), false);
  assert.equal(await runRenewalRefund(sys.deps, attempt.id), 'already');
  assert.equal(distinctRequests(sys.sandbox!.stripe.ledger.byTarget('refunds.create').get(refunded.payment_ref!) ?? []), 1);
  assert.equal(
    (await sys.db.selectFrom('invoices').select('id').where('order_id', '=', departed.orderId).where('kind', '=', 'credit_note').execute()).length,
    1,
  );
  assert.equal(await eventsOf(departed, 'renewal_refunded'), 1);
  assert.equal(await mailsOf(departed, 'renewal_refunded'), 1);
});

test('the refund’s answer lost (and the charge’s): the refund job retries under the same key, one refund and one credit note', {
  timeout: 120_000,
}, async () => {
  const gone = await delivered('fr', 'fr');
  await eventually(async () => (await sys.db.selectFrom('renewals').select('card_last4').where('order_id', '=', gone.orderId).executeTakeFirst())?.card_last4);
  sys.sandbox!.namecheap.transferOut(gone.domain);
  await moveExpiry(sys.deps, sys.sandbox!.registry, gone.orderId, 29);
  // every Stripe answer to a spending call is lost once the work is done: the charge's, then the refund's (its replays'
  // too, while the fault lasts); once a refund's answer was lost the fault ends and the job's next run gets it
  const faults = sys.sandbox!.stripe.faults;
  faults.set({ lostAnswerRate: 1 });
  try {
    await runRenewalScan(sys.deps);
    // a bound, not a timing: each lost answer costs the client its timeout before the retry
    await eventually(async () => (faults.lostAnswers.get('refunds.create') ?? 0) >= 1, 60_000);
  } finally {
    faults.reset();
  }
  await eventually(
    async () => (await sys.db.selectFrom('renewal_attempts').select('refunded_at').where('order_id', '=', gone.orderId).executeTakeFirst())?.refunded_at,
    60_000,
  );
  const attempt = await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', gone.orderId).executeTakeFirstOrThrow();
  const books = sys.sandbox!.stripe.ledger.byTarget('refunds.create').get(attempt.payment_ref!) ?? [];
  assert.equal(distinctRequests(books), 1, 'one refund asked, however often the job ran');
  assert.equal((await sys.db.selectFrom('invoices').select('id').where('order_id', '=', gone.orderId).where('kind', '=', 'credit_note').execute()).length, 1);
  assert.equal(await eventsOf(gone, 'renewal_refunded'), 1);
  assert.equal(await mailsOf(gone, 'renewal_refunded'), 1);
  const mail = await sys.db
    .selectFrom('outbox_emails')
    .select('subject')
    .where('order_id', '=', gone.orderId)
    .where('kind', '=', 'renewal_refunded')
    .executeTakeFirstOrThrow();
  assert.equal(mail.subject, `Renouvellement de ${gone.domain} remboursé`);
});

test('the daily report counts the renewals refunded because their domain left, beside those paid', async () => {
  const day = await renewalDayCounts(sys.db, new Date(Date.now() - 86_400_000), new Date(Date.now() + 60_000));
  const events = async (type: string) =>
    Number(
      (
        await sys.db
          .selectFrom('order_events')
          .select((e) => e.fn.countAll<string>().as('n'))
          .where('type', '=', type)
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.ok((await events('renewal_refunded')) >= 1, 'the tests above refunded a departed renewal');
  assert.equal(day.refunded, await events('renewal_refunded'));
  assert.equal(day.paid, await events('renewal_paid'));
});

test('the console lists the transfers out: requested ones (the auth code to have sent) and completed ones', async () => {
  const r = await sys.api('/api/admin/renewals', { headers: { authorization: `Bearer ${sys.config.ADMIN_TOKEN}` } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const byDomain = new Map(r.body.transfers.map((t: { domain: string; state: string; lock: string | null }) => [t.domain, `${t.state}/${t.lock}`]));
  assert.equal(byDomain.get(com.domain), 'completed/removed');
  assert.equal(byDomain.get(fr.domain), 'requested/none');
  assert.equal(byDomain.get(lost.domain), 'requested/removed');
  // com asked and left; the two departed .fr names left without asking (no lock of ours to remove)
  assert.equal(r.body.transfersOut, 3);
  assert.equal(r.body.transfersRequested, 4, 'fr, lost, and the two .com names let go once their wait was over');
});
