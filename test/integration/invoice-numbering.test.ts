// Invoice numbering: one counter row per series updated in the transaction that records the payment, so 100 payments
// at once get 100 consecutive numbers (no gap, no duplicate, in issue order), a rollback gives its number back, and
// SQL refuses to change an issued document or move a counter back; the PDF and its email come after, from their own job.
import { after, before, test } from 'node:test';
import { draftLike } from '../support/invoices.ts';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { markPaid } from '../../src/workflow/payment-events.ts';
import { issueDocument, renderDocument } from '../../src/billing/issue.ts';
import { COMPANY_HOLDER } from '../support/holder.ts';

let sys: TestSystem;
// no worker: the pipeline would start on these made-up orders; numbering is the payment's transaction alone
before(async () => {
  sys = await startTestSystem({}, { role: 'api' });
});
after(async () => sys?.stop());

const docsOf = (orderId: string) => sys.db.selectFrom('invoices').selectAll().where('order_id', '=', orderId).orderBy('issued_at').execute();

/** An order awaiting payment with its open link, written directly (what intake leaves). */
async function unpaidOrder(n: number) {
  const id = crypto.randomUUID();
  const link = crypto.randomUUID();
  const token = crypto.randomBytes(24).toString('base64url');
  await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
      total_cents, payment_provider, deadline_hours)
    values (${id}, ${token}, ${`Atelier ${n}`}, ${`c${n}@example.org`}, 'fr', ${`bulk-${n}-${id.slice(0, 6)}.fr`}, ${`bulk-${n}-${id.slice(0, 6)}.fr`}, 'standard',
      'awaiting_payment', 'EUR', ${JSON.stringify([
        { code: 'domain_first_year', amountCents: 1200 },
        { code: 'service', amountCents: 14900 },
      ])}, 16100, 'stripe', 24)`.execute(sys.db);
  await sql`insert into payment_links (id, order_id, seq, provider, provider_ref, url, amount_cents, currency, expires_at, state)
    values (${link}, ${id}, 1, 'stripe', ${`cs_bulk_${id}`}, 'https://example.invalid', 16100, 'EUR', now() + interval '1 hour', 'open')`.execute(sys.db);
  return sys.db.selectFrom('payment_links').selectAll().where('id', '=', link).executeTakeFirstOrThrow();
}

test('an issued document and the counters cannot be changed or removed', async () => {
  const link = await unpaidOrder(2000);
  assert.equal(await markPaid(sys.deps, link, { paymentRef: `pi_imm_${link.order_id}`, amountCents: 16100, currency: 'EUR' }), 'paid');
  const [invoice] = await docsOf(link.order_id);
  await assert.rejects(sql`update invoices set total_incl_vat_cents = 1 where id = ${invoice!.id}`.execute(sys.db), /cannot be changed/);
  await assert.rejects(sql`delete from invoices where id = ${invoice!.id}`.execute(sys.db), /cannot be changed/);
  await assert.rejects(sql`update document_counters set next = next - 1 where series = 'invoice'`.execute(sys.db), /next number/);
  await assert.rejects(sql`delete from document_counters`.execute(sys.db), /never removed/);
});

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
  const template = await unpaidOrder(3000);
  await markPaid(sys.deps, template, { paymentRef: `pi_tpl_${template.order_id}`, amountCents: 16100, currency: 'EUR' });
  const [invoice] = await docsOf(template.order_id);
  const { next } = await sys.db.selectFrom('document_counters').select('next').where('series', '=', 'invoice').executeTakeFirstOrThrow();
  await assert.rejects(
    sys.db.transaction().execute(async (tx) => {
      await issueDocument(tx, { ...draftLike(invoice!, `rolled-${crypto.randomUUID()}`), settledAt: new Date() });
      throw new Error('the payment could not be recorded');
    }),
    /could not be recorded/,
  );
  const link = await unpaidOrder(1000);
  assert.equal(await markPaid(sys.deps, link, { paymentRef: `pi_after_${link.order_id}`, amountCents: 16100, currency: 'EUR' }), 'paid');
  const [doc] = await docsOf(link.order_id);
  assert.equal(doc!.seq, String(next));
});

test('the payment numbers the invoice; its PDF and email wait for the render_document job, the PDF route renders on demand before it', async () => {
  const link = await unpaidOrder(3000);
  assert.equal(await markPaid(sys.deps, link, { paymentRef: `pi_render_${link.order_id}`, amountCents: 16100, currency: 'EUR' }), 'paid');
  const [invoice] = await docsOf(link.order_id);
  // no worker here: the job waits, queued by the payment's transaction, with nothing rendered nor emailed yet
  const { rows: jobs } = await sql<{ queue: string | null; priority: number }>`
    select queue_name as queue, priority from graphile_worker.jobs where key = ${`document:${invoice!.id}`}`.execute(sys.db);
  assert.deepEqual(jobs, [{ queue: 'documents', priority: 20 }]);
  const files = () => sys.db.selectFrom('invoice_files').select('invoice_id').where('invoice_id', '=', invoice!.id).execute();
  const emails = () => sys.db.selectFrom('outbox_emails').select('id').where('dedupe_key', '=', `invoice:${invoice!.id}`).execute();
  assert.equal((await files()).length, 0);
  assert.equal((await emails()).length, 0);
  const order = await sys.db.selectFrom('orders').select('tracking_token').where('id', '=', link.order_id).executeTakeFirstOrThrow();
  const pdf = await fetch(`${sys.url}/api/concierge/status/${order.tracking_token}/invoices/${encodeURIComponent(invoice!.number)}`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal((await files()).length, 1);
  // the job, run twice (a retry): the same file kept, one email
  await renderDocument(sys.deps, invoice!.id);
  await renderDocument(sys.deps, invoice!.id);
  assert.equal((await emails()).length, 1);
  const kept = await sys.db.selectFrom('invoice_files').select('pdf').where('invoice_id', '=', invoice!.id).executeTakeFirstOrThrow();
  assert.ok(kept.pdf.equals(bytes));
});

test('an order without a stored billing identity (placed before invoicing) is invoiced to its holder', async () => {
  const link = await unpaidOrder(4000);
  await sql`insert into order_holders (order_id, holder) values (${link.order_id}, ${JSON.stringify({ ...COMPANY_HOLDER, email: 'compta@example.org' })}::jsonb)`.execute(
    sys.db,
  );
  assert.equal(await markPaid(sys.deps, link, { paymentRef: `pi_holder_${link.order_id}`, amountCents: 16100, currency: 'EUR' }), 'paid');
  const [invoice] = await docsOf(link.order_id);
  assert.equal(invoice!.customer_kind, 'business');
  assert.equal(invoice!.buyer.name, COMPANY_HOLDER.organization);
  assert.equal(invoice!.buyer.companyId, '73282932000074');
  assert.equal(invoice!.buyer.email, 'compta@example.org');
});
