// alternativeCandidates: which names to offer when the customer's is taken, and in which order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternativeCandidates, slugify } from '../../src/domain/alternatives.ts';
import { parseDomainName } from '../../src/domain/domain-name.ts';

const TLDS = ['fr', 'com', 'net', 'org', 'eu', 'io', 'shop'];
const name = (d: string) => parseDomainName(d, TLDS);

test('slugify drops accents and joins words with one hyphen', () => {
  assert.equal(slugify('Boulangerie Dupont & Fils'), 'boulangerie-dupont-fils');
  assert.equal(slugify("  L'Œuf à la Coque — Saint-Étienne "), 'loeuf-a-la-coque-saint-etienne');
  assert.equal(slugify('!!!'), '');
});

test('the same label under other TLDs comes first: fr, com, then the catalogue order', () => {
  const list = alternativeCandidates(name('boulangerie.net'), { businessName: 'Boulangerie', tlds: TLDS });
  const otherTlds = list.filter((c) => c.reason === 'other_tld').map((c) => c.domain);
  assert.deepEqual(otherTlds, ['boulangerie.fr', 'boulangerie.com', 'boulangerie.org', 'boulangerie.eu', 'boulangerie.io', 'boulangerie.shop']);
  assert.equal(list[0].domain, 'boulangerie.fr');
});

test('ranks are consecutive from 1, names unique, valid, sold, and never the original', () => {
  const original = name('boulangerie.fr');
  const list = alternativeCandidates(original, { businessName: 'Boulangerie Dupont', city: 'Lyon', tlds: TLDS });
  assert.deepEqual(
    list.map((c) => c.rank),
    list.map((_, i) => i + 1),
  );
  assert.equal(new Set(list.map((c) => c.domain)).size, list.length);
  assert.ok(!list.some((c) => c.domain === original.ascii));
  for (const c of list) assert.equal(parseDomainName(c.domain, TLDS).ascii, c.domain);
  assert.ok(list.length <= 40);
});

test('variations come from the business name and the city', () => {
  const list = alternativeCandidates(name('boulangerie.fr'), { businessName: 'Boulangerie Dupont', city: 'Lyon', tlds: TLDS });
  const reasonOf = (d: string) => list.find((c) => c.domain === d)?.reason;
  assert.equal(reasonOf('boulangerie-dupont.fr'), 'business_name');
  assert.equal(reasonOf('boulangeriedupont.fr'), 'business_name');
  assert.equal(reasonOf('boulangerie-lyon.fr'), 'city');
  assert.equal(reasonOf('monboulangerie.fr'), 'prefix');
  assert.equal(reasonOf('boulangerie-shop.fr'), 'suffix');
  assert.equal(reasonOf('boulangerie.com'), 'other_tld');
});

test('a multi-word label is hyphenated at the business name word boundaries', () => {
  const list = alternativeCandidates(name('boulangeriedupont.fr'), { businessName: 'Boulangerie Dupont', tlds: TLDS });
  const hyphenated = list.find((c) => c.reason === 'hyphenated');
  assert.equal(hyphenated?.domain, 'boulangerie-dupont.fr');
  // and it is among the closest alternatives
  assert.ok(hyphenated!.rank <= 3, `rank ${hyphenated!.rank}`);
});

test('a hyphenated label is offered without its hyphens', () => {
  const list = alternativeCandidates(name('taken-foo.com'), { businessName: 'Foo', tlds: TLDS });
  assert.ok(list.some((c) => c.domain === 'takenfoo.com' && c.reason === 'hyphenated'));
});

test('closer and shorter names rank before longer ones of the same kind', () => {
  const list = alternativeCandidates(name('pizza.fr'), { businessName: 'Pizza', tlds: TLDS });
  const rank = (d: string) => list.find((c) => c.domain === d)!.rank;
  assert.ok(rank('pizza.com') < rank('pizza.shop'));
  assert.ok(rank('lepizza.fr') < rank('chezpizza.fr'));
  assert.ok(rank('pizzapro.fr') < rank('pizzaboutique.fr'));
  // a variation under the original TLD before the same variation elsewhere
  assert.ok(rank('monpizza.fr') < rank('monpizza.com'));
});

test('an IDN label is varied in its accent-free form', () => {
  const list = alternativeCandidates(name('café.fr'), { businessName: 'Le Café de la Gare', tlds: TLDS });
  assert.equal(list[0].domain, 'xn--caf-dma.com');
  assert.ok(list.some((c) => c.domain === 'lecafe.fr'));
  assert.ok(list.some((c) => c.domain === 'cafe-gare.fr'));
  assert.ok(!list.some((c) => c.domain.includes('xn--') && c.reason !== 'other_tld'));
});

test('names that would be invalid are dropped, and the cap holds', () => {
  const long = name(`${'a'.repeat(60)}.fr`);
  const list = alternativeCandidates(long, { businessName: 'Atelier', city: 'Saint-Étienne', tlds: TLDS, max: 12 });
  assert.ok(list.length <= 12);
  for (const c of list) assert.ok(c.domain.split('.')[0].length <= 63);
});

test('only TLDs of the catalogue are offered', () => {
  const list = alternativeCandidates(name('atelier.fr'), { businessName: 'Atelier', tlds: ['fr', 'eu'] });
  assert.ok(list.every((c) => c.domain.endsWith('.fr') || c.domain.endsWith('.eu')));
  assert.ok(list.some((c) => c.domain === 'atelier.eu'));
});
