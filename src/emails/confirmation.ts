// The email sent right after a request: recap, itemised price, the four phases, the deadline rule and the payment button.
import { formatHours, formatMoney } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';
import { phases } from './phases.ts';

export type Tier = 'express' | 'standard';
export type PriceItemCode = 'domain_first_year' | 'service' | 'express_surcharge';

export interface ConfirmationView {
  businessName: string;
  domain: string;
  tier: Tier;
  price: { currency: string; items: { code: PriceItemCode; amountCents: number }[]; totalCents: number };
  deadlineHours: number;
  paymentUrl: string;
  trackingUrl: string;
  /** the customer's personal link to the editor: what is saved there before the deploy is what goes live */
  editorUrl: string;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: (hours: string) => string;
  hello: string;
  thanks: [before: string, between: string, after: string];
  business: string;
  domain: string;
  plan: string;
  tier: Record<Tier, (hours: string) => string>;
  items: Record<PriceItemCode, string>;
  total: string;
  deadlineRule: (hours: string) => string;
  pay: (amount: string) => string;
  howItWorks: string;
  tracking: [before: string, link: string, after: string];
  content: string;
  editor: [before: string, link: string, after: string];
  domainNotYetBought: string;
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `Demande reçue : ${domain}`,
    preheader: (hours) => `Plus qu’une étape : le paiement. Votre site est en ligne dans les ${hours} qui suivent.`,
    hello: 'Bonjour,',
    thanks: ['Merci pour votre demande ! Nous nous occupons de tout pour mettre en ligne ', ' à l’adresse ', '.'],
    business: 'Entreprise',
    domain: 'Nom de domaine',
    plan: 'Formule',
    tier: {
      express: (hours) => `Express, en ligne en ${hours}`,
      standard: (hours) => `Standard, en ligne en ${hours}`,
    },
    items: {
      domain_first_year: 'Nom de domaine (première année)',
      service: 'Mise en ligne clé en main',
      express_surcharge: 'Supplément express',
    },
    total: 'Total',
    deadlineRule: (hours) => `Votre site est en ligne dans les ${hours} qui suivent votre paiement.`,
    pay: (amount) => `Payer ${amount}`,
    howItWorks: 'Comment ça se passe',
    tracking: ['Suivez l’avancement en direct sur ', 'votre page de suivi', '.'],
    content: 'Le contenu de votre site',
    editor: [
      'Choisissez un modèle, écrivez vos textes, ajoutez vos horaires et vos photos dès maintenant dans ',
      'l’éditeur de votre site',
      ' : ce que vous y enregistrez avant la mise en ligne est ce qui sera publié (sinon, une première version est écrite à partir de votre demande, modifiable ensuite). Vous avez déjà un site ? Envoyez-le en archive ZIP depuis votre page de suivi. Ce lien est personnel : ne le partagez pas.',
    ],
    domainNotYetBought: 'Le nom de domaine est acheté juste après votre paiement ; d’ici là, quelqu’un d’autre peut encore l’enregistrer.',
  },
  en: {
    subject: (domain) => `Request received: ${domain}`,
    preheader: (hours) => `One step left: payment. Your site is live within ${hours} of it.`,
    hello: 'Hello,',
    thanks: ['Thank you for your request! We will take care of everything to get ', ' online at ', '.'],
    business: 'Business',
    domain: 'Domain name',
    plan: 'Plan',
    tier: {
      express: (hours) => `Express, live within ${hours}`,
      standard: (hours) => `Standard, live within ${hours}`,
    },
    items: {
      domain_first_year: 'Domain name (first year)',
      service: 'Go-live service',
      express_surcharge: 'Express surcharge',
    },
    total: 'Total',
    deadlineRule: (hours) => `Your site is live within ${hours} of payment.`,
    pay: (amount) => `Pay ${amount}`,
    howItWorks: 'How it works',
    tracking: ['Follow the progress live on ', 'your tracking page', '.'],
    content: 'Your site’s content',
    editor: [
      'Choose a template, write your texts, add your opening hours and photos now in ',
      'your site’s editor',
      ': what you save there before your site goes live is what gets published (otherwise a first version is written from your request, which you can change later). Already have a site? Upload it as a ZIP archive from your tracking page. This link is personal: please do not share it.',
    ],
    domainNotYetBought: 'We buy the domain name right after your payment; until then, someone else could still register it.',
  },
};

export function confirmationEmail(view: ConfirmationView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const hours = formatHours(view.deadlineHours, locale);
  const money = (cents: number) => formatMoney(cents, view.price.currency, locale);
  const total = money(view.price.totalCents);
  // The request is what this email confirms, so phase 1 is already behind the customer.
  const steps = phases(locale, view.deadlineHours).map((p, i) => ({ ...p, done: i === 0 }));
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader(hours),
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.thanks[0], { strong: view.businessName }, c.thanks[1], { strong: view.domain }, c.thanks[2]] },
      {
        type: 'table',
        rows: [
          [c.business, view.businessName],
          [c.domain, view.domain],
          [c.plan, c.tier[view.tier](hours)],
        ],
      },
      {
        type: 'table',
        rows: view.price.items.map((item): [string, string] => [c.items[item.code], money(item.amountCents)]),
        total: [c.total, total],
      },
      { type: 'callout', text: [c.deadlineRule(hours)] },
      { type: 'button', label: c.pay(total), href: view.paymentUrl },
      { type: 'paragraph', text: [{ strong: c.howItWorks }] },
      { type: 'steps', items: steps },
      { type: 'paragraph', text: [c.tracking[0], { link: c.tracking[1], href: view.trackingUrl }, c.tracking[2]] },
      { type: 'paragraph', text: [{ strong: c.content }] },
      { type: 'paragraph', text: [c.editor[0], { link: c.editor[1], href: view.editorUrl }, c.editor[2]] },
      { type: 'paragraph', text: [c.domainNotYetBought] },
    ],
  });
}
