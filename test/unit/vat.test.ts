// The VAT cases and an order's amounts: French consumer and business, EU business under reverse charge, EU consumer
// with and without the One-Stop-Shop, outside the EU (business and consumer), prices set with or without VAT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitInclusive, taxAmounts, vatTreatment } from '../../src/domain/vat.ts';
import { billingIdentityOf, checkVatNumber, orderTax } from '../../src/billing/identity.ts';
import type { PriceItem } from '../../src/domain/pricing.ts';

const items: PriceItem[] = [
  { code: 'domain_first_year', amountCents: 1200 },
  { code: 'service', amountCents: 14900 },
  { code: 'express_surcharge', amountCents: 9900 },
];
const noOss = { ossRegistered: false };
const oss = { ossRegistered: true };

test('each customer gets the VAT case the law gives it, with its legal mention', () => {
  const cases = [
    [{ kind: 'consumer', country: 'FR', validVatNumber: false }, noOss, 'domestic', 2000, null],
    [{ kind: 'business', country: 'FR', validVatNumber: true }, noOss, 'domestic', 2000, null],
    [{ kind: 'business', country: 'BE', validVatNumber: true }, noOss, 'reverse_charge', 0, /Autoliquidation.*283-2.*196/],
    // a business without a valid VAT number is invoiced as a consumer
    [{ kind: 'business', country: 'BE', validVatNumber: false }, noOss, 'eu_consumer_fr_vat', 2000, null],
    [{ kind: 'consumer', country: 'DE', validVatNumber: false }, oss, 'oss', 1900, /259 D/],
    [{ kind: 'consumer', country: 'DE', validVatNumber: false }, noOss, 'eu_consumer_fr_vat', 2000, null],
    [{ kind: 'consumer', country: 'GR', validVatNumber: false }, oss, 'oss', 2400, /GR/],
    [{ kind: 'business', country: 'US', validVatNumber: false }, noOss, 'outside_eu_business', 0, /259-1°/],
    [{ kind: 'consumer', country: 'CH', validVatNumber: false }, oss, 'outside_eu_consumer', 0, /259 B/],
    [{ kind: 'consumer', country: 'MC', validVatNumber: false }, noOss, 'domestic', 2000, null],
  ] as const;
  for (const [customer, settings, expected, rate, mention] of cases) {
    const t = vatTreatment(customer, settings);
    assert.equal(t.case, expected, JSON.stringify(customer));
    assert.equal(t.rateBp, rate, JSON.stringify(customer));
    if (mention) assert.match(t.mention!.fr, mention);
    else assert.equal(t.mention, null);
  }
  assert.equal(vatTreatment({ kind: 'consumer', country: 'BE', validVatNumber: false }, { ossRegistered: true, overrides: { BE: 2200 } }).rateBp, 2200);
});

test('prices including VAT: a French customer pays the list total exactly; the lines excluding VAT add up to the total', () => {
  const t = taxAmounts(items, vatTreatment({ kind: 'consumer', country: 'FR', validVatNumber: false }, noOss), true, 2000);
  assert.equal(t.totalInclVatCents, 26000);
  assert.equal(t.totalExclVatCents, 21667);
  assert.equal(t.vatCents, 4333);
  assert.equal(
    t.lines.reduce((s, l) => s + l.unitExclVatCents, 0),
    t.totalExclVatCents,
  );
  // reverse charge: the price excluding VAT, no VAT
  const rc = taxAmounts(items, vatTreatment({ kind: 'business', country: 'BE', validVatNumber: true }, noOss), true, 2000);
  assert.deepEqual([rc.totalExclVatCents, rc.vatCents, rc.totalInclVatCents], [21667, 0, 21667]);
  // OSS at 19 %: the price excluding VAT, German VAT on it
  const de = taxAmounts(items, vatTreatment({ kind: 'consumer', country: 'DE', validVatNumber: false }, oss), true, 2000);
  assert.deepEqual([de.totalExclVatCents, de.vatCents, de.totalInclVatCents], [21667, 4117, 25784]);
});

test('prices excluding VAT: VAT is the rate applied to the total, rounded to the cent', () => {
  const t = taxAmounts(items, vatTreatment({ kind: 'consumer', country: 'FR', validVatNumber: false }, noOss), false, 2000);
  assert.deepEqual([t.totalExclVatCents, t.vatCents, t.totalInclVatCents], [26000, 5200, 31200]);
  assert.deepEqual(splitInclusive(1200, 2000), { baseCents: 1000, vatCents: 200 });
  assert.deepEqual(splitInclusive(999, 0), { baseCents: 999, vatCents: 0 });
});

test('VAT numbers: format and key checked, the address’s country required, VIES asked when on', async () => {
  const settings = { OSS_REGISTERED: false, VIES_CHECK: false, PRICES_INCLUDE_VAT: true };
  const identity = (vatNumber: string, country: string) =>
    billingIdentityOf({
      billing: { type: 'organization', name: 'X', address1: 'a', postalCode: '1', city: 'c', country, vatNumber },
      businessName: 'X',
      email: 'x@example.org',
    });
  assert.deepEqual(await checkVatNumber(identity('BE 0403.170.701', 'BE'), settings), { valid: true });
  await assert.rejects(checkVatNumber(identity('BE0403170702', 'BE'), settings), (e: { code: string; extra?: unknown }) => e.code === 'vat_number_invalid');
  await assert.rejects(checkVatNumber(identity('BE0403170701', 'NL'), settings), /vat_number_invalid/);
  const vies = { check: async (_c: string, n: string) => ({ valid: !n.endsWith('701'), requestDate: '2026-12-07' }) };
  await assert.rejects(checkVatNumber(identity('BE0403170701', 'BE'), { ...settings, VIES_CHECK: true }, vies), /vat_number_invalid/);
  assert.equal((await checkVatNumber(identity('FR44732829320', 'FR'), { ...settings, VIES_CHECK: true }, vies)).viesCheckedAt, '2026-12-07');
  const tax = orderTax(identity('BE0403170701', 'BE'), items, settings, { valid: true });
  assert.equal(tax.treatment.case, 'reverse_charge');
  assert.equal(tax.customerKind, 'business');
});

test('the billing identity is the holder’s unless another is given', () => {
  const holder = {
    type: 'organization' as const,
    firstName: 'Léa',
    lastName: 'Martin',
    organization: 'Boulangerie Léa SARL',
    companyId: '732 829 320',
    address1: '3 rue du Four',
    city: 'Lyon',
    postalCode: '69001',
    country: 'FR',
  };
  const fromHolder = billingIdentityOf({ holder, businessName: 'Boulangerie', email: 'lea@example.org' });
  assert.deepEqual(fromHolder, {
    type: 'organization',
    name: 'Boulangerie Léa SARL',
    contact: 'Léa Martin',
    companyId: '732829320',
    address1: '3 rue du Four',
    postalCode: '69001',
    city: 'Lyon',
    country: 'FR',
    email: 'lea@example.org',
  });
  const given = billingIdentityOf({
    holder,
    billing: { type: 'individual', name: 'Léa Martin', address1: '1 rue B', postalCode: '69002', city: 'Lyon', country: 'FR' },
    businessName: 'Boulangerie',
    email: 'lea@example.org',
  });
  assert.equal(given.name, 'Léa Martin');
  assert.equal(given.type, 'individual');
});

test('overseas departments: 8.5 % in Guadeloupe, Martinique and La Réunion, no VAT in Guyane and Mayotte, by ISO code or French postal code', () => {
  const cases = [
    ['consumer', 'GP', undefined, 'dom', 850, /294-1 et 296/],
    ['business', 'MQ', undefined, 'dom', 850, /296/],
    ['consumer', 'RE', undefined, 'dom', 850, /296/],
    ['consumer', 'FR', '97110', 'dom', 850, /296/],
    ['business', 'FR', '974 00', 'dom', 850, /296/],
    ['consumer', 'GF', undefined, 'dom_no_vat', 0, /Guyane et à Mayotte — article 294-1/],
    ['business', 'YT', undefined, 'dom_no_vat', 0, /294-1/],
    ['consumer', 'FR', '97300', 'dom_no_vat', 0, /294-1/],
    ['business', 'FR', '97600', 'dom_no_vat', 0, /294-1/],
    // overseas collectivities with their own tax systems: outside French VAT
    ['consumer', 'FR', '97500', 'outside_eu_consumer', 0, /259 B/],
    ['consumer', 'FR', '98800', 'outside_eu_consumer', 0, /259 B/],
    // mainland and Monaco postal codes stay domestic
    ['consumer', 'FR', '69001', 'domestic', 2000, null],
    ['consumer', 'FR', '98000', 'domestic', 2000, null],
  ] as const;
  for (const [kind, country, postalCode, expected, rate, mention] of cases) {
    const t = vatTreatment({ kind, country, postalCode, validVatNumber: kind === 'business' }, oss);
    const what = `${kind} ${country} ${postalCode ?? ''}`;
    assert.equal(t.case, expected, what);
    assert.equal(t.rateBp, rate, what);
    // no reverse charge between the mainland and a DOM: the seller charges the VAT (BOI-TVA-GEO-20-40)
    assert.notEqual(t.category, 'AE', what);
    if (mention) assert.match(t.mention!.fr, mention, what);
    else assert.equal(t.mention, null, what);
  }
  // prices set including French VAT: the price excluding VAT, then the DOM rate on it
  const gp = taxAmounts(items, vatTreatment({ kind: 'consumer', country: 'GP', validVatNumber: false }, noOss), true, 2000);
  assert.deepEqual([gp.totalExclVatCents, gp.vatCents, gp.totalInclVatCents], [21667, 1842, 23509]);
  assert.deepEqual(gp.byRate, [{ rateBp: 850, category: 'S', baseCents: 21667, vatCents: 1842 }]);
});

test('a DOM business’s French VAT number is accepted with its DOM address, and checked with VIES when on', async () => {
  const settings = { OSS_REGISTERED: false, VIES_CHECK: false, PRICES_INCLUDE_VAT: true };
  const identity = billingIdentityOf({
    billing: { type: 'organization', name: 'Rhum SARL', address1: 'a', postalCode: '97200', city: 'Fort-de-France', country: 'MQ', vatNumber: 'FR44732829320' },
    businessName: 'X',
    email: 'x@example.org',
  });
  assert.deepEqual(await checkVatNumber(identity, settings), { valid: true });
  const asked: string[] = [];
  const vies = { check: async (c: string, n: string) => (asked.push(c + n), { valid: true, requestDate: '2026-12-07' }) };
  await checkVatNumber(identity, { ...settings, VIES_CHECK: true }, vies);
  assert.deepEqual(asked, ['FR44732829320']);
  const tax = orderTax(identity, items, settings, { valid: true });
  assert.deepEqual([tax.treatment.case, tax.treatment.rateBp, tax.customerKind], ['dom', 850, 'business']);
});
