// The email sent when the domain was registered by someone else between our check and our purchase: close alternatives and a link to choose.
import { button, type CustomerView, defineEmail, mailto, paragraph, strong, table, weave } from './define.ts';
import { formatMoney } from './i18n.ts';

export interface DomainTakenView extends CustomerView {
  /** available names close to the one taken (`domain`), best first, with their first-year price */
  alternatives: { domain: string; amountCents: number }[];
  currency: string;
  /** the page where the customer picks one */
  chooseUrl: string;
}

export const domainTakenEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} n’est plus disponible`,
      preheader: 'Choisissez un autre nom : nous reprenons aussitôt la mise en ligne.',
      taken: [
        'Mauvaise surprise : ',
        ', le nom choisi pour ',
        ', a été enregistré par quelqu’un d’autre entre notre vérification et notre achat. C’est rare, et vous n’y êtes pour rien.',
      ],
      alternatives: 'Ces noms proches sont libres en ce moment (prix de la première année) :',
      none: 'Nous n’avons pas trouvé de nom proche encore libre ; vous pouvez en proposer un autre sur la page de choix.',
      choose: 'Choisir mon nom de domaine',
      resume: 'Dès votre choix, nous reprenons la mise en ligne là où elle s’était arrêtée.',
      refund: ['Aucun ne vous convient ? Écrivez-nous à ', ' et nous vous remboursons intégralement.'],
    },
    en: {
      subject: (domain) => `${domain} is no longer available`,
      preheader: 'Pick another name and we carry on straight away.',
      taken: [
        'Bad news: ',
        ', the name chosen for ',
        ', was registered by someone else between our check and our purchase. It rarely happens, and it is not your fault.',
      ],
      alternatives: 'These close names are free right now (first-year price):',
      none: 'We found no close name that is still free; you can suggest another one on the choice page.',
      choose: 'Choose my domain name',
      resume: 'As soon as you choose, we pick up the work where it stopped.',
      refund: ['None of them suits you? Write to us at ', ' and we will refund you in full.'],
    },
  },
  (c, view: DomainTakenView, locale) => ({
    blocks: [
      paragraph(...weave(c.taken, strong(view.domain), view.businessName)),
      ...(view.alternatives.length > 0
        ? [paragraph(c.alternatives), table(view.alternatives.map((a): [string, string] => [a.domain, formatMoney(a.amountCents, view.currency, locale)]))]
        : [paragraph(c.none)]),
      button(c.choose, view.chooseUrl),
      paragraph(c.resume),
      paragraph(...weave(c.refund, mailto(view.supportEmail))),
    ],
  }),
);
