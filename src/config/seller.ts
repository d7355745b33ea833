// The seller's identity as invoices, the legal notice and the terms print it: settings, required in production.
import { z } from 'zod';
import { group, optionalString } from './parse.ts';

export const seller = group(
  'Seller identity',
  'Who sells: printed on every invoice and credit note (Code général des impôts, annexe II, art. 242 nonies A; Code de commerce R123-237), on the legal notice and the terms of sale. Each is required when `NODE_ENV=production`; elsewhere an example identity marked as such stands in.',
  {
    SELLER_LEGAL_NAME: optionalString.describe('the company’s legal name (dénomination sociale)'),
    SELLER_LEGAL_FORM: optionalString.describe('its legal form, e.g. `SAS`'),
    SELLER_SHARE_CAPITAL: optionalString.describe('its share capital as printed, e.g. `10 000 €`'),
    SELLER_SIREN: optionalString
      .pipe(
        z
          .string()
          .regex(/^\d{9}$/, 'must be 9 digits')
          .optional(),
      )
      .describe('SIREN (9 digits)'),
    SELLER_SIRET: optionalString
      .pipe(
        z
          .string()
          .regex(/^\d{14}$/, 'must be 14 digits')
          .optional(),
      )
      .describe('SIRET of the establishment that invoices (14 digits)'),
    SELLER_RCS: optionalString.describe('its trade register entry, e.g. `RCS Paris 123 456 789`'),
    SELLER_VAT_NUMBER: optionalString
      .pipe(
        z
          .string()
          .regex(/^FR[0-9A-Z]{2}\d{9}$/, 'must be a French VAT number, FR + 2 + SIREN')
          .optional(),
      )
      .describe('intra-Community VAT number'),
    SELLER_ADDRESS: optionalString.describe('street address of the registered office'),
    SELLER_POSTAL_CODE: optionalString.describe('its postal code'),
    SELLER_CITY: optionalString.describe('its city'),
    SELLER_COUNTRY: optionalString
      .pipe(
        z
          .string()
          .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
          .optional(),
      )
      .describe('its country (ISO 3166-1 alpha-2), e.g. `FR`'),
    SELLER_EMAIL: optionalString.pipe(z.email().optional()).describe('the invoices’ contact address'),
    SELLER_PHONE: optionalString.describe('the invoices’ contact telephone'),
  },
);

/**
 * Who else the legal texts must name. The legal notice: the site's host, its name, address and telephone (loi
 * n° 2004-575 pour la confiance dans l'économie numérique, art. 6 III 1 d). The terms of sale: the consumer mediator
 * the seller adheres to, its name, address and website (Code de la consommation L612-1, L616-1 and R616-1). No link to
 * the EU's online dispute resolution platform: Regulation (EU) 2024/3228 repealed Regulation (EU) 524/2013, whose
 * art. 14 asked for it, and closed the platform on 20 July 2025.
 */
export const legalParties = group(
  'Host and consumer mediator',
  'The host of this site, named by the legal notice (LCEN art. 6 III), and the consumer mediator the seller adheres to, named by the terms of sale (Code de la consommation L612-1, L616-1). Each is required when `NODE_ENV=production`; elsewhere an example marked as such stands in.',
  {
    HOST_NAME: optionalString.describe('the name or company name of the host of this site, e.g. `OVH SAS`'),
    HOST_ADDRESS: optionalString.describe('the host’s postal address, on one line'),
    HOST_PHONE: optionalString.describe('the host’s telephone number'),
    MEDIATOR_NAME: optionalString.describe('the consumer mediator the seller adheres to (its name as registered with the CECMC)'),
    MEDIATOR_ADDRESS: optionalString.describe('the mediator’s postal address, on one line'),
    MEDIATOR_URL: optionalString.pipe(z.url().optional()).describe('the mediator’s website, where a consumer submits a case'),
  },
);

export const SELLER_SETTINGS = Object.keys(seller.settings) as (keyof typeof seller.settings)[];
const PARTY_SETTINGS = Object.keys(legalParties.settings) as (keyof typeof legalParties.settings)[];

type SellerEnv = { [K in (typeof SELLER_SETTINGS)[number] | (typeof PARTY_SETTINGS)[number]]?: string | undefined } & {
  NODE_ENV?: string;
  SANDBOX?: string;
};

/**
 * Each seller, host or mediator setting missing in production, by name. A demonstration installation (SANDBOX=on:
 * the sandbox world, no real money) sells nothing: its documents carry the example identities, marked as such.
 */
export function sellerProblems(e: SellerEnv): string[] {
  if (e.NODE_ENV !== 'production' || e.SANDBOX === 'on') return [];
  const why = (k: string) =>
    k.startsWith('HOST_')
      ? 'the host of this site, named by the legal notice (LCEN art. 6 III)'
      : k.startsWith('MEDIATOR_')
        ? 'the consumer mediator, named by the terms of sale (Code de la consommation L616-1)'
        : 'the seller identity printed on invoices, the legal notice and the terms';
  return [...SELLER_SETTINGS, ...PARTY_SETTINGS].filter((k) => !e[k]).map((k) => `${k}: required when NODE_ENV=production (${why(k)})`);
}

export interface Host {
  name: string;
  address: string;
  phone: string;
  example: boolean;
}

export interface Mediator {
  name: string;
  address: string;
  url: string;
  example: boolean;
}

/** The host and the mediator as settings give them; examples, marked as such, when their names are not set. */
export function legalPartiesOf(e: SellerEnv): { host: Host; mediator: Mediator } {
  const host = e.HOST_NAME
    ? { name: e.HOST_NAME, address: e.HOST_ADDRESS ?? '', phone: e.HOST_PHONE ?? '', example: false }
    : { name: 'Hébergeur Exemple SAS', address: '2 rue de l’Exemple, 75002 Paris, FR', phone: '+33 1 00 00 00 01', example: true };
  const mediator = e.MEDIATOR_NAME
    ? { name: e.MEDIATOR_NAME, address: e.MEDIATOR_ADDRESS ?? '', url: e.MEDIATOR_URL ?? '', example: false }
    : { name: 'Médiateur Exemple', address: '3 rue de l’Exemple, 75003 Paris, FR', url: 'https://mediateur.example', example: true };
  return { host, mediator };
}

export interface Seller {
  legalName: string;
  legalForm: string;
  shareCapital: string;
  siren: string;
  siret: string;
  rcs: string;
  vatNumber: string;
  address: string;
  postalCode: string;
  city: string;
  country: string;
  email: string;
  phone: string;
  /** true when the example identity stands in (never in production) */
  example: boolean;
}

/** An identity that says it is an example, for development, tests and the sandbox world (SIREN with a valid key). */
const EXAMPLE: Omit<Seller, 'example'> = {
  legalName: 'Conciergerie Exemple',
  legalForm: 'SAS',
  shareCapital: '10 000 €',
  siren: '732829320',
  siret: '73282932000074',
  rcs: 'RCS Paris 732 829 320',
  vatNumber: 'FR44732829320',
  address: '1 rue de l’Exemple',
  postalCode: '75001',
  city: 'Paris',
  country: 'FR',
  email: 'factures@conciergerie.example',
  phone: '+33 1 00 00 00 00',
};

export function sellerOf(e: SellerEnv): Seller {
  const given = {
    legalName: e.SELLER_LEGAL_NAME,
    legalForm: e.SELLER_LEGAL_FORM,
    shareCapital: e.SELLER_SHARE_CAPITAL,
    siren: e.SELLER_SIREN,
    siret: e.SELLER_SIRET,
    rcs: e.SELLER_RCS,
    vatNumber: e.SELLER_VAT_NUMBER,
    address: e.SELLER_ADDRESS,
    postalCode: e.SELLER_POSTAL_CODE,
    city: e.SELLER_CITY,
    country: e.SELLER_COUNTRY,
    email: e.SELLER_EMAIL,
    phone: e.SELLER_PHONE,
  };
  const example = !given.legalName;
  const out = { ...EXAMPLE, example } as Seller;
  for (const [k, v] of Object.entries(given)) if (v) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}
