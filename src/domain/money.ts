// Amounts in integer cents of one named currency, and the operator's exchange rate between ours and the registrar's.
// Two amounts in different currencies are never compared or added: one is converted first, with the rate and margin.

export interface Money {
  cents: number;
  currency: string;
}

/** The operator's rate: US dollars for one unit of our currency, and the safety margin on it (percent). */
export interface ExchangeRate {
  currency: string;
  /** undefined: no rate for this currency, so no US-dollar price can be turned into ours */
  usdPerUnit: number | undefined;
  marginPercent: number;
}

/** USD_PER_CURRENCY_UNIT, else 1 for USD and 1.10 for EUR (the euro's reference rate in recent years, ECB); unknown otherwise. */
export function defaultUsdPerUnit(currency: string, set: number | undefined): number | undefined {
  return set ?? (currency === 'USD' ? 1 : currency === 'EUR' ? 1.1 : undefined);
}

export class CurrencyMismatch extends Error {
  constructor(a: string, b: string) {
    super(`cannot compare ${a} with ${b}: convert one first`);
  }
}

/** a ≤ b, refusing to compare two currencies. */
export function notAbove(a: Money, b: Money): boolean {
  if (a.currency !== b.currency) throw new CurrencyMismatch(a.currency, b.currency);
  return a.cents <= b.cents;
}

/** Margin and rate as integers (millionths), so conversions stay exact enough and never round in our disfavour. */
const scaled = (rate: ExchangeRate) => {
  if (rate.usdPerUnit === undefined) return undefined;
  return { usdMicros: Math.round(rate.usdPerUnit * 1_000_000), factor: 100 + rate.marginPercent };
};

/** A registrar price in US dollars, in our currency: divided by the rate, the margin on top, rounded up (as is when ours is USD). */
export function fromUsd(usd: Money, rate: ExchangeRate): Money | undefined {
  if (usd.currency !== 'USD') throw new CurrencyMismatch(usd.currency, 'USD');
  if (rate.currency === 'USD') return usd;
  const s = scaled(rate);
  if (!s) return undefined;
  return { cents: Math.ceil((usd.cents * 1_000_000 * s.factor) / (s.usdMicros * 100)), currency: rate.currency };
}

/** An amount of ours in US dollars, as the registrar's balance must cover it: the rate with the margin on top, rounded up. */
export function toUsd(amount: Money, rate: ExchangeRate): Money | undefined {
  if (amount.currency === 'USD') return amount;
  if (amount.currency !== rate.currency) throw new CurrencyMismatch(amount.currency, rate.currency);
  const s = scaled(rate);
  if (!s) return undefined;
  return { cents: Math.ceil((amount.cents * s.usdMicros * s.factor) / (1_000_000 * 100)), currency: 'USD' };
}
