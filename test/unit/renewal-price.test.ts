// Next year's price of a premium name: its domain line at the premium renewal price (converted like the first year),
// its invoice lines, what its renewal and its restore confirm to the registrar (US cents), and a regular name as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renewalDomainCents, renewalPriceCents } from '../../src/domain/renewal.ts';
import { fromUsd } from '../../src/domain/money.ts';
import { DomainChecker } from '../../src/providers/availability/checker.ts';
import { renewalItems } from '../../src/workflow/renewals/invoice.ts';
import { premiumPriceOf } from '../../src/workflow/renewals/premium.ts';
import { premiumRestoreUsd } from '../../src/workflow/renewals/redemption.ts';
import type { RegistrarCheck } from '../../src/providers/registrar/index.ts';

const firstYear = [
  { code: 'domain_first_year' as const, amountCents: 250_000 },
  { code: 'service' as const, amountCents: 14_900 },
];

test('a regular name renews at its first-year line; a premium name at its quoted renewal, the service added either way', () => {
  assert.equal(renewalPriceCents({ price_items: firstYear }, 2_900), 252_900);
  assert.equal(renewalPriceCents({ price_items: firstYear, renewal_domain_cents: null }, 2_900), 252_900);
  assert.equal(renewalDomainCents({ price_items: firstYear, renewal_domain_cents: 181_819 }), 181_819);
  assert.equal(renewalPriceCents({ price_items: firstYear, renewal_domain_cents: 181_819 }, 2_900), 184_719);
});

test('a premium renewal’s invoice lines: the domain at its renewal price, the rest (a restore’s surcharge) as service', () => {
  const order = { price_items: firstYear, renewal_domain_cents: 181_819 };
  assert.deepEqual(renewalItems(order, 184_719), [
    { code: 'domain_first_year', amountCents: 181_819 },
    { code: 'service', amountCents: 2_900 },
  ]);
  assert.deepEqual(renewalItems(order, 190_000), [
    { code: 'domain_first_year', amountCents: 181_819 },
    { code: 'service', amountCents: 8_181 },
  ]);
});

/** A checker whose registrar answers every name with `answer` (its name put in). */
const checkerAnswering = (answer: Omit<RegistrarCheck, 'domain'>, exchange: { currency: string; usdPerUnit: number; marginPercent: number }) =>
  new DomainChecker({
    sources: [],
    confirmations: { name: 'namecheap', check: async (names) => new Map(names.map((n) => [n, { ...answer, domain: n }])) },
    prices: { com: 1_400 },
    currency: 'EUR',
    exchange,
    premiumMaxCents: 1_000_000,
    concurrency: 1,
    budgetMs: 1_000,
    timeoutMs: 1_000,
  });

test('the checker converts a premium name’s renewal with the first year’s rate and margin, and keeps the US figures', async () => {
  const exchange = { currency: 'EUR', usdPerUnit: 1.1, marginPercent: 5 };
  const premium = { available: true, premium: true, currency: 'USD', premiumPriceCents: 250_000, premiumRenewalCents: 200_000, premiumRestoreCents: 6_500 };
  const [confirmed] = await checkerAnswering(premium, exchange).confirm(['premium-x.com'], 'confirm');
  const renewal = fromUsd({ cents: 200_000, currency: 'USD' }, exchange)!.cents;
  assert.equal(confirmed!.priceCents, fromUsd({ cents: 250_000, currency: 'USD' }, exchange)!.cents);
  assert.deepEqual(confirmed!.renewal, { amountCents: renewal, usdCents: 200_000, restoreUsdCents: 6_500 });
  // 2,000 USD at 1.10 USD per euro with 5 % margin: 1,909.10 EUR, rounded up
  assert.equal(renewal, 190_910);
  const [plain] = await checkerAnswering({ available: true, premium: false, currency: 'USD' }, exchange).confirm(['plain.com'], 'confirm');
  assert.equal(plain!.renewal, undefined);
});

test('what a premium renewal confirms to the registrar: its renewal, or out of redemption its restore and a year; a regular name none', () => {
  const premium = { premium: true, premium_renewal_usd_cents: 200_000, premium_restore_usd_cents: 6_500 };
  assert.equal(premiumPriceOf(premium, { redemption_usd_cents: null }, false), 200_000);
  assert.equal(premiumPriceOf(premium, { redemption_usd_cents: null }, true), 200_000, 'expired, still in the grace: a year');
  assert.equal(premiumPriceOf(premium, { redemption_usd_cents: 206_500 }, true), 206_500);
  assert.equal(premiumPriceOf({ premium: false, premium_renewal_usd_cents: null }, { redemption_usd_cents: 9_000 }, true), undefined);
  assert.deepEqual(premiumRestoreUsd(premium), { cents: 206_500, currency: 'USD' });
  assert.equal(premiumRestoreUsd({ premium: false, premium_renewal_usd_cents: null, premium_restore_usd_cents: null }), undefined);
});
