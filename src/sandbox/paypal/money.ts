// PayPal's money: `{currency_code, value}` with value a decimal string ("149.00"), handled here in minor units, never as floats.
import { fromDecimal, minorDigits, toDecimal } from '../../domain/money.ts';
import { invalidRequest, missing, syntax, unprocessable } from './api.ts';

export interface PaypalMoney {
  currency_code: string;
  value: string;
}

/** Currencies PayPal takes without decimals (developer.paypal.com/api/rest/reference/currency-codes: HUF, JPY, TWD). */
export const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);

/** A value validMoney accepted (or the sandbox wrote) → minor units, by the shared helper. */
export function toMinor(value: string, currency: string): number {
  return (
    fromDecimal(
      value.replace(/^(\d*)\.(\d*?)0*$/, (_, w: string, f: string) => `${w || '0'}${f ? `.${f}` : ''}`),
      currency,
    ) ?? Number.NaN
  );
}

export function money(minor: number, currency: string): PaypalMoney {
  return { currency_code: currency, value: toDecimal(minor, currency) ?? String(minor) };
}

/**
 * An amount as the `money` schema takes it (checkout_orders_v2.json): a three-letter currency_code, a value matching
 * `^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$`; then DECIMAL_PRECISION and CANNOT_BE_ZERO_OR_NEGATIVE (422).
 */
export function validMoney(raw: Partial<PaypalMoney>, field: string): PaypalMoney {
  const currency = raw.currency_code;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw invalidRequest(currency === undefined ? missing(`${field}/currency_code`) : syntax(`${field}/currency_code`, String(currency)));
  }
  const value = raw.value;
  if (typeof value !== 'string') throw invalidRequest(value === undefined ? missing(`${field}/value`) : syntax(`${field}/value`, String(value)));
  if (!/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(value)) throw invalidRequest(syntax(`${field}/value`, value));
  const decimals = value.split('.')[1]?.length ?? 0;
  if (decimals > minorDigits(currency)) {
    throw unprocessable('DECIMAL_PRECISION', 'If the currency supports decimals, only two decimal place precision is supported.');
  }
  if (value.startsWith('-') || Number(value) === 0) throw unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.');
  return money(toMinor(value, currency), currency);
}
