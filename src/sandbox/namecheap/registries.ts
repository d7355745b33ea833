// What the registries behind Namecheap refuse at domains.create, as the sandbox enforces it: an IDN without its
// IdnCode, a .fr or .eu name without its extended attributes or for a registrant they do not accept.
import { EEA_EFTA_STATES, EU_MEMBER_STATES, EU_OUTERMOST_REGIONS, FRENCH_OVERSEAS } from '../../domain/countries.ts';
import { isSirenOrSiret } from '../../domain/holder.ts';
import { ApiFailure, NamecheapErrorNumber as E, type Params } from './api.ts';

/**
 * domains.create: "For successful registration of an IDN domain, you need to send the IdnCode parameter and provide
 * the domain name in the Punycode format ... as we do not support native code" (namecheap.com/support/api/methods/
 * domains/create). IdnCode is a language's three-letter code (ISO 639-2: fre, ger, spa...).
 */
export function checkIdn(domain: string, p: Params): void {
  if (/[^\x00-\x7f]/.test(domain)) throw new ApiFailure(E.IDN_INVALID, 'DomainName must be in Punycode (xn--...): native code is not supported');
  if (!domain.split('.').some((label) => label.startsWith('xn--'))) return;
  const code = p.get('IdnCode');
  if (!code) throw new ApiFailure(E.IDN_INVALID, `${domain} is an IDN: send IdnCode`);
  if (!/^[a-z]{3}$/i.test(code)) throw new ApiFailure(E.IDN_INVALID, `IdnCode "${code}" is not a language code`);
}

/** AFNIC: residents and establishments of the EU, Iceland, Liechtenstein, Norway, Switzerland (afnic.fr naming policy; Namecheap knowledgebase 9893). */
const AFNIC_COUNTRIES = new Set([...EU_MEMBER_STATES, ...EU_OUTERMOST_REGIONS, ...EEA_EFTA_STATES, 'CH', ...FRENCH_OVERSEAS]);
/** EURid: residents and establishments of the EU, Iceland, Liechtenstein, Norway (Regulation (EU) 2019/517 art. 3). */
const EURID_COUNTRIES = new Set([...EU_MEMBER_STATES, ...EU_OUTERMOST_REGIONS, ...EEA_EFTA_STATES]);
/** the identifiers Namecheap's .FR attributes take for a company (FRLegalType=Company): one of them is required */
const FR_COMPANY_IDS = ['FRRegistrantLegalId', 'FRRegistrantTradeNumber', 'FRRegistrantDunsNumber', 'FRRegistrantLocalId'];
const FR_GAZETTE = ['FRRegistrantJoDateDec', 'FRRegistrantJoDatePub', 'FRRegistrantJoNumber', 'FRRegistrantJoPage'];

const attribute = (name: string, why: string) => new ApiFailure(E.EXTENDED_ATTRIBUTE_INVALID, `${name}: ${why}`);

/** The registry's rules for the TLD, checked on the call's parameters; a TLD without any passes. */
export function checkRegistry(tld: string, years: number, p: Params): void {
  if (tld === 'fr') checkFr(years, p);
  if (tld === 'eu') checkEu(p);
}

/**
 * .fr through Namecheap (knowledgebase 9893, ".FR domain registration requirements", and its .FR extended
 * attributes): registered for one year at a time; FRLegalType Individual (birth date YYYY-MM-DD and birthplace, no
 * organisation on the registrant) or Company (a SIREN/SIRET, trademark, DUNS or EEA local identifier, or the four
 * Journal officiel fields of an association); the Technical contact must have an organisation and differ from the
 * Registrant; the registrant in AFNIC's countries.
 */
function checkFr(years: number, p: Params): void {
  if (years !== 1) throw new ApiFailure(E.YEARS_INVALID, '.fr names are registered for one year only');
  const type = p.get('FRLegalType');
  if (type !== 'Individual' && type !== 'Company') throw attribute('FRLegalType', 'required, Individual or Company');
  if (type === 'Individual') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.get('FRRegistrantBirthDate') ?? '')) throw attribute('FRRegistrantBirthDate', 'required as YYYY-MM-DD');
    if (!p.get('FRRegistrantBirthplace')) throw attribute('FRRegistrantBirthplace', 'required');
    if (p.get('RegistrantOrganizationName')) throw attribute('RegistrantOrganizationName', 'must be blank for an individual registrant');
  } else {
    const ids = FR_COMPANY_IDS.filter((k) => p.get(k));
    if (!ids.length && !FR_GAZETTE.every((k) => p.get(k)))
      throw attribute('FRRegistrantLegalId', 'a company needs a SIREN/SIRET, trademark, DUNS or local identifier');
    const legal = p.get('FRRegistrantLegalId');
    // INSEE's numbers carry a Luhn key; AFNIC checks the number against INSEE's register
    if (legal && !isSirenOrSiret(legal)) throw attribute('FRRegistrantLegalId', `"${legal}" is not a SIREN or SIRET`);
  }
  if (!AFNIC_COUNTRIES.has(p.get('RegistrantCountry') ?? '')) {
    throw new ApiFailure(E.REGISTRANT_NOT_ELIGIBLE, `.fr: a registrant in ${p.get('RegistrantCountry')} is not eligible (EU, EEA or Switzerland only)`);
  }
  if (!p.get('TechOrganizationName')) throw new ApiFailure(E.CONTACT_INVALID, '.fr: the Technical contact must have an organization name');
  const same = ['FirstName', 'LastName', 'Address1', 'EmailAddress'].every((f) => p.get(`Tech${f}`) === p.get(`Registrant${f}`));
  if (same) throw new ApiFailure(E.CONTACT_INVALID, '.fr: the Technical contact must not be identical to the Registrant');
}

/** .eu (namecheap.com/support/api/extended-attributes: EUAgreeWhoisPolicy YES and EUAgreeDeletePolicy YES/NO required), the registrant in EURid's countries. */
function checkEu(p: Params): void {
  if (p.get('EUAgreeWhoisPolicy')?.toUpperCase() !== 'YES') throw attribute('EUAgreeWhoisPolicy', 'required: YES');
  const del = p.get('EUAgreeDeletePolicy')?.toUpperCase();
  if (del !== 'YES' && del !== 'NO') throw attribute('EUAgreeDeletePolicy', 'required: YES or NO');
  if (!EURID_COUNTRIES.has(p.get('RegistrantCountry') ?? '')) {
    throw new ApiFailure(E.REGISTRANT_NOT_ELIGIBLE, `.eu: a registrant in ${p.get('RegistrantCountry')} is not eligible (EU and EEA only)`);
  }
}
