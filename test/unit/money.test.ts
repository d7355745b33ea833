// One minor-units helper where amounts cross a provider boundary: currencies without decimals (JPY, HUF, TWD) and with two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { fromDecimal, fromStripeAmount, fromUsd, minorDigits, toDecimal, toStripeAmount, toUsd } from '../../src/domain/money.ts';
import { amountProblem, stripeDigits } from '../../src/sandbox/stripe/currencies.ts';
import { formatAmount, parseAmount } from '../../src/providers/payments/paypal/client.ts';
import { money, toMinor } from '../../src/sandbox/paypal/money.ts';

test('minor units and decimal strings, both ways, by the currency’s digits', () => {
  for (const [currency, minor, decimal] of [
    ['EUR', 14900, '149.00'],
    ['EUR', 5, '0.05'],
    ['USD', 123456, '1234.56'],
    ['JPY', 1500, '1500'],
    ['HUF', 25000, '25000'],
    ['TWD', 990, '990'],
  ] as const) {
    assert.equal(toDecimal(minor, currency), decimal, `${minor} ${currency}`);
    assert.equal(fromDecimal(decimal, currency), minor, `${decimal} ${currency}`);
    assert.equal(formatAmount(minor, currency), decimal);
    assert.equal(parseAmount(decimal, currency), minor);
    assert.deepEqual(money(minor, currency), { currency_code: currency, value: decimal });
    assert.equal(toMinor(decimal, currency), minor);
  }
  assert.deepEqual([minorDigits('jpy'), minorDigits('eur')], [0, 2]);
  assert.equal(fromDecimal('149.5', 'EUR'), 14950);
  assert.equal(toMinor('.5', 'EUR'), 50);
  assert.equal(toMinor('10.50', 'EUR'), 1050);
});

test('what a currency cannot hold is refused, never rounded', () => {
  assert.equal(fromDecimal('1500.5', 'JPY'), undefined, 'no fraction of a yen');
  assert.equal(fromDecimal('1.005', 'EUR'), undefined);
  assert.equal(fromDecimal('abc', 'EUR'), undefined);
  assert.equal(toDecimal(-1, 'EUR'), undefined);
  assert.equal(toDecimal(1.5, 'EUR'), undefined);
  assert.throws(() => parseAmount('12.345', 'EUR'), /unexpected amount/);
  assert.throws(() => formatAmount(0, 'EUR'), /positive integer/);
});

test('Stripe amounts: HUF, TWD and ISK in hundredths of our whole units; JPY and UGX as is; EUR in cents', () => {
  for (const [minor, currency, stripe] of [
    [25000, 'HUF', 2500000],
    [990, 'TWD', 99000],
    [5, 'ISK', 500],
    [500, 'UGX', 500],
    [1500, 'JPY', 1500],
    [14900, 'EUR', 14900],
  ] as const) {
    assert.equal(toStripeAmount(minor, currency), stripe, `${minor} ${currency} out`);
    assert.equal(fromStripeAmount(stripe, currency.toLowerCase()), minor, `${stripe} ${currency} back`);
  }
  assert.ok(Number.isNaN(fromStripeAmount(2500050, 'huf')), 'half a forint is not an amount of ours');
  assert.deepEqual(
    [stripeDigits('jpy'), stripeDigits('ugx'), stripeDigits('huf'), stripeDigits('isk'), stripeDigits('eur'), stripeDigits('kwd')],
    [0, 0, 2, 2, 2, 3],
  );
});

test('the Stripe sandbox refuses what Stripe refuses: under the minimum charge, above the maximum, a fraction of a krona', () => {
  assert.equal(amountProblem(49, 'eur')?.code, 'amount_too_small');
  assert.equal(amountProblem(50, 'eur'), undefined);
  assert.equal(amountProblem(17499, 'huf')?.code, 'amount_too_small', '175.00 Ft is the least');
  assert.equal(amountProblem(175, 'huf')?.code, 'amount_too_small', 'forints sent as our whole units look 100 times too small');
  assert.equal(amountProblem(49, 'jpy')?.code, 'amount_too_small');
  assert.equal(amountProblem(100_000_000, 'usd')?.code, 'amount_too_large');
  assert.equal(amountProblem(550, 'isk')?.code, 'invalid_charge_amount_no_decimal_compatible');
  assert.equal(amountProblem(500, 'isk'), undefined);
});

test('registrar dollars in our currency and back, by its digits: yen are whole units, a fractional margin stays exact', () => {
  const yen = { currency: 'JPY', usdPerUnit: 0.0067, marginPercent: 0 };
  // $10.00 / 0.0067 = 1492.5… yen, rounded up
  assert.deepEqual(fromUsd({ cents: 1000, currency: 'USD' }, yen), { cents: 1493, currency: 'JPY' });
  // 1,500 yen × 0.0067 = $10.05
  assert.deepEqual(toUsd({ cents: 1500, currency: 'JPY' }, yen), { cents: 1005, currency: 'USD' });
  const euro = { currency: 'EUR', usdPerUnit: 1.1, marginPercent: 2.5 };
  // $11.00 / 1.1 = €10.00, + 2.5 % = €10.25
  assert.deepEqual(fromUsd({ cents: 1100, currency: 'USD' }, euro), { cents: 1025, currency: 'EUR' });
  // €10.00 × 1.1 = $11.00, + 2.5 % = $11.275 → 1128 cents, rounded up
  assert.deepEqual(toUsd({ cents: 1000, currency: 'EUR' }, euro), { cents: 1128, currency: 'USD' });
  assert.equal(fromUsd({ cents: 1000, currency: 'USD' }, { currency: 'HUF', usdPerUnit: undefined, marginPercent: 10 }), undefined);
});

test('prices cannot be set in a three-decimal currency', () => {
  assert.throws(() => loadConfig({ CURRENCY: 'KWD' }), /three-decimal/);
  assert.equal(loadConfig({ CURRENCY: 'HUF' }).CURRENCY, 'HUF');
});
