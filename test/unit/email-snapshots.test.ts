// Every email, in each language it is sent in, renders exactly as recorded under test/unit/snapshots/emails/
// (subject, plain text and HTML). `UPDATE_SNAPSHOTS=1 npm test -- email-snapshots` rewrites the records after a
// deliberate change of copy or layout; review the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Order } from '../../src/db/schema.ts';
import type { Locale } from '../../src/domain/locale.ts';
import type { RenderedEmail } from '../../src/emails/layout.ts';
import { confirmationEmail } from '../../src/emails/confirmation.ts';
import { paymentLinkRenewedEmail } from '../../src/emails/payment-link-renewed.ts';
import { paymentExpiredEmail } from '../../src/emails/payment-expired.ts';
import { progressEmail } from '../../src/emails/progress.ts';
import { deliveredEmail } from '../../src/emails/delivered.ts';
import { refundedEmail, type RefundReason } from '../../src/emails/refunded.ts';
import { domainTakenEmail } from '../../src/emails/domain-taken.ts';
import { sitePublishedEmail } from '../../src/emails/site-published.ts';
import { signInEmail } from '../../src/emails/sign-in.ts';
import { renewalLostEmail, renewalPaymentEmail, renewalReminderEmail, renewedEmail, type RenewalView } from '../../src/emails/renewal.ts';
import { renewalRefundedEmail } from '../../src/emails/transfer.ts';
import { renderOrderEmail, type OrderEmailKind, type OrderLinks } from '../../src/emails/order-emails.ts';
import { satisfactionLinks } from '../../src/workflow/links.ts';
import { alertEmail, dailyReportEmail, digestEmail, siteDownEmail, siteRestoredEmail } from '../../src/monitoring/emails.ts';
import type { DailyReport } from '../../src/monitoring/report.ts';
import { daySatisfaction, noSatisfaction } from '../support/satisfaction.ts';

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'snapshots', 'emails');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

const supportEmail = 'support@conciergerie.example';
// free text with what must be escaped in HTML and typeset in French
const businessName = 'Boulangerie « Martin » & Fils <1982> : l’été !';
const domain = 'boulangerie-martin.fr';
const trackingUrl = 'https://conciergerie.example/suivi/abc';
const editorUrl = 'https://conciergerie.example/editeur/xyz';
const siteUrl = `https://${domain}/`;

const renewal: RenewalView = {
  businessName,
  domain,
  supportEmail,
  trackingUrl,
  expiresAt: '2026-06-15T10:00:00Z',
  priceCents: 6100,
  currency: 'EUR',
  autoRenew: true,
  chargeAt: '2026-05-16T10:00:00Z',
  savedMethod: 'visa •••• 4242',
};
const renewalDue = { ...renewal, paymentUrl: 'https://checkout.example/pay/cs_test_d', lostAt: '2026-07-15T10:00:00Z' };

const customer: Record<string, (locale: Locale) => RenderedEmail> = {
  'confirmation-express': (l) =>
    confirmationEmail(
      {
        businessName,
        domain,
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
        trackingUrl,
        editorUrl,
        supportEmail,
      },
      l,
    ),
  'confirmation-standard': (l) =>
    confirmationEmail(
      {
        businessName,
        domain,
        tier: 'standard',
        price: {
          currency: 'EUR',
          items: [
            { code: 'domain_first_year', amountCents: 1400 },
            { code: 'service', amountCents: 14900 },
          ],
          totalCents: 16300,
        },
        deadlineHours: 0.005,
        paymentUrl: 'https://checkout.example/pay/cs_test_2',
        trackingUrl,
        editorUrl,
        supportEmail,
      },
      l,
    ),
  'payment-link-renewed': (l) =>
    paymentLinkRenewedEmail(
      {
        businessName,
        domain,
        total: { amountCents: 26000, currency: 'EUR' },
        deadlineHours: 24,
        paymentUrl: 'https://checkout.example/pay/cs_test_3',
        expiresAt: '2025-06-04T12:30:00Z',
        trackingUrl,
        supportEmail,
      },
      l,
    ),
  'payment-expired': (l) => paymentExpiredEmail({ businessName, domain, trackingUrl, supportEmail }, l),
  progress: (l) =>
    progressEmail({ businessName, domain, eta: '2025-06-03T13:10:00Z', deadline: '2025-06-03T16:00:00Z', deadlineHours: 4, trackingUrl, supportEmail }, l),
  'delivered-document-on-time': (l) =>
    deliveredEmail(
      { businessName, domain, siteUrl, editorUrl, source: 'document', deliveredAt: '2025-06-03T13:05:00Z', deadline: '2025-06-03T16:00:00Z', supportEmail },
      l,
    ),
  'delivered-archive-late': (l) =>
    deliveredEmail(
      { businessName, domain, siteUrl, editorUrl, source: 'archive', deliveredAt: '2025-12-03T17:05:00Z', deadline: '2025-12-03T16:00:00Z', supportEmail },
      l,
    ),
  ...Object.fromEntries(
    (['domain_unavailable', 'domain_registration_failed', 'hosting_failed', 'certificate_failed', 'deadline_missed', 'other'] satisfies RefundReason[]).map(
      (reason) => [
        `refunded-${reason}`,
        (l: Locale) => refundedEmail({ businessName, domain, refund: { amountCents: 26000, currency: 'EUR' }, reason, supportEmail }, l),
      ],
    ),
  ),
  'domain-taken-alternatives': (l) =>
    domainTakenEmail(
      {
        businessName,
        domain,
        alternatives: [
          { domain: 'boulangerie-martin.com', amountCents: 1400 },
          { domain: 'martin-boulangerie.fr', amountCents: 1200 },
        ],
        currency: 'EUR',
        chooseUrl: `${trackingUrl}/domaine`,
        supportEmail,
      },
      l,
    ),
  'domain-taken-none': (l) =>
    domainTakenEmail({ businessName, domain, alternatives: [], currency: 'EUR', chooseUrl: `${trackingUrl}/domaine`, supportEmail }, l),
  'site-published': (l) => sitePublishedEmail({ businessName, domain, siteUrl, editorUrl, version: 4, publishedAt: '2025-06-03T12:30:00Z', supportEmail }, l),
  'site-down': (l) => siteDownEmail({ businessName, domain, siteUrl, since: '2025-06-10T08:15:00Z', downSeconds: 2700, supportEmail }, l),
  'site-restored': (l) =>
    siteRestoredEmail(
      { businessName, domain, siteUrl, since: '2025-06-10T08:15:00Z', downSeconds: 95_000, restoredAt: '2025-06-11T10:45:00Z', supportEmail },
      l,
    ),
  'renewal-reminder-card': (l) => renewalReminderEmail(renewal, l),
  'renewal-reminder-link': (l) => renewalReminderEmail({ ...renewal, savedMethod: undefined }, l),
  'renewal-reminder-off': (l) => renewalReminderEmail({ ...renewal, autoRenew: false, paymentUrl: 'https://checkout.example/pay/cs_test_r' }, l),
  'renewal-payment-declined': (l) => renewalPaymentEmail({ ...renewalDue, reason: 'declined' }, l),
  'renewal-payment-expired': (l) => renewalPaymentEmail({ ...renewalDue, reason: 'expired' }, l),
  'renewal-payment-redemption': (l) => renewalPaymentEmail({ ...renewalDue, reason: 'redemption', priceCents: 15_900 }, l),
  'renewal-renewed': (l) => renewedEmail({ ...renewal, expiresAt: '2027-06-15T10:00:00Z' }, l),
  'renewal-lost': (l) => renewalLostEmail({ businessName, domain, supportEmail }, l),
  'renewal-refunded': (l) =>
    renewalRefundedEmail({ businessName, domain, supportEmail, refund: { amountCents: 6100, currency: 'EUR' }, invoiceNumber: 'F-2027-000042' }, l),
};

// The order row every order email is built from, through renderOrderEmail (what the workflow calls).
const order: Order = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  tracking_token: 'abcdefghijklmnopqrstuvwxyz012345',
  idempotency_key: null,
  request_hash: null,
  business_name: businessName,
  email: 'marie@example.org',
  city: 'Lyon',
  locale: 'fr',
  domain: 'xn--boulangerie-caf-gnb.fr',
  domain_unicode: 'boulangerie-café.fr',
  tier: 'express',
  state: 'paid',
  currency: 'EUR',
  price_items: [
    { code: 'domain_first_year', amountCents: 1200 },
    { code: 'service', amountCents: 14900 },
    { code: 'express_surcharge', amountCents: 9900 },
  ],
  total_cents: 26000,
  premium: false,
  premium_renewal_usd_cents: null,
  premium_restore_usd_cents: null,
  renewal_domain_cents: null,
  payment_provider: 'stripe',
  deadline_hours: 4,
  paid_at: new Date('2025-06-03T12:00:00Z'),
  deadline_at: new Date('2025-06-03T16:00:00Z'),
  created_at: new Date('2025-06-03T11:58:00Z'),
  updated_at: new Date('2025-06-03T12:00:00Z'),
  payment_ref: 'cs_test_1',
  paid_cents: 26000,
  site_id: null,
  site_name: null,
  site_domain: null,
  registrar_domain_id: null,
  refund_id: null,
  failure_code: null,
  delivered_at: new Date('2025-06-03T14:40:00Z'),
  report: null,
  current_step: null,
  alternatives: null,
  domain_claimed: false,
  erased_at: null,
};
const links: OrderLinks = {
  paymentUrl: 'https://checkout.example/pay/cs_test_9',
  trackingUrl,
  supportEmail,
  expiresAt: new Date('2025-06-04T12:00:00Z'),
  editorUrl,
  chooseUrl: `${trackingUrl}/domaine`,
  eta: new Date('2025-06-03T14:30:00Z'),
  refundReason: 'certificate_failed',
  siteSource: 'archive',
  refundCents: 25000,
  alternatives: [{ domain: 'boulangerie-cafe.com', amountCents: 1400 }],
  finishedAt: new Date('2025-06-03T14:40:00Z'),
};
const orderKinds: OrderEmailKind[] = [
  'confirmation',
  'payment_link_renewed',
  'payment_expired',
  'progress',
  'delivered',
  'refunded',
  'domain_taken',
  'satisfaction_reminder',
];
// the satisfaction links in the order's language, as customerLinks makes them
for (const kind of orderKinds)
  customer[`order-${kind}`] = (l) =>
    renderOrderEmail(kind, { ...order, locale: l }, { ...links, satisfaction: satisfactionLinks('https://conciergerie.example', { ...order, locale: l }) });
customer['sign-in'] = (l) =>
  signInEmail(
    { businessName, domain, supportEmail, signInUrl: `https://conciergerie.example/${l === 'fr' ? 'espace' : 'account'}?signin=tok3n`, minutes: 15 },
    l,
  );
customer['satisfaction-reminder-refunded'] = (l) =>
  renderOrderEmail(
    'satisfaction_reminder',
    { ...order, locale: l, state: 'refunded', delivered_at: null },
    {
      ...links,
      satisfaction: satisfactionLinks('https://conciergerie.example', { ...order, locale: l }),
    },
  );

const alertBase = {
  rule: 'provider_errors',
  title: 'Provider errors',
  subject: 'netlify',
  severity: 'critical',
  summary: 'netlify: 6 of 6 calls failed in the last 300 s (100 %); circuit <open>',
  openedAt: new Date('2025-06-10T08:00:00Z'),
  details: { provider: 'netlify', errorRate: 1, errorCodes: ['server_error'], at: new Date('2025-06-10T07:59:00Z'), nothing: null, long: 'x'.repeat(400) },
  alertsUrl: 'https://conciergerie.example/admin/alerts',
  supportEmail,
};
const report: DailyReport = {
  day: '2025-06-09',
  timeZone: 'Europe/Paris',
  from: '2025-06-08T22:00:00.000Z',
  to: '2025-06-09T22:00:00.000Z',
  requested: 12,
  paid: 9,
  delivered: 8,
  failed: 1,
  successRate: 8 / 9,
  timeToLive: { meanSeconds: 5400, medianSeconds: 4800, p95Seconds: 12_000 },
  deadlines: { met: 7, missed: 1, share: 0.875 },
  revenue: { currency: 'EUR', paidCents: 200_000, refundedCents: 25_800, netCents: 174_200 },
  incidents: { opened: 1, closed: 1, downtimeSeconds: 600, sites: ['a.fr'] },
  alerts: { opened: 3, byRule: { deadline_at_risk: 2, site_down: 1 } },
  satisfaction: daySatisfaction,
};
const operator: Record<string, () => RenderedEmail> = {
  'alert-opened-critical': () => alertEmail({ ...alertBase, kind: 'opened' }),
  'alert-opened-warning': () => alertEmail({ ...alertBase, kind: 'opened', severity: 'warning', details: {} }),
  'alert-escalated': () => alertEmail({ ...alertBase, kind: 'escalated' }),
  'alert-resolved': () =>
    alertEmail({ ...alertBase, kind: 'resolved', lastSeenAt: new Date('2025-06-10T08:23:00Z'), resolvedAt: new Date('2025-06-10T08:25:00Z') }),
  digest: () =>
    digestEmail({ rule: 'deadline_at_risk', opened: 7, resolved: 2, stillOpen: 6, perHour: 10, alertsUrl: 'https://x.example/api/admin/alerts', supportEmail }),
  'daily-report': () => dailyReportEmail(report, { reportUrl: 'https://x.example/api/admin/reports/daily?date=2025-06-09', supportEmail }),
  'daily-report-empty': () =>
    dailyReportEmail(
      {
        ...report,
        delivered: 0,
        failed: 0,
        successRate: null,
        timeToLive: { meanSeconds: null, medianSeconds: null, p95Seconds: null },
        deadlines: { met: 0, missed: 0, share: null },
        alerts: { opened: 0, byRule: {} },
        satisfaction: noSatisfaction,
      },
      { reportUrl: 'https://x.example/r', supportEmail },
    ),
};

const cases: [name: string, render: () => RenderedEmail][] = [
  ...Object.entries(customer).flatMap(([name, render]) => (['fr', 'en'] as const).map((l): [string, () => RenderedEmail] => [`${name}.${l}`, () => render(l)])),
  ...Object.entries(operator).map(([name, render]): [string, () => RenderedEmail] => [`${name}.en`, render]),
];

/** One file per email: the subject, the plain text, then the HTML, each under its own heading line. */
const asRecord = (m: RenderedEmail) => `=== subject\n${m.subject}\n=== text\n${m.text}=== html\n${m.html}`;

for (const [name, render] of cases) {
  test(`${name} renders as recorded`, () => {
    const file = path.join(DIR, `${name}.snap`);
    const actual = asRecord(render());
    if (UPDATE || !fs.existsSync(file)) {
      fs.mkdirSync(DIR, { recursive: true });
      fs.writeFileSync(file, actual);
      if (!UPDATE) assert.fail(`${file} did not exist: written now, run again`);
      return;
    }
    assert.equal(actual, fs.readFileSync(file, 'utf8'));
  });
}

test('every recorded email is still rendered (no stale record left behind)', () => {
  const recorded = fs.readdirSync(DIR).filter((f) => f.endsWith('.snap'));
  assert.deepEqual(recorded.sort(), cases.map(([name]) => `${name}.snap`).sort());
});
