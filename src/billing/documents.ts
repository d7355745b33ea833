// What an invoice or a credit note says, built from the order as paid: lines, VAT per rate, totals and the legal
// mentions, each in French and English (the document is printed in the customer's language).
//
// The mentions French law requires, and where each comes from:
// - CGI annexe II art. 242 nonies A, I: 1° names and addresses of seller and customer; 2° the seller's VAT number;
//   3° the customer's VAT number when it accounts for the VAT (reverse charge); 5° the date of issue; 6° a unique
//   number in one continuous chronological series; 7° each service's precise description, quantity, unit price
//   excluding VAT and VAT rate; 9° the date of the service when it differs from the date of issue; 10° per rate, the
//   total excluding VAT and the VAT, and the VAT payable; 11° the ground of a VAT exemption or non-application;
//   12° « Autoliquidation » when the customer accounts for the VAT.
// - Added by the e-invoicing reform (ordonnance 2021-1190, décret 2022-1299, loi 2023-1322 art. 91; in force with the
//   reform's 2026–2027 calendar): the customer's SIREN for a French business, the delivery address when it differs
//   from the customer's, the category of the operation (here « prestation de services »), and « Option pour le
//   paiement de la taxe d'après les débits » when the seller took that option (CGI art. 269-2-c).
// - Code de commerce L441-9 (business customers): the payment date or due date, the late-payment penalty rate and the
//   fixed indemnity for recovery costs (EUR 40, D441-5), the discount for early payment (none here); R123-237: the
//   seller's SIREN, RCS, legal form and share capital.
import type { Order } from '../db/schema.ts';
import type { Seller } from '../config/seller.ts';
import type { PriceItem } from '../domain/pricing.ts';
import { splitInclusive, type VatCategory } from '../domain/vat.ts';
import type { BillingIdentity, OrderTax } from './identity.ts';

type Text = { fr: string; en: string };

export interface DocumentLine {
  code: PriceItem['code'] | 'refund' | 'withdrawal';
  label: Text;
  quantity: number;
  unitExclVatCents: number;
  totalExclVatCents: number;
  rateBp: number;
  category: VatCategory;
}

export interface VatLine {
  rateBp: number;
  category: VatCategory;
  baseCents: number;
  vatCents: number;
}

export interface Mention extends Text {
  code: string;
}

/** An invoice or credit note before its number: what issueDocument writes. */
export interface DocumentDraft {
  kind: 'invoice' | 'credit_note';
  orderId: string;
  invoiceId: string | null;
  paymentRef: string;
  provider: string;
  locale: Order['locale'];
  currency: string;
  customerKind: 'consumer' | 'business';
  vatCase: string;
  seller: Seller;
  buyer: BillingIdentity;
  lines: DocumentLine[];
  vatBreakdown: VatLine[];
  totalExclVatCents: number;
  vatCents: number;
  totalInclVatCents: number;
  mentions: Mention[];
  settledAt: Date;
  reason: string | null;
}

const providerName = { stripe: { fr: 'carte bancaire (Stripe)', en: 'card (Stripe)' }, paypal: { fr: 'PayPal', en: 'PayPal' } } as Record<string, Text>;

function lineLabel(code: PriceItem['code'], order: Pick<Order, 'domain_unicode' | 'deadline_hours'>): Text {
  switch (code) {
    case 'domain_first_year':
      return {
        fr: `Enregistrement du nom de domaine ${order.domain_unicode} pour un an`,
        en: `Registration of the domain name ${order.domain_unicode} for one year`,
      };
    case 'service':
      return {
        fr: `Mise en ligne du site à ${order.domain_unicode} (hébergement, HTTPS, DNS)`,
        en: `Website put online at ${order.domain_unicode} (hosting, HTTPS, DNS)`,
      };
    case 'express_surcharge':
      return {
        fr: `Supplément express (en ligne sous ${order.deadline_hours} h après paiement)`,
        en: `Express surcharge (online within ${order.deadline_hours} h of payment)`,
      };
  }
}

const day = (d: Date, locale: 'fr' | 'en') =>
  d.toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const both = (f: (l: 'fr' | 'en') => string): Text => ({ fr: f('fr'), en: f('en') });

/** The mentions every document of this order carries, beside the VAT case's own. */
function commonMentions(tax: OrderTax, buyer: BillingIdentity, vatOnDebits: boolean): Mention[] {
  const out: Mention[] = [{ code: 'category', fr: 'Catégorie de l’opération : prestation de services', en: 'Category of the operation: supply of services' }];
  if (tax.treatment.mention) out.push({ code: `vat_${tax.treatment.case}`, ...tax.treatment.mention });
  if (vatOnDebits) out.push({ code: 'vat_on_debits', fr: 'Option pour le paiement de la taxe d’après les débits', en: 'Option for payment of VAT on debits' });
  if (tax.customerKind === 'business') {
    out.push({
      code: 'late_payment',
      fr: 'Pas d’escompte pour paiement anticipé. En cas de retard de paiement : pénalités au taux de refinancement de la BCE majoré de 10 points, et indemnité forfaitaire pour frais de recouvrement de 40 € (Code de commerce L441-10 et D441-5).',
      en: 'No discount for early payment. Late payment: penalties at the ECB refinancing rate plus 10 points, and a fixed indemnity of EUR 40 for recovery costs (French Commercial Code L441-10 and D441-5).',
    });
  }
  if (buyer.deliveryAddress) {
    const a = buyer.deliveryAddress;
    const where = [a.address1, a.address2, `${a.postalCode} ${a.city}`, a.country].filter(Boolean).join(', ');
    out.push({ code: 'delivery_address', fr: `Adresse de livraison : ${where}`, en: `Delivery address: ${where}` });
  }
  return out;
}

/** The invoice of a payment: the order's lines as quoted, paid in full on `paidAt`. */
export function invoiceDraft(
  order: Order,
  billing: { identity: BillingIdentity; tax: OrderTax },
  payment: { ref: string; provider: string; paidAt: Date },
  seller: Seller,
  vatOnDebits: boolean,
): DocumentDraft {
  const { tax, identity } = billing;
  const lines: DocumentLine[] = tax.lines.map((l) => ({
    code: l.code,
    label: lineLabel(l.code, order),
    quantity: 1,
    unitExclVatCents: l.unitExclVatCents,
    totalExclVatCents: l.unitExclVatCents,
    rateBp: l.rateBp,
    category: tax.treatment.category,
  }));
  const how = providerName[payment.provider] ?? { fr: payment.provider, en: payment.provider };
  const mentions = [
    ...commonMentions(tax, identity, vatOnDebits),
    {
      code: 'paid',
      ...both((l) => (l === 'fr' ? `Facture acquittée le ${day(payment.paidAt, l)} par ${how.fr}` : `Paid on ${day(payment.paidAt, l)} by ${how.en}`)),
    },
  ];
  return {
    kind: 'invoice',
    orderId: order.id,
    invoiceId: null,
    paymentRef: payment.ref,
    provider: payment.provider,
    locale: order.locale,
    currency: order.currency,
    customerKind: tax.customerKind,
    vatCase: tax.treatment.case,
    seller,
    buyer: identity,
    lines,
    vatBreakdown: tax.byRate,
    totalExclVatCents: tax.totalExclVatCents,
    vatCents: tax.vatCents,
    totalInclVatCents: tax.totalInclVatCents,
    mentions,
    settledAt: payment.paidAt,
    reason: null,
  };
}

export interface IssuedInvoice {
  id: string;
  number: string;
  issued_at: Date;
  order_id: string;
  locale: Order['locale'];
  currency: string;
  customer_kind: 'consumer' | 'business';
  vat_case: string;
  seller: Seller;
  buyer: BillingIdentity;
  lines: DocumentLine[];
  vat_breakdown: VatLine[];
  total_incl_vat_cents: string | number;
  mentions: Mention[];
}

/**
 * The credit note of a refund of `amountCents` (including VAT) against `invoice`. The whole invoice refunded: its
 * lines again. Part of it: one line at the invoice's rate, its VAT taken out of the amount (`label` says what for).
 */
export function creditNoteDraft(
  invoice: IssuedInvoice,
  refund: { ref: string; provider: string; refundedAt: Date; amountCents: number; reason: string | null; code?: 'refund' | 'withdrawal'; label?: Text },
): DocumentDraft {
  const total = Number(invoice.total_incl_vat_cents);
  const whole = refund.amountCents === total;
  const rate = invoice.vat_breakdown[0]!;
  let lines: DocumentLine[];
  let breakdown: VatLine[];
  if (whole) {
    lines = invoice.lines;
    breakdown = invoice.vat_breakdown;
  } else {
    const { baseCents, vatCents } = splitInclusive(refund.amountCents, rate.rateBp);
    const label = refund.label ?? {
      fr: `Remboursement partiel de la facture ${invoice.number}`,
      en: `Partial refund of invoice ${invoice.number}`,
    };
    lines = [
      {
        code: refund.code ?? 'refund',
        label,
        quantity: 1,
        unitExclVatCents: baseCents,
        totalExclVatCents: baseCents,
        rateBp: rate.rateBp,
        category: rate.category,
      },
    ];
    breakdown = [{ rateBp: rate.rateBp, category: rate.category, baseCents, vatCents }];
  }
  const base = breakdown.reduce((s, b) => s + b.baseCents, 0);
  const vat = breakdown.reduce((s, b) => s + b.vatCents, 0);
  const issued = invoice.issued_at;
  const mentions: Mention[] = [
    {
      code: 'credits',
      ...both((l) =>
        l === 'fr'
          ? `Avoir sur la facture n° ${invoice.number} du ${day(issued, l)}`
          : `Credit note against invoice no. ${invoice.number} of ${day(issued, l)}`,
      ),
    },
    ...invoice.mentions.filter((m) => m.code !== 'paid' && m.code !== 'late_payment'),
    { code: 'refunded', ...both((l) => (l === 'fr' ? `Remboursé le ${day(refund.refundedAt, l)}` : `Refunded on ${day(refund.refundedAt, l)}`)) },
  ];
  return {
    kind: 'credit_note',
    orderId: invoice.order_id,
    invoiceId: invoice.id,
    paymentRef: refund.ref,
    provider: refund.provider,
    locale: invoice.locale,
    currency: invoice.currency,
    customerKind: invoice.customer_kind,
    vatCase: invoice.vat_case,
    seller: invoice.seller,
    buyer: invoice.buyer,
    lines,
    vatBreakdown: breakdown,
    totalExclVatCents: base,
    vatCents: vat,
    totalInclVatCents: base + vat,
    mentions,
    settledAt: refund.refundedAt,
    reason: refund.reason,
  };
}
