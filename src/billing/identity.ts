// Who is invoiced for an order and under which VAT case: the domain's holder unless the customer gives another billing
// identity; an EU business's VAT number checked for format (jsvat) and, with VIES_CHECK=on, with the EU's VIES.
import jsvat from 'jsvat';
import { AppError } from '../errors.ts';
import type { Holder } from '../domain/holder.ts';
import type { PriceItem } from '../domain/pricing.ts';
import { countryOfVatPrefix, isEuMemberState } from '../domain/vat-rates.ts';
import { type CustomerKind, DOM_TAXED, DOM_UNTAXED, type TaxedAmounts, type VatTreatment, standardRate, taxAmounts, vatTreatment } from '../domain/vat.ts';

export interface PostalAddress {
  address1: string;
  address2?: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface BillingIdentity extends PostalAddress {
  type: 'individual' | 'organization';
  /** a person's full name, or an organisation's legal name */
  name: string;
  /** the person to address at an organisation */
  contact?: string;
  /** SIREN or SIRET of a French business (printed on its invoices: e-invoicing reform), the register's number elsewhere */
  companyId?: string;
  /** intra-Community VAT number, compact, with its prefix (EL for Greece) */
  vatNumber?: string;
  email: string;
  /** where the service is delivered, when not at the billing address (CGI ann. II art. 242 nonies A, as amended for e-invoicing) */
  deliveryAddress?: PostalAddress;
}

/** The billing identity a request may give instead of the holder's. */
export interface BillingInput extends PostalAddress {
  type: 'individual' | 'organization';
  name: string;
  contact?: string;
  companyId?: string;
  vatNumber?: string;
  email?: string;
}

/** The domain's holder (src/domain/holder.ts): the identity invoiced unless the customer gives another. */
type HolderForBilling = Pick<
  Holder,
  'type' | 'firstName' | 'lastName' | 'organization' | 'companyId' | 'vatNumber' | 'address1' | 'address2' | 'city' | 'postalCode' | 'country' | 'email'
>;

/** An order's VAT case and amounts as quoted, kept with the order and copied onto its invoice. */
export interface OrderTax extends TaxedAmounts {
  customerKind: CustomerKind;
  treatment: VatTreatment;
  pricesIncludeVat: boolean;
  /** the VAT number was confirmed by VIES, and when */
  viesCheckedAt?: string;
}

const compact = (v: string) => v.replace(/[\s.-]/g, '').toUpperCase();

/** The identity invoiced: the one given, else the holder's, else (no holder) the order's business name and email in France. */
export function billingIdentityOf(req: {
  billing?: BillingInput;
  holder?: HolderForBilling;
  businessName: string;
  email: string;
  city?: string;
}): BillingIdentity {
  if (req.billing) {
    const b = req.billing;
    return clean({ ...b, email: b.email ?? req.email, vatNumber: b.vatNumber && compact(b.vatNumber), companyId: b.companyId && compact(b.companyId) });
  }
  if (req.holder) {
    const h = req.holder;
    const person = `${h.firstName} ${h.lastName}`.trim();
    const org = h.type === 'organization' && h.organization;
    return clean({
      type: h.type,
      name: org || person,
      contact: org ? person : undefined,
      companyId: h.companyId && compact(h.companyId),
      vatNumber: h.vatNumber && compact(h.vatNumber),
      address1: h.address1,
      address2: h.address2,
      postalCode: h.postalCode,
      city: h.city,
      country: h.country,
      email: h.email ?? req.email,
    });
  }
  return { type: 'individual', name: req.businessName, address1: '', postalCode: '', city: req.city ?? '', country: 'FR', email: req.email };
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** A business is an organisation, or anyone giving a VAT number. */
export const customerKindOf = (id: BillingIdentity): CustomerKind => (id.type === 'organization' || id.vatNumber ? 'business' : 'consumer');

/** Checks a VAT number with the EU's VIES service (src/billing/vies.ts), when VIES_CHECK=on. */
export interface VatNumberLookup {
  check(countryCode: string, vatNumber: string): Promise<{ valid: boolean; requestDate?: string }>;
}

export interface TaxSettings {
  PRICES_INCLUDE_VAT?: boolean;
  OSS_REGISTERED: boolean;
  VIES_CHECK: boolean;
  VAT_RATE_OVERRIDES?: Record<string, number>;
}

export interface CheckedVatNumber {
  /** an EU VAT number that holds (format, country, and VIES when on) */
  valid: boolean;
  viesCheckedAt?: string;
}

/**
 * The billing identity's VAT number, checked: malformed, of another country than the address, or unknown to VIES is
 * bad input (422 `vat_number_invalid`), before anything else is asked or stored.
 */
export async function checkVatNumber(identity: BillingIdentity, settings: TaxSettings, vies?: VatNumberLookup): Promise<CheckedVatNumber> {
  if (!identity.vatNumber) return { valid: false };
  const refuse = (reason: string) => new AppError('vat_number_invalid', 422, {}, { field: 'billing.vatNumber', reason });
  const checked = jsvat.checkVAT(identity.vatNumber, jsvat.countries);
  if (!checked.isValid) throw refuse('format');
  const prefix = identity.vatNumber.slice(0, 2);
  // Monaco's and the overseas departments' businesses hold French VAT numbers (FR prefix), which VIES knows
  const frenchNumber = prefix === 'FR' && ['MC', ...DOM_TAXED, ...DOM_UNTAXED].includes(identity.country);
  if (countryOfVatPrefix(prefix) !== identity.country && !frenchNumber) throw refuse('country');
  if (!settings.VIES_CHECK || !(isEuMemberState(identity.country) || (frenchNumber && identity.country !== 'MC'))) return { valid: true };
  if (!vies) throw new AppError('vat_check_unavailable', 503);
  const answer = await vies.check(prefix, identity.vatNumber.slice(2));
  if (!answer.valid) throw refuse('vies');
  return { valid: true, viesCheckedAt: answer.requestDate ?? new Date().toISOString().slice(0, 10) };
}

/** The order's VAT case and amounts, for a VAT number already checked. */
export function orderTax(identity: BillingIdentity, items: PriceItem[], settings: TaxSettings, vatNumber: CheckedVatNumber): OrderTax {
  const kind = customerKindOf(identity);
  const vatSettings = { ossRegistered: settings.OSS_REGISTERED, overrides: settings.VAT_RATE_OVERRIDES };
  const treatment = vatTreatment({ kind, country: identity.country, postalCode: identity.postalCode, validVatNumber: vatNumber.valid }, vatSettings);
  const includes = settings.PRICES_INCLUDE_VAT ?? true;
  const amounts = taxAmounts(items, treatment, includes, standardRate('FR', vatSettings));
  return {
    ...amounts,
    customerKind: kind,
    treatment,
    pricesIncludeVat: includes,
    ...(vatNumber.viesCheckedAt ? { viesCheckedAt: vatNumber.viesCheckedAt } : {}),
  };
}
