// How Namecheap's XML API writes what the adapter sends and reads: names split in two, prices as decimal text,
// dates as MM/DD/YYYY, contacts as four prefixed sets of fields, answers parsed into typed values.
import { getDomainWithoutSuffix, getPublicSuffix } from 'tldts';
import type { Contact, DomainContacts, DomainRenewal, ListedDomain, RegistrarCheck } from '../index.ts';

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
    check.premiumRestoreCents = parseDecimalCents(r.PremiumRestorePrice ?? '');
  }
  // domains.check reports the EAP fee of a name in a registry's early access period ("EapFee": purchase fee for
  // premium domain during EAP, namecheap.com/support/api/methods/domains/check); create takes it back
  const eap = parseDecimalCents(r.EapFee ?? '');
  if (eap) check.eapFeeCents = eap;
  if (errorNo) check.errorCode = classify(errorNo).code;
  return check;
}

/** One contact as Namecheap's contact parameters name its fields: `role` + FirstName, LastName, Address1, ... */
function contactSet(out: Record<string, string>, role: string, c: Contact): void {
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
}

/**
 * The four contact sets domains.create requires (namecheap.com/support/api/methods/domains/create): the customer is
 * the Registrant; Tech, Admin and AuxBilling are the operator.
 */
export function contactParams(registrant: Contact, operator: Contact): Record<string, string> {
  return domainContactParams({ registrant, admin: operator, tech: operator, billing: operator });
}

/** The four contact sets, each its own (domains.setContacts requires all four: methods/domains/set-contacts). */
export function domainContactParams(c: DomainContacts): Record<string, string> {
  const out: Record<string, string> = {};
  contactSet(out, 'Registrant', c.registrant);
  contactSet(out, 'Tech', c.tech);
  contactSet(out, 'Admin', c.admin);
  contactSet(out, 'AuxBilling', c.billing);
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

export const premium = (cents: number | undefined): Record<string, string> =>
  cents === undefined ? {} : { IsPremiumDomain: 'true', PremiumPrice: centsToDecimal(cents) };

// biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
export function renewalOf(domain: string, r: Record<string, any>, expired: unknown): DomainRenewal {
  // "4/30/2021 11:31:13 AM": the date part is the expiry
  const date = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(String(expired ?? '').trim());
  const charged = parseDecimalCents(String(r.ChargedAmount ?? ''));
  return {
    domain: domain.trim().toLowerCase(),
    ...(date ? { expiresAt: `${date[3]}-${date[1]!.padStart(2, '0')}-${date[2]!.padStart(2, '0')}` } : {}),
    ...(r.OrderID ? { orderId: String(r.OrderID) } : {}),
    ...(r.TransactionID ? { transactionId: String(r.TransactionID) } : {}),
    ...(charged !== undefined ? { chargedAmountCents: charged } : {}),
  };
}

/** Error numbers whose meaning the workflow acts on; the rest are read by range (see classify). */
const KNOWN_ERRORS: Record<number, { code: string; retryable: boolean }> = {
  500000: { code: 'rate_limited', retryable: true },
  // global errors: the calling address is not whitelisted (or is locked) on the account
  1011150: { code: 'ip_not_whitelisted', retryable: false },
  1017150: { code: 'ip_not_whitelisted', retryable: false },
  1050900: { code: 'server_error', retryable: true },
  3019166: { code: 'domain_unavailable', retryable: false },
  4019166: { code: 'domain_unavailable', retryable: false },
  2030280: { code: 'unsupported_tld', retryable: false },
  2011280: { code: 'unsupported_tld', retryable: false },
  2019166: { code: 'domain_not_found', retryable: false },
  2016166: { code: 'not_owner', retryable: false },
  // getContacts: "This domain has either expired/ was transferred out/ is not associated with your account" (api/error-codes)
  3019510: { code: 'not_owner', retryable: false },
  2030166: { code: 'not_owner', retryable: false },
  2528166: { code: 'order_failed', retryable: false },
  2033409: { code: 'order_failed', retryable: false },
  // renew: "Domain has expired. Please reactivate your domain"; reactivate: "does not meet the expiration date for reactivation"
  2020166: { code: 'domain_expired', retryable: false },
};

/**
 * Namecheap numbers its errors by family: 1xxxxxx the global parameters (credentials, IP
 * whitelist), 2xxxxxx the request's own validation, 3xxxxxx and 4xxxxxx failures behind the
 * API (the upstream registry, internal steps), 5xxxxxx unhandled exceptions.
 */
export function classify(number: number): { code: string; retryable: boolean } {
  const known = KNOWN_ERRORS[number];
  if (known) return known;
  const family = Math.floor(number / 1_000_000);
  if (family === 1) return { code: 'auth_failed', retryable: false };
  if (family === 2) return { code: 'invalid_request', retryable: false };
  return { code: 'server_error', retryable: true };
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
