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
import { markPaid } from '../../src/workflow/payment-events.ts';
import { issueDocument } from '../../src/billing/issue.ts';
import type { InvoiceRow } from '../../src/db/schema.ts';

let sys: TestSystem;
let delivered: { orderId: string; token: string };
let refunded: { orderId: string; token: string };

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '2' });
  const demo = async (locale: 'fr' | 'en') => {
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { orderId: r.body.orderId as string, token: r.body.trackingToken as string, state: r.body.state as string };
  };
  const d = await demo('fr');
  assert.equal(d.state, 'delivered');
  delivered = d;
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

test('an issued document and the counters cannot be changed or removed', async () => {
  const [invoice] = await docsOf(delivered.orderId);
  await assert.rejects(sql`update invoices set total_incl_vat_cents = 1 where id = ${invoice!.id}`.execute(sys.db), /cannot be changed/);
  await assert.rejects(sql`delete from invoices where id = ${invoice!.id}`.execute(sys.db), /cannot be changed/);
  await assert.rejects(sql`update document_counters set next = next - 1 where series = 'invoice'`.execute(sys.db), /next number/);
  await assert.rejects(sql`delete from document_counters`.execute(sys.db), /never removed/);
});

/** An order awaiting payment with its open link, written directly (what intake leaves). */
async function unpaidOrder(n: number) {
  const id = crypto.randomUUID();
  const link = crypto.randomUUID();
  const token = crypto.randomBytes(24).toString('base64url');
  await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
      total_cents, payment_provider, deadline_hours)
    values (${id}, ${token}, ${`Atelier ${n}`}, ${`c${n}@example.org`}, 'fr', ${`bulk-${n}-${id.slice(0, 6)}.fr`}, ${`bulk-${n}-${id.slice(0, 6)}.fr`}, 'standard',
      'awaiting_payment', 'EUR', ${JSON.stringify([{ code: 'domain_first_year', amountCents: 1200 }, { code: 'service', amountCents: 14900 }])}, 16100, 'stripe', 24)`.execute(sys.db);
  await sql`insert into payment_links (id, order_id, seq, provider, provider_ref, url, amount_cents, currency, expires_at, state)
    values (${link}, ${id}, 1, 'stripe', ${`cs_bulk_${id}`}, 'https://example.invalid', 16100, 'EUR', now() + interval '1 hour', 'open')`.execute(sys.db);
  return sys.db.selectFrom('payment_links').selectAll().where('id', '=', link).executeTakeFirstOrThrow();
}

test('100 payments at once: 100 invoices numbered consecutively, no gap, no duplicate, in the order they were issued', async () => {
  const before = await sys.db.selectFrom('document_counters').select('next').where('series', '=', 'invoice').executeTakeFirstOrThrow();
  const links = await Promise.all(Array.from({ length: 100 }, (_, n) => unpaidOrder(n)));
  const outcomes = await Promise.all(links.map((l) => markPaid(sys.deps, l, { paymentRef: `pi_bulk_${l.order_id}`, amountCents: 16100, currency: 'EUR' })));
  assert.ok(outcomes.every((o) => o === 'paid'));
  // the same payments again (a webhook delivered twice): nothing more
  await Promise.all(links.slice(0, 10).map((l) => markPaid(sys.deps, l, { paymentRef: `pi_bulk_${l.order_id}`, amountCents: 16100, currency: 'EUR' })));
  const docs = await sys.db
    .selectFrom('invoices')
    .select(['seq', 'number', 'issued_at', 'order_id'])
    .where(
      'order_id',
      'in',
      links.map((l) => l.order_id),
    )
    .orderBy('seq')
    .execute();
  assert.equal(docs.length, 100);
  const first = Number(before.next);
  docs.forEach((d, i) => {
    assert.equal(Number(d.seq), first + i);
    assert.ok(d.number.endsWith(String(first + i).padStart(6, '0')));
    if (i) assert.ok(d.issued_at >= docs[i - 1]!.issued_at, 'numbers follow the issue times');
  });
  assert.equal(new Set(docs.map((d) => d.order_id)).size, 100);
});

test('a transaction rolled back after taking a number gives it back: the next document takes it', async () => {
  const [invoice] = await docsOf(delivered.orderId);
  const { next } = await sys.db.selectFrom('document_counters').select('next').where('series', '=', 'invoice').executeTakeFirstOrThrow();
  await assert.rejects(
    sys.db.transaction().execute(async (tx) => {
      const draft = { ...invoice!, kind: 'invoice' as const, invoiceId: null, orderId: invoice!.order_id, paymentRef: `rolled-${crypto.randomUUID()}` };
      await issueDocument(tx, {
        ...draft,
        customerKind: invoice!.customer_kind,
        vatCase: invoice!.vat_case,
        vatBreakdown: invoice!.vat_breakdown,
        totalExclVatCents: Number(invoice!.total_excl_vat_cents),
        vatCents: Number(invoice!.vat_cents),
        totalInclVatCents: Number(invoice!.total_incl_vat_cents),
        settledAt: new Date(),
      });
      throw new Error('the payment could not be recorded');
    }),
    /could not be recorded/,
  );
  const link = await unpaidOrder(1000);
  assert.equal(await markPaid(sys.deps, link, { paymentRef: `pi_after_${link.order_id}`, amountCents: 16100, currency: 'EUR' }), 'paid');
  const [doc] = await docsOf(link.order_id);
  assert.equal(doc!.seq, String(next));
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
      body: { businessName: 'Brouwerij', email: 'b@example.org', domain: `vat-${crypto.randomUUID().slice(0, 8)}.fr`, tier: 'standard', locale: 'en', billing: { ...billing, vatNumber } },
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
      businessName: 'Brouwerij',
      email: 'b@example.org',
      domain: `rc-${crypto.randomUUID().slice(0, 8)}.fr`,
      tier: 'standard',
      locale: 'en',
      billing: { type: 'organization', name: 'Brouwerij Test BV', address1: 'Kerkstraat 1', postalCode: '1000', city: 'Brussel', country: 'BE', vatNumber: 'BE0403170701' },
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.price.vat.case, 'reverse_charge');
  assert.equal(r.body.price.vat.vatCents, 0);
  assert.equal(r.body.price.totalCents, r.body.price.vat.totalExclVatCents);
  const items = r.body.price.items.reduce((s: number, i: { amountCents: number }) => s + i.amountCents, 0);
  assert.equal(r.body.price.totalCents, Math.round((items * 100) / 120));
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
  assert.equal(totals.body.net.vatCents, all.reduce((s, d) => s + signed(d, Number(d.vat_cents)), 0));
  assert.equal(totals.body.net.totalCents, all.reduce((s, d) => s + signed(d, Number(d.total_incl_vat_cents)), 0));
  const csv = await fetch(`${sys.url}/api/admin/invoices/export.csv?from=${today}&to=${today}`, { headers: auth });
  assert.equal(csv.status, 200);
  const csvLines = (await csv.text()).trim().split('\r\n');
  assert.equal(csvLines.length, all.length + 1);
  const fec = await fetch(`${sys.url}/api/admin/invoices/export.fec?from=${today}&to=${today}`, { headers: auth });
  const fecText = await fec.text();
  const rows = fecText.replace(/\r\n$/, '').split('\r\n').map((l) => l.split('\t'));
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
