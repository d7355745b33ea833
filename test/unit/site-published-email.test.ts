// The "your new version is live" email: short, in French and English, with the live address and the editor link, customer text escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sitePublishedEmail, type SitePublishedView } from '../../src/emails/site-published.ts';

const view: SitePublishedView = {
  businessName: 'Boulangerie <Dupont> & Fils',
  domain: 'boulangerie-dupont.fr',
  siteUrl: 'https://boulangerie-dupont.fr/',
  editorUrl: 'https://conciergerie.example/editor/tok_123',
  version: 4,
  publishedAt: '2025-06-03T12:30:00Z',
  supportEmail: 'support@conciergerie.example',
};

test('French and English: subject, address, version, editor link', () => {
  const fr = sitePublishedEmail(view, 'fr');
  const en = sitePublishedEmail(view, 'en');
  assert.match(fr.subject, /^boulangerie-dupont.fr\s:\svotre nouvelle version est en ligne$/);
  assert.equal(en.subject, 'boulangerie-dupont.fr: your new version is live');
  for (const email of [fr, en]) {
    assert.ok(email.subject.length <= 60);
    assert.ok(email.text.includes('https://boulangerie-dupont.fr/'));
    assert.ok(email.text.includes('https://conciergerie.example/editor/tok_123'));
    assert.ok(email.html.includes('href="https://conciergerie.example/editor/tok_123"'));
    assert.match(email.text, /\b4\b/);
    // what the customer typed is escaped in the HTML
    assert.ok(email.html.includes('Boulangerie &lt;Dupont&gt; &amp; Fils'));
    assert.ok(!email.html.includes('<Dupont>'));
  }
  assert.match(fr.text, /juin 2025/);
  assert.match(en.text, /June 2025/);
});
