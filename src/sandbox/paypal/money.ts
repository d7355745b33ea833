// PayPal's money: `{currency_code, value}` with value a decimal string ("149.00"), handled here in minor units, never as floats.
import { invalidRequest, missing, syntax, unprocessable } from './api.ts';

export interface PaypalMoney {
  currency_code: string;
  value: string;
}

/** Currencies PayPal takes without decimals (developer.paypal.com/api/rest/reference/currency-codes: HUF, JPY, TWD). */
export const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);

export function toMinor(value: string, currency: string): number {
  const [whole, fraction = ''] = value.split('.');
  const digits = ZERO_DECIMAL.has(currency) ? 0 : 2;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

export function money(minor: number, currency: string): PaypalMoney {
  if (ZERO_DECIMAL.has(currency)) return { currency_code: currency, value: String(minor) };
  return { currency_code: currency, value: `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}` };
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
  if (decimals > (ZERO_DECIMAL.has(currency) ? 0 : 2)) {
    throw unprocessable('DECIMAL_PRECISION', 'If the currency supports decimals, only two decimal place precision is supported.');
  }
  if (value.startsWith('-') || Number(value) === 0) throw unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.');
  return money(toMinor(value, currency), currency);
}
