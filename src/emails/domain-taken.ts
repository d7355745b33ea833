// The email sent when the domain was registered by someone else between our check and our purchase: close alternatives and a link to choose.
import { formatMoney } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type Block, type RenderedEmail } from './layout.ts';

export interface DomainTakenView {
  businessName: string;
  /** the name the customer wanted, now taken */
  domain: string;
  /** available names, best first, with their first-year price */
  alternatives: { domain: string; amountCents: number }[];
  currency: string;
  /** the page where the customer picks one */
  chooseUrl: string;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: string;
  hello: string;
  taken: [before: string, between: string, after: string];
  notYourFault: string;
  alternatives: string;
  none: string;
  choose: string;
  resume: string;
  refund: [before: string, after: string];
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `${domain} n’est plus disponible`,
    preheader: 'Choisissez un autre nom : nous reprenons aussitôt la mise en ligne.',
    hello: 'Bonjour,',
    taken: ['Mauvaise surprise : ', ', le nom choisi pour ', ', a été enregistré par quelqu’un d’autre entre notre vérification et notre achat.'],
    notYourFault: 'C’est rare, et vous n’y êtes pour rien.',
    alternatives: 'Ces noms proches sont libres en ce moment (prix de la première année) :',
    none: 'Nous n’avons pas trouvé de nom proche encore libre ; vous pouvez en proposer un autre sur la page de choix.',
    choose: 'Choisir mon nom de domaine',
    resume: 'Dès votre choix, nous reprenons la mise en ligne là où elle s’était arrêtée.',
    refund: ['Aucun ne vous convient ? Écrivez-nous à ', ' et nous vous remboursons intégralement.'],
  },
  en: {
    subject: (domain) => `${domain} is no longer available`,
    preheader: 'Pick another name and we carry on straight away.',
    hello: 'Hello,',
    taken: ['Bad news: ', ', the name chosen for ', ', was registered by someone else between our check and our purchase.'],
    notYourFault: 'It rarely happens, and it is not your fault.',
    alternatives: 'These close names are free right now (first-year price):',
    none: 'We found no close name that is still free; you can suggest another one on the choice page.',
    choose: 'Choose my domain name',
    resume: 'As soon as you choose, we pick up the work where it stopped.',
    refund: ['None of them suits you? Write to us at ', ' and we will refund you in full.'],
  },
};

export function domainTakenEmail(view: DomainTakenView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const choices: Block[] =
    view.alternatives.length > 0
      ? [
          { type: 'paragraph', text: [c.alternatives] },
          {
            type: 'table',
            rows: view.alternatives.map((a): [string, string] => [a.domain, formatMoney(a.amountCents, view.currency, locale)]),
          },
        ]
      : [{ type: 'paragraph', text: [c.none] }];
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.taken[0], { strong: view.domain }, c.taken[1], view.businessName, c.taken[2], ' ', c.notYourFault] },
      ...choices,
      { type: 'button', label: c.choose, href: view.chooseUrl },
      { type: 'paragraph', text: [c.resume] },
      { type: 'paragraph', text: [c.refund[0], { link: view.supportEmail, href: `mailto:${view.supportEmail}` }, c.refund[1]] },
    ],
  });
}
