// The email that brings a fresh payment link after the previous one expired.
import { button, callout, defineEmail, labelled, linked, paragraph, strong, weave } from './define.ts';
import { formatDateTime, formatHours, formatMoney, type Instant, type Money } from './i18n.ts';
import { type PaymentRequestView, paymentRequestCopy } from './confirmation.ts';

export interface PaymentLinkRenewedView extends PaymentRequestView {
  total: Money;
  /** when this new link stops working */
  expiresAt: Instant;
}

export const paymentLinkRenewedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Nouveau lien de paiement : ${domain}`,
      preheader: (until: string) => `Votre nouveau lien est valable jusqu’au ${until}.`,
      intro: ['Votre précédent lien de paiement a expiré. En voici un nouveau, pour mettre en ligne le site de ', ' à l’adresse ', '.'],
      facts: ['Nom de domaine', 'Montant', 'Lien valable jusqu’au'],
      ...paymentRequestCopy.fr,
      tracking: ['Vous pouvez suivre votre commande à tout moment sur ', 'votre page de suivi', '.'],
    },
    en: {
      subject: (domain) => `New payment link: ${domain}`,
      preheader: (until) => `Your new link is valid until ${until}.`,
      intro: ['Your previous payment link has expired. Here is a new one, to get ', ' online at ', '.'],
      facts: ['Domain name', 'Amount', 'Link valid until'],
      ...paymentRequestCopy.en,
      tracking: ['You can follow your order at any time on ', 'your tracking page', '.'],
    },
  },
  (c, view: PaymentLinkRenewedView, locale) => {
    const total = formatMoney(view.total.amountCents, view.total.currency, locale);
    const until = formatDateTime(view.expiresAt, locale);
    return {
      preheader: c.preheader(until),
      blocks: [
        paragraph(...weave(c.intro, strong(view.businessName), strong(view.domain))),
        labelled(c.facts, [view.domain, total, until]),
        callout(c.deadlineRule(formatHours(view.deadlineHours, locale))),
        button(c.pay(total), view.paymentUrl),
        paragraph(...linked(c.tracking, view.trackingUrl)),
      ],
    };
  },
);
