// The email sent when phase 2 is done: the domain is registered, the hosting is ready, and when the site should be live.
import { formatDateTime, type Instant } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';
import { phases } from './phases.ts';

export interface ProgressView {
  businessName: string;
  domain: string;
  /** when we expect the site to be live */
  eta: Instant;
  /** the guaranteed deadline (payment + 4 h or 24 h) */
  deadline: Instant;
  deadlineHours: number;
  trackingUrl: string;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: (eta: string) => string;
  hello: string;
  news: [before: string, between: string, after: string];
  eta: string;
  deadline: string;
  next: string;
  tracking: [before: string, link: string, after: string];
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `${domain} : domaine acheté, hébergement prêt`,
    preheader: (eta) => `Mise en ligne prévue le ${eta}.`,
    hello: 'Bonjour,',
    news: ['Bonne nouvelle pour ', ' : ', ' est désormais enregistré pour vous, et l’hébergement de votre site est prêt.'],
    eta: 'Mise en ligne prévue',
    deadline: 'Échéance garantie',
    next: 'Prochaine étape : le déploiement de votre site, avec son certificat HTTPS. Nous vous écrivons dès qu’il est en ligne.',
    tracking: ['Suivez chaque étape en direct sur ', 'votre page de suivi', '.'],
  },
  en: {
    subject: (domain) => `${domain}: domain registered, hosting ready`,
    preheader: (eta) => `Your site should be live on ${eta}.`,
    hello: 'Hello,',
    news: ['Good news for ', ': ', ' is now registered for you, and your site’s hosting is ready.'],
    eta: 'Expected live',
    deadline: 'Guaranteed deadline',
    next: 'Next: we deploy your site, with its HTTPS certificate. We will write to you as soon as it is live.',
    tracking: ['Follow each step live on ', 'your tracking page', '.'],
  },
};

export function progressEmail(view: ProgressView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  const eta = formatDateTime(view.eta, locale);
  // Phases 1 and 2 are behind us; this email exists because phase 2 just finished.
  const steps = phases(locale, view.deadlineHours).map((p, i) => ({ ...p, done: i < 2 }));
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader(eta),
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.news[0], view.businessName, c.news[1], { strong: view.domain }, c.news[2]] },
      {
        type: 'table',
        rows: [
          [c.eta, eta],
          [c.deadline, formatDateTime(view.deadline, locale)],
        ],
      },
      { type: 'steps', items: steps },
      { type: 'paragraph', text: [c.next] },
      { type: 'paragraph', text: [c.tracking[0], { link: c.tracking[1], href: view.trackingUrl }, c.tracking[2]] },
    ],
  });
}
