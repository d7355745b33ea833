// parseDomainName: what customers type, turned into a name we can sell, or the stable code saying why not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDomainName, toUnicode } from '../../src/domain/domain-name.ts';
import { AppError } from '../../src/errors.ts';

const SOLD = ['fr', 'com', 'net', 'org', 'eu', 'io', 'shop', 'co.uk'];

function refusedWith(input: string, code: string, sold: string[] = SOLD): AppError {
  let caught: unknown;
  try {
    parseDomainName(input, sold);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof AppError, `${JSON.stringify(input)} should be refused`);
  assert.equal(caught.code, code, `${JSON.stringify(input)}`);
  assert.equal(caught.status, 422);
  return caught;
}

test('a plain name', () => {
  assert.deepEqual(parseDomainName('boulangerie-dupont.fr', SOLD), {
    ascii: 'boulangerie-dupont.fr',
    unicode: 'boulangerie-dupont.fr',
    label: 'boulangerie-dupont',
    tld: 'fr',
  });
});

test('an IDN becomes punycode, and keeps its Unicode form', () => {
  assert.deepEqual(parseDomainName('café.fr', SOLD), { ascii: 'xn--caf-dma.fr', unicode: 'café.fr', label: 'xn--caf-dma', tld: 'fr' });
  // the same name pasted as punycode, or typed with a combining accent (NFD)
  assert.equal(parseDomainName('xn--caf-dma.fr', SOLD).unicode, 'café.fr');
  assert.equal(parseDomainName('cafe\u0301.fr', SOLD).ascii, 'xn--caf-dma.fr');
  assert.equal(toUnicode('xn--caf-dma.fr'), 'café.fr');
});

test('uppercase, whitespace, URLs, www and a trailing dot are what people paste', () => {
  for (const input of [
    '  Example.FR ',
    'EXAMPLE.fr.',
    'https://www.example.fr/',
    'http://example.fr/contact?x=1#top',
    'www.example.fr',
    'example.fr:8080',
    'example\u3002fr',
  ]) {
    assert.equal(parseDomainName(input, SOLD).ascii, 'example.fr', input);
  }
  // "www.fr" is itself a name under .fr, not "www." + nothing
  assert.equal(parseDomainName('www.fr', SOLD).label, 'www');
});

test('a multi-label public suffix', () => {
  assert.deepEqual(parseDomainName('shop.co.uk', SOLD), { ascii: 'shop.co.uk', unicode: 'shop.co.uk', label: 'shop', tld: 'co.uk' });
});

test('domain_empty', () => {
  refusedWith('', 'domain_empty');
  refusedWith('   ', 'domain_empty');
  refusedWith('https://', 'domain_empty');
});

test('domain_invalid_characters', () => {
  for (const input of ['exa_mple.fr', 'exa mple.fr', 'ex!ample.fr', 'a..fr', '.example.fr', 'caf☕.fr', 'xn--zzzzzzz-.fr']) {
    refusedWith(input, 'domain_invalid_characters');
  }
});

test('domain_label_too_long', () => {
  assert.equal(parseDomainName(`${'a'.repeat(63)}.fr`, SOLD).label.length, 63);
  refusedWith(`${'a'.repeat(64)}.fr`, 'domain_label_too_long');
});

test('domain_too_long', () => {
  const name = `${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.fr`; // 307 characters
  refusedWith(name, 'domain_too_long');
});

test('domain_hyphen', () => {
  refusedWith('-example.fr', 'domain_hyphen');
  refusedWith('example-.fr', 'domain_hyphen');
  refusedWith('ab--cd.fr', 'domain_hyphen');
  assert.equal(parseDomainName('a-b-c.fr', SOLD).label, 'a-b-c');
});

test('domain_not_registrable: a subdomain or a bare suffix', () => {
  const err = refusedWith('a.b.example.fr', 'domain_not_registrable');
  assert.equal(err.params.registrable, 'example.fr');
  refusedWith('shop.example.fr', 'domain_not_registrable');
  refusedWith('fr', 'domain_not_registrable');
  refusedWith('co.uk', 'domain_not_registrable');
});

test('domain_mixed_script: a Cyrillic "а" in "pаypal.com"', () => {
  refusedWith('p\u0430ypal.com', 'domain_mixed_script');
  // the same homograph pasted as punycode
  refusedWith('xn--pypal-4ve.com', 'domain_mixed_script');
  // one script is fine, and Japanese mixes Han, Hiragana, Katakana and Latin
  assert.equal(parseDomainName('пример.com', SOLD).unicode, 'пример.com');
  assert.ok(parseDomainName('東京すしバー.com', SOLD).ascii.startsWith('xn--'));
});

test('domain_tld_not_sold carries the catalogue', () => {
  const err = refusedWith('example.de', 'domain_tld_not_sold');
  assert.deepEqual(err.params, { tld: 'de', sold: SOLD });
  refusedWith('example.co.uk', 'domain_tld_not_sold', ['fr', 'uk']);
});
