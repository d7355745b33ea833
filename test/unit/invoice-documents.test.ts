// Documents as printed: the PDF's text in the customer's language carries the mentions of each VAT case (extracted
// with unpdf), and a business customer's Factur-X embeds CII XML that the official Factur-X EN 16931 schema accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { validateXML } from 'xmllint-wasm';
import { creditNoteDraft, type DocumentDraft, invoiceDraft } from '../../src/billing/documents.ts';
import { ciiXml, facturX } from '../../src/billing/facturx.ts';
import { documentEmail } from '../../src/billing/issue.ts';
import { billingIdentityOf, type BillingInput, orderTax } from '../../src/billing/identity.ts';
import { renderDocumentPdf } from '../../src/billing/pdf.ts';
import { sellerOf } from '../../src/config/seller.ts';
import type { InvoiceRow, Order } from '../../src/db/schema.ts';

const order = {
  id: '6f1c8a1e-0000-4000-8000-000000000001',
  business_name: 'Boulangerie Léa',
  email: 'lea@example.org',
  locale: 'fr',
  domain_unicode: 'boulangerie-léa.fr',
  deadline_hours: 4,
  currency: 'EUR',
  price_items: [
    { code: 'domain_first_year', amountCents: 1200 },
    { code: 'service', amountCents: 14900 },
    { code: 'express_surcharge', amountCents: 9900 },
  ],
} as unknown as Order;

let seq = 0;
/** A draft as issueDocument would write it. */
const issued = (d: DocumentDraft): InvoiceRow => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  kind: d.kind,
  seq: String(seq),
  number: `${d.kind === 'invoice' ? 'F' : 'AV'}-2026-${String(seq).padStart(6, '0')}`,
  order_id: d.orderId,
  invoice_id: d.invoiceId,
  payment_ref: d.paymentRef,
  provider: d.provider,
  issued_at: new Date('2026-12-07T10:00:00Z'),
  locale: d.locale,
  currency: d.currency,
  customer_kind: d.customerKind,
  vat_case: d.vatCase,
  seller: d.seller,
  buyer: d.buyer,
  lines: d.lines,
  vat_breakdown: d.vatBreakdown,
  total_excl_vat_cents: String(d.totalExclVatCents),
  vat_cents: String(d.vatCents),
  total_incl_vat_cents: String(d.totalInclVatCents),
  mentions: d.mentions,
  settled_at: d.settledAt,
  reason: d.reason,
});

function invoiceFor(billing: BillingInput, locale: 'fr' | 'en', settings = { OSS_REGISTERED: false }) {
  const identity = billingIdentityOf({ billing, businessName: order.business_name, email: order.email });
  const tax = orderTax(identity, order.price_items, { VIES_CHECK: false, PRICES_INCLUDE_VAT: true, ...settings }, { valid: !!billing.vatNumber });
  const draft = invoiceDraft(
    { ...order, locale },
    { identity, tax },
    { ref: 'pi_1', provider: 'stripe', paidAt: new Date('2026-12-07T09:59:00Z') },
    sellerOf({}),
    false,
  );
  return issued(draft);
}

const textOf = async (pdf: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text.replace(/\s+/g, ' ');

const address = { address1: '3 rue du Four', postalCode: '69001', city: 'Lyon' };
const frBusiness: BillingInput = {
  type: 'organization',
  name: 'Boulangerie Léa SARL',
  companyId: '73282932000074',
  vatNumber: 'FR44732829320',
  country: 'FR',
  ...address,
};
const beBusiness: BillingInput = { type: 'organization', name: 'Brouwerij Test BV', vatNumber: 'BE0403170701', country: 'BE', ...address };

test('a French consumer’s invoice, in French: seller, buyer, lines excluding VAT, VAT per rate, totals, payment, category', async () => {
  const doc = invoiceFor({ type: 'individual', name: 'Léa Martin', country: 'FR', ...address }, 'fr');
  const text = await textOf(await renderDocumentPdf(doc));
  for (const expected of [
    'FACTURE N° F-2026-',
    'Date d’émission : 07/12/2026',
    'Conciergerie Exemple',
    'SIREN 732829320',
    'N° TVA FR44732829320',
    'Léa Martin',
    'Enregistrement du nom de domaine boulangerie-léa.fr pour un an',
    'Supplément express',
    'PU HT',
    '20 %',
    'Total HT 216,67 €',
    'Total TVA 43,33 €',
    'Total TTC 260,00 €',
    'Catégorie de l’opération : prestation de services',
    'Facture acquittée le 7 décembre 2026 par carte bancaire (Stripe)',
    'RCS Paris 732 829 320',
    'au capital de 10 000 €',
  ]) {
    assert.ok(text.includes(expected), `"${expected}" in: ${text}`);
  }
  assert.ok(!text.includes('pénalités'), 'a consumer’s invoice has no late-payment terms');
});

test('a business’s invoice carries the late-payment terms and its SIREN; reverse charge and non-EU say why there is no VAT, in English', async () => {
  const fr = await textOf(await renderDocumentPdf(invoiceFor(frBusiness, 'fr')));
  assert.ok(fr.includes('indemnité forfaitaire pour frais de recouvrement de 40 €'), fr);
  assert.ok(fr.includes('73282932000074'), fr);
  const be = await textOf(await renderDocumentPdf(invoiceFor(beBusiness, 'en')));
  for (const expected of [
    'INVOICE No. F-2026-',
    'Reverse charge (“Autoliquidation”)',
    'art. 283-2',
    '2006/112/EC art. 196',
    'VAT no. BE0403170701',
    'Total incl. VAT €216.67',
    'EUR 40',
  ]) {
    assert.ok(be.includes(expected), `"${expected}" in: ${be}`);
  }
  const us = await textOf(await renderDocumentPdf(invoiceFor({ type: 'individual', name: 'Jo Smith', country: 'US', ...address }, 'en')));
  assert.ok(us.includes('VAT not applicable — French tax code art. 259 B'), us);
  const de = await textOf(
    await renderDocumentPdf(invoiceFor({ type: 'individual', name: 'Max Muster', country: 'DE', ...address }, 'fr', { OSS_REGISTERED: true })),
  );
  assert.ok(de.includes('19 %') && de.includes('guichet unique OSS'), de);
  const re = await textOf(await renderDocumentPdf(invoiceFor({ type: 'individual', name: 'Léa Payet', ...address, postalCode: '97400', country: 'FR' }, 'fr')));
  for (const expected of ['8,5 %', 'Total TVA 18,42 €', 'TVA au taux applicable en Guadeloupe, en Martinique et à La Réunion — articles 294-1 et 296 du CGI']) {
    assert.ok(re.includes(expected), `"${expected}" in: ${re}`);
  }
  const yt = await textOf(await renderDocumentPdf(invoiceFor({ type: 'individual', name: 'Ali Said', ...address, country: 'YT' }, 'en')));
  assert.ok(yt.includes('VAT not applicable in French Guiana and Mayotte — French tax code art. 294-1'), yt);
});

test('a credit note names its invoice; a partial one credits the amount at the invoice’s rate', async () => {
  const invoice = invoiceFor(frBusiness, 'fr');
  const partial = issued(
    creditNoteDraft(invoice, { ref: 're_1', provider: 'stripe', refundedAt: new Date('2026-12-08T10:00:00Z'), amountCents: 6000, reason: 'geste commercial' }),
  );
  assert.deepEqual([partial.total_excl_vat_cents, partial.vat_cents, partial.total_incl_vat_cents], ['5000', '1000', '6000']);
  const text = await textOf(await renderDocumentPdf(partial));
  assert.ok(text.includes(`AVOIR N° ${partial.number}`), text);
  assert.ok(text.includes(`Avoir sur la facture n° ${invoice.number} du 7 décembre 2026`), text);
  assert.ok(text.includes(`Remboursement partiel de la facture ${invoice.number}`), text);
  const whole = issued(creditNoteDraft(invoice, { ref: 're_2', provider: 'stripe', refundedAt: new Date(), amountCents: 26000, reason: null }));
  assert.deepEqual(whole.lines, invoice.lines);
});

const xsdDir = path.join(import.meta.dirname, '../fixtures/factur-x');
const schema = fs.readdirSync(xsdDir).filter((f) => f.endsWith('.xsd'));

async function assertValidCii(xml: string) {
  const result = await validateXML({
    xml: [{ fileName: 'factur-x.xml', contents: xml }],
    schema: [{ fileName: 'Factur-X_EN16931.xsd', contents: fs.readFileSync(path.join(xsdDir, 'Factur-X_EN16931.xsd'), 'utf8') }],
    preload: schema.filter((f) => f !== 'Factur-X_EN16931.xsd').map((f) => ({ fileName: f, contents: fs.readFileSync(path.join(xsdDir, f), 'utf8') })),
  });
  assert.ok(result.valid, result.errors.map((e) => e.message).join('\n'));
}

test('a business’s Factur-X: PDF/A-3 embedding factur-x.xml, valid against the Factur-X EN 16931 schema, for invoices and credit notes', async () => {
  const domBusinesses: BillingInput[] = [
    { type: 'organization', name: 'Rhum SARL', vatNumber: 'FR44732829320', ...address, postalCode: '97200', country: 'MQ' },
    { type: 'organization', name: 'Kourou SAS', ...address, postalCode: '97310', country: 'FR' },
  ];
  for (const billing of [frBusiness, beBusiness, { type: 'organization', name: 'Acme Inc', country: 'US', ...address } as BillingInput, ...domBusinesses]) {
    const invoice = invoiceFor(billing, 'fr');
    const pdf = await facturX(invoice, await renderDocumentPdf(invoice));
    const proxy = await getDocumentProxy(new Uint8Array(pdf));
    const attachments = (await proxy.getAttachments()) as Record<string, { content: Uint8Array }>;
    assert.ok(attachments['factur-x.xml'], 'factur-x.xml embedded');
    const xml = Buffer.from(attachments['factur-x.xml']!.content).toString('utf8');
    assert.match(xml, /urn:cen\.eu:en16931:2017/);
    assert.ok(xml.includes(invoice.number));
    await assertValidCii(xml);
    const metadata = await proxy.getMetadata();
    assert.match(JSON.stringify(metadata), /pdfaid|PDF\/A|factur/i);
  }
  const invoice = invoiceFor(beBusiness, 'en');
  const credit = issued(creditNoteDraft(invoice, { ref: 're_3', provider: 'paypal', refundedAt: new Date(), amountCents: 5000, reason: null }));
  const xml = await ciiXml(credit, { number: invoice.number, issuedAt: invoice.issued_at });
  assert.match(xml, /<ram:TypeCode>381<\/ram:TypeCode>/);
  await assertValidCii(xml);
  // the schema refuses what it should: a document without its number
  await assert.rejects(assertValidCii(xml.replace(/<ram:ID>AV-[^<]+<\/ram:ID>/, '')));
});

test('the payment’s email states the VAT as the invoice does: HT, VAT and TTC for a business, TTC of which VAT for a consumer, the mention when none is charged', () => {
  const config = { SUPPORT_EMAIL: 'support@conciergerie.example', publicUrl: 'https://conciergerie.example' };
  const email = (doc: InvoiceRow, locale: 'fr' | 'en') =>
    documentEmail(config, { ...order, locale, tracking_token: 'x'.repeat(32) }, doc).rendered.text.replace(/[\u00a0\u202f]/g, ' ');
  const lines = (text: string) => text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
  const has = (text: string, expected: string[]) => {
    for (const e of expected)
      assert.ok(
        lines(text).some((l) => l.includes(e)),
        `"${e}" in: ${text}`,
      );
  };
  const consumer = email(invoiceFor({ type: 'individual', name: 'Léa Martin', country: 'FR', ...address }, 'fr'), 'fr');
  has(consumer, ['Total TTC 260,00 €', 'dont TVA 20 % 43,33 €']);
  assert.ok(!consumer.includes('Total HT'), 'a consumer reads the total including VAT');
  const consumerEn = email(invoiceFor({ type: 'individual', name: 'Léa Martin', country: 'FR', ...address }, 'en'), 'en');
  has(consumerEn, ['Total incl. VAT €260.00', 'of which VAT 20% €43.33']);
  has(email(invoiceFor(frBusiness, 'fr'), 'fr'), ['Total HT 216,67 €', 'TVA 20 % 43,33 €', 'Total TTC 260,00 €']);
  has(email(invoiceFor(frBusiness, 'en'), 'en'), ['Total excl. VAT €216.67', 'VAT 20% €43.33', 'Total incl. VAT €260.00']);
  const reverse = email(invoiceFor(beBusiness, 'en'), 'en');
  has(reverse, ['Total excl. VAT €216.67', 'Total incl. VAT €216.67', 'Reverse charge (“Autoliquidation”) — French tax code art. 283-2']);
  assert.ok(!/VAT 0/.test(reverse), reverse);
  has(email(invoiceFor(beBusiness, 'fr'), 'fr'), ['Autoliquidation — article 283-2 du CGI']);
  has(email(invoiceFor({ type: 'individual', name: 'Jo Smith', country: 'US', ...address }, 'en'), 'en'), [
    'Total incl. VAT €216.67',
    'VAT not applicable — French tax code art. 259 B',
  ]);
  has(email(invoiceFor({ type: 'individual', name: 'Jo Smith', country: 'US', ...address }, 'fr'), 'fr'), ['TVA non applicable — article 259 B du CGI']);
  has(email(invoiceFor({ type: 'individual', name: 'Léa Payet', ...address, postalCode: '97400', country: 'FR' }, 'fr'), 'fr'), [
    'dont TVA 8,5 % 18,42 €',
    'articles 294-1 et 296 du CGI',
  ]);
});
