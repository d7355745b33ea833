// How Namecheap's XML API writes what the adapter sends and reads: names split in two, prices as decimal text,
// dates as MM/DD/YYYY, contacts as four prefixed sets of fields, answers parsed into typed values.
import { getDomainWithoutSuffix, getPublicSuffix } from 'tldts';
import type { Contact, ListedDomain, RegistrarCheck } from '../index.ts';

/** Every amount Namecheap quotes (check, create, balances) is in US dollars: its account currency. */
export const NAMECHEAP_CURRENCY = 'USD';

/**
 * Namecheap wants the name in two parts. The TLD is the public suffix, so "atelier.co.uk"
 * is SLD "atelier" + TLD "co.uk", not "atelier.co" + "uk".
 */
export function splitDomain(domain: string): { sld: string; tld: string } {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const tld = getPublicSuffix(name);
  const sld = getDomainWithoutSuffix(name);
  if (tld && sld) return { sld, tld };
  const dot = name.indexOf('.');
  return { sld: name.slice(0, dot), tld: name.slice(dot + 1) };
}

/**
 * "2500.00" → 250000, "13000.0000" → 1300000, "206.7" → 20670: read as decimal text, never
 * multiplied as a float. A third decimal rounds half up. Undefined when the text is no price.
 */
export function parseDecimalCents(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(3, '0');
  return Number(m[1]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
}

export function centsToDecimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Namecheap's MM/DD/YYYY → YYYY-MM-DD. */
export function isoDate(usDate: unknown): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(String(usDate ?? '').trim());
  return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : '';
}

export function asArray<T>(v: T | T[] | undefined | ''): T[] {
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** One <DomainCheckResult>; `classify` names a per-name error number. */
export function toCheck(r: Record<string, string>, classify: (n: number) => { code: string }): RegistrarCheck {
  const errorNo = Number(r.ErrorNo ?? '0');
  const premium = r.IsPremiumName === 'true';
  const check: RegistrarCheck = {
    domain: String(r.Domain).toLowerCase(),
    available: r.Available === 'true' && !errorNo,
    premium,
    currency: NAMECHEAP_CURRENCY,
  };
  if (premium) {
    check.premiumPriceCents = parseDecimalCents(r.PremiumRegistrationPrice ?? '');
    check.premiumRenewalCents = parseDecimalCents(r.PremiumRenewalPrice ?? '');
  }
  // domains.check reports the EAP fee of a name in a registry's early access period ("EapFee": purchase fee for
  // premium domain during EAP, namecheap.com/support/api/methods/domains/check); create takes it back
  const eap = parseDecimalCents(r.EapFee ?? '');
  if (eap) check.eapFeeCents = eap;
  if (errorNo) check.errorCode = classify(errorNo).code;
  return check;
}

/**
 * The four contact sets domains.create requires (namecheap.com/support/api/methods/domains/create): the customer is
 * the Registrant; Tech, Admin and AuxBilling are the operator.
 */
export function contactParams(registrant: Contact, operator: Contact): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (role: string, c: Contact) => {
    out[`${role}FirstName`] = c.firstName;
    out[`${role}LastName`] = c.lastName;
    if (c.organization) out[`${role}OrganizationName`] = c.organization;
    out[`${role}Address1`] = c.address1;
    if (c.address2) out[`${role}Address2`] = c.address2;
    out[`${role}City`] = c.city;
    out[`${role}StateProvince`] = c.stateProvince;
    out[`${role}PostalCode`] = c.postalCode;
    out[`${role}Country`] = c.country;
    out[`${role}Phone`] = c.phone;
    out[`${role}EmailAddress`] = c.email;
  };
  set('Registrant', registrant);
  for (const role of ['Tech', 'Admin', 'AuxBilling']) set(role, operator);
  return out;
}

/** One contact of <DomainContactsResult> (namecheap.domains.getContacts). */
// biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is read as text
export function toContact(c: Record<string, any> | undefined): Contact {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    firstName: text(c?.FirstName),
    lastName: text(c?.LastName),
    ...(c?.OrganizationName ? { organization: text(c.OrganizationName) } : {}),
    address1: text(c?.Address1),
    ...(c?.Address2 ? { address2: text(c.Address2) } : {}),
    city: text(c?.City),
    stateProvince: text(c?.StateProvince),
    postalCode: text(c?.PostalCode),
    country: text(c?.Country),
    phone: text(c?.Phone),
    email: text(c?.EmailAddress),
  };
}

/** One <Domain> of <DomainGetListResult> (namecheap.domains.getList). */
export function toListed(d: Record<string, string>): ListedDomain {
  return {
    domain: String(d.Name ?? '').toLowerCase(),
    domainId: String(d.ID ?? ''),
    createdAt: isoDate(d.Created),
    expiresAt: isoDate(d.Expires),
    expired: d.IsExpired === 'true',
  };
}

/**
 * users.getPricing's one-year price of `action` for `tld` (methods/users/get-pricing: ProductType > ProductCategory named
 * after the action > Product named after the TLD > Price with Duration, DurationType, Price, YourPrice, Currency):
 * YourPrice, the account's own, else Price. Undefined when the answer has no such price.
 */
// biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
export function yearPriceOf(result: Record<string, any> | undefined, action: string, tld: string): { cents: number; currency: string } | undefined {
  const same = (a: unknown, b: string) => String(a ?? '').toLowerCase() === b.toLowerCase();
  for (const type of asArray(result?.ProductType)) {
    const category = asArray(type?.ProductCategory).find((c) => same(c?.Name, action));
    const product = asArray(category?.Product).find((p) => same(p?.Name, tld));
    const price = asArray(product?.Price).find((p) => String(p?.Duration) === '1' && same(p?.DurationType, 'YEAR'));
    const cents = parseDecimalCents(String(price?.YourPrice || price?.Price || ''));
    if (cents !== undefined) return { cents, currency: String(price.Currency || NAMECHEAP_CURRENCY) };
  }
  return undefined;
}
