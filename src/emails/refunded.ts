// The email saying we could not complete the order and refunded it, with the reason in plain words.
import { formatMoney, type Money } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';

/** Why an order was refunded; the customer reads a sentence per code, never an error message. */
export type RefundReason = 'domain_unavailable' | 'domain_registration_failed' | 'hosting_failed' | 'certificate_failed' | 'deadline_missed' | 'other';

export interface RefundedView {
  businessName: string;
  domain: string;
  refund: Money;
  reason: RefundReason;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: (amount: string) => string;
  hello: string;
  sorry: [before: string, between: string, after: string];
  whatHappened: string;
  reasons: Record<RefundReason, string>;
  refunded: (amount: string) => string;
  domain: string;
  amount: string;
  delay: string;
  again: string;
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `Commande remboursée : ${domain}`,
    preheader: (amount) => `Nous vous remboursons ${amount}.`,
    hello: 'Bonjour,',
    sorry: ['Nous sommes désolés : nous n’avons pas pu mettre en ligne le site de ', ' à l’adresse ', '.'],
    whatHappened: 'Ce qui s’est passé',
    reasons: {
      domain_unavailable: 'Le nom de domaine a été enregistré par quelqu’un d’autre avant que nous puissions l’acheter.',
      domain_registration_failed: 'Le registre n’a pas accepté l’achat du nom de domaine, malgré plusieurs tentatives.',
      hosting_failed: 'L’hébergement de votre site n’a pas pu être créé, malgré plusieurs tentatives.',
      certificate_failed: 'Le certificat de sécurité (HTTPS) de votre site n’a pas pu être délivré à temps.',
      deadline_missed: 'Nous n’avons pas réussi à mettre votre site en ligne dans le délai promis.',
      other: 'Un problème technique de notre côté nous a empêchés de terminer.',
    },
    refunded: (amount) => `Nous vous remboursons ${amount}, sur le moyen de paiement que vous avez utilisé.`,
    domain: 'Nom de domaine',
    amount: 'Montant remboursé',
    delay: 'Selon votre banque, le remboursement apparaît sur votre relevé sous 5 à 10 jours ouvrés.',
    again: 'Vous pouvez faire une nouvelle demande à tout moment, avec ce nom ou un autre.',
  },
  en: {
    subject: (domain) => `Order refunded: ${domain}`,
    preheader: (amount) => `We are refunding you ${amount}.`,
    hello: 'Hello,',
    sorry: ['We are sorry: we could not get the website of ', ' online at ', '.'],
    whatHappened: 'What happened',
    reasons: {
      domain_unavailable: 'Someone else registered the domain name before we could buy it.',
      domain_registration_failed: 'The registry did not accept the purchase of the domain name, despite several attempts.',
      hosting_failed: 'We could not create the hosting for your site, despite several attempts.',
      certificate_failed: 'The security certificate (HTTPS) for your site could not be issued in time.',
      deadline_missed: 'We did not manage to get your site live within the promised time.',
      other: 'A technical problem on our side prevented us from finishing.',
    },
    refunded: (amount) => `We are refunding you ${amount}, to the payment method you used.`,
    domain: 'Domain name',
    amount: 'Amount refunded',
    delay: 'Depending on your bank, the refund shows on your statement within 5 to 10 business days.',
    again: 'You are welcome to make a new request at any time, with this name or another.',
  },
};

export function refundedEmail(view: RefundedView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const amount = formatMoney(view.refund.amountCents, view.refund.currency, locale);
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader(amount),
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.sorry[0], { strong: view.businessName }, c.sorry[1], { strong: view.domain }, c.sorry[2]] },
      { type: 'paragraph', text: [{ strong: c.whatHappened }] },
      { type: 'paragraph', text: [c.reasons[view.reason]] },
      { type: 'callout', text: [c.refunded(amount)] },
      {
        type: 'table',
        rows: [
          [c.domain, view.domain],
          [c.amount, amount],
        ],
      },
      { type: 'paragraph', text: [c.delay] },
      { type: 'paragraph', text: [c.again] },
    ],
  });
}
