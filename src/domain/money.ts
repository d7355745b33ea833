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
  // the margin in thousandths of a percent, so that 2.5 % stays exact in integers
  return { usdMicros: BigInt(Math.round(rate.usdPerUnit * 1_000_000)), factor: BigInt(Math.round((100 + rate.marginPercent) * 1000)) };
};

/** a / b rounded up, exactly (BigInt: the products below outgrow a double's integers for large amounts) */
function ceilDiv(a: bigint, b: bigint): number {
  return Number((a + b - 1n) / b);
}

/**
 * A registrar price in US cents, in our currency's minor units: divided by the rate, the margin on top, rounded up (as
 * is when ours is USD). A zero-decimal currency's minor unit is its whole unit: $10.00 at 0.0067 USD per yen is 1,493 JPY.
 */
export function fromUsd(usd: Money, rate: ExchangeRate): Money | undefined {
  if (usd.currency !== 'USD') throw new CurrencyMismatch(usd.currency, 'USD');
  if (rate.currency === 'USD') return usd;
  const s = scaled(rate);
  if (!s) return undefined;
  // ours = usd.cents / 100 / usdPerUnit × (100 + margin) / 100 × 10^digits
  const num = BigInt(usd.cents) * 1_000_000n * s.factor * 10n ** BigInt(minorDigits(rate.currency));
  return { cents: ceilDiv(num, s.usdMicros * 10_000_000n), currency: rate.currency };
}

/** An amount of ours in US cents, as the registrar's balance must cover it: the rate with the margin on top, rounded up. */
export function toUsd(amount: Money, rate: ExchangeRate): Money | undefined {
  if (amount.currency === 'USD') return amount;
  if (amount.currency !== rate.currency) throw new CurrencyMismatch(amount.currency, rate.currency);
  const s = scaled(rate);
  if (!s) return undefined;
  // usd cents = ours / 10^digits × usdPerUnit × (100 + margin) / 100 × 100
  const num = BigInt(amount.cents) * s.usdMicros * s.factor;
  return { cents: ceilDiv(num, 1_000_000_000n * 10n ** BigInt(minorDigits(amount.currency))), currency: 'USD' };
}

// Amounts are integers of minor units everywhere in the app; this is the one place that turns them into a provider's
// decimal string and back (PayPal's `{currency_code, value}`), never through a float.

/**
 * Currencies whose amounts we hold in whole units. PayPal refuses a fraction for HUF, JPY and TWD ("This currency does
 * not support decimals", developer.paypal.com/api/rest/reference/currency-codes); Stripe's zero-decimal currencies
 * (docs.stripe.com/currencies#zero-decimal: BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF) and ISK
 * (zero-decimal there too, #special-cases) have no minor unit to charge either. Our minor unit for them is the whole unit.
 */
const NO_DECIMALS = new Set('HUF JPY TWD ISK BIF CLP DJF GNF KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));

/**
 * Three-decimal currencies (ISO 4217: BHD IQD JOD KWD LYD OMR TND): Stripe wants their last digit 0 and PayPal takes
 * none of them (docs.stripe.com/currencies#three-decimal); prices are not set in them (the CURRENCY setting refuses them).
 */
export const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Digits after the decimal point of `currency`'s amounts: 0 for the currencies above, 2 otherwise. */
export function minorDigits(currency: string): number {
  return NO_DECIMALS.has(currency.toUpperCase()) ? 0 : 2;
}

/**
 * Stripe takes HUF and TWD as two-decimal amounts although they are charged in whole units (docs.stripe.com/currencies
 * #special-cases), and ISK, charged in whole units since 2023, "will remain a two-decimal currency in the Stripe API,
 * and an ISK amount of `100` will continue to represent 1 króna" (support.stripe.com/questions/deprecation-of-fractional
 * -isk-charges-and-refunds). UGX is in Stripe's zero-decimal list (#zero-decimal) and goes as is. Our whole units are
 * multiplied by 100 on the way there and divided back.
 */
const STRIPE_HUNDREDTHS = new Set(['HUF', 'TWD', 'ISK']);

/** Our minor units → Stripe's `amount` / `unit_amount` for `currency`. */
export function toStripeAmount(minor: number, currency: string): number {
  return STRIPE_HUNDREDTHS.has(currency.toUpperCase()) ? minor * 100 : minor;
}

/** Stripe's `amount`, `amount_total`, `amount_received` → our minor units; NaN when it is not a whole number of ours. */
export function fromStripeAmount(amount: number, currency: string): number {
  if (!STRIPE_HUNDREDTHS.has(currency.toUpperCase())) return amount;
  return amount % 100 === 0 ? amount / 100 : Number.NaN;
}

/** An amount of minor units as a number of the currency's units (for Intl's currency format): 14900 EUR → 149. */
export function minorToUnits(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
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
