// An invoice or credit note as a PDF in the customer's language (pdf-lib, DejaVu Sans embedded and subset).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { Locale } from '../domain/locale.ts';
import { woffToSfnt } from './woff.ts';
import type { InvoiceRow } from '../db/schema.ts';
import { formatMoney } from '../emails/i18n.ts';

const require = createRequire(import.meta.url);
const fontFile = (weight: 400 | 700) => require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff`);
let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
// unwrapped from WOFF once: fontkit would inflate the WOFF's tables again on every render (src/billing/woff.ts)
const fontBytes = () => (fonts ??= { regular: woffToSfnt(fs.readFileSync(fontFile(400))), bold: woffToSfnt(fs.readFileSync(fontFile(700))) });

const words = {
  fr: {
    invoice: 'FACTURE',
    credit_note: 'AVOIR',
    number: 'N°',
    issued: 'Date d’émission',
    order: 'Commande',
    seller: 'Vendeur',
    buyer: 'Client',
    siren: 'SIREN',
    vat: 'N° TVA',
    description: 'Désignation',
    qty: 'Qté',
    unit: 'PU HT',
    rate: 'TVA',
    lineTotal: 'Total HT',
    base: 'Base HT',
    vatAmount: 'Montant TVA',
    totalExcl: 'Total HT',
    totalVat: 'Total TVA',
    totalIncl: 'Total TTC',
    legal: (s: InvoiceRow['seller']) =>
      `${s.legalName}, ${s.legalForm} au capital de ${s.shareCapital} — ${s.rcs} — SIREN ${s.siren} — SIRET ${s.siret} — TVA ${s.vatNumber}`,
    example: 'Identité du vendeur d’exemple (environnement de test)',
  },
  en: {
    invoice: 'INVOICE',
    credit_note: 'CREDIT NOTE',
    number: 'No.',
    issued: 'Date of issue',
    order: 'Order',
    seller: 'Seller',
    buyer: 'Customer',
    siren: 'SIREN',
    vat: 'VAT no.',
    description: 'Description',
    qty: 'Qty',
    unit: 'Unit price excl. VAT',
    rate: 'VAT',
    lineTotal: 'Total excl. VAT',
    base: 'Taxable amount',
    vatAmount: 'VAT amount',
    totalExcl: 'Total excl. VAT',
    totalVat: 'Total VAT',
    totalIncl: 'Total incl. VAT',
    legal: (s: InvoiceRow['seller']) =>
      `${s.legalName}, ${s.legalForm} with a share capital of ${s.shareCapital} — ${s.rcs} — SIREN ${s.siren} — SIRET ${s.siret} — VAT ${s.vatNumber}`,
    example: 'Example seller identity (test environment)',
  },
} as const;

export const percent = (bp: number, locale: Locale) => `${(bp / 100).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 })} %`;
const dateOf = (d: Date, locale: Locale) =>
  d.toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

class Writer {
  y = 800;
  constructor(
    readonly page: PDFPage,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {}
  text(s: string, x: number, opts: { size?: number; bold?: boolean; right?: boolean; y?: number } = {}) {
    const size = opts.size ?? 9;
    const font = opts.bold ? this.bold : this.font;
    const at = opts.right ? x - font.widthOfTextAtSize(s, size) : x;
    this.page.drawText(s, { x: at, y: opts.y ?? this.y, size, font, color: rgb(0.1, 0.1, 0.1) });
  }
  /** A paragraph wrapped to `width`, moving down. */
  wrap(s: string, x: number, width: number, size = 8) {
    let line = '';
    for (const word of s.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (this.font.widthOfTextAtSize(next, size) > width && line) {
        this.text(line, x, { size });
        this.y -= size + 3;
        line = word;
      } else line = next;
    }
    if (line) {
      this.text(line, x, { size });
      this.y -= size + 3;
    }
  }
  rule() {
    this.page.drawLine({ start: { x: 40, y: this.y + 8 }, end: { x: 555, y: this.y + 8 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
  }
}

/** The document as a PDF (A4), every mention in the document's language. */
export async function renderDocumentPdf(doc: InvoiceRow): Promise<Uint8Array> {
  const locale = doc.locale;
  const w = words[locale];
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const { regular, bold } = fontBytes();
  const page = pdf.addPage([595.28, 841.89]);
  const out = new Writer(page, await pdf.embedFont(regular, { subset: true }), await pdf.embedFont(bold, { subset: true }));
  const money = (cents: number | string) => formatMoney(Number(cents), doc.currency, locale);
  const title = `${w[doc.kind]} ${w.number} ${doc.number}`;
  pdf.setTitle(title);
  pdf.setAuthor(doc.seller.legalName);
  pdf.setLanguage(locale === 'fr' ? 'fr-FR' : 'en-GB');
  // fixed dates: the same document renders to the same bytes
  pdf.setCreationDate(doc.issued_at);
  pdf.setModificationDate(doc.issued_at);

  const s = doc.seller;
  const b = doc.buyer;
  out.text(title, 555, { size: 14, bold: true, right: true });
  out.text(`${w.issued} : ${dateOf(doc.issued_at, locale)}`, 555, { right: true, y: out.y - 16 });
  out.text(s.legalName, 40, { size: 12, bold: true });
  out.y -= 16;
  for (const l of [s.address, `${s.postalCode} ${s.city}`, s.country, s.email, s.phone, `${w.siren} ${s.siren} — ${w.vat} ${s.vatNumber}`]) {
    out.text(l, 40);
    out.y -= 12;
  }
  if (s.example) {
    out.text(w.example, 40, { bold: true });
    out.y -= 12;
  }
  out.y -= 8;
  out.text(w.buyer, 330, { bold: true });
  out.y -= 12;
  const buyerLines = [b.name, b.contact, b.address1, b.address2, `${b.postalCode} ${b.city}`.trim(), b.country, b.email];
  if (b.companyId) buyerLines.push(`${w.siren} ${b.companyId}`);
  if (b.vatNumber) buyerLines.push(`${w.vat} ${b.vatNumber}`);
  for (const l of buyerLines.filter((v): v is string => !!v)) {
    out.text(l, 330);
    out.y -= 12;
  }
  out.y -= 16;

  // the lines: description, quantity, unit price excluding VAT, VAT rate, total excluding VAT
  const cols = { qty: 350, unit: 430, rate: 480, total: 555 };
  out.text(w.description, 40, { bold: true });
  out.text(w.qty, cols.qty, { bold: true, right: true });
  out.text(w.unit, cols.unit, { bold: true, right: true });
  out.text(w.rate, cols.rate, { bold: true, right: true });
  out.text(w.lineTotal, cols.total, { bold: true, right: true });
  out.y -= 14;
  out.rule();
  for (const line of doc.lines) {
    out.text(line.label[locale], 40, { size: 8 });
    out.text(String(line.quantity), cols.qty, { right: true });
    out.text(money(line.unitExclVatCents), cols.unit, { right: true });
    out.text(percent(line.rateBp, locale), cols.rate, { right: true });
    out.text(money(line.totalExclVatCents), cols.total, { right: true });
    out.y -= 14;
  }
  out.y -= 6;
  out.rule();
  // VAT per rate: its base and its amount
  out.text(w.rate, cols.qty, { bold: true, right: true });
  out.text(w.base, cols.rate, { bold: true, right: true });
  out.text(w.vatAmount, cols.total, { bold: true, right: true });
  out.y -= 12;
  for (const v of doc.vat_breakdown) {
    out.text(percent(v.rateBp, locale), cols.qty, { right: true });
    out.text(money(v.baseCents), cols.rate, { right: true });
    out.text(money(v.vatCents), cols.total, { right: true });
    out.y -= 12;
  }
  out.y -= 6;
  for (const [label, value, strong] of [
    [w.totalExcl, doc.total_excl_vat_cents, false],
    [w.totalVat, doc.vat_cents, false],
    [w.totalIncl, doc.total_incl_vat_cents, true],
  ] as const) {
    out.text(label, cols.rate, { right: true, bold: strong });
    out.text(money(value), cols.total, { right: true, bold: strong });
    out.y -= 13;
  }
  out.y -= 12;
  for (const m of doc.mentions) out.wrap(m[locale], 40, 515);
  out.y = 40;
  out.wrap(w.legal(s), 40, 515, 7);
  return pdf.save({ useObjectStreams: false });
}
