// Leaving with the domain and the holder's contact data, in the customer's space, in French and English.
import type { Locale } from '../i18n.ts';

const fr = {
  transfer: 'Transférer le domaine ailleurs',
  holderButton: 'Coordonnées du titulaire',
  hide: 'Fermer',
  transferTitle: (domain: string) => `Transférer ${domain} vers un autre registraire`,
  transferLead: [
    'Nous retirons le verrou de transfert du domaine (certaines extensions, comme .fr et .eu, n’en ont pas) et désactivons son renouvellement automatique : rien ne sera plus prélevé. Votre site reste en ligne jusqu’à la fin du transfert.',
    'Le code de transfert (code EPP ou « auth code ») est envoyé par Namecheap, notre registraire, directement à l’adresse e-mail du titulaire : son API ne permet pas de le lire, nous le demandons depuis son espace. Donnez ce code à votre nouveau registraire.',
    'Un .com, .net, .org (et toute extension générique) ne peut pas changer de registraire dans les 60 jours qui suivent son enregistrement ou un changement de titulaire (règle de l’ICANN). Les .fr, .eu, .de et .co.uk n’ont pas ce délai.',
  ],
  transferableFrom: (date: string) =>
    `Transfert vers un autre registraire possible à partir du ${date} (60 jours après l’enregistrement ou le dernier changement de titulaire, règle de l’ICANN).`,
  confirm: 'Confirmer le transfert',
  sending: 'Envoi…',
  requested: (email: string) =>
    `Transfert demandé. Le code de transfert sera envoyé par Namecheap à ${email}, en général sous un jour ouvré. Le transfert aboutit quand votre nouveau registraire l’a utilisé.`,
  noLock: 'Cette extension n’a pas de verrou de transfert : le code suffit.',
  pending: 'Transfert vers un autre registraire en attente',
  completed: (date: string) => `Transféré vers un autre registraire le ${date} : nous ne le gérons plus.`,
  holderTitle: 'Coordonnées du titulaire du domaine',
  holderLead:
    'Le titulaire est la personne ou l’organisation à qui appartient le nom de domaine. Vous pouvez mettre à jour son adresse, son téléphone et son e-mail. Changer de titulaire (une autre personne ou organisation) suit la procédure du registre : écrivez-nous.',
  holderIdentity: (who: string) => `Titulaire : ${who}`,
  gtldEmail:
    'Pour un .com, .net ou .org, changer l’e-mail du titulaire est un « changement de titulaire » au sens de l’ICANN : le registraire le fait confirmer aux deux adresses, et le domaine ne peut ensuite plus changer de registraire pendant 60 jours.',
  changeOfRegistrantWarning: (date: string) =>
    `Avant d’enregistrer : ce nouvel e-mail fait un « changement de titulaire » (règle de l’ICANN). Namecheap, notre registraire, enverra un e-mail de confirmation à l’ancienne et à la nouvelle adresse, et le domaine ne pourra pas changer de registraire avant le ${date}. Son API ne permet pas de refuser ce verrou de 60 jours : si vous comptez partir chez un autre registraire, demandez d’abord le transfert.`,
  lockedUntil: (date: string) => `Changement de titulaire enregistré : transfert vers un autre registraire possible à partir du ${date}.`,
  fields: {
    address1: 'Adresse',
    address2: 'Complément d’adresse (facultatif)',
    postalCode: 'Code postal',
    city: 'Ville',
    country: 'Pays (code à deux lettres, ex. FR)',
    phone: 'Téléphone (format +33.612345678)',
    email: 'E-mail du titulaire',
  },
  save: 'Enregistrer les coordonnées',
  saving: 'Enregistrement…',
  saved: 'Coordonnées mises à jour chez le registraire.',
  loading: 'Chargement…',
};

const en: typeof fr = {
  transfer: 'Transfer the domain elsewhere',
  holderButton: 'Holder’s contact details',
  hide: 'Close',
  transferTitle: (domain) => `Transfer ${domain} to another registrar`,
  transferLead: [
    'We remove the domain’s transfer lock (some extensions, such as .fr and .eu, have none) and turn its automatic renewal off: nothing will be charged again. Your site stays online until the transfer is done.',
    'The transfer code (EPP or “auth” code) is sent by Namecheap, our registrar, straight to the holder’s email address: its API gives no way to read it, so we request it from its dashboard. Give this code to your new registrar.',
    'A .com, .net, .org (and any generic extension) cannot change registrar within 60 days of its registration or of a change of holder (ICANN’s rule). .fr, .eu, .de and .co.uk have no such wait.',
  ],
  transferableFrom: (date) =>
    `Transfer to another registrar possible from ${date} (60 days after the registration or the last change of holder, ICANN’s rule).`,
  confirm: 'Confirm the transfer',
  sending: 'Sending…',
  requested: (email) =>
    `Transfer requested. Namecheap will send the transfer code to ${email}, usually within one business day. The transfer completes once your new registrar has used it.`,
  noLock: 'This extension has no transfer lock: the code is all it takes.',
  pending: 'Transfer to another registrar pending',
  completed: (date) => `Transferred to another registrar on ${date}: we no longer manage it.`,
  holderTitle: 'The domain holder’s contact details',
  holderLead:
    'The holder is the person or organisation the domain name belongs to. You can update their address, phone and email. Changing the holder (another person or organisation) follows the registry’s procedure: write to us.',
  holderIdentity: (who) => `Holder: ${who}`,
  gtldEmail:
    'For a .com, .net or .org, changing the holder’s email is a “change of registrant” under ICANN’s rules: the registrar has both addresses confirm it, and the domain then cannot change registrar for 60 days.',
  changeOfRegistrantWarning: (date) =>
    `Before you save: this new email makes a “change of registrant” (ICANN’s rule). Namecheap, our registrar, will send a confirmation email to the former and the new address, and the domain will not be able to change registrar before ${date}. Its API offers no way to opt out of this 60-day lock: if you mean to move to another registrar, ask for the transfer first.`,
  lockedUntil: (date) => `Change of registrant recorded: transfer to another registrar possible from ${date}.`,
  fields: {
    address1: 'Address',
    address2: 'Address line 2 (optional)',
    postalCode: 'Postal code',
    city: 'City',
    country: 'Country (two-letter code, e.g. FR)',
    phone: 'Phone (as +33.612345678)',
    email: 'Holder’s email',
  },
  save: 'Save the contact details',
  saving: 'Saving…',
  saved: 'Contact details updated at the registrar.',
  loading: 'Loading…',
};

export const transferTexts: Record<Locale, typeof fr> = { fr, en };
