// The email that confirms a payment with its invoice attached, and the one that sends a credit note after a refund.
import type { Locale } from '../domain/locale.ts';
import { callout, type CustomerView, defineEmail, labelled, link, paragraph, strong, weave } from './define.ts';
import { formatMoney } from './i18n.ts';

export interface DocumentEmailView extends CustomerView {
  totalInclVatCents: number;
  vatCents: number;
  totalExclVatCents: number;
  currency: string;
  trackingUrl: string;
  /** a business customer reads the amount excluding VAT too */
  business: boolean;
}

interface Copy {
  subject: (domain: string, ref: string) => string;
  preheader: string;
  sentence: string[];
  facts: string[];
  always: string;
}

const facts = { fr: ['Total TTC', 'dont TVA', 'Total HT'], en: ['Total incl. VAT', 'of which VAT', 'Total excl. VAT'] };
const always = {
  fr: 'Vos factures et avoirs restent disponibles sur votre page de suivi.',
  en: 'Your invoices and credit notes stay available on your tracking page.',
};

function compose(c: Copy, view: DocumentEmailView, locale: Locale) {
  const money = (cents: number) => formatMoney(cents, view.currency, locale);
  const values = [money(view.totalInclVatCents), money(view.vatCents), ...(view.business ? [money(view.totalExclVatCents)] : [])];
  return {
    blocks: [
      paragraph(...weave(c.sentence, strong(view.businessName), strong(view.domain))),
      labelled(c.facts.slice(0, values.length), values),
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
