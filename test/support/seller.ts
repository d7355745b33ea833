// A made-up seller identity as settings (its SIREN and SIRET carry valid keys, its VAT number that SIREN's key): what a
// production configuration in tests and benchmarks sets, since production refuses to start without one.
export const EXAMPLE_SELLER = {
  SELLER_LEGAL_NAME: 'Conciergerie Essai SAS',
  SELLER_LEGAL_FORM: 'SAS',
  SELLER_SHARE_CAPITAL: '10 000 €',
  SELLER_SIREN: '999123458',
  SELLER_SIRET: '99912345800005',
  SELLER_RCS: 'RCS Paris 999 123 458',
  SELLER_VAT_NUMBER: 'FR61999123458',
  SELLER_ADDRESS: '1 rue de l’Essai',
  SELLER_POSTAL_CODE: '75001',
  SELLER_CITY: 'Paris',
  SELLER_COUNTRY: 'FR',
  SELLER_EMAIL: 'legal@conciergerie.example',
  SELLER_PHONE: '+33 1 23 45 67 89',
  // the legal notice's host and the terms' mediator, required with the seller
  HOST_NAME: 'Hébergement Essai SARL',
  HOST_ADDRESS: '5 avenue de l’Essai, 59100 Roubaix, FR',
  HOST_PHONE: '+33 9 72 10 10 10',
  MEDIATOR_NAME: 'Médiation Essai Consommation',
  MEDIATOR_ADDRESS: '7 rue de la Médiation, 75008 Paris, FR',
  MEDIATOR_URL: 'https://mediation-essai.example',
} as const;

/** What a production installation must set beyond its seller: whether its prices include VAT (src/config/billing.ts). */
export const sellerEnv = { ...EXAMPLE_SELLER, PRICES_INCLUDE_VAT: 'on' } as const;
