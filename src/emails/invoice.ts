// The email that confirms a payment with its invoice attached, and the one that sends a credit note after a refund.
import type { Locale } from '../domain/locale.ts';
import { callout, type CustomerView, defineEmail, link, paragraph, strong, table, weave } from './define.ts';
import { formatMoney } from './i18n.ts';

export interface DocumentEmailView extends CustomerView {
  totalInclVatCents: number;
  vatCents: number;
  totalExclVatCents: number;
  currency: string;
  trackingUrl: string;
  /** a business customer reads the amount excluding VAT first, then the VAT, then the total (a consumer: the total, of which VAT) */
  business: boolean;
  /** the document's VAT per rate, as printed on it (never computed again here) */
  vatByRate: { rateBp: number; vatCents: number }[];
  /** the document's VAT mention in the customer's language: reverse charge, no VAT outside the EU, OSS, overseas */
  vatMention?: string;
}

interface Copy {
  subject: (domain: string, ref: string) => string;
  preheader: string;
  sentence: string[];
  facts: Facts;
  always: string;
}

interface Facts {
  incl: string;
  excl: string;
  vat: (rate: string) => string;
  ofWhichVat: (rate: string) => string;
}

const facts: Record<Locale, Facts> = {
  fr: { incl: 'Total TTC', excl: 'Total HT', vat: (rate) => `TVA ${rate}`, ofWhichVat: (rate) => `dont TVA ${rate}` },
  en: { incl: 'Total incl. VAT', excl: 'Total excl. VAT', vat: (rate) => `VAT ${rate}`, ofWhichVat: (rate) => `of which VAT ${rate}` },
};

const percent = (rateBp: number, locale: Locale) =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 2 }).format(rateBp / 10_000);
const always = {
  fr: 'Vos factures et avoirs restent disponibles sur votre page de suivi.',
  en: 'Your invoices and credit notes stay available on your tracking page.',
};

/**
 * The amounts as the document states them: a business reads HT, the VAT at each rate, TTC; a consumer TTC, "of which
 * VAT" at each rate. No VAT charged (reverse charge, outside the EU, Guyane and Mayotte): no VAT row, the mention says why.
 */
function amounts(f: Facts, view: DocumentEmailView, locale: Locale): [string, string][] {
  const money = (cents: number) => formatMoney(cents, view.currency, locale);
  const taxed = view.vatByRate.filter((r) => r.rateBp > 0);
  const incl: [string, string] = [f.incl, money(view.totalInclVatCents)];
  if (view.business)
    return [[f.excl, money(view.totalExclVatCents)], ...taxed.map((r): [string, string] => [f.vat(percent(r.rateBp, locale)), money(r.vatCents)]), incl];
  return [incl, ...taxed.map((r): [string, string] => [f.ofWhichVat(percent(r.rateBp, locale)), money(r.vatCents)])];
}

function compose(c: Copy, view: DocumentEmailView, locale: Locale) {
  return {
    blocks: [
      paragraph(...weave(c.sentence, strong(view.businessName), strong(view.domain))),
      table(amounts(c.facts, view, locale)),
      ...(view.vatMention ? [paragraph(view.vatMention)] : []),
      callout(link(c.always, view.trackingUrl)),
    ],
  };
}

export const invoiceEmail = defineEmail<Copy, DocumentEmailView>(
  {
    fr: {
      subject: (domain, ref) => `Paiement reçu — votre facture ${ref} pour ${domain}`,
      preheader: 'Votre facture, en pièce jointe (PDF).',
      sentence: ['Nous avons bien reçu votre paiement pour ', ' (', '). Votre facture est jointe à ce message.'],
      facts: facts.fr,
      always: always.fr,
    },
    en: {
      subject: (domain, ref) => `Payment received — your invoice ${ref} for ${domain}`,
      preheader: 'Your invoice, attached (PDF).',
      sentence: ['We have received your payment for ', ' (', '). Your invoice is attached to this message.'],
      facts: facts.en,
      always: always.en,
    },
  },
  compose,
);

export const creditNoteEmail = defineEmail<Copy, DocumentEmailView>(
  {
    fr: {
      subject: (domain, ref) => `Remboursement — votre avoir ${ref} pour ${domain}`,
      preheader: 'Votre avoir, en pièce jointe (PDF).',
      sentence: ['Nous vous avons remboursé. L’avoir correspondant, pour ', ' (', '), est joint à ce message.'],
      facts: facts.fr,
      always: always.fr,
    },
    en: {
      subject: (domain, ref) => `Refund — your credit note ${ref} for ${domain}`,
      preheader: 'Your credit note, attached (PDF).',
      sentence: ['We have refunded you. The credit note for ', ' (', ') is attached to this message.'],
      facts: facts.en,
      always: always.en,
    },
  },
  compose,
);
