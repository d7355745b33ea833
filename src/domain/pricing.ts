// The price of an order, itemised in integer cents: first-year domain, service, express surcharge.
import { toDecimal } from './money.ts';
export type Tier = 'express' | 'standard';

/** One line of an order's price, in cents of the order's currency. */
export interface PriceItem {
  code: 'domain_first_year' | 'service' | 'express_surcharge';
  amountCents: number;
}

export interface PriceList {
  currency: string;
  /** first-year registration price per TLD, cents */
  tlds: Record<string, number>;
  serviceCents: number;
  expressSurchargeCents: number;
}

export interface Quote {
  currency: string;
  items: PriceItem[];
  totalCents: number;
}

/** `premiumCents` replaces the catalogue price when the registrar sells the name at a premium. */
export function quote(list: PriceList, tld: string, tier: Tier, premiumCents?: number): Quote {
  const domainCents = premiumCents ?? list.tlds[tld];
  if (domainCents === undefined) throw new Error(`no price for .${tld}`);
  const items: PriceItem[] = [
    { code: 'domain_first_year', amountCents: domainCents },
    { code: 'service', amountCents: list.serviceCents },
  ];
  if (tier === 'express') items.push({ code: 'express_surcharge', amountCents: list.expressSurchargeCents });
  return { currency: list.currency, items, totalCents: items.reduce((s, i) => s + i.amountCents, 0) };
}

/** "149.00" from 14900 EUR, "-149.00" from -14900, "1500" from 1500 JPY: exact, no floating point, by the currency's digits. */
export function centsToDecimal(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = toDecimal(Math.abs(cents), currency);
  if (abs === undefined) throw new RangeError(`not an amount of minor units: ${cents}`);
  return `${sign}${abs}`;
}
