// One minor-units helper where amounts cross a provider boundary: currencies without decimals (JPY, HUF, TWD) and with two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromDecimal, minorDigits, toDecimal } from '../../src/domain/money.ts';
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
