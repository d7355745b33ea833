// Namecheap's reactivation price: namecheap.users.getPricing ProductType=DOMAIN ActionName=REACTIVATE ProductName=<tld>
// (methods/users/get-pricing), kept an hour per TLD as the page asks ("we strongly recommend that you cache this API
// response").
import { ProviderError } from '../../../errors.ts';
import { splitDomain, yearPriceOf } from './wire.ts';

const KEPT_MS = 3_600_000;

// biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
type Call = (params: Record<string, string>) => Promise<Record<string, any>>;

/** reactivatePrice(domain): one year of the name restored from redemption, in Namecheap's currency (US dollars). */
export function reactivatePricing(call: Call) {
  const kept = new Map<string, { price: { cents: number; currency: string }; until: number }>();
  return async (domain: string): Promise<{ cents: number; currency: string }> => {
    const { tld } = splitDomain(domain);
    const hit = kept.get(tld);
    if (hit && hit.until > Date.now()) return hit.price;
    const answer = await call({ ProductType: 'DOMAIN', ActionName: 'REACTIVATE', ProductName: tld.toUpperCase() });
    const price = yearPriceOf(answer.UserGetPricingResult, 'REACTIVATE', tld);
    if (!price) throw new ProviderError('namecheap', 'server_error', `users.getPricing gave no reactivation price for .${tld}`, true);
    kept.set(tld, { price, until: Date.now() + KEPT_MS });
    return price;
  };
}
