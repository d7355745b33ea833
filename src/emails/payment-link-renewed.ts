// The email that brings a fresh payment link after the previous one expired, or after a delayed payment (SEPA Debit) failed.
import { button, callout, defineEmail, labelled, linked, paragraph, strong, weave } from './define.ts';
import { formatDateTime, formatHours, formatMoney, type Instant, type Money } from './i18n.ts';
import { type PaymentRequestView, paymentRequestCopy } from './confirmation.ts';

export interface PaymentLinkRenewedView extends PaymentRequestView {
  total: Money;
  /** when this new link stops working */
  expiresAt: Instant;
}

const renewedCopy = {
  fr: {
    subject: (domain: string) => `Nouveau lien de paiement : ${domain}`,
    preheader: (until: string) => `Votre nouveau lien est valable jusqu’au ${until}.`,
    intro: ['Votre précédent lien de paiement a expiré. En voici un nouveau, pour mettre en ligne le site de ', ' à l’adresse ', '.'],
    facts: ['Nom de domaine', 'Montant', 'Lien valable jusqu’au'],
    ...paymentRequestCopy.fr,
    tracking: ['Vous pouvez suivre votre commande à tout moment sur ', 'votre page de suivi', '.'],
  },
  en: {
    subject: (domain: string) => `New payment link: ${domain}`,
    preheader: (until: string) => `Your new link is valid until ${until}.`,
    intro: ['Your previous payment link has expired. Here is a new one, to get ', ' online at ', '.'],
    facts: ['Domain name', 'Amount', 'Link valid until'],
    ...paymentRequestCopy.en,
    tracking: ['You can follow your order at any time on ', 'your tracking page', '.'],
  },
};

type RenewedCopy = (typeof renewedCopy)['fr'];

function compose(c: RenewedCopy, view: PaymentLinkRenewedView, locale: 'fr' | 'en') {
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
}

export const paymentLinkRenewedEmail = defineEmail(renewedCopy, compose);

/** After a delayed payment (SEPA Debit) failed: the bank refused the debit, nothing was taken, a new link to pay again. */
export const paymentFailedEmail = defineEmail(
  {
    fr: {
      ...renewedCopy.fr,
      subject: (domain: string) => `Votre paiement n’a pas abouti : ${domain}`,
      preheader: (until: string) => `Rien n’a été débité. Un nouveau lien, valable jusqu’au ${until}.`,
      intro: [
        'Votre banque n’a pas accepté le prélèvement : rien n’a été débité et la mise en ligne n’a pas commencé. Voici un nouveau lien de paiement pour le site de ',
        ' à l’adresse ',
        '.',
      ],
    },
    en: {
      ...renewedCopy.en,
      subject: (domain: string) => `Your payment did not go through: ${domain}`,
      preheader: (until: string) => `Nothing was taken. A new link, valid until ${until}.`,
      intro: ['Your bank did not accept the debit: nothing was taken and the work has not started. Here is a new payment link for the site of ', ' at ', '.'],
    },
  },
  compose,
);
