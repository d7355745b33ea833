// The email saying we could not complete the order and refunded it, with the reason in plain words.
import { callout, type CustomerView, defineEmail, labelled, paragraph, strong, weave } from './define.ts';
import { formatMoney, type Money } from './i18n.ts';
import { askBlocks, type SatisfactionLinks } from './satisfaction.ts';

/** Why an order was refunded; the customer reads a sentence per code, never an error message. */
export type RefundReason =
  | 'domain_unavailable'
  | 'alternatives_unavailable'
  | 'domain_registration_failed'
  | 'hosting_failed'
  | 'certificate_failed'
  | 'deadline_missed'
  | 'other';

export interface RefundedView extends CustomerView {
  refund: Money;
  reason: RefundReason;
  /** "Are you satisfied?" and its links: a failure is part of the figure */
  satisfaction?: SatisfactionLinks;
}

export const refundedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Commande remboursée : ${domain}`,
      preheader: (amount: string) => `Nous vous remboursons ${amount}.`,
      sorry: ['Nous sommes désolés : nous n’avons pas pu mettre en ligne le site de ', ' à l’adresse ', '.'],
      whatHappened: 'Ce qui s’est passé',
      reasons: {
        domain_unavailable: 'Le nom de domaine a été enregistré par quelqu’un d’autre avant que nous puissions l’acheter.',
        alternatives_unavailable:
          'Le nom de domaine a été enregistré par quelqu’un d’autre avant que nous puissions l’acheter, et nous n’avons pas pu vérifier à temps quels autres noms proches étaient libres pour vous les proposer.',
        domain_registration_failed: 'Le registre n’a pas accepté l’achat du nom de domaine, malgré plusieurs tentatives.',
        hosting_failed: 'L’hébergement de votre site n’a pas pu être créé, malgré plusieurs tentatives.',
        certificate_failed: 'Le certificat de sécurité (HTTPS) de votre site n’a pas pu être délivré à temps.',
        deadline_missed: 'Nous n’avons pas réussi à mettre votre site en ligne dans le délai promis.',
        other: 'Un problème technique de notre côté nous a empêchés de terminer.',
      } satisfies Record<RefundReason, string>,
      refunded: (amount: string) => `Nous vous remboursons ${amount}, sur le moyen de paiement que vous avez utilisé.`,
      facts: ['Nom de domaine', 'Montant remboursé'],
      delay: 'Selon votre banque, le remboursement apparaît sur votre relevé sous 5 à 10 jours ouvrés.',
      again: 'Vous pouvez faire une nouvelle demande à tout moment, avec ce nom ou un autre.',
    },
    en: {
      subject: (domain) => `Order refunded: ${domain}`,
      preheader: (amount) => `We are refunding you ${amount}.`,
      sorry: ['We are sorry: we could not get the website of ', ' online at ', '.'],
      whatHappened: 'What happened',
      reasons: {
        domain_unavailable: 'Someone else registered the domain name before we could buy it.',
        alternatives_unavailable:
          'Someone else registered the domain name before we could buy it, and we could not check in time which close names were free to offer you instead.',
        domain_registration_failed: 'The registry did not accept the purchase of the domain name, despite several attempts.',
        hosting_failed: 'We could not create the hosting for your site, despite several attempts.',
        certificate_failed: 'The security certificate (HTTPS) for your site could not be issued in time.',
        deadline_missed: 'We did not manage to get your site live within the promised time.',
        other: 'A technical problem on our side prevented us from finishing.',
      },
      refunded: (amount) => `We are refunding you ${amount}, to the payment method you used.`,
      facts: ['Domain name', 'Amount refunded'],
      delay: 'Depending on your bank, the refund shows on your statement within 5 to 10 business days.',
      again: 'You are welcome to make a new request at any time, with this name or another.',
    },
  },
  (c, view: RefundedView, locale) => {
    const amount = formatMoney(view.refund.amountCents, view.refund.currency, locale);
    return {
      preheader: c.preheader(amount),
      blocks: [
        paragraph(...weave(c.sorry, strong(view.businessName), strong(view.domain))),
        paragraph(strong(c.whatHappened)),
        paragraph(c.reasons[view.reason]),
        callout(c.refunded(amount)),
        labelled(c.facts, [view.domain, amount]),
        paragraph(c.delay),
        paragraph(c.again),
        ...(view.satisfaction ? askBlocks(locale, view.satisfaction, 'refunded') : []),
      ],
    };
  },
);
