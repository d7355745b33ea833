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
