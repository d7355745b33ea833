// How Stripe reads an `amount` in each currency, and the least and most it charges (docs.stripe.com/currencies).
// The sandbox holds amounts as Stripe does, so an adapter that sends our units instead of Stripe's is refused or shows
// a wrong total on the payment page, as it would in production.

/**
 * Zero-decimal currencies: "To charge ¥500, provide an amount value of 500" (docs.stripe.com/currencies#zero-decimal).
 * ISK and UGX are listed there too but, "to maintain backwards compatibility", take two-decimal amounts (#special-cases),
 * as do HUF and TWD: they are absent here and read with two digits.
 */
const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF'.split(' '));
/** Three-decimal currencies (#three-decimal): amounts in thousandths whose last digit must be 0. */
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));
/** ISK and UGX amounts are two-decimal with no fraction: "the amount value must be evenly divisible by 100" (#special-cases). */
const WHOLE_HUNDREDS = new Set(['isk', 'ugx']);

/** Digits of a Stripe `amount` in `currency` (lowercase): 0, 2 or 3. */
export function stripeDigits(currency: string): number {
  const c = currency.toUpperCase();
  return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}

/**
 * Minimum charge amounts in Stripe units (#minimum-and-maximum-charge-amounts); a currency absent here has "the
 * equivalent of 0.50 USD", which needs a rate the sandbox does not have, so it is not checked.
 */
const MINIMUM: Record<string, number> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/** "The maximum amount is 99999999 for an eight-digit amount" (#minimum-and-maximum-charge-amounts: 999,999.99 USD). */
const MAXIMUM = 99_999_999;

/** Amount rule broken, as Stripe's invalid_request_error on `amount` would name it; undefined when the amount is fine. */
export function amountProblem(amount: number, currency: string): { code: string; message: string } | undefined {
  const c = currency.toLowerCase();
  const shown = (a: number) => `${(a / 10 ** stripeDigits(c)).toFixed(stripeDigits(c))} ${c}`;
  const min = MINIMUM[c];
  if (min !== undefined && amount < min) return { code: 'amount_too_small', message: `Amount must be at least ${shown(min)}` };
  if (amount > MAXIMUM) return { code: 'amount_too_large', message: `Amount must be no more than ${shown(MAXIMUM)}` };
  if (WHOLE_HUNDREDS.has(c) && amount % 100 !== 0)
    return { code: 'parameter_invalid_integer', message: `Invalid amount: ${c} amounts must be evenly divisible by 100 (no fraction of a unit)` };
  if (THREE_DECIMAL.has(c.toUpperCase()) && amount % 10 !== 0)
    return { code: 'parameter_invalid_integer', message: `Invalid amount: the last digit of a ${c} amount must be 0` };
  return undefined;
}
