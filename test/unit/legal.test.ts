// The legal texts and rules without a database: every version in both languages with the seller, the withdrawal
// clauses cited, the same text always under the same hash, who counts as a business, what an erasure says it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sellerOf } from '../../src/config/seller.ts';
import { customerTypeOf } from '../../src/legal/consent.ts';
import { KEPT_AFTER_ERASURE, keptIn } from '../../src/legal/retention.ts';
import { PRIVACY_VERSIONS } from '../../src/legal/privacy.ts';
import { TERMS_VERSIONS } from '../../src/legal/terms.ts';
import { textHash, writeDocument } from '../../src/legal/texts.ts';
import type { LegalContext } from '../../src/legal/documents.ts';
import { EXAMPLE_SELLER } from '../support/seller.ts';

const ctx: LegalContext = { seller: sellerOf(EXAMPLE_SELLER), supportEmail: 'help@shop.example', publicUrl: 'https://shop.example', unpaidRetentionDays: 90 };
const text = (d: { title: string; sections: { heading: string; paragraphs: string[] }[] }) =>
  [d.title, ...d.sections.flatMap((s) => [s.heading, ...s.paragraphs])].join('\n');

test('every version of the terms and the privacy policy exists in French and English, names the seller, and the two languages match', () => {
  for (const [kind, versions] of [
    ['terms', TERMS_VERSIONS],
    ['privacy', PRIVACY_VERSIONS],
  ] as const) {
    for (const v of versions) {
      assert.match(v.version, /^\d{4}-\d{2}-\d{2}$/);
      const fr = writeDocument(kind, v, 'fr', ctx);
      const en = writeDocument(kind, v, 'en', ctx);
      assert.equal(fr.sections.length, en.sections.length, `${kind} ${v.version}: the same sections`);
      for (const d of [fr, en]) {
        const all = text(d);
        for (const value of [EXAMPLE_SELLER.SELLER_LEGAL_NAME, EXAMPLE_SELLER.SELLER_SIREN, EXAMPLE_SELLER.SELLER_VAT_NUMBER, EXAMPLE_SELLER.SELLER_RCS]) {
          assert.ok(all.includes(value), `${kind} ${d.locale} names ${value}`);
        }
        assert.doesNotMatch(all, /Identité d’exemple|Example identity/, 'a complete seller is not called an example');
      }
    }
  }
});

test('the terms cite the withdrawal rules; the privacy policy the retention rules and the unpaid orders’ period', () => {
  for (const locale of ['fr', 'en'] as const) {
    const terms = text(writeDocument('terms', TERMS_VERSIONS.at(-1)!, locale, ctx));
    for (const article of ['L221-18', 'L221-25', 'L221-28', 'R221-1', 'L221-3']) assert.ok(terms.includes(article), `${locale} terms cite ${article}`);
    const privacy = text(writeDocument('privacy', PRIVACY_VERSIONS.at(-1)!, locale, ctx));
    for (const rule of ['L123-22', 'L102 B', 'L213-1', 'CNIL']) assert.ok(privacy.includes(rule), `${locale} privacy cites ${rule}`);
    assert.match(privacy, /90 (jours|days)/);
  }
});

test('a text is kept under the hash of its content: the same text the same hash, another seller another one', () => {
  const v = TERMS_VERSIONS.at(-1)!;
  const a = textHash(writeDocument('terms', v, 'fr', ctx));
  assert.equal(textHash(writeDocument('terms', v, 'fr', ctx)), a);
  assert.notEqual(textHash(writeDocument('terms', v, 'en', ctx)), a);
  const moved = { ...ctx, seller: sellerOf({ ...EXAMPLE_SELLER, SELLER_CITY: 'Lyon' }) };
  assert.notEqual(textHash(writeDocument('terms', v, 'fr', moved)), a);
  // without the settings the example identity stands in, and says so
  assert.match(text(writeDocument('terms', v, 'fr', { ...ctx, seller: sellerOf({}) })), /Identité d’exemple/);
});

test('who is a business: the identity invoiced (an organisation, a VAT number) decides; else the request; else a consumer', () => {
  assert.equal(customerTypeOf({}), 'consumer');
  assert.equal(customerTypeOf({ customerType: 'business' }), 'business');
  assert.equal(customerTypeOf({ customerType: 'consumer', holder: { type: 'organization' } }), 'business');
  assert.equal(customerTypeOf({ customerType: 'business', holder: { type: 'individual' } }), 'consumer');
  assert.equal(customerTypeOf({ holder: { type: 'organization' }, billing: { type: 'individual' } }), 'consumer', 'the billing identity over the holder');
  assert.equal(customerTypeOf({ billing: { type: 'individual', vatNumber: 'FR61999123458' } }), 'business');
});

test('what an erasure keeps is said in both languages, each with why and until when', () => {
  assert.deepEqual(
    KEPT_AFTER_ERASURE.map((k) => k.key),
    ['invoices', 'contract', 'payments', 'domain', 'opt_out'],
  );
  for (const locale of ['fr', 'en'] as const) for (const k of keptIn(locale)) assert.ok(k.what && k.why && k.until, `${locale} ${k.key}`);
  assert.match(keptIn('fr').find((k) => k.key === 'invoices')!.why, /L123-22.*L102 B/);
});
