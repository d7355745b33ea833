// The email that delivers the site: it is live, where to edit it, who to ask, and that the deadline was kept.
import { formatDateTime, type Instant } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type Block, type RenderedEmail } from './layout.ts';

export interface DeliveredView {
  businessName: string;
  domain: string;
  /** the final public address, https://domain/ */
  siteUrl: string;
  /** the customer's personal link to the built-in editor */
  editorUrl: string;
  /** what went live: the editor's document, or the site the customer uploaded as a ZIP (which publishing from the editor replaces) */
  source: 'document' | 'archive';
  deliveredAt: Instant;
  deadline: Instant;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: string;
  hello: string;
  live: [before: string, between: string, after: string];
  visit: string;
  address: string;
  deliveredAt: string;
  deadline: string;
  kept: string;
  editor: [before: string, link: string, after: string];
  archive: [before: string, link: string, after: string];
  keepThisEmail: string;
  watching: string;
  help: [before: string, after: string];
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `${domain} est en ligne !`,
    preheader: 'Votre site est en ligne, sécurisé en HTTPS et sous surveillance.',
    hello: 'Bonjour,',
    live: ['C’est fait : le site de ', ' est en ligne à l’adresse ', '.'],
    visit: 'Voir mon site',
    address: 'Adresse',
    deliveredAt: 'Mis en ligne le',
    deadline: 'Échéance garantie',
    kept: 'Promesse tenue : votre site a été livré avant l’échéance garantie.',
    editor: ['Pour modifier vos textes, photos ou horaires, ', 'ouvrez l’éditeur', '. Les changements sont en ligne en quelques instants.'],
    archive: [
      'Votre site en ligne est celui de l’archive ZIP que vous avez envoyée. Pour le modifier, envoyez-nous une nouvelle archive à l’adresse ci-dessous. Vous pouvez aussi construire un site avec ',
      'notre éditeur',
      ' : attention, le publier remplace entièrement le site que vous avez envoyé.',
    ],
    keepThisEmail: 'Gardez cet e-mail : le lien de l’éditeur est personnel, ne le partagez pas.',
    watching:
      'Votre certificat HTTPS se renouvelle tout seul, et nous surveillons votre site en continu : si quelque chose ne va pas, nous sommes prévenus avant vous.',
    help: ['Besoin d’aide ou d’un changement ? Écrivez-nous à ', ', nous sommes là pour ça.'],
  },
  en: {
    subject: (domain) => `${domain} is live!`,
    preheader: 'Your site is live, secured with HTTPS and monitored.',
    hello: 'Hello,',
    live: ['Done: the website of ', ' is live at ', '.'],
    visit: 'Visit my site',
    address: 'Address',
    deliveredAt: 'Live since',
    deadline: 'Guaranteed deadline',
    kept: 'Promise kept: your site was delivered before the guaranteed deadline.',
    editor: ['To change your texts, photos or opening hours, ', 'open the editor', '. Changes go live within moments.'],
    archive: [
      'Your live site is the one from the ZIP archive you uploaded. To change it, send us a new archive at the address below. You can also build a site with ',
      'our editor',
      ': note that publishing it replaces the site you uploaded entirely.',
    ],
    keepThisEmail: 'Keep this email: the editor link is personal, please do not share it.',
    watching: 'Your HTTPS certificate renews by itself, and we monitor your site around the clock: if something goes wrong, we know before you do.',
    help: ['Need help or a change? Write to us at ', ', that is what we are here for.'],
  },
};

export function deliveredEmail(view: DeliveredView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const delivered = formatDateTime(view.deliveredAt, locale);
  const deadline = formatDateTime(view.deadline, locale);
  const onTime = new Date(view.deliveredAt).getTime() <= new Date(view.deadline).getTime();
  const blocks: Block[] = [
    { type: 'paragraph', text: [c.hello] },
    { type: 'paragraph', text: [c.live[0], { strong: view.businessName }, c.live[1], { link: view.siteUrl, href: view.siteUrl }, c.live[2]] },
    { type: 'button', label: c.visit, href: view.siteUrl },
    {
      type: 'table',
      rows: [
        [c.address, view.siteUrl],
        [c.deliveredAt, delivered],
        [c.deadline, deadline],
      ],
    },
    // A late delivery is not a promise kept; the table above still tells the plain facts.
    ...(onTime ? [{ type: 'callout', text: [c.kept] } satisfies Block] : []),
    view.source === 'archive'
      ? { type: 'paragraph', text: [c.archive[0], { link: c.archive[1], href: view.editorUrl }, c.archive[2]] }
      : { type: 'paragraph', text: [c.editor[0], { link: c.editor[1], href: view.editorUrl }, c.editor[2]] },
    { type: 'paragraph', text: [c.keepThisEmail] },
    { type: 'paragraph', text: [c.watching] },
    { type: 'paragraph', text: [c.help[0], { link: view.supportEmail, href: `mailto:${view.supportEmail}` }, c.help[1]] },
  ];
  return renderEmail({ locale, subject: c.subject(view.domain), preheader: c.preheader, supportEmail: view.supportEmail, blocks });
}
