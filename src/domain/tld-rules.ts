// What each TLD we sell asks of its holder, written once as data with its source: who may hold a name, which fields
// each kind of holder gives, which extended attributes the registrar's domains.create takes, WHOIS privacy, IDN.
// Intake checks a holder against it before any payment; the register step builds the registrar's call from it;
// the order form shows what it asks and why (GET /api/prices); the sandbox registrar enforces the same rules.
import { AppError } from '../errors.ts';
import type { DomainName } from './domain-name.ts';
import type { Locale } from './locale.ts';
import { EEA_EFTA_STATES, EU_MEMBER_STATES, EU_OUTERMOST_REGIONS, FRENCH_OVERSEAS } from './countries.ts';
import { compactCompanyId, type Holder, type HolderField, type HolderType } from './holder.ts';

/** An extended attribute of domains.create and where its value comes from. */
export interface AttributeRule {
  param: string;
  /** a fixed value, one per holder type, or a field of the holder */
  value: string | Record<HolderType, string> | { field: HolderField };
  /** only for this type of holder */
  for?: HolderType;
  /** only when the holder's country is (or, with `!`, is not) this one */
  country?: string;
}

export interface TldRule {
  tld: string;
  registry: string;
  /** where the rules below come from */
  sources: string[];
  /** the countries a holder must reside or be established in (its address); absent: anyone */
  countries?: readonly string[];
  /** the fields beyond the always-required ones that each kind of holder must give */
  requires: Record<HolderType, readonly HolderField[]>;
  attributes: readonly AttributeRule[];
  /** the registrar may hide the holder's contact behind its privacy service (Namecheap's WhoisGuard) */
  privacy: boolean;
  /** the longest registration the registry takes, in years */
  maxYears?: number;
  /** Unicode names: the registrar's IdnCode and the letters the registry's IDN table allows; absent: ASCII only */
  idn?: { code: string; letters: RegExp };
  /** why the holder is asked what it is asked, in the customer's words */
  why: Record<Locale, string>;
}

/**
 * AFNIC's eligibility (naming policy, "Who can register": natural persons residing, and legal entities having their
 * registered office or principal place of business, in an EU member state, Iceland, Liechtenstein, Norway or
 * Switzerland; Code des postes et des communications électroniques art. L45-3), with the French territories outside
 * the Union's. Namecheap says the same (knowledgebase 9893, ".FR domain registration requirements").
 */
const AFNIC_COUNTRIES = [...EU_MEMBER_STATES, ...EU_OUTERMOST_REGIONS, ...EEA_EFTA_STATES, 'CH', ...FRENCH_OVERSEAS];

/**
 * EURid's eligibility (Regulation (EU) 2019/517 art. 3, made EEA-relevant: undertakings and organisations established,
 * and natural persons resident, in the Union, Iceland, Liechtenstein or Norway; Union citizens wherever they live).
 * We know the holder's address, not its citizenship: residence decides, so a Union citizen living abroad is refused
 * here although EURid would take them.
 */
const EURID_COUNTRIES = [...EU_MEMBER_STATES, ...EU_OUTERMOST_REGIONS, ...EEA_EFTA_STATES];

/**
 * The letters AFNIC's IDN table allows besides a-z, 0-9 and the hyphen (afnic.fr, "Caractères acceptés", as
 * icannwiki lists them); Verisign's French table for .com/.net is the same set. IdnCode takes the ISO 639-2 code of
 * the name's language (namecheap.com/support/api/methods/domains/create: "send the IdnCode parameter and the domain
 * name in Punycode"; French is "fre").
 */
const FRENCH_LETTERS = /^[a-z0-9àáâãäåæçèéêëìíîïñòóôõöœùúûüýÿß-]+$/;
const FRENCH_IDN = { code: 'fre', letters: FRENCH_LETTERS };

const NAMECHEAP_CREATE = 'namecheap.com/support/api/methods/domains/create';
/** Namecheap's WHMCS registrar module leaves WhoisGuard off for the TLDs whose registries refuse a proxy registrant (.eu, .de, .us, .ca, …). */
const NO_PRIVACY_SOURCE = 'Namecheap WHMCS registrar module (namecheap.php, $wg_ex: bz ca cn co.uk de eu in me.uk mobi nu org.uk us ws)';

const open = (tld: string, registry: string, idn: TldRule['idn']): TldRule => ({
  tld,
  registry,
  sources: [NAMECHEAP_CREATE],
  requires: { individual: [], organization: [] },
  attributes: [],
  privacy: true,
  idn,
  why: {
    fr: `Le .${tld} est ouvert à tous : le titulaire est la personne ou l’entreprise qui possédera le nom, et ses coordonnées restent masquées dans l’annuaire WHOIS.`,
    en: `.${tld} is open to everyone: the holder is the person or company who will own the name, and their details stay hidden in the WHOIS directory.`,
  },
});

export const TLD_RULES: Record<string, TldRule> = {
  fr: {
    tld: 'fr',
    registry: 'AFNIC',
    sources: [
      'afnic.fr naming policy (eligibility), CPCE art. L45-3',
      'namecheap.com/support/knowledgebase/article.aspx/9893 (.FR registration requirements: extended attributes, one year)',
      'namecheap.com/support/api/extended-attributes (.FR Domains: FRLegalType; FRRegistrantBirthDate and FRRegistrantBirthplace required when FRLegalType=Individual; FRRegistrantLegalId when Company, a SIREN or SIRET for a French company)',
    ],
    countries: AFNIC_COUNTRIES,
    // a person by birth date and place; an organisation by its SIREN/SIRET (or, outside France, its national register's
    // identifier: AFNIC's "EEA local identifier"). Namecheap's .FR attributes carry no VAT number, so it identifies no one there.
    requires: { individual: ['birthDate', 'birthPlace'], organization: ['companyId'] },
    attributes: [
      { param: 'FRLegalType', value: { individual: 'Individual', organization: 'Company' } },
      { param: 'FRRegistrantBirthDate', value: { field: 'birthDate' }, for: 'individual' },
      { param: 'FRRegistrantBirthplace', value: { field: 'birthPlace' }, for: 'individual' },
      { param: 'FRRegistrantLegalId', value: { field: 'companyId' }, for: 'organization', country: 'FR' },
      { param: 'FRRegistrantLocalId', value: { field: 'companyId' }, for: 'organization', country: '!FR' },
    ],
    privacy: true,
    maxYears: 1,
    idn: FRENCH_IDN,
    why: {
      fr: 'Le .fr est géré par l’AFNIC : son titulaire doit résider ou être établi dans l’Union européenne, en Islande, au Liechtenstein, en Norvège ou en Suisse. Une personne donne sa date et son lieu de naissance, une entreprise son numéro SIREN ou SIRET (ou, hors de France, son numéro d’immatriculation national).',
      en: '.fr is run by AFNIC: its holder must live or be established in the European Union, Iceland, Liechtenstein, Norway or Switzerland. A person gives their date and place of birth, a company its SIREN or SIRET number (or, outside France, its national registration number).',
    },
  },
  eu: {
    tld: 'eu',
    registry: 'EURid',
    sources: [
      'Regulation (EU) 2019/517 art. 3; eurid.eu registration policy',
      'namecheap.com/support/api/extended-attributes (.EU Domains: EUAgreeWhoisPolicy YES and EUAgreeDeletePolicy YES|NO required, EUAdrLang optional)',
      NO_PRIVACY_SOURCE,
    ],
    countries: EURID_COUNTRIES,
    requires: { individual: [], organization: [] },
    // EUAgreeWhoisPolicy and EUAgreeDeletePolicy are required (YES); the customer agrees to them by ordering, as the
    // order form says. EUAdrLang (the language of an ADR procedure) is optional and left to EURid's default.
    attributes: [
      { param: 'EUAgreeWhoisPolicy', value: 'YES' },
      { param: 'EUAgreeDeletePolicy', value: 'YES' },
    ],
    privacy: false,
    idn: FRENCH_IDN,
    why: {
      fr: 'Le .eu est géré par l’EURid : son titulaire doit résider ou être établi dans l’Union européenne, en Islande, au Liechtenstein ou en Norvège. En commandant, vous acceptez ses règles de publication WHOIS et de suppression du nom.',
      en: '.eu is run by EURid: its holder must live or be established in the European Union, Iceland, Liechtenstein or Norway. By ordering you accept its WHOIS publication and deletion rules.',
    },
  },
  com: open('com', 'Verisign', FRENCH_IDN),
  net: open('net', 'Verisign', FRENCH_IDN),
  org: open('org', 'Public Interest Registry', FRENCH_IDN),
  // Identity Digital and GMO Registry's IDN tables are not among our sources: Unicode names are not sold there
  io: open('io', 'Identity Digital', undefined),
  shop: open('shop', 'GMO Registry', undefined),
};

/** The rule for a TLD; a TLD we sell without a rule of its own is open, ASCII only, with privacy. */
export function tldRule(tld: string): TldRule {
  return TLD_RULES[tld] ?? open(tld, 'its registry', undefined);
}

/** One thing a holder lacks for a TLD: the field, the stable code, and the rule (the TLD's) that asks for it. */
export interface HolderProblem {
  field: HolderField;
  code: 'holder_country_not_eligible' | 'holder_field_required';
  tld: string;
  registry: string;
}

/** What stops this holder from holding a name under `tld`: nothing when the list is empty. */
export function eligibilityProblems(holder: Holder, tld: string): HolderProblem[] {
  const rule = tldRule(tld);
  const at = { tld: rule.tld, registry: rule.registry };
  const problems: HolderProblem[] = [];
  if (rule.countries && !rule.countries.includes(holder.country)) problems.push({ field: 'country', code: 'holder_country_not_eligible', ...at });
  for (const field of rule.requires[holder.type]) {
    const v = holder[field];
    if (typeof v !== 'string' || v.trim() === '') problems.push({ field, code: 'holder_field_required', ...at });
  }
  return problems;
}

/** The TLDs among `sold` this holder may hold a name under. */
export function eligibleTlds(holder: Holder, sold: string[]): string[] {
  return sold.filter((tld) => eligibilityProblems(holder, tld).length === 0);
}

/** The extended attributes domains.create takes for this holder under this TLD. */
export function registrarAttributes(holder: Holder, tld: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of tldRule(tld).attributes) {
    if (a.for && a.for !== holder.type) continue;
    if (a.country && (a.country.startsWith('!') ? holder.country === a.country.slice(1) : holder.country !== a.country)) continue;
    let value: string | undefined;
    if (typeof a.value === 'string') value = a.value;
    else if ('field' in a.value)
      value = a.value.field === 'companyId' ? compactCompanyId(holder.companyId ?? '') : (holder[a.value.field] as string | undefined);
    else value = a.value[holder.type];
    if (value) out[a.param] = value;
  }
  return out;
}

/** Whether a Unicode label may be registered under this TLD, and the IdnCode to send; ASCII labels need none. */
export function idnOf(unicodeLabel: string, tld: string): { allowed: boolean; code?: string } {
  if (/^[\x00-\x7f]*$/.test(unicodeLabel)) return { allowed: true };
  const idn = tldRule(tld).idn;
  if (!idn?.letters.test(unicodeLabel)) return { allowed: false };
  return { allowed: true, code: idn?.code };
}

/** A Unicode name under a TLD whose IDNs we do not sell (or with letters its table lacks) is bad input: 422. */
export function refuseUnsoldIdn(name: DomainName): void {
  const label = name.unicode.slice(0, -(name.tld.length + 1));
  if (!idnOf(label, name.tld).allowed) throw new AppError('domain_idn_not_sold', 422, { tld: name.tld }, { field: 'domain' });
}
