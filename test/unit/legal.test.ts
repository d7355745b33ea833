// The legal texts and rules without a database: every version in both languages with the seller, the withdrawal
// clauses cited, the same text always under the same hash, who counts as a business, what an erasure says it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legalPartiesOf, sellerOf } from '../../src/config/seller.ts';
import { loadConfig } from '../../src/config.ts';
import { customerTypeOf } from '../../src/legal/consent.ts';
import { KEPT_AFTER_ERASURE, keptIn } from '../../src/legal/retention.ts';
import { PRIVACY_VERSIONS } from '../../src/legal/privacy.ts';
import { TERMS_VERSIONS } from '../../src/legal/terms.ts';
import { textHash, writeDocument } from '../../src/legal/texts.ts';
import type { LegalContext } from '../../src/legal/documents.ts';
import { EXAMPLE_SELLER } from '../support/seller.ts';

const ctx: LegalContext = {
  seller: sellerOf(EXAMPLE_SELLER),
  ...legalPartiesOf(EXAMPLE_SELLER),
  supportEmail: 'help@shop.example',
  publicUrl: 'https://shop.example',
  unpaidRetentionDays: 90,
};
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

test('the terms in force name the consumer mediator (name, address, website) in both languages, and no longer the EU’s closed ODR platform', () => {
  const current = TERMS_VERSIONS.at(-1)!;
  for (const locale of ['fr', 'en'] as const) {
    const terms = text(writeDocument('terms', current, locale, ctx));
    for (const value of [EXAMPLE_SELLER.MEDIATOR_NAME, EXAMPLE_SELLER.MEDIATOR_ADDRESS, EXAMPLE_SELLER.MEDIATOR_URL, 'L612-1', 'L616-1']) {
      assert.ok(terms.includes(value), `${locale} terms name ${value}`);
    }
    assert.doesNotMatch(terms, /ec\.europa\.eu\/consumers\/odr|ODR|Example mediator|Médiateur d’exemple/);
    // unset, an example stands in and says so
    const unset = text(writeDocument('terms', current, locale, { ...ctx, ...legalPartiesOf({}) }));
    assert.match(unset, /Médiateur d’exemple|Example mediator/);
  }
  // the earlier version stays as it was published
  assert.ok(!text(writeDocument('terms', TERMS_VERSIONS[0]!, 'fr', ctx)).includes(EXAMPLE_SELLER.MEDIATOR_NAME));
});

test('production refuses to start without the host of the legal notice and the mediator of the terms', () => {
  const { HOST_NAME: _, MEDIATOR_URL: __, ...partial } = EXAMPLE_SELLER;
  const prod = { NODE_ENV: 'production', ADMIN_TOKEN: 'a-production-admin-token-0123456789', OPERATOR_EMAIL: 'ops@shop.example', PRICES_INCLUDE_VAT: 'on' };
  assert.throws(
    () => loadConfig({ ...prod, ...partial }),
    (err: Error) => {
      assert.match(err.message, /HOST_NAME: required when NODE_ENV=production \(the host of this site, named by the legal notice/);
      assert.match(err.message, /MEDIATOR_URL: required when NODE_ENV=production \(the consumer mediator/);
      assert.doesNotMatch(err.message, /HOST_PHONE|MEDIATOR_NAME/);
      return true;
    },
  );
});
