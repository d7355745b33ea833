// Monitoring's emails: to the customer when their site is down and when it is back (fr, en); to the operators, alerts and the daily report (en).
import type { Locale } from '../domain/locale.ts';
import { aboutSite, callout, type CustomerView, defineEmail, labelled, link, operatorEmail, paragraph, table, visitButton } from '../emails/define.ts';
import { formatDateTime, formatMoney, type Instant } from '../emails/i18n.ts';
import type { RenderedEmail } from '../emails/layout.ts';
import type { DailyReport } from './report.ts';
import type { SatisfactionFigures, SatisfactionSplit } from './satisfaction.ts';

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

export interface SiteDownView extends CustomerView {
  siteUrl: string;
  /** the first failed check */
  since: Instant;
  /** how long it has been down when the email is written */
  downSeconds: number;
}

export interface SiteRestoredView extends SiteDownView {
  restoredAt: Instant;
}

export const siteDownEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} ne répond plus : nous sommes dessus`,
      preheader: 'Nos vérifications automatiques ne parviennent plus à joindre votre site.',
      down: ['Nos vérifications automatiques ne parviennent plus à joindre le site de ', ' à l’adresse ', '.'],
      facts: ['Injoignable depuis', 'Durée'],
      weKnow: 'Nos équipes ont été prévenues automatiquement et s’en occupent.',
      nothingToDo: 'Vous n’avez rien à faire : votre nom de domaine et le contenu de votre site sont en sécurité.',
      willWrite: 'Nous vous écrirons dès que votre site sera de nouveau en ligne.',
    },
    en: {
      subject: (domain) => `${domain} is not answering: we are on it`,
      preheader: 'Our automatic checks can no longer reach your site.',
      down: ['Our automatic checks can no longer reach the website of ', ' at ', '.'],
      facts: ['Unreachable since', 'For'],
      weKnow: 'Our team was alerted automatically and is on it.',
      nothingToDo: 'There is nothing you need to do: your domain name and your site’s content are safe.',
      willWrite: 'We will write to you as soon as your site is back online.',
    },
  },
  (c, view: SiteDownView, locale) => ({
    blocks: [
      aboutSite(c.down, view),
      labelled(c.facts, [formatDateTime(view.since, locale), formatDuration(view.downSeconds, locale)]),
      callout(c.weKnow),
      paragraph(c.nothingToDo),
      paragraph(c.willWrite),
    ],
  }),
);

export const siteRestoredEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} est de nouveau en ligne`,
      preheader: 'Votre site répond de nouveau normalement.',
      restored: ['Bonne nouvelle : le site de ', ' répond de nouveau normalement à l’adresse ', '.'],
      facts: ['De retour le', 'Durée de l’interruption'],
      sorry: 'Toutes nos excuses pour la gêne occasionnée.',
    },
    en: {
      subject: (domain) => `${domain} is back online`,
      preheader: 'Your site answers normally again.',
      restored: ['Good news: the website of ', ' answers normally again at ', '.'],
      facts: ['Back since', 'Interruption'],
      sorry: 'We are sorry for the inconvenience.',
    },
  },
  (c, view: SiteRestoredView, locale) => ({
    blocks: [
      aboutSite(c.restored, view),
      visitButton(locale, view.siteUrl),
      labelled(c.facts, [formatDateTime(view.restoredAt, locale), formatDuration(view.downSeconds, locale)]),
      paragraph(c.sorry),
    ],
  }),
);

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
  const said = {
    opened: view.summary,
    escalated: `Now ${view.severity}: ${view.summary}`,
    resolved: `${view.title} for ${view.subject} is over: it lasted ${lasted}. What it last said: ${view.summary}`,
  }[view.kind];
  const next = {
    opened: 'You will get one more notice when it clears. ',
    escalated: 'It was a warning and is now critical. You will get one more notice when it clears. ',
    resolved: 'The condition no longer holds. ',
  }[view.kind];
  const subject = {
    opened: `[${view.severity === 'critical' ? 'CRITICAL' : 'ALERT'}] ${view.summary}`,
    escalated: `[ESCALATED] ${view.summary}`,
    resolved: `[RESOLVED] ${view.title}: ${view.subject} — lasted ${lasted}`,
  }[view.kind];
  return operatorEmail(view.supportEmail, {
    subject: subject.slice(0, 200),
    preheader: `${view.rule} · ${view.subject}`,
    blocks: [
      callout(said),
      table(rows),
      ...(details.length ? [table(details)] : []),
      paragraph(next, 'Open and recent alerts: ', link(view.alertsUrl, view.alertsUrl)),
    ],
  });
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
  return operatorEmail(view.supportEmail, {
    subject: `[ALERTS] ${view.rule}: ${view.opened + view.resolved} notices held back`,
    preheader: `More than ${view.perHour} notices in an hour for ${view.rule}`,
    blocks: [
      callout(`${view.rule} fired more often than ${view.perHour} notices an hour allow; these were not sent one by one.`),
      table([
        ['Opened without notice', String(view.opened)],
        ['Resolved without notice', String(view.resolved)],
        ['Open now', String(view.stillOpen)],
      ]),
      paragraph('Every alert, with its details: ', link(view.alertsUrl, view.alertsUrl)),
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
  const { deadlines, incidents, revenue, timeToLive } = report;
  return operatorEmail(opts.supportEmail, {
    subject: `Daily report ${report.day}: ${report.delivered} delivered, ${report.failed} failed, ${money(revenue.netCents)}`,
    preheader: `Success rate ${share(report.successRate)}, deadlines met ${share(deadlines.share)}, satisfaction ${share(report.satisfaction.share)}`,
    blocks: [
      paragraph(`The day of ${report.day} (${report.timeZone}), from ${report.from} to ${report.to}.`),
      table([
        ['Orders requested', String(report.requested)],
        ['Orders paid', String(report.paid)],
        ['Delivered', String(report.delivered)],
        ['Failed (refunded)', String(report.failed)],
        ['Success rate', share(report.successRate)],
        ['Time to live, mean', secs(timeToLive.meanSeconds)],
        ['Time to live, median', secs(timeToLive.medianSeconds)],
        ['Time to live, 95th percentile', secs(timeToLive.p95Seconds)],
        ['Deadlines met', `${deadlines.met} of ${deadlines.met + deadlines.missed} (${share(deadlines.share)})`],
      ]),
      table([
        ['Site incidents', `${incidents.opened} opened, ${incidents.closed} closed`],
        ['Downtime', secs(incidents.downtimeSeconds)],
        ['Alerts opened', alerts ? `${report.alerts.opened} (${alerts})` : '0'],
      ]),
      table(satisfactionRows(report.satisfaction)),
      ...(report.renewals
        ? [
            table([
              ['Renewals paid', String(report.renewals.paid)],
              ['Renewal charges declined', String(report.renewals.declined)],
              ['Renewals lost', String(report.renewals.lost)],
              ...(report.renewals.refunded === undefined ? [] : [['Renewals refunded (domain gone)', String(report.renewals.refunded)] as [string, string]]),
            ]),
          ]
        : []),
      table(
        [
          ['Paid', money(revenue.paidCents)],
          ['Refunded', money(revenue.refundedCents)],
        ],
        ['Net revenue', money(revenue.netCents)],
      ),
      paragraph('In the console: ', link(opts.reportUrl, opts.reportUrl)),
    ],
  });
}

/** The fourth figure's lines: the share and its answers, the response rate, then each tier and outcome that had answers. */
function satisfactionRows(s: SatisfactionFigures): [string, string][] {
  const of = (x: SatisfactionSplit) => `${share(x.share)} (${x.satisfied} of ${x.answers} answers at 4 or 5)`;
  const splits = (names: Record<string, string>, by: Record<string, SatisfactionSplit>) =>
    Object.entries(names)
      .filter(([k]) => by[k]!.answers > 0)
      .map(([k, label]): [string, string] => [`Satisfaction, ${label}`, of(by[k]!)]);
  return [
    ['Customer satisfaction', of(s)],
    ['Response rate', `${share(s.responseRate)} (${s.responded} of ${s.asked} asked)`],
    ...splits({ express: 'express', standard: 'standard' }, s.byTier),
    ...splits({ on_time: 'delivered on time', late: 'delivered late', refunded: 'refunded' }, s.byOutcome),
  ];
}
