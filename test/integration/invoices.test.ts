// Invoices end to end: one invoice per captured payment and one credit note per refund, numbered by the counter row
// with no gap nor duplicate under 100 concurrent payments and rollbacks, documents that SQL refuses to change, the
// customer's list and PDFs behind the token, the invoice attached to the payment's email, bad VAT numbers refused with
// nothing stored, and the operators' totals and exports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { extractText, getDocumentProxy } from 'unpdf';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import type { InvoiceRow } from '../../src/db/schema.ts';
import { HOLDER } from '../support/holder.ts';
import { issueDocument } from '../../src/billing/issue.ts';
import { draftLike } from '../support/invoices.ts';
import { enqueue, keyOf } from '../../src/workflow/jobs/enqueue.ts';
import { sweep } from '../../src/workflow/recovery.ts';

let sys: TestSystem;
let delivered: { orderId: string; token: string };
let refunded: { orderId: string; token: string };
let paypal: { orderId: string; token: string };

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '2' });
  const demo = async (locale: 'fr' | 'en', paymentProvider: 'stripe' | 'paypal' = 'stripe') => {
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale, paymentProvider } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { orderId: r.body.orderId as string, token: r.body.trackingToken as string, state: r.body.state as string };
  };
  const d = await demo('fr');
  assert.equal(d.state, 'delivered');
  delivered = d;
  paypal = await demo('en', 'paypal');
  assert.equal((paypal as { state?: string }).state, 'delivered');
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  try {
    const r = await demo('en');
    assert.equal(r.state, 'refunded');
    refunded = r;
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
});
after(async () => sys?.stop());

const docsOf = (orderId: string) => sys.db.selectFrom('invoices').selectAll().where('order_id', '=', orderId).orderBy('issued_at').execute();

test('a paid order has exactly one invoice for what was paid; a refunded one its credit note for the whole of it', async () => {
  const order = await sys.db.selectFrom('orders').selectAll().where('id', '=', delivered.orderId).executeTakeFirstOrThrow();
  const [invoice, ...rest] = await docsOf(delivered.orderId);
  assert.equal(rest.length, 0);
  assert.equal(invoice!.kind, 'invoice');
  assert.equal(Number(invoice!.total_incl_vat_cents), order.paid_cents);
  assert.equal(invoice!.payment_ref, order.payment_ref);
  assert.match(invoice!.number, /^F-\d{4}-\d{6}$/);
  // the list prices include VAT here (the default outside production): a French consumer pays them exactly, 20 % inside
  assert.equal(invoice!.vat_case, 'domestic');
  assert.equal(Number(invoice!.total_excl_vat_cents) + Number(invoice!.vat_cents), order.total_cents);

  const docs = await docsOf(refunded.orderId);
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['invoice', 'credit_note'],
  );
  const [inv, credit] = docs as [InvoiceRow, InvoiceRow];
  assert.equal(credit.invoice_id, inv.id);
  assert.equal(credit.total_incl_vat_cents, inv.total_incl_vat_cents);
  assert.match(credit.number, /^AV-\d{4}-\d{6}$/);
  const refundedOrder = await sys.db.selectFrom('orders').select('refund_id').where('id', '=', refunded.orderId).executeTakeFirstOrThrow();
  assert.equal(credit.payment_ref, refundedOrder.refund_id);
});

test('the payment email carries the invoice PDF; the customer lists the documents and reads them only with the token', async () => {
  const [invoice] = await docsOf(delivered.orderId);
  const mail = await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.attachments?.some((a) => a.filename === `${invoice!.number}.pdf`)));
  assert.match(mail.subject, /facture/i);
  const list = await sys.api(`/api/concierge/status/${delivered.token}/invoices`);
  assert.equal(list.status, 200);
  assert.equal(list.body.length, 1);
  const [doc] = list.body;
  assert.deepEqual(Object.keys(doc).sort(), ['currency', 'issuedAt', 'kind', 'number', 'pdfUrl', 'totalExclVatCents', 'totalInclVatCents', 'vatCents']);
  assert.equal(doc.number, invoice!.number);
  const pdf = await fetch(doc.pdfUrl);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = new Uint8Array(await pdf.arrayBuffer());
  // the email's attachment and the download are the same file, kept as first rendered
  assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), mail.attachments!.find((a) => a.filename === `${invoice!.number}.pdf`)!.sha256);
  const text = (await extractText(await getDocumentProxy(bytes), { mergePages: true })).text.replace(/\s+/g, ' ');
  for (const expected of ['FACTURE', invoice!.number, 'Total TTC', 'Catégorie de l’opération : prestation de services', 'Facture acquittée', 'SIREN']) {
    assert.ok(text.includes(expected), `${expected} in ${text}`);
  }
  // another order's token, or no token, finds nothing
  const other = await sys.api(`/api/concierge/status/${refunded.token}/invoices/${encodeURIComponent(invoice!.number)}`);
  assert.equal(other.status, 404);
  assert.equal(other.body.code, 'invoice_not_found');
});

test('a bad VAT number is refused before payment with nothing stored', async () => {
  const count = async () => Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(sys.db)).rows[0]!.n);
  const before = await count();
  const billing = { type: 'organization', name: 'Brouwerij Test BV', address1: 'Kerkstraat 1', postalCode: '1000', city: 'Brussel', country: 'BE' };
  for (const [vatNumber, reason] of [
    ['BE0123456780', 'format'],
    ['DE129273398', 'country'],
  ] as const) {
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Brouwerij',
        email: 'b@example.org',
        domain: `vat-${crypto.randomUUID().slice(0, 8)}.fr`,
        tier: 'standard',
        locale: 'en',
        billing: { ...billing, vatNumber },
      },
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.code, 'vat_number_invalid');
    assert.equal(r.body.reason, reason);
  }
  assert.equal(await count(), before);
});

test('an EU business with a valid VAT number is quoted under reverse charge: it pays the price excluding VAT', async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Brouwerij',
      email: 'b@example.org',
      domain: `rc-${crypto.randomUUID().slice(0, 8)}.fr`,
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
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.price.vat.case, 'reverse_charge');
  assert.equal(r.body.price.vat.vatCents, 0);
  assert.equal(r.body.price.totalCents, r.body.price.vat.totalExclVatCents);
  const items = r.body.price.items.reduce((s: number, i: { amountCents: number }) => s + i.amountCents, 0);
  assert.equal(r.body.price.totalCents, Math.round((items * 100) / 120));
});

test('overseas departments are quoted at their own VAT: 8.5 % for a consumer in La Réunion (French postal code), none for a business in Mayotte', async () => {
  const quote = async (billing: Record<string, string>) => {
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Case Créole',
        email: 'dom@example.org',
        domain: `dom-${crypto.randomUUID().slice(0, 8)}.fr`,
        tier: 'standard',
        locale: 'fr',
        billing,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.price;
  };
  const items = (p: { items: { amountCents: number }[] }) => p.items.reduce((s, i) => s + i.amountCents, 0);
  const re = await quote({ type: 'individual', name: 'Léa Payet', address1: '1 rue de Paris', postalCode: '97400', city: 'Saint-Denis', country: 'FR' });
  assert.equal(re.vat.case, 'dom');
  // list prices include French VAT: the price excluding it is taxed again at 8.5 %
  const excl = Math.round((items(re) * 100) / 120);
  assert.equal(re.vat.totalExclVatCents, excl);
  assert.equal(re.vat.vatCents, Math.round((excl * 85) / 1000));
  assert.equal(re.totalCents, re.vat.totalExclVatCents + re.vat.vatCents);
  const yt = await quote({
    type: 'organization',
    name: 'Mayotte Services SARL',
    address1: '1 rue du Port',
    postalCode: '97600',
    city: 'Mamoudzou',
    country: 'YT',
  });
  assert.equal(yt.vat.case, 'dom_no_vat');
  assert.equal(yt.vat.vatCents, 0);
  assert.equal(yt.totalCents, Math.round((items(yt) * 100) / 120));
});

test('operators: the documents listed and totalled per VAT rate; CSV and FEC exports of the period', async () => {
  const auth = { authorization: `Bearer ${sys.adminToken}` };
  const unauth = await sys.api('/api/admin/invoices');
  assert.equal(unauth.status, 401);
  const list = await sys.api('/api/admin/invoices?kind=credit_note', { headers: auth });
  assert.equal(list.status, 200);
  assert.ok(list.body.items.length >= 1 && list.body.items.every((d: { kind: string }) => d.kind === 'credit_note'));
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
  const totals = await sys.api(`/api/admin/invoices/totals?from=${today}&to=${today}`, { headers: auth });
  assert.equal(totals.status, 200);
  const all = await sys.db.selectFrom('invoices').selectAll().execute();
  const signed = (d: (typeof all)[number], v: number) => (d.kind === 'invoice' ? v : -v);
  assert.equal(
    totals.body.net.vatCents,
    all.reduce((s, d) => s + signed(d, Number(d.vat_cents)), 0),
  );
  assert.equal(
    totals.body.net.totalCents,
    all.reduce((s, d) => s + signed(d, Number(d.total_incl_vat_cents)), 0),
  );
  const csv = await fetch(`${sys.url}/api/admin/invoices/export.csv?from=${today}&to=${today}`, { headers: auth });
  assert.equal(csv.status, 200);
  const csvLines = (await csv.text()).trim().split('\r\n');
  assert.equal(csvLines.length, all.length + 1);
  const fec = await fetch(`${sys.url}/api/admin/invoices/export.fec?from=${today}&to=${today}`, { headers: auth });
  const fecText = await fec.text();
  const rows = fecText
    .replace(/\r\n$/, '')
    .split('\r\n')
    .map((l) => l.split('\t'));
  assert.ok(rows.every((r) => r.length === 18));
  // every entry balances: its debits equal its credits
  const byEntry = new Map<string, number>();
  for (const r of rows.slice(1)) {
    const cents = (v: string) => Math.round(Number(v.replace(',', '.')) * 100);
    byEntry.set(r[2]!, (byEntry.get(r[2]!) ?? 0) + cents(r[11]!) - cents(r[12]!));
  }
  assert.equal(byEntry.size, all.length);
  assert.ok([...byEntry.values()].every((v) => v === 0));
});

const auth = () => ({ authorization: `Bearer ${sys.adminToken}` });
const refundsOf = (orderId: string) => sys.db.selectFrom('order_refunds').selectAll().where('order_id', '=', orderId).execute();

test('an operator refunds a delivered order in part, then the rest (Stripe and PayPal): one credit note per refund, never beyond the invoice', async () => {
  for (const order of [delivered, paypal]) {
    const [invoice] = await docsOf(order.orderId);
    const total = Number(invoice!.total_incl_vat_cents);
    const tooMuch = await sys.api(`/api/admin/orders/${order.orderId}/refunds`, { body: { amountCents: total + 1, reason: 'too much' }, headers: auth() });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.code, 'refund_amount_invalid');
    assert.equal((await refundsOf(order.orderId)).length, 0, 'nothing stored');

    const part = await sys.api(`/api/admin/orders/${order.orderId}/refunds`, { body: { amountCents: 6000, reason: 'geste commercial' }, headers: auth() });
    assert.equal(part.status, 202, JSON.stringify(part.body));
    assert.equal(part.body.amountCents, 6000);
    const credit = await eventually(async () => (await docsOf(order.orderId)).find((d) => d.kind === 'credit_note'), 60_000);
    assert.equal(Number(credit.total_incl_vat_cents), 6000);
    assert.equal(Number(credit.total_excl_vat_cents), 5000);
    assert.equal(credit.invoice_id, invoice!.id);
    const rest = await sys.api(`/api/admin/orders/${order.orderId}/refunds`, { body: { reason: 'the rest' }, headers: auth() });
    assert.equal(rest.status, 202);
    assert.equal(rest.body.amountCents, total - 6000);
    const credits = await eventually(async () => {
      const docs = (await docsOf(order.orderId)).filter((d) => d.kind === 'credit_note');
      return docs.length === 2 && docs;
    }, 60_000);
    assert.equal(
      credits.reduce((s, d) => s + Number(d.total_incl_vat_cents), 0),
      total,
    );
    // each credit note records its own refund at the provider
    const refunds = await refundsOf(order.orderId);
    assert.deepEqual(new Set(credits.map((c) => c.payment_ref)), new Set(refunds.map((r) => r.refund_id)));
    const more = await sys.api(`/api/admin/orders/${order.orderId}/refunds`, { body: { reason: 'again' }, headers: auth() });
    assert.equal(more.status, 422);
  }
});

test('withdrawal: refused for an order fully performed, with nothing stored; unknown tokens find nothing', async () => {
  const r = await sys.api(`/api/concierge/status/${delivered.token}/withdrawal`, { body: { confirm: true } });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'withdrawal_not_possible');
  assert.equal((await refundsOf(delivered.orderId)).filter((x) => x.kind === 'withdrawal').length, 0);
  const unknown = await sys.api('/api/concierge/status/not-a-token-at-all-xxxxxxxxxxxxxxxx/withdrawal', { body: { confirm: true } });
  assert.equal(unknown.status, 404);
});

test('a document whose render job is gone or gave up is rendered and sent by the sweeper; one whose job still waits is left to it', async () => {
  const [invoice] = await docsOf(paypal.orderId);
  const draft = (ref: string) => draftLike(invoice!, ref);
  // one issued with no job (an operator discarded it), one whose job waits, later made to have used up its attempts
  const lost = await sys.db.transaction().execute((tx) => issueDocument(tx, draft(`sweep-lost-${crypto.randomUUID()}`)));
  const failing = await sys.db.transaction().execute(async (tx) => {
    const doc = await issueDocument(tx, draft(`sweep-failed-${crypto.randomUUID()}`));
    await enqueue(tx, 'render_document', { invoiceId: doc.id }, { runAt: new Date(Date.now() + 3_600_000) });
    return doc;
  });
  const jobOf = (id: string) =>
    sql<{ id: string; attempts: number; max_attempts: number }>`
    select id, attempts, max_attempts from graphile_worker.jobs where key = ${keyOf('render_document', { invoiceId: id })}`
      .execute(sys.db)
      .then((r) => r.rows[0]);
  const fileOf = (id: string) => sys.db.selectFrom('invoice_files').select('invoice_id').where('invoice_id', '=', id).executeTakeFirst();
  // the sweeper runs on its own too: whichever sweep finds it, the document ends rendered
  const swept = (id: string) => eventually(async () => (await sweep(sys.deps)) && (await fileOf(id)));
  await swept(lost.id);
  assert.ok(!(await sweep(sys.deps)).documents.includes(failing.id), 'a document whose job still waits is left to it');
  const waiting = (await jobOf(failing.id))!;
  assert.equal(await fileOf(failing.id), undefined);
  await sql`select graphile_worker.reschedule_jobs(array[${waiting.id}]::bigint[], attempts => ${waiting.max_attempts})`.execute(sys.db);
  await swept(failing.id);
  for (const doc of [lost, failing]) {
    const mail = await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.attachments?.some((a) => a.filename === `${doc.number}.pdf`)), 60_000);
    assert.match(mail.subject, new RegExp(doc.number));
  }
  // once rendered and sent, nothing is swept again
  const again = (await sweep(sys.deps)).documents;
  assert.ok(!again.includes(lost.id) && !again.includes(failing.id));
});
