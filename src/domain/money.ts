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

// Amounts are integers of minor units everywhere in the app; this is the one place that turns them into a provider's
// decimal string and back (PayPal's `{currency_code, value}`), never through a float.

/**
 * Currencies that take no decimals: PayPal refuses a fraction for HUF, JPY and TWD ("This currency does not support
 * decimals", developer.paypal.com/api/rest/reference/currency-codes), and JPY has none at Stripe either. Our minor unit
 * for them is the whole unit.
 */
const NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);

/** Digits after the decimal point of `currency`'s amounts: 0 for HUF, JPY, TWD, 2 otherwise. */
export function minorDigits(currency: string): number {
  return NO_DECIMALS.has(currency.toUpperCase()) ? 0 : 2;
}

/** 14900 EUR → "149.00", 5 EUR → "0.05", 1500 JPY → "1500". Undefined when `minor` is not a non-negative safe integer. */
export function toDecimal(minor: number, currency: string): string | undefined {
  if (!Number.isSafeInteger(minor) || minor < 0) return undefined;
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.trunc(minor / scale)}.${String(minor % scale).padStart(digits, '0')}`;
}

/** "149.00" EUR → 14900, "149.5" EUR → 14950, "1500" JPY → 1500; undefined when malformed or more precise than the currency. */
export function fromDecimal(value: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m || (m[2]?.length ?? 0) > digits) return undefined;
  const minor = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}
