// Monitoring's emails: to the customer when their site is down and when it is back (fr, en); to the operators, alerts and the daily report (en).
import { formatDateTime, formatMoney, type Instant } from '../emails/i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type Block, type RenderedEmail } from '../emails/layout.ts';
import type { DailyReport } from './report.ts';

/** 0 → "0 min"; 20 → "1 min" (a short outage is not nothing); 2700 → "45 min"; 7800 → "2 h 10 min"; 90 000 → "1 j 1 h" / "1 d 1 h". */
export function formatDuration(seconds: number, locale: Locale): string {
  if (!(seconds > 0)) return '0 min';
  const total = Math.round(seconds / 60);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (d) return `${d} ${locale === 'fr' ? 'j' : 'd'}${h ? ` ${h} h` : ''}`;
  if (h) return `${h} h${m ? ` ${m} min` : ''}`;
  return `${Math.max(1, m)} min`;
}

// ---------- the customer ----------

export interface SiteDownView {
  businessName: string;
  domain: string;
  siteUrl: string;
  /** the first failed check */
  since: Instant;
  /** how long it has been down when the email is written */
  downSeconds: number;
  supportEmail: string;
}

export interface SiteRestoredView extends SiteDownView {
  restoredAt: Instant;
}

interface Copy {
  downSubject: (domain: string) => string;
  downPreheader: string;
  hello: string;
  down: [before: string, between: string, after: string];
  since: string;
  duration: string;
  weKnow: string;
  nothingToDo: string;
  willWrite: string;
  restoredSubject: (domain: string) => string;
  restoredPreheader: string;
  restored: [before: string, between: string, after: string];
  restoredAt: string;
  outage: string;
  visit: string;
  sorry: string;
}

const copy: Record<Locale, Copy> = {
  fr: {
    downSubject: (domain) => `${domain} ne répond plus : nous sommes dessus`,
    downPreheader: 'Nos vérifications automatiques ne parviennent plus à joindre votre site.',
    hello: 'Bonjour,',
    down: ['Nos vérifications automatiques ne parviennent plus à joindre le site de ', ' à l’adresse ', '.'],
    since: 'Injoignable depuis',
    duration: 'Durée',
    weKnow: 'Nos équipes ont été prévenues automatiquement et s’en occupent.',
    nothingToDo: 'Vous n’avez rien à faire : votre nom de domaine et le contenu de votre site sont en sécurité.',
    willWrite: 'Nous vous écrirons dès que votre site sera de nouveau en ligne.',
    restoredSubject: (domain) => `${domain} est de nouveau en ligne`,
    restoredPreheader: 'Votre site répond de nouveau normalement.',
    restored: ['Bonne nouvelle : le site de ', ' répond de nouveau normalement à l’adresse ', '.'],
    restoredAt: 'De retour le',
    outage: 'Durée de l’interruption',
    visit: 'Voir mon site',
    sorry: 'Toutes nos excuses pour la gêne occasionnée.',
  },
  en: {
    downSubject: (domain) => `${domain} is not answering: we are on it`,
    downPreheader: 'Our automatic checks can no longer reach your site.',
    hello: 'Hello,',
    down: ['Our automatic checks can no longer reach the website of ', ' at ', '.'],
    since: 'Unreachable since',
    duration: 'For',
    weKnow: 'Our team was alerted automatically and is on it.',
    nothingToDo: 'There is nothing you need to do: your domain name and your site’s content are safe.',
    willWrite: 'We will write to you as soon as your site is back online.',
    restoredSubject: (domain) => `${domain} is back online`,
    restoredPreheader: 'Your site answers normally again.',
    restored: ['Good news: the website of ', ' answers normally again at ', '.'],
    restoredAt: 'Back since',
    outage: 'Interruption',
    visit: 'Visit my site',
    sorry: 'We are sorry for the inconvenience.',
  },
};

export function siteDownEmail(view: SiteDownView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  return renderEmail({
    locale,
    subject: c.downSubject(view.domain),
    preheader: c.downPreheader,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.down[0], { strong: view.businessName }, c.down[1], { link: view.siteUrl, href: view.siteUrl }, c.down[2]] },
      {
        type: 'table',
        rows: [
          [c.since, formatDateTime(view.since, locale)],
          [c.duration, formatDuration(view.downSeconds, locale)],
        ],
      },
      { type: 'callout', text: [c.weKnow] },
      { type: 'paragraph', text: [c.nothingToDo] },
      { type: 'paragraph', text: [c.willWrite] },
    ],
  });
}

export function siteRestoredEmail(view: SiteRestoredView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  return renderEmail({
    locale,
    subject: c.restoredSubject(view.domain),
    preheader: c.restoredPreheader,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.restored[0], { strong: view.businessName }, c.restored[1], { link: view.siteUrl, href: view.siteUrl }, c.restored[2]] },
      { type: 'button', label: c.visit, href: view.siteUrl },
      {
        type: 'table',
        rows: [
          [c.restoredAt, formatDateTime(view.restoredAt, locale)],
          [c.outage, formatDuration(view.downSeconds, locale)],
        ],
      },
      { type: 'paragraph', text: [c.sorry] },
    ],
  });
}

// ---------- the operators (English) ----------

export interface AlertNoticeView {
  kind: 'opened' | 'escalated' | 'resolved';
  /** the rule's name (provider_errors) and its title (Provider errors) */
  rule: string;
  title: string;
  /** what it fired for, as a person reads it (a provider, a domain) */
  subject: string;
  severity: string;
  /** the last thing the rule said about it */
  summary: string;
  openedAt: Date;
  /** the last evaluation that still saw it */
  lastSeenAt?: Date;
  resolvedAt?: Date | null;
  details: Record<string, unknown>;
  /** where the admin console lists the alerts */
  alertsUrl: string;
  supportEmail: string;
}

const detailValue = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

export function alertEmail(view: AlertNoticeView): RenderedEmail {
  const resolved = view.kind === 'resolved';
  const lasted = view.resolvedAt ? formatDuration((view.resolvedAt.getTime() - view.openedAt.getTime()) / 1000, 'en') : undefined;
  const rows: [string, string][] = [
    ['Rule', `${view.title} (${view.rule})`],
    ['Subject', view.subject],
    ['Severity', view.severity],
    ['Opened', view.openedAt.toISOString()],
  ];
  if (resolved && view.lastSeenAt) rows.push(['Last seen', view.lastSeenAt.toISOString()]);
  if (view.resolvedAt) rows.push(['Resolved', `${view.resolvedAt.toISOString()} (after ${lasted})`]);
  const details: [string, string][] = Object.entries(view.details)
    .filter(([, v]) => v !== null && v !== undefined)
    .slice(0, 12)
    .map(([k, v]) => [k, detailValue(v).slice(0, 300)]);
  const callout = {
    opened: view.summary,
    escalated: `Now ${view.severity}: ${view.summary}`,
    resolved: `${view.title} for ${view.subject} is over: it lasted ${lasted}. What it last said: ${view.summary}`,
  }[view.kind];
  const next = {
    opened: 'You will get one more notice when it clears. ',
    escalated: 'It was a warning and is now critical. You will get one more notice when it clears. ',
    resolved: 'The condition no longer holds. ',
  }[view.kind];
  const blocks: Block[] = [
    { type: 'callout', text: [callout] },
    { type: 'table', rows },
    ...(details.length ? [{ type: 'table', rows: details } satisfies Block] : []),
    { type: 'paragraph', text: [next, 'Open and recent alerts: ', { link: view.alertsUrl, href: view.alertsUrl }] },
  ];
  const subject = {
    opened: `[${view.severity === 'critical' ? 'CRITICAL' : 'ALERT'}] ${view.summary}`,
    escalated: `[ESCALATED] ${view.summary}`,
    resolved: `[RESOLVED] ${view.title}: ${view.subject} — lasted ${lasted}`,
  }[view.kind];
  return renderEmail({ locale: 'en', subject: subject.slice(0, 200), preheader: `${view.rule} · ${view.subject}`, supportEmail: view.supportEmail, blocks });
}

export function digestEmail(view: {
  rule: string;
  opened: number;
  resolved: number;
  stillOpen: number;
  perHour: number;
  alertsUrl: string;
  supportEmail: string;
}): RenderedEmail {
  return renderEmail({
    locale: 'en',
    subject: `[ALERTS] ${view.rule}: ${view.opened + view.resolved} notices held back`,
    preheader: `More than ${view.perHour} notices in an hour for ${view.rule}`,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'callout', text: [`${view.rule} fired more often than ${view.perHour} notices an hour allow; these were not sent one by one.`] },
      {
        type: 'table',
        rows: [
          ['Opened without notice', String(view.opened)],
          ['Resolved without notice', String(view.resolved)],
          ['Open now', String(view.stillOpen)],
        ],
      },
      { type: 'paragraph', text: ['Every alert, with its details: ', { link: view.alertsUrl, href: view.alertsUrl }] },
    ],
  });
}

const share = (v: number | null) => (v === null ? '–' : `${Math.round(v * 1000) / 10} %`);
const secs = (v: number | null) => (v === null ? '–' : formatDuration(v, 'en'));

export function dailyReportEmail(report: DailyReport, opts: { reportUrl: string; supportEmail: string }): RenderedEmail {
  const money = (cents: number) => formatMoney(cents, report.revenue.currency, 'en');
  const alerts = Object.entries(report.alerts.byRule)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  return renderEmail({
    locale: 'en',
    subject: `Daily report ${report.day}: ${report.delivered} delivered, ${report.failed} failed, ${money(report.revenue.netCents)}`,
    preheader: `Success rate ${share(report.successRate)}, deadlines met ${share(report.deadlines.share)}`,
    supportEmail: opts.supportEmail,
    blocks: [
      { type: 'paragraph', text: [`The day of ${report.day} (${report.timeZone}), from ${report.from} to ${report.to}.`] },
      {
        type: 'table',
        rows: [
          ['Orders requested', String(report.requested)],
          ['Orders paid', String(report.paid)],
          ['Delivered', String(report.delivered)],
          ['Failed (refunded)', String(report.failed)],
          ['Success rate', share(report.successRate)],
          ['Time to live, mean', secs(report.timeToLive.meanSeconds)],
          ['Time to live, median', secs(report.timeToLive.medianSeconds)],
          ['Time to live, 95th percentile', secs(report.timeToLive.p95Seconds)],
          ['Deadlines met', `${report.deadlines.met} of ${report.deadlines.met + report.deadlines.missed} (${share(report.deadlines.share)})`],
        ],
      },
      {
        type: 'table',
        rows: [
          ['Site incidents', `${report.incidents.opened} opened, ${report.incidents.closed} closed`],
          ['Downtime', secs(report.incidents.downtimeSeconds)],
          ['Alerts opened', alerts ? `${report.alerts.opened} (${alerts})` : '0'],
        ],
      },
      {
        type: 'table',
        rows: [
          ['Paid', money(report.revenue.paidCents)],
          ['Refunded', money(report.revenue.refundedCents)],
        ],
        total: ['Net revenue', money(report.revenue.netCents)],
      },
      { type: 'paragraph', text: ['In the console: ', { link: opts.reportUrl, href: opts.reportUrl }] },
    ],
  });
}
