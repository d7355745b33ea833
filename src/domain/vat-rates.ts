// The EU member states' standard VAT rates, in basis points (2000 = 20 %), keyed by ISO 3166-1 country code.
// Source: European Commission, DG TAXUD, "VAT rates applied in the Member States of the European Union" (situation at
// 1 January 2025), with the changes since: Estonia 24 % from 1 July 2025 and Romania 21 % from 1 August 2025.
// Checked 2025-08-01; VAT_RATE_OVERRIDES replaces any of them without a release.
export const EU_STANDARD_RATES_AS_OF = '2025-08-01';

export const EU_STANDARD_RATES: Readonly<Record<string, number>> = {
  AT: 2000,
  BE: 2100,
  BG: 2000,
  CY: 1900,
  CZ: 2100,
  DE: 1900,
  DK: 2500,
  EE: 2400,
  ES: 2100,
  FI: 2550,
  FR: 2000,
  GR: 2400,
  HR: 2500,
  HU: 2700,
  IE: 2300,
  IT: 2200,
  LT: 2100,
  LU: 1700,
  LV: 2100,
  MT: 1800,
  NL: 2100,
  PL: 2300,
  PT: 2300,
  RO: 2100,
  SE: 2500,
  SI: 2200,
  SK: 2300,
};

/** VAT numbers use EL for Greece (VIES, Council Regulation 904/2010); ISO 3166 says GR. */
export const vatPrefixOf = (country: string) => (country === 'GR' ? 'EL' : country);
export const countryOfVatPrefix = (prefix: string) => (prefix === 'EL' ? 'GR' : prefix);

export const isEuMemberState = (country: string) => Object.hasOwn(EU_STANDARD_RATES, country);
