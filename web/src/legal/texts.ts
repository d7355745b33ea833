// The terms, the consumer's early-start request, the footer's legal links and the personal data panel, in French and
// English. The early-start wording is what Code de la consommation L221-25 and L221-28 1° ask the consumer to state.
import type { Locale } from '../i18n.ts';

const fr = {
  consent: {
    legend: 'Vous commandez',
    consumer: 'à titre personnel',
    consumerNote: 'Vous êtes un consommateur : vous avez un droit de rétractation de 14 jours.',
    business: 'pour une entreprise',
    businessNote: 'Une entreprise qui commande pour son activité n’a pas de droit de rétractation.',
    acceptBefore: 'J’ai lu et j’accepte les ',
    terms: 'conditions générales de vente',
    acceptAfter: ' (version du ',
    acceptEnd: ').',
    privacyBefore: 'Vos données : ',
    privacy: 'politique de confidentialité',
    earlyStart:
      'Je demande que le service commence dès mon paiement, avant la fin du délai de rétractation de 14 jours. Je reconnais que, si je me rétracte ensuite, je paierai ce qui aura déjà été fourni, et que je perdrai mon droit de rétractation une fois le site livré (articles L221-25 et L221-28 du Code de la consommation).',
    needTerms: 'Acceptez les conditions générales de vente pour commander.',
    needEarlyStart: 'Cochez la demande de début immédiat du service : sans elle, nous ne pouvons pas tenir le délai.',
    businessNoWithdrawal: 'En tant qu’entreprise, vous n’avez pas de droit de rétractation.',
  },
  footer: { terms: 'Conditions générales de vente', privacy: 'Confidentialité', notice: 'Mentions légales' },
  data: {
    title: 'Vos données personnelles',
    lead: 'Téléchargez tout ce que nous détenons sur vous (toutes vos commandes à cette adresse), ou demandez leur effacement.',
    download: 'Télécharger mes données (JSON)',
    erase: 'Effacer mes données',
    confirmLead:
      'L’effacement est définitif : le nom de votre entreprise, votre adresse e-mail, le titulaire du nom de domaine, le contenu de votre site chez nous et nos e-mails seront effacés. Votre site publié reste en ligne.',
    confirm: 'Je comprends que l’effacement est définitif',
    confirmButton: 'Effacer définitivement',
    cancel: 'Annuler',
    done: (orders: number) => `Vos données sont effacées (${orders} commande${orders > 1 ? 's' : ''}).`,
    already: 'Vos données avaient déjà été effacées.',
    kept: 'Ce que nous gardons, et pourquoi :',
    until: 'Jusqu’à :',
    offline: 'La demande n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.',
  },
};

const en: typeof fr = {
  consent: {
    legend: 'You are ordering',
    consumer: 'as an individual',
    consumerNote: 'You are a consumer: you have a 14-day right of withdrawal.',
    business: 'for a business',
    businessNote: 'A business ordering for its trade has no right of withdrawal.',
    acceptBefore: 'I have read and accept the ',
    terms: 'terms of sale',
    acceptAfter: ' (version of ',
    acceptEnd: ').',
    privacyBefore: 'Your data: ',
    privacy: 'privacy policy',
    earlyStart:
      'I ask for the service to start as soon as I pay, before the 14-day withdrawal period ends. I acknowledge that if I withdraw afterwards I will pay for what has already been provided, and that I lose my right of withdrawal once the site is delivered (articles L221-25 and L221-28 of the French Code de la consommation).',
    needTerms: 'Please accept the terms of sale to order.',
    needEarlyStart: 'Please tick the request for the service to start at once: without it we cannot meet the deadline.',
    businessNoWithdrawal: 'As a business, you have no right of withdrawal.',
  },
  footer: { terms: 'Terms of sale', privacy: 'Privacy', notice: 'Legal notice' },
  data: {
    title: 'Your personal data',
    lead: 'Download everything we hold about you (every order at this address), or ask for it to be erased.',
    download: 'Download my data (JSON)',
    erase: 'Erase my data',
    confirmLead:
      'Erasure cannot be undone: your business name, your email address, the domain holder, your site’s content held by us and our emails will be erased. Your published site stays online.',
    confirm: 'I understand that erasure cannot be undone',
    confirmButton: 'Erase for good',
    cancel: 'Cancel',
    done: (orders: number) => `Your data is erased (${orders} order${orders > 1 ? 's' : ''}).`,
    already: 'Your data had already been erased.',
    kept: 'What we keep, and why:',
    until: 'Until:',
    offline: 'The request could not be sent. Check your connection and try again.',
  },
};

export const legalTexts: Record<Locale, typeof fr> = { fr, en };

/** Our legal pages (served by the API as plain HTML, in each language). */
export const legalHref = {
  terms: { fr: '/conditions-generales', en: '/terms' },
  privacy: { fr: '/confidentialite', en: '/privacy' },
  notice: { fr: '/mentions-legales', en: '/legal-notice' },
} as const;
