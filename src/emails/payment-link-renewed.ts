// The email that brings a fresh payment link after the previous one expired.
import { formatDateTime, formatHours, formatMoney, type Instant, type Money } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';

export interface PaymentLinkRenewedView {
  businessName: string;
  domain: string;
  total: Money;
  deadlineHours: number;
  paymentUrl: string;
  /** when this new link stops working */
  expiresAt: Instant;
  trackingUrl: string;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: (until: string) => string;
  hello: string;
  intro: [before: string, between: string, after: string];
  domain: string;
  amount: string;
  validUntil: string;
  deadlineRule: (hours: string) => string;
  pay: (amount: string) => string;
  tracking: [before: string, link: string, after: string];
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `Nouveau lien de paiement : ${domain}`,
    preheader: (until) => `Votre nouveau lien est valable jusqu’au ${until}.`,
    hello: 'Bonjour,',
    intro: ['Votre précédent lien de paiement a expiré. En voici un nouveau, pour mettre en ligne le site de ', ' à l’adresse ', '.'],
    domain: 'Nom de domaine',
    amount: 'Montant',
    validUntil: 'Lien valable jusqu’au',
    deadlineRule: (hours) => `Votre site est en ligne dans les ${hours} qui suivent votre paiement.`,
    pay: (amount) => `Payer ${amount}`,
    tracking: ['Vous pouvez suivre votre commande à tout moment sur ', 'votre page de suivi', '.'],
  },
  en: {
    subject: (domain) => `New payment link: ${domain}`,
    preheader: (until) => `Your new link is valid until ${until}.`,
    hello: 'Hello,',
    intro: ['Your previous payment link has expired. Here is a new one, to get ', ' online at ', '.'],
    domain: 'Domain name',
    amount: 'Amount',
    validUntil: 'Link valid until',
    deadlineRule: (hours) => `Your site is live within ${hours} of payment.`,
    pay: (amount) => `Pay ${amount}`,
    tracking: ['You can follow your order at any time on ', 'your tracking page', '.'],
  },
};

export function paymentLinkRenewedEmail(view: PaymentLinkRenewedView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const total = formatMoney(view.total.amountCents, view.total.currency, locale);
  const until = formatDateTime(view.expiresAt, locale);
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader(until),
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.intro[0], { strong: view.businessName }, c.intro[1], { strong: view.domain }, c.intro[2]] },
      {
        type: 'table',
        rows: [
          [c.domain, view.domain],
          [c.amount, total],
          [c.validUntil, until],
        ],
      },
      { type: 'callout', text: [c.deadlineRule(formatHours(view.deadlineHours, locale))] },
      { type: 'button', label: c.pay(total), href: view.paymentUrl },
      { type: 'paragraph', text: [c.tracking[0], { link: c.tracking[1], href: view.trackingUrl }, c.tracking[2]] },
    ],
  });
}
