// Monitoring's emails: the customer's site-down and site-restored (fr, en, escaped), the operators' alert, digest and daily report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertEmail, dailyReportEmail, digestEmail, formatDuration, siteDownEmail, siteRestoredEmail, type SiteDownView } from '../../src/monitoring/emails.ts';
import type { DailyReport } from '../../src/monitoring/report.ts';
import { ALL_RULES, RULES } from '../../src/monitoring/rules.ts';
import { daySatisfaction } from '../support/satisfaction.ts';

const supportEmail = 'support@conciergerie.example';
const down: SiteDownView = {
  businessName: 'Pâtisserie <Léa> & Fils',
  domain: 'patisserie-lea.fr',
  siteUrl: 'https://patisserie-lea.fr/',
  since: '2025-06-10T08:15:00Z',
  downSeconds: 2700,
  supportEmail,
};

test('durations read as people say them', () => {
  assert.equal(formatDuration(0, 'en'), '0 min', 'no downtime is no downtime');
  assert.equal(formatDuration(20, 'fr'), '1 min');
  assert.equal(formatDuration(2700, 'fr'), '45 min');
  assert.equal(formatDuration(7800, 'en'), '2 h 10 min');
  assert.equal(formatDuration(7200, 'en'), '2 h');
  assert.equal(formatDuration(90_000, 'fr'), '1 j 1 h');
  assert.equal(formatDuration(90_000, 'en'), '1 d 1 h');
});

test('site down, in French: what, since when, that we know and that they need do nothing; French spacing; the name escaped', () => {
  const mail = siteDownEmail(down, 'fr');
  assert.equal(mail.subject, 'patisserie-lea.fr ne répond plus\u00a0: nous sommes dessus');
  assert.match(mail.text, /Injoignable depuis\s+mardi 10 juin 2025 à 10:15 UTC\+2/);
  assert.match(mail.text, /45\u202fmin/);
  assert.match(mail.text, /Vous n’avez rien à faire/);
  assert.ok(mail.html.includes('Pâtisserie &lt;Léa&gt; &amp; Fils'));
  assert.ok(!mail.html.includes('<Léa>'));
  assert.ok(mail.html.includes('href="https://patisserie-lea.fr/"'));
  assert.match(mail.html, /<html lang="fr">/);
});

test('site down and restored, in English', () => {
  const mail = siteDownEmail(down, 'en');
  assert.equal(mail.subject, 'patisserie-lea.fr is not answering: we are on it');
  assert.match(mail.text, /Unreachable since\s+Tuesday, 10 June 2025 at 10:15 CEST/);
  const back = siteRestoredEmail({ ...down, downSeconds: 5400, restoredAt: '2025-06-10T09:45:00Z' }, 'en');
  assert.equal(back.subject, 'patisserie-lea.fr is back online');
  assert.match(back.text, /Interruption\s+1 h 30 min/);
  assert.match(back.text, /Visit my site:\nhttps:\/\/patisserie-lea\.fr\//);
  const fr = siteRestoredEmail({ ...down, downSeconds: 5400, restoredAt: '2025-06-10T09:45:00Z' }, 'fr');
  assert.equal(fr.subject, 'patisserie-lea.fr est de nouveau en ligne');
  assert.match(fr.text, /Durée de l’interruption\s+1\u202fh 30\u202fmin/);
});

test('an alert notice says what fired, for what, since when; its resolve notice says for how long', () => {
  const base = {
    rule: 'provider_errors',
    title: 'Provider errors',
    subject: 'netlify',
    severity: 'critical',
    summary: 'netlify: 6 of 6 calls failed in the last 300 s (100 %); circuit open (1 calls refused)',
    openedAt: new Date('2025-06-10T08:00:00Z'),
    details: { provider: 'netlify', errorRate: 1, errorCodes: ['server_error'], nothing: null },
    alertsUrl: 'https://conciergerie.example/admin/alerts',
    supportEmail,
  };
  const opened = alertEmail({ ...base, kind: 'opened' });
  assert.equal(opened.subject, '[CRITICAL] netlify: 6 of 6 calls failed in the last 300 s (100 %); circuit open (1 calls refused)');
  assert.match(opened.text, /Rule\s+Provider errors \(provider_errors\)/);
  assert.match(opened.text, /Open and recent alerts: https:\/\/conciergerie\.example\/admin\/alerts/);
  assert.match(opened.text, /errorCodes\s+\["server_error"\]/);
  assert.doesNotMatch(opened.text, /nothing/);
  const resolved = alertEmail({ ...base, kind: 'resolved', lastSeenAt: new Date('2025-06-10T08:23:00Z'), resolvedAt: new Date('2025-06-10T08:25:00Z') });
  // the resolve notice says what is over and how long it lasted, not "failed…" again
  assert.equal(resolved.subject, '[RESOLVED] Provider errors: netlify — lasted 25 min');
  assert.match(resolved.text, /Provider errors for netlify is over: it lasted 25 min/);
  assert.match(resolved.text, /Last seen\s+2025-06-10T08:23:00\.000Z/);
  assert.match(resolved.text, /Resolved\s+2025-06-10T08:25:00\.000Z \(after 25 min\)/);
  const escalated = alertEmail({ ...base, kind: 'escalated', title: 'Deadline at risk', summary: 'Order for a.fr (express) missed its deadline' });
  assert.equal(escalated.subject, '[ESCALATED] Order for a.fr (express) missed its deadline');
  assert.match(escalated.text, /was a warning and is now critical/);
  assert.equal(alertEmail({ ...base, severity: 'warning', kind: 'opened' }).subject.slice(0, 8), '[ALERT] ');
});

test('a digest counts what the rate limit held back', () => {
  const mail = digestEmail({
    rule: 'deadline_at_risk',
    opened: 7,
    resolved: 2,
    stillOpen: 6,
    perHour: 10,
    alertsUrl: 'https://x.example/api/admin/alerts',
    supportEmail,
  });
  assert.equal(mail.subject, '[ALERTS] deadline_at_risk: 9 notices held back');
  assert.match(mail.text, /Opened without notice\s+7/);
  assert.match(mail.text, /Open now\s+6/);
});

test('the daily report email: counts, shares, durations and money, with the net revenue as the total', () => {
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
  const mail = dailyReportEmail(report, { reportUrl: 'https://x.example/api/admin/reports/daily?date=2025-06-09', supportEmail });
  assert.equal(mail.subject, 'Daily report 2025-06-09: 8 delivered, 1 failed, €1,742.00');
  assert.match(mail.text, /Success rate\s+88\.9 %/);
  assert.match(mail.text, /Time to live, median\s+1 h 20 min/);
  assert.match(mail.text, /Deadlines met\s+7 of 8 \(87\.5 %\)/);
  assert.match(mail.text, /Downtime\s+10 min/);
  assert.match(mail.text, /Alerts opened\s+3 \(deadline_at_risk 2, site_down 1\)/);
  assert.match(mail.text, /Net revenue\s+€1,742\.00/);
  // the fourth figure: its share with its answers, the response rate, and each tier and outcome that had answers
  assert.match(mail.text, /Customer satisfaction\s+83\.3 % \(10 of 12 answers at 4 or 5\)/);
  assert.match(mail.text, /Response rate\s+45 % \(9 of 20 asked\)/);
  assert.match(mail.text, /Satisfaction, delivered late\s+50 % \(1 of 2 answers at 4 or 5\)/);
  assert.match(mail.text, /Satisfaction, refunded\s+0 % \(0 of 1 answers at 4 or 5\)/);
  assert.match(mail.text, /Satisfaction, express\s+80 % \(4 of 5 answers at 4 or 5\)/);
  const none = dailyReportEmail(
    {
      ...report,
      delivered: 0,
      failed: 0,
      successRate: null,
      timeToLive: { meanSeconds: null, medianSeconds: null, p95Seconds: null },
      deadlines: { met: 0, missed: 0, share: null },
    },
    { reportUrl: 'https://x.example/r', supportEmail },
  );
  assert.match(none.text, /Success rate\s+–/);
  // renewals: a renewal refunded because its domain left is told apart from those paid; a report stored before says nothing of it
  const renewing = dailyReportEmail(
    { ...report, renewals: { paid: 4, declined: 1, lost: 0, refunded: 1 } },
    { reportUrl: 'https://x.example/r', supportEmail },
  );
  assert.match(renewing.text, /Renewals paid\s+4/);
  assert.match(renewing.text, /Renewals refunded \(domain gone\)\s+1/);
  const older = dailyReportEmail({ ...report, renewals: { paid: 4, declined: 1, lost: 0 } }, { reportUrl: 'https://x.example/r', supportEmail });
  assert.match(older.text, /Renewals paid\s+4/);
  assert.doesNotMatch(older.text, /refunded \(domain gone\)/);
});

test('every rule has a unique name and says what it watches', () => {
  const names = RULES.map((r) => r.name);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(names.sort(), [
    'certificate_expiring',
    'deadline_at_risk',
    'domain_expiring',
    'many_sites_down',
    'order_stuck',
    'orders_failing',
    'outbox_backlog',
    'provider_errors',
    'renewal_held',
    'renewal_paid_not_renewed',
    'renewal_unpaid',
    'retries_exhausted',
    'satisfaction_low',
    'site_down',
    'webhooks_rejected',
  ]);
  for (const r of ALL_RULES) assert.ok(r.description.length > 40 && r.title.length > 3, r.name);
  assert.ok(
    ALL_RULES.some((r) => r.name === 'workers_silent'),
    "the dead-man's switch is a rule too",
  );
});
