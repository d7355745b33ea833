// What we keep about a customer, why and for how long: the privacy page lists it, and an erasure answers with the part
// that outlives it. One list, so that what the page promises is what the erasure does (src/legal/erasure.ts).
import type { Locale } from '../domain/locale.ts';

type Words = Record<Locale, string>;

export interface KeptItem {
  /** a stable name for clients */
  key: 'invoices' | 'contract' | 'payments' | 'domain' | 'opt_out';
  what: Words;
  why: Words;
  until: Words;
}

/** What an erasure leaves, each with the rule that requires it. */
export const KEPT_AFTER_ERASURE: readonly KeptItem[] = [
  {
    key: 'invoices',
    what: {
      fr: 'Les factures et avoirs : votre identité de facturation, ce qui a été acheté, les montants et la TVA.',
      en: 'Invoices and credit notes: your billing identity, what was bought, the amounts and the VAT.',
    },
    why: {
      fr: 'Obligations comptables et fiscales : Code de commerce, art. L123-22 (10 ans) ; Livre des procédures fiscales, art. L102 B (6 ans).',
      en: 'Accounting and tax obligations: French Code de commerce, art. L123-22 (10 years); Livre des procédures fiscales, art. L102 B (6 years).',
    },
    until: { fr: '10 ans après la clôture de l’exercice.', en: '10 years after the end of the financial year.' },
  },
  {
    key: 'contract',
    what: {
      fr: 'La trace du contrat, sans vos coordonnées : la version des conditions acceptée et sa date, le prix, les dates de la commande et de la livraison.',
      en: 'The record of the contract, without your contact details: the version of the terms accepted and when, the price, the order’s and delivery’s dates.',
    },
    why: {
      fr: 'Code de la consommation, art. L213-1 et D213-2 : un contrat conclu en ligne pour 120 € ou plus est conservé 10 ans.',
      en: 'Code de la consommation, art. L213-1 and D213-2: a contract concluded online for 120 € or more is kept for 10 years.',
    },
    until: { fr: '10 ans après la livraison.', en: '10 years after delivery.' },
  },
  {
    key: 'payments',
    what: {
      fr: 'Les références des paiements et remboursements chez Stripe ou PayPal, et les identifiants de leurs notifications.',
      en: 'The references of payments and refunds at Stripe or PayPal, and the ids of their notifications.',
    },
    why: {
      fr: 'Ne jamais débiter ni rembourser deux fois, et justifier la comptabilité (mêmes règles que les factures).',
      en: 'Never to charge or refund twice, and to support the accounts (the same rules as invoices).',
    },
    until: { fr: '10 ans, comme les factures.', en: '10 years, as invoices.' },
  },
  {
    key: 'domain',
    what: {
      fr: 'Le nom de domaine acheté et sa référence chez le registraire.',
      en: 'The domain name bought and its reference at the registrar.',
    },
    why: {
      fr: 'Il est enregistré auprès du registre à votre nom : son échéance et son renouvellement en dépendent. Le registraire et le registre conservent eux-mêmes les coordonnées du titulaire, selon leurs propres règles.',
      en: 'It is registered with the registry in your name: its expiry and renewal depend on it. The registrar and the registry keep the holder’s contact details themselves, under their own rules.',
    },
    until: { fr: 'Tant que le nom est enregistré.', en: 'As long as the name is registered.' },
  },
  {
    key: 'opt_out',
    what: {
      fr: 'Votre demande de ne plus être contacté, si vous l’avez faite (votre adresse e-mail seule).',
      en: 'Your request not to be contacted, if you made one (your email address alone).',
    },
    why: {
      fr: 'Pour ne plus jamais vous écrire : c’est la liste d’opposition que la CNIL admet de conserver.',
      en: 'So that we never write to you again: the opposition list the CNIL allows keeping.',
    },
    until: { fr: '3 ans après votre demande.', en: '3 years after your request.' },
  },
];

/** What an erasure removes (or replaces with a placeholder), as said to the customer. */
export const ERASED: Words = {
  fr: 'Effacés : le nom de votre entreprise, votre adresse e-mail, votre ville, le titulaire du nom de domaine et ses coordonnées, l’adresse IP de votre acceptation, le contenu de nos e-mails, le contenu de votre site chez nous (textes, images, archive), votre commentaire de satisfaction, et les détails du payeur reçus de Stripe ou PayPal.',
  en: 'Erased: your business name, your email address, your city, the domain holder and their contact details, the IP address of your acceptance, the content of our emails, your site’s content held by us (texts, pictures, archive), your satisfaction comment, and the payer’s details received from Stripe or PayPal.',
};

/** The kept items in a language, for an answer. */
export function keptIn(locale: Locale): { key: KeptItem['key']; what: string; why: string; until: string }[] {
  return KEPT_AFTER_ERASURE.map((k) => ({ key: k.key, what: k.what[locale], why: k.why[locale], until: k.until[locale] }));
}
