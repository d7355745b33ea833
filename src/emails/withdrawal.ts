// The acknowledgement of a consumer's withdrawal, sent at once on a durable medium as Code de la consommation L221-21
// asks of a withdrawal made online: what was paid, the part already performed that is kept, what is refunded and when.
import { callout, type CustomerView, defineEmail, labelled, link, paragraph, strong, weave } from './define.ts';
import { formatDateTime, formatMoney, type Instant } from './i18n.ts';

export interface WithdrawalView extends CustomerView {
  currency: string;
  paidCents: number;
  /** the part performed at the customer's request before the withdrawal (L221-25): the domain once registered */
  keptCents: number;
  refundCents: number;
  withdrawnAt: Instant;
  trackingUrl: string;
}

export const withdrawalEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Rétractation enregistrée : ${domain}`,
      preheader: (amount: string) => `Nous vous remboursons ${amount}.`,
      received: ['Nous avons bien reçu votre rétractation pour le site de ', ' à l’adresse ', '. Le travail est arrêté.'],
      acknowledgement: (at: string) => `Ce message accuse réception de votre rétractation du ${at} (article L221-21 du Code de la consommation).`,
      facts: ['Montant payé', 'Part déjà exécutée, conservée', 'Montant remboursé'],
      kept: 'La part conservée est ce qui a été exécuté à votre demande avant votre rétractation : l’enregistrement du nom de domaine, qui reste à votre nom (article L221-25).',
      refund:
        'Le remboursement est fait sur le moyen de paiement utilisé, dans les 14 jours (article L221-24) ; l’avoir correspondant vous est envoyé par e-mail dès qu’il est effectué.',
      tracking: 'Votre page de suivi',
    },
    en: {
      subject: (domain) => `Withdrawal recorded: ${domain}`,
      preheader: (amount) => `We are refunding you ${amount}.`,
      received: ['We have received your withdrawal for the website of ', ' at ', '. The work has stopped.'],
      acknowledgement: (at) => `This message acknowledges your withdrawal of ${at} (article L221-21 of the French Code de la consommation).`,
      facts: ['Amount paid', 'Part already performed, kept', 'Amount refunded'],
      kept: 'The part kept is what was performed at your request before you withdrew: the registration of the domain name, which stays in your name (article L221-25).',
      refund: 'The refund uses the means of payment you used, within 14 days (article L221-24); its credit note is emailed to you as soon as it is made.',
      tracking: 'Your tracking page',
    },
  },
  (c, view: WithdrawalView, locale) => {
    const money = (cents: number) => formatMoney(cents, view.currency, locale);
    const refund = money(view.refundCents);
    return {
      preheader: c.preheader(refund),
      blocks: [
        paragraph(...weave(c.received, strong(view.businessName), strong(view.domain))),
        labelled(c.facts, [money(view.paidCents), money(view.keptCents), refund]),
        ...(view.keptCents > 0 ? [paragraph(c.kept)] : []),
        callout(c.refund),
        paragraph(c.acknowledgement(formatDateTime(view.withdrawnAt, locale))),
        paragraph(link(c.tracking, view.trackingUrl)),
      ],
    };
  },
);
