// Terms of sale and personal data: an order carries its acceptance (422 without it, nothing stored), the version and
// exact text accepted, its time and address, a consumer's early-start request; the pages by version with the seller;
// the export of everything tied to an address; the erasure that keeps what the law requires, idempotent and audited;
// unpaid orders erased after their retention period.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { EXAMPLE_SELLER } from '../support/seller.ts';
import { eraseExpiredData } from '../../src/legal/erasure.ts';
import { currentVersion } from '../../src/legal/texts.ts';
import { COMPANY_HOLDER, HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ ...EXAMPLE_SELLER, UNPAID_ORDER_RETENTION_DAYS: '30' });
});
after(async () => sys?.stop());

let n = 0;
const order = (over: Record<string, unknown> = {}) => {
  n++;
  return {
    businessName: `Atelier Légal ${n}`,
    email: `legal-${n}@example.org`,
    domain: `atelier-legal-${n}-${process.pid}.fr`,
    tier: 'standard',
    locale: 'fr',
    city: 'Lyon',
    holder: over.customerType === 'business' ? COMPANY_HOLDER : HOLDER,
    acceptTerms: true,
    earlyStart: true,
    ...over,
  };
};
const place = async (over: Record<string, unknown> = {}) => {
  const r = await sys.api('/api/request-concierge-service', { body: order(over) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string };
};
const counts = async () =>
  (
    await sql<Record<string, number>>`select (select count(*)::int from orders) as orders, (select count(*)::int from order_events) as events,
      (select count(*)::int from payment_links) as links, (select count(*)::int from order_consents) as consents,
      (select count(*)::int from outbox_emails) as emails`.execute(sys.db)
  ).rows[0]!;

test('an order without the terms accepted, with another version, or a consumer without the early-start request is 422 and stores nothing', async () => {
  const before = await counts();
  const checkouts = sys.sandbox!.stripe.sessions().length;
  const { acceptTerms: _, ...withoutTerms } = order();
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['no acceptTerms', withoutTerms, 'terms_not_accepted', 'acceptTerms'],
    ['acceptTerms false', order({ acceptTerms: false }), 'terms_not_accepted', 'acceptTerms'],
    ['an older version', order({ termsVersion: '2020-01-01' }), 'terms_version_outdated', 'termsVersion'],
    ['a consumer without earlyStart', order({ earlyStart: undefined }), 'early_start_required', 'earlyStart'],
    ['a consumer with earlyStart false', order({ earlyStart: false, locale: 'en' }), 'early_start_required', 'earlyStart'],
  ];
  for (const [what, body, code, field] of cases) {
    const r = await sys.api('/api/request-concierge-service', { body });
    assert.equal(r.status, 422, what);
    assert.equal(r.body.code, code, what);
    assert.equal(r.body.fields?.[0]?.field ?? r.body.field, field, what);
    assert.ok(r.body.message.length > 10, what);
  }
  const fr = await sys.api('/api/request-concierge-service', { body: withoutTerms });
  assert.equal(fr.body.message, 'Acceptez les conditions générales de vente pour commander.');
  const en = await sys.api('/api/request-concierge-service', { body: { ...withoutTerms, locale: 'en' } });
  assert.equal(en.body.message, 'Please accept the terms of sale to order.');
  assert.deepEqual(await counts(), before, 'nothing stored');
  assert.equal(sys.sandbox!.stripe.sessions().length, checkouts, 'no checkout opened');
});

test('an order stores the version accepted, its exact text, when, from where, and a consumer’s early-start request; a business has none', async () => {
  const consumer = await place();
  const business = await place({ customerType: 'business', earlyStart: undefined, locale: 'en' });
  const rows = await sys.db.selectFrom('order_consents').selectAll().where('order_id', 'in', [consumer.orderId, business.orderId]).execute();
  const c = rows.find((r) => r.order_id === consumer.orderId)!;
  const b = rows.find((r) => r.order_id === business.orderId)!;
  assert.equal(c.customer_type, 'consumer');
  assert.equal(c.terms_version, currentVersion('terms'));
  assert.match(c.client_ip ?? '', /127\.0\.0\.1|::1/);
  assert.ok(c.early_start_requested_at, 'the consumer asked for the work to start at once');
  assert.ok(Math.abs(c.accepted_at.getTime() - Date.now()) < 60_000);
  assert.equal(b.customer_type, 'business');
  assert.equal(b.early_start_requested_at, null);
  // the exact texts accepted, each in the order's language, with the seller named
  const texts = await sys.db.selectFrom('legal_texts').selectAll().where('sha256', 'in', [c.terms_sha256, b.terms_sha256]).execute();
  assert.deepEqual(texts.map((t) => t.locale).sort(), ['en', 'fr']);
  for (const t of texts) assert.ok(JSON.stringify(t.body).includes(EXAMPLE_SELLER.SELLER_SIREN));
  const shown = await sys.api(`/terms?text=${b.terms_sha256}`);
  assert.equal(shown.status, 200);
  assert.match(shown.body, new RegExp(`data-sha256="${b.terms_sha256}"`));
  // a published text never changes
  await assert.rejects(sql`update legal_texts set title = 'changed' where sha256 = ${c.terms_sha256}`.execute(sys.db), /immutable/);
  await assert.rejects(sql`delete from legal_texts where sha256 = ${c.terms_sha256}`.execute(sys.db), /immutable/);
});

test('the terms, privacy and legal notice pages in French and English show the seller and the version; an older version stays readable', async () => {
  const info = await sys.api('/api/legal');
  assert.equal(info.status, 200);
  assert.equal(info.body.terms.version, currentVersion('terms'));
  assert.match(info.body.terms.urls.fr, /\/conditions-generales$/);
  assert.equal(info.body.withdrawalDays, 14);
  assert.equal(info.body.unpaidRetentionDays, 30);
  const pages: [string, RegExp[]][] = [
    [
      '/conditions-generales',
      [
        /Conditions générales de vente/,
        /L221-25/,
        /L221-28/,
        /Droit de rétractation/,
        /au capital de 10 000/,
        /Médiation Essai Consommation/,
        /mediation-essai\.example/,
      ],
    ],
    ['/terms', [/Terms of sale/, /L221-25/, /Right of withdrawal/, /with a share capital of 10 000/, /Médiation Essai Consommation/, /L616-1/]],
    ['/confidentialite', [/Politique de confidentialité/, /L123-22/, /L102 B/, /30 jours après la commande/]],
    ['/privacy', [/Privacy policy/, /L123-22/, /L102 B/, /30 days after it was placed/]],
    ['/mentions-legales', [/Mentions légales/, /<h2>Hébergeur<\/h2>/, /Hébergement Essai SARL/, /59100 Roubaix/, /Téléphone\u00a0: \+33 9 72 10 10 10/]],
    ['/legal-notice', [/Legal notice/, /<h2>Host<\/h2>/, /Hébergement Essai SARL/, /Telephone: \+33 9 72 10 10 10/]],
  ];
  for (const [path, expected] of pages) {
    const r = await sys.api(path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    for (const e of expected) assert.match(r.body, e, `${path}: ${e}`);
    for (const v of [EXAMPLE_SELLER.SELLER_LEGAL_NAME, EXAMPLE_SELLER.SELLER_SIRET, EXAMPLE_SELLER.SELLER_VAT_NUMBER, EXAMPLE_SELLER.SELLER_RCS]) {
      assert.ok(r.body.includes(v), `${path} names the seller: ${v}`);
    }
  }
  // an older version, as it was published, is shown marked as no longer in force
  await sys.db
    .insertInto('legal_texts')
    .values({
      sha256: 'a'.repeat(64),
      kind: 'terms',
      version: '2026-01-01',
      locale: 'en',
      title: 'Terms of sale',
      body: JSON.stringify([{ heading: 'Old', paragraphs: ['The old terms.'] }]),
    })
    .execute();
  const old = await sys.api('/terms?version=2026-01-01');
  assert.equal(old.status, 200);
  assert.match(old.body, /The old terms\./);
  assert.match(old.body, /no longer in force/);
  assert.equal((await sys.api('/terms?version=1999-01-01')).status, 404);
});

test('the export holds every order placed with the address (any case), with its consent, holder, timeline, emails and site; nothing of another customer', async () => {
  const first = await place({ email: 'Camille.Export@Example.org' });
  const second = await place({ email: 'camille.export@example.org', customerType: 'business', earlyStart: undefined });
  const other = await place({ email: 'someone.else@example.org' });
  await sql`update order_holders set holder = ${JSON.stringify({ type: 'individual', firstName: 'Camille', lastName: 'Export' })}::jsonb where order_id = ${first.orderId}`.execute(
    sys.db,
  );
  const r = await sys.api(`/api/concierge/status/${second.trackingToken}/personal-data`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition') ?? '', /attachment/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const ids = r.body.orders.map((o: { orderId: string }) => o.orderId);
  assert.deepEqual(ids.sort(), [first.orderId, second.orderId].sort());
  assert.ok(!ids.includes(other.orderId));
  const one = r.body.orders.find((o: { orderId: string }) => o.orderId === first.orderId);
  assert.equal(one.businessName, `Atelier Légal ${n - 2}`);
  assert.deepEqual(one.holder, { type: 'individual', firstName: 'Camille', lastName: 'Export' });
  assert.equal(one.consent.customerType, 'consumer');
  assert.match(one.consent.termsText, /\/conditions-generales\?text=[0-9a-f]{64}$/);
  assert.ok(one.timeline.some((e: { type: string }) => e.type === 'order_created'));
  assert.ok(one.paymentLinks.length >= 1);
  await eventually(
    async () => (await sys.api(`/api/concierge/status/${first.trackingToken}/personal-data`)).body.orders[0].emails.length > 0 || undefined,
    15_000,
  );
  assert.equal(r.body.orders.find((o: { orderId: string }) => o.orderId === second.orderId).consent.customerType, 'business');
  assert.equal((await sys.api(`/api/concierge/status/${'x'.repeat(40)}/personal-data`)).status, 404);
});

/** What the accounting rule keeps (src/legal/erasure.ts): issued documents, and the billing identity of an invoiced order. */
const ACCOUNTING_TABLES = ['invoices', 'order_billing'];

/** Every text column of every table of ours, searched for a value. */
async function tablesHolding(value: string): Promise<string[]> {
  const { rows } = await sql<{
    t: string;
  }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(sys.db);
  const found: string[] = [];
  for (const { t } of rows) {
    const { rows: hit } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)} x where x::text ilike ${`%${value}%`}`.execute(sys.db);
    if (hit[0]!.n > 0) found.push(t);
  }
  return found;
}

test('erasure: a delivered order is anonymised everywhere the law does not require it, invoices kept; repeated, it answers the same; audited', async () => {
  const email = 'dominique.erase@example.org';
  const o = await place({
    email,
    businessName: 'Ébénisterie Quaternion',
    city: 'Quimper',
    holder: { ...HOLDER, firstName: 'Dominique', lastName: 'Quaternion', email },
  });
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(async () => (await sys.api(`/api/concierge/status/${o.trackingToken}`)).body.state === 'delivered', 60_000, 200);
  await eventually(
    async () => !(await sys.db.selectFrom('outbox_emails').select('id').where('order_id', '=', o.orderId).where('state', '<>', 'sent').executeTakeFirst()),
    15_000,
  );
  const answered = await sys.api(`/api/concierge/status/${o.trackingToken}/satisfaction`, { body: { score: 4, comment: 'Merci Dominique' } });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
  assert.deepEqual(await tablesHolding('Merci Dominique'), ['satisfaction']);
  const invoice = await keptInvoice(o.orderId);
  assert.ok((await tablesHolding(email)).length > 2, 'the address is stored before');

  const r = await sys.api(`/api/concierge/status/${o.trackingToken}/erasure`, { body: { confirm: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.orders, 1);
  assert.equal(r.body.alreadyErased, false);
  assert.match(r.body.erased, /^Effacés :/);
  const kept = r.body.kept.map((k: { key: string }) => k.key);
  assert.ok(kept.includes('invoices') && kept.includes('contract') && kept.includes('payments') && kept.includes('domain'), kept.join());
  assert.match(r.body.kept.find((k: { key: string }) => k.key === 'invoices').why, /L123-22.*L102 B/);

  // the address, the name, the city, the comment: nowhere any more but in what the accounting rule keeps
  const elsewhere = async (value: string) => (await tablesHolding(value)).filter((t) => !ACCOUNTING_TABLES.includes(t));
  assert.deepEqual(await elsewhere(email), [], 'the address is gone from every table');
  assert.deepEqual(await elsewhere('Quaternion'), [], 'the name only on the invoice');
  assert.deepEqual(await elsewhere('Quimper'), []);
  if (invoice.standIn) assert.ok((await tablesHolding('Quaternion')).includes('invoices'), 'the invoice keeps its buyer');
  assert.deepEqual(await tablesHolding('Merci Dominique'), []);
  const row = await sys.db.selectFrom('orders').selectAll().where('id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.equal(row.business_name, '—');
  assert.match(row.email, /^erased-.*@erased\.invalid$/);
  assert.ok(row.erased_at);
  // what the contract and the exactly-once guarantees need stays
  assert.equal(row.state, 'delivered');
  assert.ok(row.payment_ref && row.paid_at && row.total_cents > 0);
  const consent = await sys.db.selectFrom('order_consents').selectAll().where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.equal(consent.client_ip, null);
  assert.ok(consent.terms_sha256 && consent.early_start_requested_at);
  const emails = await sys.db.selectFrom('outbox_emails').select(['dedupe_key', 'subject', 'text_body']).where('order_id', '=', o.orderId).execute();
  assert.ok(emails.length >= 3 && emails.every((e) => e.subject === '' && e.text_body === '' && e.dedupe_key));
  assert.equal((await sys.db.selectFrom('site_documents').select('order_id').where('order_id', '=', o.orderId).execute()).length, 0);
  const monitor = await sys.db.selectFrom('monitors').select(['enabled', 'disabled_reason']).where('order_id', '=', o.orderId).executeTakeFirst();
  if (monitor) assert.deepEqual(monitor, { enabled: false, disabled_reason: 'personal_data_erased' });
  assert.equal((await sql`select 1 from order_holders where order_id = ${o.orderId}`.execute(sys.db)).rows.length, 0);
  assert.equal(await invoiceNow(invoice), invoice.before, 'the invoice is untouched');
  // audited, without the address
  const audit = await sys.db.selectFrom('admin_audit_log').selectAll().where('action', '=', 'personal_data_erased').execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor, 'customer');

  // the same request again: the same answer, nothing more done
  const again = await sys.api(`/api/concierge/status/${o.trackingToken}/erasure?lang=en`, { body: { confirm: true } });
  assert.equal(again.status, 200);
  assert.equal(again.body.alreadyErased, true);
  assert.equal(again.body.erasedAt, r.body.erasedAt);
  assert.deepEqual(
    again.body.kept.map((k: { key: string }) => k.key),
    kept,
  );
  assert.match(again.body.erased, /^Erased:/);
  assert.equal((await sys.db.selectFrom('admin_audit_log').select('id').where('action', '=', 'personal_data_erased').execute()).length, 1);
  // unconfirmed: refused
  const unconfirmed = await sys.api(`/api/concierge/status/${o.trackingToken}/erasure`, { body: {} });
  assert.equal(unconfirmed.status, 422);
  assert.equal(unconfirmed.body.code, 'erasure_not_confirmed');
});

/** The order's invoice: issued by the payment once invoices exist here; otherwise a stand-in row, as that table keeps it. */
async function keptInvoice(orderId: string): Promise<{ table?: string; standIn: boolean; before: string }> {
  const exists = (await sql<{ t: string | null }>`select to_regclass('public.invoices')::text as t`.execute(sys.db)).rows[0]!.t;
  if (!exists) {
    await sql`create table invoices (id uuid primary key default gen_random_uuid(), order_id uuid not null references orders (id), number text not null, buyer jsonb not null)`.execute(
      sys.db,
    );
    await sql`insert into invoices (order_id, number, buyer) values (${orderId}, 'F-TEST-1', ${JSON.stringify({ name: 'Ébénisterie Quaternion', city: 'Quimper' })}::jsonb)`.execute(
      sys.db,
    );
  }
  const inv = { table: 'invoices', standIn: !exists };
  return { ...inv, before: await invoiceNow(inv) };
}
async function invoiceNow(_inv: { table?: string }): Promise<string> {
  const { rows } = await sql<{ s: string }>`select coalesce(string_agg(x::text, '|' order by x::text), '') as s from invoices x`.execute(sys.db);
  return rows[0]!.s;
}

test('erasure waits while a paid order is being worked on (409), and cancels an unpaid one', async () => {
  const email = 'pending.erase@example.org';
  const unpaid = await place({ email });
  const working = await place({ email });
  await sql`update orders set state = 'creating_site', paid_at = now() where id = ${working.orderId}`.execute(sys.db);
  const refused = await sys.api(`/api/concierge/status/${unpaid.trackingToken}/erasure`, { body: { confirm: true } });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'erasure_order_in_progress');
  assert.equal((await sys.db.selectFrom('orders').select('email').where('id', '=', unpaid.orderId).executeTakeFirstOrThrow()).email, email, 'nothing erased');
  await sql`update orders set state = 'delivered', delivered_at = now() where id = ${working.orderId}`.execute(sys.db);
  const done = await sys.api(`/api/concierge/status/${unpaid.trackingToken}/erasure`, { body: { confirm: true } });
  assert.equal(done.status, 200);
  assert.equal(done.body.orders, 2);
  const row = await sys.db.selectFrom('orders').select(['state', 'email']).where('id', '=', unpaid.orderId).executeTakeFirstOrThrow();
  assert.equal(row.state, 'cancelled', 'an unpaid order is cancelled: a late payment is refunded, never worked on');
  const links = await sys.db.selectFrom('payment_links').select('state').where('order_id', '=', unpaid.orderId).execute();
  assert.ok(links.every((l) => l.state !== 'open' && l.state !== 'creating'));
});

test('retention: an unpaid order past UNPAID_ORDER_RETENTION_DAYS is erased by the job; a recent or a paid one is not', async () => {
  const old = await place({ email: 'old.unpaid@example.org' });
  const recent = await place({ email: 'recent.unpaid@example.org' });
  const paid = await place({ email: 'old.paid@example.org' });
  await sql`update orders set created_at = now() - interval '31 days' where id in (${old.orderId}, ${paid.orderId})`.execute(sys.db);
  await sql`update orders set paid_at = now() - interval '31 days', state = 'delivered', delivered_at = now() where id = ${paid.orderId}`.execute(sys.db);
  const erased = await eraseExpiredData(sys.deps);
  assert.ok(erased >= 1);
  const rows = await sys.db
    .selectFrom('orders')
    .select(['id', 'email', 'erased_at', 'state'])
    .where('id', 'in', [old.orderId, recent.orderId, paid.orderId])
    .execute();
  const by = (id: string) => rows.find((r) => r.id === id)!;
  assert.match(by(old.orderId).email, /@erased\.invalid$/);
  assert.equal(by(old.orderId).state, 'cancelled');
  assert.equal(by(recent.orderId).email, 'recent.unpaid@example.org');
  assert.equal(by(paid.orderId).email, 'old.paid@example.org');
  const logged = await sys.db.selectFrom('personal_data_erasures').selectAll().where('reason', '=', 'retention').execute();
  assert.ok(logged.some((l) => l.order_ids.includes(old.orderId)));
  assert.equal(await eraseExpiredData(sys.deps), 0, 'a second run finds nothing more');
  // the tracking page's erasure of an order the job erased answers that erasure
  const again = await sys.api(`/api/concierge/status/${old.trackingToken}/erasure`, { body: { confirm: true } });
  assert.equal(again.status, 200);
  assert.equal(again.body.alreadyErased, true);
});
