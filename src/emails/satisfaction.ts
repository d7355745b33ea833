// "Are you satisfied?" in an email: the question with its five one-click links and the way to stop being asked (the
// delivery and refund emails carry it), and the one reminder that follows when it went unanswered.
import type { Locale } from '../domain/locale.ts';
import type { Outcome } from '../domain/satisfaction.ts';
import { type CustomerView, defineEmail, linked, link, paragraph, strong, weave } from './define.ts';
import { formatDateTime, type Instant } from './i18n.ts';
import type { Block } from './layout.ts';

/** Where each score's link leads (the answer page, that score chosen), and where a customer asks not to be contacted. */
export interface SatisfactionLinks {
  /** five addresses, for the scores 1 to 5 */
  scoreUrls: readonly string[];
  stopUrl: string;
}

const ask = {
  fr: {
    question: 'Êtes-vous satisfait ?',
    lead: {
      delivered: 'Un clic suffit : choisissez une note de 1 à 5, puis ajoutez un commentaire si vous le souhaitez.',
      refunded: 'Même quand nous échouons, votre avis compte. Un clic suffit : choisissez une note de 1 à 5, puis ajoutez un commentaire si vous le souhaitez.',
    },
    labels: ['Pas du tout', 'Peu', 'Moyennement', 'Satisfait', 'Très satisfait'],
    stop: ['Vous préférez ne plus recevoir nos questions ? ', 'Ne plus me contacter', '.'],
  },
  en: {
    question: 'Are you satisfied?',
    lead: {
      delivered: 'One click is enough: pick a score from 1 to 5, then add a comment if you like.',
      refunded: 'Even when we fail, your opinion counts. One click is enough: pick a score from 1 to 5, then add a comment if you like.',
    },
    labels: ['Not at all', 'Not really', 'Somewhat', 'Satisfied', 'Very satisfied'],
    stop: ['Rather not be asked again? ', 'Stop contacting me', '.'],
  },
} satisfies Record<Locale, unknown>;

/** The words under each score, 1 to 5 (the answer page shows the same). */
export const scoreLabels = (locale: Locale): readonly string[] => ask[locale].labels;

/** The question, its five links and the way to stop being asked. */
export function askBlocks(locale: Locale, links: SatisfactionLinks, outcome: 'delivered' | 'refunded'): Block[] {
  const c = ask[locale];
  return [
    paragraph(strong(c.question)),
    paragraph(c.lead[outcome]),
    { type: 'scale', choices: links.scoreUrls.map((href, i) => ({ value: String(i + 1), label: c.labels[i]!, href })) },
    paragraph(...linked(c.stop, links.stopUrl)),
  ];
}

export interface SatisfactionReminderView extends CustomerView {
  outcome: Outcome;
  /** https://domain/ */
  siteUrl: string;
  /** when it was delivered, or refunded */
  since: Instant;
  satisfaction: SatisfactionLinks;
}

export const satisfactionReminderEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} : êtes-vous satisfait ?`,
      preheader: 'Une seule question, un clic.',
      delivered: ['Le site de ', ' est en ligne à l’adresse ', ' depuis le ', '.'],
      refunded: ['Nous n’avons pas pu mettre en ligne le site de ', ' à l’adresse ', ', et nous vous avons remboursé le ', '.'],
      once: 'Une seule question, et c’est la dernière fois que nous vous la posons.',
    },
    en: {
      subject: (domain) => `${domain}: are you satisfied?`,
      preheader: 'One question, one click.',
      delivered: ['The website of ', ' has been live at ', ' since ', '.'],
      refunded: ['We could not get the website of ', ' online at ', ', and refunded you on ', '.'],
      once: 'Just one question, and the last time we ask it.',
    },
  },
  (c, view: SatisfactionReminderView, locale) => {
    const refunded = view.outcome === 'refunded';
    const where = refunded ? strong(view.domain) : link(view.siteUrl, view.siteUrl);
    return {
      blocks: [
        paragraph(...weave(refunded ? c.refunded : c.delivered, strong(view.businessName), where, formatDateTime(view.since, locale))),
        paragraph(c.once),
        ...askBlocks(locale, view.satisfaction, refunded ? 'refunded' : 'delivered'),
      ],
    };
  },
);
