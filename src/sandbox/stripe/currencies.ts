// How Stripe reads an `amount` in each currency, and the least and most it charges (docs.stripe.com/currencies).
// The sandbox holds amounts as Stripe does, so an adapter that sends our units instead of Stripe's is refused or shows
// a wrong total on the payment page, as it would in production.

/**
 * Zero-decimal currencies: "the charge and the amount are the same, without requiring multiplication"
 * (docs.stripe.com/currencies#zero-decimal, this list). HUF, TWD (#special-cases) and ISK stay two-decimal in the API:
 * they are absent here and read with two digits.
 */
const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
/** Three-decimal currencies (#three-decimal): amounts in thousandths whose last digit must be 0. */
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));
/**
 * ISK amounts are two-decimal with no fraction: since 14 April 2023 "the Stripe API will enforce that all amounts in ISK
 * are stated in multiples of 100", answering 400 `invalid_charge_amount_no_decimal_compatible`
 * (support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds).
 */
const WHOLE_HUNDREDS = new Set(['isk']);

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

/**
 * "The amount value supports up to eight digits (e.g., a value of 99999999 for a USD charge of $999,999.99)" (API
 * reference, PaymentIntent `amount`); above it Stripe answers `amount_too_large` (docs.stripe.com/error-codes).
 */
const MAXIMUM = 99_999_999;

/** Amount rule broken, as Stripe's invalid_request_error on `amount` would name it; undefined when the amount is fine. */
export function amountProblem(amount: number, currency: string): { code: string; message: string } | undefined {
  const c = currency.toLowerCase();
  const shown = (a: number) => `${(a / 10 ** stripeDigits(c)).toFixed(stripeDigits(c))} ${c}`;
  const min = MINIMUM[c];
  if (min !== undefined && amount < min) return { code: 'amount_too_small', message: `Amount must be at least ${shown(min)}` };
  if (amount > MAXIMUM) return { code: 'amount_too_large', message: `Amount must be no more than ${shown(MAXIMUM)}` };
  if (WHOLE_HUNDREDS.has(c) && amount % 100 !== 0)
    return {
      code: 'invalid_charge_amount_no_decimal_compatible',
      message: `Invalid amount. Currency ${c.toUpperCase()} has become effectively zero-decimal and charged amounts must be evenly divisible by 100.`,
    };
  // the rule is documented (#three-decimal), its error code is not: the code Stripe gives a malformed integer stands in
  if (THREE_DECIMAL.has(c.toUpperCase()) && amount % 10 !== 0)
    return { code: 'parameter_invalid_integer', message: `Invalid amount: the last digit of a ${c} amount must be 0` };
  return undefined;
}
