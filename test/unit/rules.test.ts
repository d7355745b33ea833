// Pure rules: pricing, deadlines, order states, locale choice, configuration.
import { EXAMPLE_SELLER } from '../support/seller.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centsToDecimal, quote } from '../../src/domain/pricing.ts';
import { deadlineAt, deadlineHours } from '../../src/domain/deadline.ts';
import { canTransition, isFinal } from '../../src/domain/order-state.ts';
import { localeFromAcceptLanguage, pickLocale } from '../../src/http/locale.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

const list = { currency: 'EUR', tlds: { fr: 1200, com: 1400 }, serviceCents: 14900, expressSurchargeCents: 9900 };

test('a standard quote is domain + service; express adds the surcharge', () => {
  assert.deepEqual(quote(list, 'fr', 'standard'), {
    currency: 'EUR',
    items: [
      { code: 'domain_first_year', amountCents: 1200 },
      { code: 'service', amountCents: 14900 },
    ],
    totalCents: 16100,
  });
  const express = quote(list, 'com', 'express');
  assert.equal(express.totalCents, 1400 + 14900 + 9900);
  assert.equal(express.items.at(-1)?.code, 'express_surcharge');
});

test('a premium name is priced at its premium price', () => {
  assert.equal(quote(list, 'com', 'standard', 250000).items[0]?.amountCents, 250000);
});

test('minor units print exactly as decimals, by the currency’s digits', () => {
  assert.equal(centsToDecimal(14900, 'EUR'), '149.00');
  assert.equal(centsToDecimal(5, 'EUR'), '0.05');
  assert.equal(centsToDecimal(1999, 'USD'), '19.99');
  assert.equal(centsToDecimal(-250, 'EUR'), '-2.50');
  assert.equal(centsToDecimal(1500, 'JPY'), '1500');
  assert.equal(centsToDecimal(-25000, 'HUF'), '-25000');
});

test('deadlines: express 4 h, standard 24 h, counted from payment', () => {
  const policy = { expressHours: 4, standardHours: 24 };
  assert.equal(deadlineHours(policy, 'express'), 4);
  assert.equal(deadlineHours(policy, 'standard'), 24);
  const paid = new Date('2026-11-25T10:00:00Z');
  assert.equal(deadlineAt(paid, 4).toISOString(), '2026-11-25T14:00:00.000Z');
});

test('order states move only along the allowed transitions', () => {
  assert.ok(canTransition('awaiting_payment', 'paid'));
  assert.ok(canTransition('awaiting_payment', 'payment_expired'));
  assert.ok(canTransition('payment_expired', 'awaiting_payment'));
  assert.ok(canTransition('payment_expired', 'paid'), 'a late payment still counts');
  assert.ok(!canTransition('delivered', 'refunding'));
  assert.ok(!canTransition('awaiting_payment', 'delivered'));
  assert.ok(isFinal('delivered') && isFinal('refunded') && !isFinal('paid'));
});

test('French for fr browsers, English otherwise', () => {
  assert.equal(localeFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8'), 'fr');
  assert.equal(localeFromAcceptLanguage('en-US,en;q=0.9,fr;q=0.8'), 'en');
  assert.equal(localeFromAcceptLanguage('de-DE,de;q=0.9'), 'en');
  assert.equal(localeFromAcceptLanguage('de;q=1, fr;q=0.5'), 'fr');
  assert.equal(localeFromAcceptLanguage(undefined), 'en');
  assert.equal(pickLocale('en', 'fr-FR'), 'en');
});

test('configuration: defaults hold, and every problem is reported at once', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.deepEqual(c.tlds, ['fr', 'com', 'net', 'org', 'eu', 'io', 'shop']);
  assert.ok(c.sandbox.any && c.sandbox.registrar && c.sandbox.payments.stripe);
  assert.throws(
    () => loadConfig({ PORT: 'abc', TLD_PRICES: 'fr:abc', STRIPE_SECRET_KEY: 'sk_test_x', DATABASE_URL: 'mysql://x' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      assert.match(text, /PORT/);
      assert.match(text, /TLD_PRICES/);
      assert.match(text, /DATABASE_URL/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' }), /STRIPE_WEBHOOK_SECRET/);
  assert.throws(() => loadConfig({ SANDBOX: 'off' }), /would run in the sandbox world/);
});

test('configuration: in production, alerts and reports must reach someone (OPERATOR_EMAIL or ALERT_WEBHOOK_URL); elsewhere the example address', () => {
  const prod = { NODE_ENV: 'production', SANDBOX: 'on', ADMIN_TOKEN: 'a-production-admin-token-0123456789', ...EXAMPLE_SELLER };
  assert.throws(() => loadConfig(prod), /OPERATOR_EMAIL or ALERT_WEBHOOK_URL: at least one is required when NODE_ENV=production/);
  assert.equal(loadConfig({ ...prod, OPERATOR_EMAIL: 'ops@shop.example' }).OPERATOR_EMAIL, 'ops@shop.example');
  const hookOnly = loadConfig({ ...prod, ALERT_WEBHOOK_URL: 'https://hooks.shop.example/alerts' });
  assert.equal(hookOnly.OPERATOR_EMAIL, undefined, 'no email to an address nobody reads');
  assert.equal(loadConfig({}).OPERATOR_EMAIL, 'ops@conciergerie.example');
});

test("configuration: deadlines may be fractions of an hour (defaults 4 and 24); the dead-man's switch waits three evaluations, five minutes at least", () => {
  const c = loadConfig({});
  assert.deepEqual([c.EXPRESS_HOURS, c.STANDARD_HOURS], [4, 24]);
  assert.equal(loadConfig({ EXPRESS_HOURS: '0.005' }).EXPRESS_HOURS, 0.005);
  assert.equal(c.ALERT_EVALUATION_STALE_SECONDS, 300);
  assert.equal(loadConfig({ ALERT_EVALUATE_SECONDS: '600' }).ALERT_EVALUATION_STALE_SECONDS, 1800);
  assert.throws(() => loadConfig({ ALERT_EVALUATE_SECONDS: '60', ALERT_EVALUATION_STALE_SECONDS: '30' }), /must be longer than ALERT_EVALUATE_SECONDS/);
});
