// The email that delivers the site: it is live, where to edit it, who to ask, and that the deadline was kept.
import { aboutSite, callout, type CustomerView, defineEmail, labelled, linked, mailto, paragraph, visitButton, weave } from './define.ts';
import { formatDateTime, type Instant } from './i18n.ts';
import { askBlocks, type SatisfactionLinks } from './satisfaction.ts';

export interface DeliveredView extends CustomerView {
  /** the final public address, https://domain/ */
  siteUrl: string;
  /** the customer's personal link to the built-in editor */
  editorUrl: string;
  /** what went live: the editor's document, or the site the customer uploaded as a ZIP (which publishing from the editor replaces) */
  source: 'document' | 'archive';
  deliveredAt: Instant;
  deadline: Instant;
  /** "Are you satisfied?" and its links, when the order is asked */
  satisfaction?: SatisfactionLinks;
}

export const deliveredEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} est en ligne !`,
      preheader: 'Votre site est en ligne, sécurisé en HTTPS et sous surveillance.',
      live: ['C’est fait : le site de ', ' est en ligne à l’adresse ', '.'],
      facts: ['Adresse', 'Mis en ligne le', 'Échéance garantie'],
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
      live: ['Done: the website of ', ' is live at ', '.'],
      facts: ['Address', 'Live since', 'Guaranteed deadline'],
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
  },
  (c, view: DeliveredView, locale) => {
    const onTime = new Date(view.deliveredAt).getTime() <= new Date(view.deadline).getTime();
    return {
      blocks: [
        aboutSite(c.live, view),
        visitButton(locale, view.siteUrl),
        labelled(c.facts, [view.siteUrl, formatDateTime(view.deliveredAt, locale), formatDateTime(view.deadline, locale)]),
        // a late delivery is not a promise kept; the table above still tells the plain facts
        ...(onTime ? [callout(c.kept)] : []),
        paragraph(...linked(view.source === 'archive' ? c.archive : c.editor, view.editorUrl)),
        paragraph(c.keepThisEmail),
        paragraph(c.watching),
        paragraph(...weave(c.help, mailto(view.supportEmail))),
        ...(view.satisfaction ? askBlocks(locale, view.satisfaction, 'delivered') : []),
      ],
    };
  },
);
