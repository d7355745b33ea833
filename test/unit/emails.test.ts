// Every customer email renders in French and English, escapes what the customer typed, and formats money and dates for the locale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatHours, formatMoney, typeset } from '../../src/emails/i18n.ts';
import { LOCALES, type Locale } from '../../src/domain/locale.ts';
import { escapeHtml, type RenderedEmail } from '../../src/emails/layout.ts';
import { confirmationEmail, type ConfirmationView } from '../../src/emails/confirmation.ts';
import { paymentLinkRenewedEmail, type PaymentLinkRenewedView } from '../../src/emails/payment-link-renewed.ts';
import { paymentExpiredEmail, type PaymentExpiredView } from '../../src/emails/payment-expired.ts';
import { progressEmail, type ProgressView } from '../../src/emails/progress.ts';
import { deliveredEmail, type DeliveredView } from '../../src/emails/delivered.ts';
import { refundedEmail, type RefundedView } from '../../src/emails/refunded.ts';
import { domainTakenEmail, type DomainTakenView } from '../../src/emails/domain-taken.ts';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const supportEmail = 'support@conciergerie.example';

const confirmation: ConfirmationView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  tier: 'express',
  price: {
    currency: 'EUR',
    items: [
      { code: 'domain_first_year', amountCents: 1200 },
      { code: 'service', amountCents: 14900 },
      { code: 'express_surcharge', amountCents: 9900 },
    ],
    totalCents: 26000,
  },
  deadlineHours: 4,
  paymentUrl: 'https://checkout.example/pay/cs_test_1',
  trackingUrl: 'https://conciergerie.example/suivi/abc',
  editorUrl: 'https://conciergerie.example/editor/abc',
  supportEmail,
};
const renewed: PaymentLinkRenewedView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  total: { amountCents: 26000, currency: 'EUR' },
  deadlineHours: 4,
  paymentUrl: 'https://checkout.example/pay/cs_test_2',
  expiresAt: '2025-06-04T12:30:00Z',
  trackingUrl: 'https://conciergerie.example/suivi/abc',
  supportEmail,
};
const expired: PaymentExpiredView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  trackingUrl: 'https://conciergerie.example/suivi/abc',
  supportEmail,
};
const progress: ProgressView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  eta: '2025-06-03T13:10:00Z',
  deadline: '2025-06-03T16:00:00Z',
  deadlineHours: 4,
  trackingUrl: 'https://conciergerie.example/suivi/abc',
  supportEmail,
};
const delivered: DeliveredView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  siteUrl: 'https://boulangerie-martin.fr/',
  editorUrl: 'https://conciergerie.example/editeur/xyz',
  source: 'document',
  deliveredAt: '2025-06-03T13:05:00Z',
  deadline: '2025-06-03T16:00:00Z',
  supportEmail,
};
const refunded: RefundedView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  refund: { amountCents: 26000, currency: 'EUR' },
  reason: 'hosting_failed',
  supportEmail,
};
const domainTaken: DomainTakenView = {
  businessName: 'Boulangerie Martin',
  domain: 'boulangerie-martin.fr',
  alternatives: [
    { domain: 'boulangerie-martin.com', amountCents: 1400 },
    { domain: 'martin-boulangerie.fr', amountCents: 1200 },
  ],
  currency: 'EUR',
  chooseUrl: 'https://conciergerie.example/suivi/abc/domaine',
  supportEmail,
};

/** Each template with a realistic view, rendered by the same (view, locale) signature. */
const templates: { name: string; render: (locale: Locale, hostile?: boolean) => RenderedEmail }[] = [
  { name: 'confirmation', render: (l, h) => confirmationEmail(maybeHostile(confirmation, h), l) },
  { name: 'payment-link-renewed', render: (l, h) => paymentLinkRenewedEmail(maybeHostile(renewed, h), l) },
  { name: 'payment-expired', render: (l, h) => paymentExpiredEmail(maybeHostile(expired, h), l) },
  { name: 'progress', render: (l, h) => progressEmail(maybeHostile(progress, h), l) },
  { name: 'delivered', render: (l, h) => deliveredEmail(maybeHostile(delivered, h), l) },
  { name: 'refunded', render: (l, h) => refundedEmail(maybeHostile(refunded, h), l) },
  { name: 'domain-taken', render: (l, h) => domainTakenEmail(maybeHostile(domainTaken, h), l) },
];

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
/** Fields whose type is a code, a currency or a date: not free text a customer could fill. */
const NOT_FREE_TEXT = new Set(['tier', 'code', 'currency', 'reason', 'expiresAt', 'eta', 'deadline', 'deliveredAt']);

/** Appends both payloads to every free-text string of a view, however deep. */
function maybeHostile<T>(view: T, hostile = false): T {
  if (!hostile) return view;
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return NOT_FREE_TEXT.has(key) ? value : `${value}${SCRIPT}${IMG}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(view, '') as T;
}

const FRENCH = /\b(votre|vous|nous)\b/i;
const ENGLISH = /\b(your|you|we)\b/i;

for (const { name, render } of templates) {
  test(`${name}: renders in French and in English, subject and text in the right language`, () => {
    const fr = render('fr');
    const en = render('en');
    assert.notEqual(fr.subject, en.subject);
    for (const [email, own, other] of [
      [fr, FRENCH, ENGLISH],
      [en, ENGLISH, FRENCH],
    ] as const) {
      assert.ok(email.subject.length > 0 && email.subject.length <= 60, `subject too long: ${email.subject}`);
      assert.match(email.text, own);
      assert.doesNotMatch(email.text, other);
      assert.match(email.html, own);
      assert.ok(email.html.includes('Conciergerie'));
      assert.ok(email.html.includes(`mailto:${supportEmail}`));
    }
    assert.match(fr.html, /<html lang="fr">/);
    assert.match(en.html, /<html lang="en">/);
  });

  test(`${name}: the text part has no HTML tags and no entities`, () => {
    for (const locale of LOCALES) {
      const { text } = render(locale);
      assert.doesNotMatch(text, /<\/?[a-z][^>]*>/i);
      assert.doesNotMatch(text, /&(amp|lt|gt|quot|#\d+);/);
      assert.ok(text.includes(supportEmail));
    }
  });

  test(`${name}: French text keeps its punctuation on the line (no plain space before : ; ! ?)`, () => {
    const { subject, text } = render('fr');
    assert.doesNotMatch(subject, / [:;!?]/);
    assert.doesNotMatch(text, / [:;!?](\s|$)/m);
  });

  test(`${name}: whatever the customer typed comes out escaped in the HTML`, () => {
    for (const locale of LOCALES) {
      const { html, subject } = render(locale, true);
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /<img/i);
      assert.doesNotMatch(html, /"><img/);
      assert.ok(html.includes(escapeHtml(SCRIPT)), 'the payload is shown, escaped, not dropped');
      assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
      // The subject is plain text too: the mail client shows it, it does not interpret it.
      assert.ok(subject.length > 0);
    }
  });
}

test('money is formatted from integer cents for each locale', () => {
  assert.equal(formatMoney(14900, 'EUR', 'fr'), `149,00${NBSP}€`);
  assert.equal(formatMoney(14900, 'EUR', 'en'), '€149.00');
  // Intl groups thousands with a narrow no-break space in French.
  assert.equal(formatMoney(149000, 'EUR', 'fr'), `1${NNBSP}490,00${NBSP}€`);
  assert.equal(formatMoney(149000, 'EUR', 'en'), '€1,490.00');
  // "cents" are the currency's minor unit: yen have none.
  assert.equal(formatMoney(1500, 'JPY', 'en'), 'JP¥1,500');
  // forints and Taiwan dollars are held in whole units (PayPal refuses their fractions): 25000 is 25,000, not 250.00
  assert.equal(formatMoney(25000, 'HUF', 'en'), 'HUF\u00a025,000');
  assert.equal(formatMoney(990, 'TWD', 'en'), 'NT$990');
  assert.throws(() => formatMoney(149.5, 'EUR', 'fr'), RangeError);
});

test('the confirmation itemises the price and shows the total on the pay button', () => {
  const fr = confirmationEmail(confirmation, 'fr');
  for (const amount of ['12,00', '149,00', '99,00', '260,00']) assert.ok(fr.text.includes(`${amount}${NBSP}€`), amount);
  assert.ok(fr.html.includes(`Payer 260,00${NBSP}€`));
  assert.ok(fr.html.includes('href="https://checkout.example/pay/cs_test_1"'));
  assert.ok(fr.text.includes('https://conciergerie.example/suivi/abc'));
  assert.ok(fr.text.includes(`dans les 4${NNBSP}h qui suivent votre paiement`));

  const en = confirmationEmail({ ...confirmation, tier: 'standard', deadlineHours: 24 }, 'en');
  assert.ok(en.text.includes('€149.00'));
  assert.ok(en.text.includes('Your site is live within 24 hours of payment.'));
  for (const phase of ['Request', 'After payment', 'Deployment', 'Finalisation']) assert.ok(en.text.includes(phase), phase);
  for (const target of ['under 5 minutes', 'under 30 minutes', 'under 2 hours']) assert.ok(en.text.includes(target), target);
});

test('dates are shown in Paris time with the zone', () => {
  // 12:30 UTC in June is 14:30 in Paris (summer time), 13:30 in January.
  assert.match(formatDateTime('2025-06-03T12:30:00Z', 'fr'), /3 juin 2025 .*14:30 UTC\+2/);
  assert.match(formatDateTime(new Date('2025-01-03T12:30:00Z'), 'fr'), /3 janvier 2025 .*13:30 UTC\+1/);
  assert.match(formatDateTime('2025-06-03T12:30:00Z', 'en'), /3 June 2025 .*14:30 CEST/);
  assert.throws(() => formatDateTime('not a date', 'en'), RangeError);
});

test('French copy gets its no-break spaces before : ; ! ? and around guillemets', () => {
  assert.equal(
    typeset('Une question ? Écrivez-nous : « vite » ; merci !', 'fr'),
    `Une question${NNBSP}? Écrivez-nous${NBSP}: «${NBSP}vite${NBSP}»${NNBSP}; merci${NNBSP}!`,
  );
  assert.equal(typeset('https://example.fr/a?b=1', 'fr'), 'https://example.fr/a?b=1');
  assert.equal(typeset('Any questions? Write: now!', 'en'), 'Any questions? Write: now!');
  assert.equal(formatHours(4, 'fr'), `4${NNBSP}h`);
  assert.equal(typeset('moins de 2 h', 'fr'), `moins de 2${NNBSP}h`);
  assert.equal(formatHours(1, 'en'), '1 hour');

  const delivered_ = deliveredEmail(delivered, 'fr');
  assert.equal(delivered_.subject, `boulangerie-martin.fr est en ligne${NNBSP}!`);
  assert.ok(confirmationEmail(confirmation, 'fr').subject.includes(`reçue${NBSP}:`));
});

test('delivered says the promise was kept only when it was', () => {
  assert.match(deliveredEmail(delivered, 'en').text, /Promise kept/);
  assert.doesNotMatch(deliveredEmail({ ...delivered, deliveredAt: '2025-06-03T17:00:00Z' }, 'en').text, /Promise kept/);
});

test('the confirmation carries the editor link: what is saved there before the deploy is what goes live (fr and en)', () => {
  const fr = confirmationEmail(confirmation, 'fr');
  assert.ok(fr.html.includes('href="https://conciergerie.example/editor/abc"'));
  assert.match(fr.text, /l’éditeur de votre site[^]*https:\/\/conciergerie\.example\/editor\/abc/);
  assert.match(fr.text, /ce que vous y enregistrez avant la mise en ligne est ce qui sera publié/);
  assert.match(fr.text, /archive ZIP/);
  const en = confirmationEmail(confirmation, 'en');
  assert.match(en.text, /what you save there before your site goes live is what gets published/);
  assert.ok(en.html.includes('href="https://conciergerie.example/editor/abc"'));
});

test('delivered speaks of the editor, or of the uploaded archive that publishing from the editor would replace', () => {
  for (const locale of ['fr', 'en'] as const) {
    const doc = deliveredEmail(delivered, locale).text;
    const zip = deliveredEmail({ ...delivered, source: 'archive' }, locale).text;
    assert.match(doc, locale === 'fr' ? /Les changements sont en ligne en quelques instants/ : /Changes go live within moments/);
    assert.doesNotMatch(zip, /quelques instants|within moments/);
    assert.match(
      zip,
      locale === 'fr'
        ? /celui de l’archive ZIP que vous avez envoyée[^]*le publier remplace entièrement le site que vous avez envoyé/
        : /the one from the ZIP archive you uploaded[^]*publishing it replaces the site you uploaded entirely/,
    );
    assert.ok(zip.includes(delivered.editorUrl));
  }
});

test('domain-taken lists every alternative with its price, and still reads well with none', () => {
  const fr = domainTakenEmail(domainTaken, 'fr');
  assert.ok(fr.text.includes('boulangerie-martin.com'));
  assert.ok(fr.text.includes(`14,00${NBSP}€`));
  assert.ok(fr.html.includes('href="https://conciergerie.example/suivi/abc/domaine"'));
  const none = domainTakenEmail({ ...domainTaken, alternatives: [] }, 'en');
  assert.match(none.text, /found no close name/);
});

test('refunded gives the amount and the reason in plain words, never a raw code', () => {
  const fr = refundedEmail(refunded, 'fr');
  assert.ok(fr.text.includes(`260,00${NBSP}€`));
  assert.match(fr.text, /hébergement/);
  assert.doesNotMatch(fr.text, /hosting_failed/);
});

test('links other than http(s) and mailto never reach an href', () => {
  const { html } = paymentExpiredEmail({ ...expired, trackingUrl: 'javascript:alert(1)' }, 'en');
  assert.doesNotMatch(html, /href="javascript:/i);
});
