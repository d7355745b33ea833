// The four phases a customer sees (ARCHITECTURE.md), with their target times, worded once for every email that lists them.
import { formatHours } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';

export interface PhaseCopy {
  title: string;
  when: string;
  detail: string;
}

export function phases(locale: Locale, deadlineHours: number): PhaseCopy[] {
  const deadline = formatHours(deadlineHours, locale);
  if (locale === 'fr') {
    return [
      { title: 'Demande', when: 'moins de 5 min', detail: 'Vérification du nom de domaine, prix et lien de paiement.' },
      { title: 'Après paiement', when: 'moins de 30 min', detail: 'Achat de votre nom de domaine et création de l’hébergement.' },
      { title: 'Déploiement', when: 'moins de 2 h', detail: 'Mise en ligne du site, certificat HTTPS et configuration DNS.' },
      { title: 'Finalisation', when: `avant l’échéance (${deadline})`, detail: 'Vérifications, envoi de vos accès et mise sous surveillance.' },
    ];
  }
  return [
    { title: 'Request', when: 'under 5 minutes', detail: 'Domain name check, price and payment link.' },
    { title: 'After payment', when: 'under 30 minutes', detail: 'We register your domain name and set up the hosting.' },
    { title: 'Deployment', when: 'under 2 hours', detail: 'Your site goes online, with HTTPS and DNS configured.' },
    { title: 'Finalisation', when: `before your deadline (${deadline})`, detail: 'Checks, delivery of your access details, and monitoring.' },
  ];
}
