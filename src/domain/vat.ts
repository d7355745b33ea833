// Which VAT applies to a customer, and an order's amounts excluding VAT, VAT and including VAT, in integer cents.
// Our service (a domain, hosting and a site set up with nobody in the loop) is an electronically supplied service
// (directive 2006/112/EC art. 7 and Annex II; implementing regulation 282/2011 art. 7 and Annex I: web hosting).
import { EU_STANDARD_RATES, isEuMemberState } from './vat-rates.ts';
import type { PriceItem } from './pricing.ts';

export type CustomerKind = 'consumer' | 'business';

export const VAT_CASES = [
  'domestic',
  'reverse_charge',
  'oss',
  'eu_consumer_fr_vat',
  'outside_eu_business',
  'outside_eu_consumer',
  'dom',
  'dom_no_vat',
] as const;
export type VatCase = (typeof VAT_CASES)[number];

/** EN 16931 VAT category codes (UNTDID 5305): S standard, AE reverse charge, O not subject to VAT. */
export type VatCategory = 'S' | 'AE' | 'O';

export interface VatTreatment {
  case: VatCase;
  /** basis points: 2000 = 20 % */
  rateBp: number;
  category: VatCategory;
  /** the country whose VAT applies (null: none) */
  vatCountry: string | null;
  /** the legal ground printed on the document when no French VAT is charged, or the rate is another state's */
  mention: { fr: string; en: string } | null;
}

export interface VatSettings {
  ossRegistered: boolean;
  overrides?: Record<string, number>;
}

/** France's VAT territory for our purposes: metropolitan France and Monaco (the Franco-Monegasque convention of 1963). */
const FRENCH_VAT_TERRITORY = ['FR', 'MC'];

/**
 * The overseas departments (DOM). Outside the EU's VAT territory (directive 2006/112/EC art. 6) but, for services,
 * not "territoires tiers" to mainland France: the place of a service between the mainland and a DOM follows CGI
 * art. 259 to 259 D, only to choose the rate, and the seller charges and pays that VAT itself, never the customer by
 * reverse charge (BOI-TVA-GEO-20-40 § 20-40). Guadeloupe, Martinique and La Réunion apply VAT at the rates of CGI
 * art. 296 (standard 8.5 %); in Guyane and Mayotte VAT is "provisoirement pas applicable" (CGI art. 294-1).
 * Our service's place: a business customer's establishment (CGI art. 259-1°; impots.gouv.fr, "Je réalise depuis la
 * métropole une prestation de services pour un client situé dans un DOM": 8.5 % in GP/MQ/RE, no VAT in GF/YT); a
 * consumer's residence, the service being electronically supplied (CGI art. 259 D), so the same outcome.
 */
export const DOM_TAXED = ['GP', 'MQ', 'RE'];
export const DOM_UNTAXED = ['GF', 'YT'];
/** CGI art. 296-1° a: the standard rate in Guadeloupe, Martinique and La Réunion. */
export const DOM_STANDARD_RATE_BP = 850;

/**
 * The territory a billing address is in, for VAT: a French address whose postal code is an overseas one is read as
 * that territory's own ISO code (La Poste: 971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte;
 * 975 Saint-Pierre-et-Miquelon, 977 Saint-Barthélemy, 978 Saint-Martin, 986 Wallis-et-Futuna, 987 Polynésie
 * française, 988 Nouvelle-Calédonie: overseas collectivities with tax systems of their own, outside French VAT).
 */
export function vatTerritory(country: string, postalCode?: string): string {
  if (country !== 'FR' || !postalCode) return country;
  const prefix = postalCode.replace(/\s/g, '').slice(0, 3);
  const overseas: Record<string, string> = {
    '971': 'GP',
    '972': 'MQ',
    '973': 'GF',
    '974': 'RE',
    '976': 'YT',
    '975': 'PM',
    '977': 'BL',
    '978': 'MF',
    '986': 'WF',
    '987': 'PF',
    '988': 'NC',
  };
  return overseas[prefix] ?? country;
}

export function standardRate(country: string, settings: VatSettings): number {
  const rate = settings.overrides?.[country] ?? EU_STANDARD_RATES[country];
  if (rate === undefined) throw new Error(`no VAT rate for ${country}`);
  return rate;
}

/**
 * The VAT case of a customer: `validVatNumber` means an EU VAT number already checked (format, and VIES when on).
 * - in France: French VAT, consumer or business (CGI art. 259 and 259-1°);
 * - an EU business with a valid VAT number: reverse charge, the customer accounts for the VAT (CGI art. 283-2;
 *   directive 2006/112/EC art. 44 and 196); without one, it is treated as a consumer;
 * - an EU consumer elsewhere: their country's rate when registered for the One-Stop-Shop (CGI art. 259 D and
 *   298 sexdecies G; directive art. 58 and 369a ff.), French VAT otherwise (under the EUR 10,000 threshold of
 *   directive art. 59c);
 * - outside the EU: not subject to French VAT: a business by CGI art. 259-1° (the customer's place of establishment),
 *   a consumer by CGI art. 259 B 12° (electronically supplied services to a person established outside the EU);
 * - an overseas department (ISO code, or FR with its postal code): its own rate or none, see DOM_TAXED above.
 */
export function vatTreatment(
  customer: { kind: CustomerKind; country: string; postalCode?: string; validVatNumber: boolean },
  settings: VatSettings,
): VatTreatment {
  const fr = standardRate('FR', settings);
  const country = vatTerritory(customer.country, customer.postalCode);
  if (FRENCH_VAT_TERRITORY.includes(country)) return { case: 'domestic', rateBp: fr, category: 'S', vatCountry: 'FR', mention: null };
  if (DOM_TAXED.includes(country)) {
    return {
      case: 'dom',
      rateBp: settings.overrides?.[country] ?? DOM_STANDARD_RATE_BP,
      category: 'S',
      vatCountry: 'FR',
      mention: {
        fr: 'TVA au taux applicable en Guadeloupe, en Martinique et à La Réunion — articles 294-1 et 296 du CGI',
        en: 'VAT at the rate of Guadeloupe, Martinique and La Réunion — French tax code art. 294-1 and 296',
      },
    };
  }
  if (DOM_UNTAXED.includes(country)) {
    return {
      case: 'dom_no_vat',
      rateBp: 0,
      category: 'O',
      vatCountry: null,
      mention: {
        fr: 'TVA non applicable en Guyane et à Mayotte — article 294-1 du CGI',
        en: 'VAT not applicable in French Guiana and Mayotte — French tax code art. 294-1',
      },
    };
  }
  if (isEuMemberState(country)) {
    if (customer.kind === 'business' && customer.validVatNumber) {
      return {
        case: 'reverse_charge',
        rateBp: 0,
        category: 'AE',
        vatCountry: null,
        mention: {
          fr: 'Autoliquidation — article 283-2 du CGI ; article 196 de la directive 2006/112/CE',
          en: 'Reverse charge (“Autoliquidation”) — French tax code art. 283-2; Council Directive 2006/112/EC art. 196',
        },
      };
    }
    if (settings.ossRegistered) {
      return {
        case: 'oss',
        rateBp: standardRate(country, settings),
        category: 'S',
        vatCountry: country,
        mention: {
          fr: `TVA de l’État membre du client (${country}), déclarée au guichet unique OSS — article 259 D du CGI`,
          en: `VAT of the customer’s member state (${country}), declared through the One-Stop-Shop — French tax code art. 259 D`,
        },
      };
    }
    return { case: 'eu_consumer_fr_vat', rateBp: fr, category: 'S', vatCountry: 'FR', mention: null };
  }
  if (customer.kind === 'business') {
    return {
      case: 'outside_eu_business',
      rateBp: 0,
      category: 'O',
      vatCountry: null,
      mention: { fr: 'TVA non applicable — article 259-1° du CGI', en: 'VAT not applicable — French tax code art. 259-1°' },
    };
  }
  return {
    case: 'outside_eu_consumer',
    rateBp: 0,
    category: 'O',
    vatCountry: null,
    mention: { fr: 'TVA non applicable — article 259 B du CGI', en: 'VAT not applicable — French tax code art. 259 B' },
  };
}

export interface TaxedLine {
  code: PriceItem['code'];
  quantity: 1;
  /** unit price excluding VAT = the line's amount (one of each) */
  unitExclVatCents: number;
  rateBp: number;
}

export interface TaxedAmounts {
  lines: TaxedLine[];
  /** one entry per rate (our documents carry one) */
  byRate: { rateBp: number; category: VatCategory; baseCents: number; vatCents: number }[];
  totalExclVatCents: number;
  vatCents: number;
  totalInclVatCents: number;
}

/** Half away from zero, on integers. */
const divRound = (n: number, d: number) => Math.sign(n) * Math.round(Math.abs(n) / d);

/**
 * The order's amounts. The list prices are French-VAT-inclusive when `pricesIncludeVat`, so the price excluding VAT
 * is taken out of them at the French rate; a domestic customer then pays exactly the list total, its VAT being the
 * difference (the lines' net prices sum to the total's). Otherwise VAT is the rate applied to the total excluding VAT,
 * rounded to the cent (EN 16931 BR-CO-17).
 */
export function taxAmounts(items: PriceItem[], treatment: VatTreatment, pricesIncludeVat: boolean, frRateBp: number): TaxedAmounts {
  const listTotal = items.reduce((s, i) => s + i.amountCents, 0);
  let nets = items.map((i) => i.amountCents);
  let totalExcl = listTotal;
  if (pricesIncludeVat) {
    totalExcl = divRound(listTotal * 10_000, 10_000 + frRateBp);
    nets = items.map((i) => divRound(i.amountCents * 10_000, 10_000 + frRateBp));
    // the rounding of each line lands on the last one, so that the lines add up to the total
    nets[nets.length - 1]! += totalExcl - nets.reduce((s, n) => s + n, 0);
  }
  const keepsListTotal = pricesIncludeVat && treatment.rateBp === frRateBp;
  const vat = keepsListTotal ? listTotal - totalExcl : divRound(totalExcl * treatment.rateBp, 10_000);
  return {
    lines: items.map((i, n) => ({ code: i.code, quantity: 1, unitExclVatCents: nets[n]!, rateBp: treatment.rateBp })),
    byRate: [{ rateBp: treatment.rateBp, category: treatment.category, baseCents: totalExcl, vatCents: vat }],
    totalExclVatCents: totalExcl,
    vatCents: vat,
    totalInclVatCents: totalExcl + vat,
  };
}

/** A partial amount including VAT (a refund), split at one rate: its base and its VAT. */
export function splitInclusive(amountInclCents: number, rateBp: number): { baseCents: number; vatCents: number } {
  const base = divRound(amountInclCents * 10_000, 10_000 + rateBp);
  return { baseCents: base, vatCents: amountInclCents - base };
}
