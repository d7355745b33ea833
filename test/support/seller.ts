// A complete seller identity and VAT setting, as a production installation must have them (src/config/seller.ts).
export const sellerEnv = {
  SELLER_LEGAL_NAME: 'Conciergerie SAS',
  SELLER_LEGAL_FORM: 'SAS',
  SELLER_SHARE_CAPITAL: '10 000 €',
  SELLER_SIREN: '732829320',
  SELLER_SIRET: '73282932000074',
  SELLER_RCS: 'RCS Paris 732 829 320',
  SELLER_VAT_NUMBER: 'FR44732829320',
  SELLER_ADDRESS: '1 rue de la Paix',
  SELLER_POSTAL_CODE: '75002',
  SELLER_CITY: 'Paris',
  SELLER_COUNTRY: 'FR',
  SELLER_EMAIL: 'factures@shop.example',
  SELLER_PHONE: '+33 1 23 45 67 89',
  PRICES_INCLUDE_VAT: 'on',
};
