// The words the sites are written with, in French and English: labels, section titles, buttons, the 404 page.
import type { SiteLocale, SiteTemplate, Weekday } from '../document.ts';
import type { SectionId } from './layouts.ts';

export interface LegalCopy {
  title: string;
  intro: string;
  publisher: string;
  name: string;
  form: string;
  registration: string;
  vat: string;
  address: string;
  email: string;
  phone: string;
  director: string;
  host: string;
  hostText: string;
  privacy: string;
  privacyText: string;
  back: string;
}

export interface SiteCopy {
  intl: string;
  ogLocale: string;
  days: Record<Weekday, string>;
  everyDay: string;
  closed: string;
  onQuote: string;
  skip: string;
  navLabel: string;
  nav: Record<SectionId, string>;
  navServices: Record<SiteTemplate, string>;
  titles: Record<SiteTemplate, Record<SectionId, string>>;
  eyebrows: Record<SiteTemplate, Record<SectionId, string>>;
  cta: { contact: string; services: string; hours: string; menu: string; call: string; callShort: string; write: string; findUs: string; quote: string };
  labels: { phone: string; email: string; address: string; map: string; newTab: string };
  quote: { title: string; text: string; listTitle: string };
  band: { title: string; text: string };
  footer: { madeWith: string; rights: string; legal: string };
  /** the menu button that shows the navigation on narrow screens */
  menu: string;
  legal: LegalCopy;
  notFound: { title: string; text: string; back: string };
  quoteSubject: string;
}

export const COPY: Record<SiteLocale, SiteCopy> = {
  fr: {
    intl: 'fr-FR',
    ogLocale: 'fr_FR',
    days: { mon: 'Lundi', tue: 'Mardi', wed: 'Mercredi', thu: 'Jeudi', fri: 'Vendredi', sat: 'Samedi', sun: 'Dimanche' },
    everyDay: 'Tous les jours',
    closed: 'Fermé',
    onQuote: 'Sur devis',
    skip: 'Aller au contenu',
    navLabel: 'Navigation principale',
    nav: { about: 'À propos', services: 'Services', hours: 'Horaires', contact: 'Contact' },
    navServices: { vitrine: 'Services', restaurant: 'La carte', artisan: 'Prestations' },
    titles: {
      vitrine: { about: 'À propos', services: 'Nos services', hours: 'Horaires d’ouverture', contact: 'Contact' },
      restaurant: { about: 'Notre maison', services: 'Notre carte', hours: 'Horaires d’ouverture', contact: 'Nous trouver' },
      artisan: { about: 'Notre savoir-faire', services: 'Nos prestations', hours: 'Horaires', contact: 'Contact' },
    },
    eyebrows: {
      vitrine: { about: 'Bienvenue', services: 'Ce que nous proposons', hours: 'Quand venir', contact: 'Parlons-en' },
      restaurant: { about: 'Bienvenue', services: 'À découvrir', hours: 'Quand venir', contact: 'Venez nous voir' },
      artisan: { about: 'Qui sommes-nous', services: 'Ce que nous faisons', hours: 'Quand nous joindre', contact: 'Parlons de votre projet' },
    },
    cta: {
      contact: 'Nous contacter',
      services: 'Nos services',
      hours: 'Voir les horaires',
      menu: 'Voir la carte',
      call: 'Nous appeler',
      callShort: 'Appeler',
      write: 'Écrire',
      findUs: 'Nous trouver',
      quote: 'Demander un devis',
    },
    labels: { phone: 'Téléphone', email: 'E-mail', address: 'Adresse', map: 'Voir sur la carte', newTab: '(nouvel onglet)' },
    quote: {
      title: 'Un projet ?',
      text: 'Décrivez-nous votre besoin : nous vous répondons avec un devis détaillé.',
      listTitle: 'Nos prestations',
    },
    band: { title: 'Un projet en tête ?', text: 'Parlons-en : nous vous conseillons et vous remettons un devis détaillé.' },
    footer: { madeWith: 'Site réalisé avec Conciergerie', rights: 'Tous droits réservés', legal: 'Mentions légales' },
    menu: 'Menu',
    legal: {
      title: 'Mentions légales',
      intro: 'Informations prévues par l’article 6 de la loi n° 2004-575 du 21 juin 2004 pour la confiance dans l’économie numérique (LCEN).',
      publisher: 'Éditeur du site',
      name: 'Dénomination',
      form: 'Forme juridique',
      registration: 'Immatriculation',
      vat: 'N° de TVA intracommunautaire',
      address: 'Adresse',
      email: 'E-mail',
      phone: 'Téléphone',
      director: 'Directeur de la publication',
      host: 'Hébergement',
      hostText: 'Le site est hébergé par :',
      privacy: 'Données personnelles et cookies',
      privacyText:
        'Ce site ne dépose aucun cookie et n’utilise aucun outil de mesure d’audience ; il ne collecte aucune donnée personnelle. Les messages que vous envoyez par e-mail ou par téléphone ne servent qu’à vous répondre.',
      back: 'Retour à l’accueil',
    },
    notFound: {
      title: 'Page introuvable',
      text: 'La page que vous cherchez n’existe pas ou a été déplacée.',
      back: 'Retour à l’accueil',
    },
    quoteSubject: 'Demande de devis',
  },
  en: {
    intl: 'en-GB',
    ogLocale: 'en_GB',
    days: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
    everyDay: 'Every day',
    closed: 'Closed',
    onQuote: 'On quote',
    skip: 'Skip to content',
    navLabel: 'Main navigation',
    nav: { about: 'About', services: 'Services', hours: 'Hours', contact: 'Contact' },
    navServices: { vitrine: 'Services', restaurant: 'Menu', artisan: 'Services' },
    titles: {
      vitrine: { about: 'About us', services: 'Our services', hours: 'Opening hours', contact: 'Contact' },
      restaurant: { about: 'Our story', services: 'Our menu', hours: 'Opening hours', contact: 'Find us' },
      artisan: { about: 'Our craft', services: 'What we do', hours: 'Hours', contact: 'Contact' },
    },
    eyebrows: {
      vitrine: { about: 'Welcome', services: 'What we offer', hours: 'When to visit', contact: 'Get in touch' },
      restaurant: { about: 'Welcome', services: 'To enjoy', hours: 'When to visit', contact: 'Come and see us' },
      artisan: { about: 'Who we are', services: 'Our services', hours: 'When to reach us', contact: 'Let’s talk about your project' },
    },
    cta: {
      contact: 'Contact us',
      services: 'Our services',
      hours: 'Opening hours',
      menu: 'See the menu',
      call: 'Call us',
      callShort: 'Call',
      write: 'Email',
      findUs: 'Find us',
      quote: 'Request a quote',
    },
    labels: { phone: 'Phone', email: 'Email', address: 'Address', map: 'View on map', newTab: '(opens in a new tab)' },
    quote: {
      title: 'Got a project?',
      text: 'Tell us what you need: we will reply with a detailed quote.',
      listTitle: 'What we do',
    },
    band: { title: 'Have a project in mind?', text: 'Let’s talk: we will advise you and send you a detailed quote.' },
    footer: { madeWith: 'Website made with Conciergerie', rights: 'All rights reserved', legal: 'Legal notice' },
    menu: 'Menu',
    legal: {
      title: 'Legal notice',
      intro: 'Information required by article 6 of French law no. 2004-575 of 21 June 2004 on confidence in the digital economy (LCEN).',
      publisher: 'Publisher',
      name: 'Name',
      form: 'Legal form',
      registration: 'Registration',
      vat: 'VAT number',
      address: 'Address',
      email: 'Email',
      phone: 'Phone',
      director: 'Publication director',
      host: 'Hosting',
      hostText: 'This website is hosted by:',
      privacy: 'Personal data and cookies',
      privacyText:
        'This website sets no cookies and uses no audience measurement tool; it collects no personal data. Messages you send by email or phone are only used to answer you.',
      back: 'Back to the home page',
    },
    notFound: {
      title: 'Page not found',
      text: 'The page you are looking for does not exist or has moved.',
      back: 'Back to the home page',
    },
    quoteSubject: 'Quote request',
  },
};

export const SCHEMA_DAYS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
