// The email sent when phase 2 is done: the domain is registered, the hosting is ready, and when the site should be live.
import { type CustomerView, defineEmail, labelled, linked, paragraph, strong, weave } from './define.ts';
import { formatDateTime, type Instant } from './i18n.ts';
import { phases } from './phases.ts';

export interface ProgressView extends CustomerView {
  /** when we expect the site to be live */
  eta: Instant;
  /** the guaranteed deadline (payment + 4 h or 24 h) */
  deadline: Instant;
  deadlineHours: number;
  trackingUrl: string;
}

export const progressEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} : domaine acheté, hébergement prêt`,
      preheader: (eta: string) => `Mise en ligne prévue le ${eta}.`,
      news: ['Bonne nouvelle pour ', ' : ', ' est désormais enregistré pour vous, et l’hébergement de votre site est prêt.'],
      facts: ['Mise en ligne prévue', 'Échéance garantie'],
      next: 'Prochaine étape : le déploiement de votre site, avec son certificat HTTPS. Nous vous écrivons dès qu’il est en ligne.',
      tracking: ['Suivez chaque étape en direct sur ', 'votre page de suivi', '.'],
    },
    en: {
      subject: (domain) => `${domain}: domain registered, hosting ready`,
      preheader: (eta) => `Your site should be live on ${eta}.`,
      news: ['Good news for ', ': ', ' is now registered for you, and your site’s hosting is ready.'],
      facts: ['Expected live', 'Guaranteed deadline'],
      next: 'Next: we deploy your site, with its HTTPS certificate. We will write to you as soon as it is live.',
      tracking: ['Follow each step live on ', 'your tracking page', '.'],
    },
  },
  (c, view: ProgressView, locale) => {
    const eta = formatDateTime(view.eta, locale);
    return {
      preheader: c.preheader(eta),
      blocks: [
        paragraph(...weave(c.news, view.businessName, strong(view.domain))),
        labelled(c.facts, [eta, formatDateTime(view.deadline, locale)]),
        // phases 1 and 2 are behind us: this email exists because phase 2 just finished
        { type: 'steps', items: phases(locale, view.deadlineHours).map((p, i) => ({ ...p, done: i < 2 })) },
        paragraph(c.next),
        paragraph(...linked(c.tracking, view.trackingUrl)),
      ],
    };
  },
);
