// Namecheap's prices in the sandbox: what domains.create, renew and reactivate charge, and users.getPricing, as its page
// (namecheap.com/support/api/methods/users/get-pricing) describes it. The amounts are the sandbox's own, not Namecheap's
// price list; the shape, the parameters and the life cycle they follow are Namecheap's.
import { SANDBOX_TLDS } from '../registry-state.ts';
import { ApiFailure, centsToDecimal, el, NamecheapErrorNumber as E, type Params } from './api.ts';

/** Sandbox yearly prices per TLD in cents (what ChargedAmount reports). */
const YEARLY_PRICE_CENTS: Record<string, number> = { fr: 1098, com: 1098, net: 1298, org: 1098, eu: 898, io: 3998 };
const DEFAULT_YEARLY_PRICE_CENTS = 1498;

/**
 * After expiry a name stays in the account, reactivable at the regular rate, about 30 days (knowledgebase 9916/2207 and
 * 10064/2207); then it is in redemption at the registry "for 30 days (sometimes more)", and can still be returned "at a
 * redemption fee ... plus its regular renewal cost" (9916/2207). The fee is the sandbox's own figure: Namecheap's article
 * sends the customer to its support for the exact one.
 */
export const REACTIVATION_DAYS = 30;
export const REDEMPTION_DAYS = 30;
const REDEMPTION_FEE_CENTS = 8000;

export const yearlyPriceCents = (tld: string) => YEARLY_PRICE_CENTS[tld] ?? DEFAULT_YEARLY_PRICE_CENTS;

/** getPricing's REACTIVATE price: a name restored from redemption (its fee and a year's renewal). */
export const reactivatePriceCents = (tld: string) => yearlyPriceCents(tld) + REDEMPTION_FEE_CENTS;

/** Where an expired registration stands on `now`: reactivable at the regular rate, in redemption, or gone. */
export function lapseOf(expiresAt: string, now = Date.now()): 'active' | 'grace' | 'redemption' | 'deleted' {
  const days = (now - Date.parse(expiresAt)) / 86_400_000;
  if (days <= 0) return 'active';
  if (days <= REACTIVATION_DAYS) return 'grace';
  return days <= REACTIVATION_DAYS + REDEMPTION_DAYS ? 'redemption' : 'deleted';
}

/** "Possible values for ProductType, ProductCategory, ActionName": DOMAIN, DOMAINS, REGISTER,RENEW,REACTIVATE,TRANSFER. */
const ACTIONS = ['REGISTER', 'RENEW', 'REACTIVATE', 'TRANSFER'] as const;

/**
 * namecheap.users.getPricing: ProductType (required; the sandbox sells DOMAIN only), ActionName and ProductName (a TLD)
 * narrowing it. The answer nests ProductType > ProductCategory (named after the action) > Product (the TLD) > Price
 * with Duration, DurationType, Price, RegularPrice, YourPrice, CouponPrice and Currency, as the page's example shows.
 */
export function getPricing(p: Params): string {
  const type = p.required('ProductType').toUpperCase();
  if (type !== 'DOMAIN') throw new ApiFailure(E.PARAMETER_INVALID, `ProductType ${type} is not sold by this account`);
  const category = p.get('ProductCategory')?.toUpperCase();
  if (category !== undefined && category !== 'DOMAINS') throw new ApiFailure(E.PARAMETER_INVALID, `ProductCategory ${category} is not valid`);
  const action = p.get('ActionName')?.toUpperCase();
  if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) throw new ApiFailure(E.PARAMETER_INVALID, `ActionName ${action} is not valid`);
  const product = p.get('ProductName')?.toLowerCase();
  const tlds = product === undefined ? SANDBOX_TLDS : SANDBOX_TLDS.filter((t) => t === product);
  if (!tlds.length) throw new ApiFailure(E.PARAMETER_INVALID, `ProductName ${product} is not valid`);
  const categories = (action ? [action] : ACTIONS).map((a) => {
    const products = tlds.map((tld) => {
      const yearly = a === 'REACTIVATE' ? reactivatePriceCents(tld) : yearlyPriceCents(tld);
      // a reactivation adds years after the expiry; the sandbox quotes one and two, each year after the first at the regular rate
      const prices = [1, 2].map((years) => {
        const amount = centsToDecimal(yearly + (years - 1) * yearlyPriceCents(tld), 2);
        return el('Price', { Duration: years, DurationType: 'YEAR', Price: amount, RegularPrice: amount, YourPrice: amount, CouponPrice: '', Currency: 'USD' });
      });
      return el('Product', { Name: tld }, prices.join(''));
    });
    return el('ProductCategory', { Name: a }, products.join(''));
  });
  return el('UserGetPricingResult', {}, el('ProductType', { Name: 'DOMAIN' }, categories.join('')));
}
