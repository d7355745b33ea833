// The email sent right after a request: recap, itemised price, the four phases, the deadline rule and the payment button.
import type { PriceItem, Tier } from '../domain/pricing.ts';
import { button, callout, type CustomerView, defineEmail, labelled, linked, paragraph, strong, table, weave } from './define.ts';
import { formatHours, formatMoney } from './i18n.ts';
import { phases } from './phases.ts';

/** What every email asking for payment carries: the payment link, the deadline it starts, the tracking page. */
export interface PaymentRequestView extends CustomerView {
  deadlineHours: number;
  paymentUrl: string;
  trackingUrl: string;
}

/** The deadline rule and the pay button, worded once for every email asking for payment. */
export const paymentRequestCopy = {
  fr: {
    deadlineRule: (hours: string) => `Votre site est en ligne dans les ${hours} qui suivent votre paiement.`,
    pay: (amount: string) => `Payer ${amount}`,
  },
  en: {
    deadlineRule: (hours: string) => `Your site is live within ${hours} of payment.`,
    pay: (amount: string) => `Pay ${amount}`,
  },
};

export interface ConfirmationView extends PaymentRequestView {
  tier: Tier;
  price: { currency: string; items: PriceItem[]; totalCents: number };
  /** the customer's personal link to the editor: what is saved there before the deploy is what goes live */
  editorUrl: string;
  /** next year's price (domain renewal and service), when known */
  renewalCents?: number;
}

export const confirmationEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Demande reçue : ${domain}`,
      preheader: (hours: string) => `Plus qu’une étape : le paiement. Votre site est en ligne dans les ${hours} qui suivent.`,
      thanks: ['Merci pour votre demande ! Nous nous occupons de tout pour mettre en ligne ', ' à l’adresse ', '.'],
      recap: ['Entreprise', 'Nom de domaine', 'Formule'],
      tier: {
        express: (hours: string) => `Express, en ligne en ${hours}`,
        standard: (hours: string) => `Standard, en ligne en ${hours}`,
      },
      items: {
        domain_first_year: 'Nom de domaine (première année)',
        service: 'Mise en ligne clé en main',
        express_surcharge: 'Supplément express',
      } satisfies Record<PriceItem['code'], string>,
      total: 'Total',
      ...paymentRequestCopy.fr,
      howItWorks: 'Comment ça se passe',
      tracking: ['Suivez l’avancement en direct sur ', 'votre page de suivi', '.'],
      content: 'Le contenu de votre site',
      editor: [
        'Choisissez un modèle, écrivez vos textes, ajoutez vos horaires et vos photos dès maintenant dans ',
        'l’éditeur de votre site',
        ' : ce que vous y enregistrez avant la mise en ligne est ce qui sera publié (sinon, une première version est écrite à partir de votre demande, modifiable ensuite). Vous avez déjà un site ? Envoyez-le en archive ZIP depuis votre page de suivi. Ce lien est personnel : ne le partagez pas.',
      ],
      domainNotYetBought: 'Le nom de domaine est acheté juste après votre paiement ; d’ici là, quelqu’un d’autre peut encore l’enregistrer.',
      renewal: (price: string) =>
        `Ensuite, ${price} par an (renouvellement du nom de domaine et du service), prélevés automatiquement avant l’expiration si vous l’avez choisi, après des rappels par e-mail ; modifiable à tout moment depuis votre page de suivi.`,
    },
    en: {
      subject: (domain) => `Request received: ${domain}`,
      preheader: (hours) => `One step left: payment. Your site is live within ${hours} of it.`,
      thanks: ['Thank you for your request! We will take care of everything to get ', ' online at ', '.'],
      recap: ['Business', 'Domain name', 'Plan'],
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
      ...paymentRequestCopy.en,
      howItWorks: 'How it works',
      tracking: ['Follow the progress live on ', 'your tracking page', '.'],
      content: 'Your site’s content',
      editor: [
        'Choose a template, write your texts, add your opening hours and photos now in ',
        'your site’s editor',
        ': what you save there before your site goes live is what gets published (otherwise a first version is written from your request, which you can change later). Already have a site? Upload it as a ZIP archive from your tracking page. This link is personal: please do not share it.',
      ],
      domainNotYetBought: 'We buy the domain name right after your payment; until then, someone else could still register it.',
      renewal: (price) =>
        `After that, ${price} a year (the domain name’s renewal and the service), charged automatically before expiry if you chose so, after email reminders; you can change it at any time from your tracking page.`,
    },
  },
  (c, view: ConfirmationView, locale) => {
    const hours = formatHours(view.deadlineHours, locale);
    const money = (cents: number) => formatMoney(cents, view.price.currency, locale);
    const total = money(view.price.totalCents);
    return {
      preheader: c.preheader(hours),
      blocks: [
        paragraph(...weave(c.thanks, strong(view.businessName), strong(view.domain))),
        labelled(c.recap, [view.businessName, view.domain, c.tier[view.tier](hours)]),
        table(
          view.price.items.map((item): [string, string] => [c.items[item.code], money(item.amountCents)]),
          [c.total, total],
        ),
        ...(view.renewalCents !== undefined ? [paragraph(c.renewal(money(view.renewalCents)))] : []),
        callout(c.deadlineRule(hours)),
        button(c.pay(total), view.paymentUrl),
        paragraph(strong(c.howItWorks)),
        // the request is what this email confirms, so phase 1 is already behind the customer
        { type: 'steps', items: phases(locale, view.deadlineHours).map((p, i) => ({ ...p, done: i === 0 })) },
        paragraph(...linked(c.tracking, view.trackingUrl)),
        paragraph(strong(c.content)),
        paragraph(...linked(c.editor, view.editorUrl)),
        paragraph(c.domainNotYetBought),
      ],
    };
  },
);
