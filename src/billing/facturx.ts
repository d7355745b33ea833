// A business customer's document as Factur-X (profile EN 16931): the PDF made PDF/A-3 with its EN 16931 Cross
// Industry Invoice XML embedded, by @e-invoice-eu/core from the document's data in its UBL-shaped JSON.
// Codes: UNTDID 1001 document types (380 invoice, 381 credit note), UNTDID 5305 VAT categories (S, AE, O),
// VATEX exemption codes (CEF), ISO 6523 scheme 0002 for a SIREN, UN/ECE Rec. 20 unit C62 ("one").
import { InvoiceService, type Invoice } from '@e-invoice-eu/core';
import type { InvoiceRow } from '../db/schema.ts';
import { centsToDecimal } from '../domain/pricing.ts';

/** The day in Paris, YYYY-MM-DD. */
const isoDay = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });

const exemption: Record<string, { code: string; reason: string }> = {
  AE: { code: 'VATEX-EU-AE', reason: 'Autoliquidation - art. 283-2 CGI, art. 196 directive 2006/112/CE' },
  O: { code: 'VATEX-EU-O', reason: 'TVA non applicable - art. 259-1 / 259 B CGI' },
};

/** The document's own VAT mention when it names the ground (Guyane and Mayotte: CGI art. 294-1), else the category's. */
function exemptionReason(doc: InvoiceRow, category: string): string {
  if (category === 'O' && doc.vat_case === 'dom_no_vat') return doc.mentions.find((m) => m.code === 'vat_dom_no_vat')?.fr ?? exemption.O!.reason;
  return exemption[category]!.reason;
}

function taxCategory(category: string, rateBp: number) {
  const c: Record<string, unknown> = { 'cbc:ID': category, ...(category === 'O' ? {} : { 'cbc:Percent': String(rateBp / 100) }) };
  return { ...c, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
}

/** The document in e-invoice-eu's JSON (UBL element names), from which it writes the CII. */
export function einvoiceJson(doc: InvoiceRow, invoice?: { number: string; issuedAt: Date }): Invoice {
  const cur = doc.currency;
  const amount = (cents: number | string) => centsToDecimal(Number(cents), cur);
  const s = doc.seller;
  const b = doc.buyer;
  const notSubject = doc.vat_breakdown.some((v) => v.category === 'O');
  const address = (a: { address1: string; address2?: string; city: string; postalCode: string; country: string }) => ({
    'cbc:StreetName': a.address1 || '-',
    ...(a.address2 ? { 'cbc:AdditionalStreetName': a.address2 } : {}),
    'cbc:CityName': a.city || '-',
    'cbc:PostalZone': a.postalCode || '-',
    'cac:Country': { 'cbc:IdentificationCode': a.country },
  });
  const total = Number(doc.total_incl_vat_cents);
  const json = {
    'ubl:Invoice': {
      'cbc:CustomizationID': 'urn:cen.eu:en16931:2017',
      'cbc:ID': doc.number,
      'cbc:IssueDate': isoDay(doc.issued_at),
      'cbc:InvoiceTypeCode': doc.kind === 'invoice' ? '380' : '381',
      // one note (BT-22): the Factur-X EN 16931 schema takes one Content per note
      'cbc:Note': [doc.mentions.map((m) => m.fr).join('\n')],
      'cbc:DocumentCurrencyCode': cur,
      'cbc:BuyerReference': doc.order_id,
      ...(invoice
        ? { 'cac:BillingReference': [{ 'cac:InvoiceDocumentReference': { 'cbc:ID': invoice.number, 'cbc:IssueDate': isoDay(invoice.issuedAt) } }] }
        : {}),
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          'cac:PostalAddress': address({ address1: s.address, city: s.city, postalCode: s.postalCode, country: s.country }),
          // a document outside the scope of VAT names no VAT identifier (EN 16931 BR-O-02): the SIREN identifies the seller
          ...(notSubject ? {} : { 'cac:PartyTaxScheme': [{ 'cbc:CompanyID': s.vatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }] }),
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': s.legalName,
            'cbc:CompanyID': s.siren,
            'cbc:CompanyID@schemeID': '0002',
            'cbc:CompanyLegalForm': `${s.legalForm}, capital ${s.shareCapital}, ${s.rcs}`,
          },
          'cac:Contact': { 'cbc:ElectronicMail': s.email, 'cbc:Telephone': s.phone },
        },
      },
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          'cac:PostalAddress': address(b),
          ...(b.vatNumber && !notSubject ? { 'cac:PartyTaxScheme': { 'cbc:CompanyID': b.vatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } } : {}),
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': b.name,
            ...(b.companyId && b.country === 'FR' ? { 'cbc:CompanyID': b.companyId.slice(0, 9), 'cbc:CompanyID@schemeID': '0002' } : {}),
          },
          ...(b.email ? { 'cac:Contact': { 'cbc:ElectronicMail': b.email } } : {}),
        },
      },
      'cac:Delivery': { 'cbc:ActualDeliveryDate': isoDay(doc.settled_at) },
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': amount(doc.vat_cents),
          'cbc:TaxAmount@currencyID': cur,
          'cac:TaxSubtotal': doc.vat_breakdown.map((v) => ({
            'cbc:TaxableAmount': amount(v.baseCents),
            'cbc:TaxableAmount@currencyID': cur,
            'cbc:TaxAmount': amount(v.vatCents),
            'cbc:TaxAmount@currencyID': cur,
            'cac:TaxCategory': {
              ...taxCategory(v.category, v.rateBp),
              ...(exemption[v.category]
                ? { 'cbc:TaxExemptionReasonCode': exemption[v.category]!.code, 'cbc:TaxExemptionReason': exemptionReason(doc, v.category) }
                : {}),
            },
          })),
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': amount(doc.total_excl_vat_cents),
        'cbc:LineExtensionAmount@currencyID': cur,
        'cbc:TaxExclusiveAmount': amount(doc.total_excl_vat_cents),
        'cbc:TaxExclusiveAmount@currencyID': cur,
        'cbc:TaxInclusiveAmount': amount(total),
        'cbc:TaxInclusiveAmount@currencyID': cur,
        // paid (an invoice) or refunded (a credit note) when issued: nothing remains due
        'cbc:PrepaidAmount': amount(total),
        'cbc:PrepaidAmount@currencyID': cur,
        'cbc:PayableAmount': '0.00',
        'cbc:PayableAmount@currencyID': cur,
      },
      'cac:InvoiceLine': doc.lines.map((l, i) => ({
        'cbc:ID': String(i + 1),
        'cbc:InvoicedQuantity': String(l.quantity),
        'cbc:InvoicedQuantity@unitCode': 'C62',
        'cbc:LineExtensionAmount': amount(l.totalExclVatCents),
        'cbc:LineExtensionAmount@currencyID': cur,
        'cac:Item': { 'cbc:Name': l.label.fr, 'cac:ClassifiedTaxCategory': taxCategory(l.category, l.rateBp) },
        'cac:Price': { 'cbc:PriceAmount': amount(l.unitExclVatCents), 'cbc:PriceAmount@currencyID': cur },
      })),
    },
  };
  return json as unknown as Invoice;
}

const quiet = { log() {}, warn() {}, error() {} };

/** The PDF/A-3 with its CII XML (factur-x.xml) embedded. */
export async function facturX(doc: InvoiceRow, pdf: Uint8Array, invoice?: { number: string; issuedAt: Date }): Promise<Uint8Array> {
  const service = new InvoiceService(quiet);
  const out = await service.generate(einvoiceJson(doc, invoice), {
    format: 'Factur-X-EN16931',
    lang: doc.locale === 'fr' ? 'fr-FR' : 'en-GB',
    pdf: { buffer: pdf, filename: `${doc.number}.pdf`, mimetype: 'application/pdf' },
  });
  return typeof out === 'string' ? Buffer.from(out) : out;
}

/** The CII XML alone (what Factur-X embeds), for the operator's e-invoicing platform and the tests. */
export async function ciiXml(doc: InvoiceRow, invoice?: { number: string; issuedAt: Date }): Promise<string> {
  const out = await new InvoiceService(quiet).generate(einvoiceJson(doc, invoice), { format: 'CII', lang: 'fr-FR' });
  return typeof out === 'string' ? out : Buffer.from(out).toString('utf8');
}
