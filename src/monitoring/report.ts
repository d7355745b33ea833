// The daily report: yesterday's figures, made once per day across all workers (a job key per day and a row per day), stored and emailed to the operators;
// served from the first day (today so far, a past day computed on demand).
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Database, Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { enqueue, keyOf } from '../workflow/jobs/enqueue.ts';
import { queueEmail } from '../emails/outbox.ts';
import { addDays, dayBounds, localDay, nextReport, zonedInstant } from './clock.ts';
import { orderStats, type OrderStats } from './stats.ts';
import { dailyReportEmail } from './emails.ts';
import { satisfactionStats, type SatisfactionFigures } from './satisfaction.ts';
import { renewalDayCounts, type RenewalDayCounts } from './renewals.ts';

export interface DailyReport extends OrderStats {
  /** YYYY-MM-DD in timeZone */
  day: string;
  timeZone: string;
  /** site incidents that started in the day, closed in the day, and downtime within the day (all incidents overlapping it) */
  incidents: { opened: number; closed: number; downtimeSeconds: number; sites: string[] };
  alerts: { opened: number; byRule: Record<string, number> };
  /** the fourth figure: answers given in the day, and the response rate of the orders asked in it */
  satisfaction: SatisfactionFigures;
  /** renewals paid, charges declined and renewals lost in the day (absent from reports stored before renewals) */
  renewals?: RenewalDayCounts;
}

/** `until`: cut the day short there (today so far); by default the whole day. */
export async function buildDailyReport(deps: Deps, day: string, until?: Date): Promise<DailyReport> {
  const { db, config } = deps;
  const timeZone = config.REPORT_TIME_ZONE;
  const bounds = dayBounds(day, timeZone);
  const from = bounds.from;
  const to = until && until < bounds.to ? until : bounds.to;
  const [stats, satisfaction, renewals] = await Promise.all([
    orderStats(db, from, to, config.CURRENCY),
    satisfactionStats(db, from, to),
    renewalDayCounts(db, from, to),
  ]);
  const { rows: inc } = await sql<{ opened: string; closed: string; downtime: number | null; sites: string[] | null }>`
    select count(*) filter (where started_at >= ${from}) as opened,
      count(*) filter (where closed_at >= ${from} and closed_at < ${to}) as closed,
      sum(extract(epoch from least(coalesce(closed_at, now()), ${to}::timestamptz) - greatest(started_at, ${from}::timestamptz)))::float8 as downtime,
      array_agg(distinct domain) as sites
    from site_incidents where started_at < ${to} and (closed_at is null or closed_at > ${from})`.execute(db);
  const { rows: alerts } = await sql<{ rule: string; n: string }>`
    select rule, count(*) as n from alerts where opened_at >= ${from} and opened_at < ${to} group by rule order by rule`.execute(db);
  const i = inc[0]!;
  const byRule = Object.fromEntries(alerts.map((a) => [a.rule, Number(a.n)]));
  return {
    day,
    timeZone,
    ...stats,
    incidents: {
      opened: Number(i.opened),
      closed: Number(i.closed),
      downtimeSeconds: Math.max(0, Math.round(Number(i.downtime ?? 0))),
      sites: (i.sites ?? []).filter(Boolean).sort(),
    },
    alerts: { opened: Object.values(byRule).reduce((a, b) => a + b, 0), byRule },
    satisfaction,
    renewals,
  };
}

/** The stored report of `day`: the one just made when no other is there, else the one already there (the primary key on day decides). */
async function storeReport(db: Database | Tx, report: DailyReport): Promise<{ created: boolean; report: DailyReport; createdAt: Date }> {
  const row = await db
    .insertInto('daily_reports')
    .values({ day: report.day, time_zone: report.timeZone, report: JSON.stringify(report) })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('created_at')
    .executeTakeFirst();
  if (row) return { created: true, report, createdAt: row.created_at };
  const prior = await db.selectFrom('daily_reports').select(['report', 'created_at']).where('day', '=', report.day).executeTakeFirstOrThrow();
  return { created: false, report: prior.report as unknown as DailyReport, createdAt: prior.created_at };
}

/**
 * Make the report of `day` unless it exists, and email it to the operators. The row is the
 * once-per-day guarantee (whoever stores it first, this job or a console asking for that day);
 * the email is keyed by day in the outbox, so a second run, or the run after a console stored
 * the row, queues nothing twice.
 */
export async function runDailyReport(deps: Deps, day: string): Promise<{ created: boolean; report: DailyReport }> {
  const { db, config } = deps;
  const built = await buildDailyReport(deps, day);
  const { created, report } = await db.transaction().execute(async (tx) => {
    const stored = await storeReport(tx, built);
    if (config.OPERATOR_EMAIL) {
      await queueEmail(tx, {
        orderId: null,
        kind: 'daily_report',
        dedupeKey: `daily-report:${day}`,
        to: config.OPERATOR_EMAIL,
        locale: 'en',
        // the console's page of that day (the JSON is at /api/admin/reports/daily?date=)
        rendered: dailyReportEmail(stored.report, { reportUrl: `${config.publicUrl}/admin/reports?date=${day}`, supportEmail: config.SUPPORT_EMAIL }),
      });
    }
    return stored;
  });
  if (created) deps.log.info({ event: 'daily_report', day, delivered: report.delivered, failed: report.failed }, 'daily report made');
  return { created, report };
}

/** What GET /api/admin/reports/daily answers: a report and which kind it is. */
export interface ReportAnswer {
  day: string;
  timeZone: string;
  /** when it was stored, or computed (a report not stored) */
  createdAt: Date;
  /** today so far: the period ends now, and the figures will grow */
  partial: boolean;
  /** kept in daily_reports: a finished day from the installation's first order on */
  stored: boolean;
  /** the day ended before the installation's first order: an empty report, not stored */
  beforeFirstOrder: boolean;
  period: { from: string; to: string };
  report: DailyReport;
}

/** When the first order came: the installation's first day in the reports' eyes (null: none yet). */
async function firstOrderAt(db: Database): Promise<Date | null> {
  const row = await db.selectFrom('orders').select('created_at').orderBy('created_at').limit(1).executeTakeFirst();
  return row?.created_at ?? null;
}

/**
 * The report of `date`, or without one the latest finished day (yesterday) once the installation
 * has one, else today so far. Today is computed and never stored (it is not over); a past day
 * with no row is computed and stored, once, like the job would; a day before the first order is
 * an empty report that is not stored (storing it would start the missed-days catch-up early).
 * A date to come is 422.
 */
export async function reportOf(deps: Deps, date?: string, now = new Date()): Promise<ReportAnswer> {
  const { db, config } = deps;
  const timeZone = config.REPORT_TIME_ZONE;
  const today = localDay(now, timeZone);
  if (date && date > today) throw new AppError('report_day_in_future', 422, { day: date, today });
  const first = await firstOrderAt(db);
  const day = date ?? (first && first < dayBounds(today, timeZone).from ? addDays(today, -1) : today);
  const bounds = dayBounds(day, timeZone);
  const beforeFirstOrder = !first || first >= bounds.to;
  const answer = (report: DailyReport, createdAt: Date, kind: { partial: boolean; stored: boolean }): ReportAnswer => ({
    day,
    timeZone: report.timeZone ?? timeZone,
    createdAt,
    ...kind,
    beforeFirstOrder,
    period: { from: report.from ?? bounds.from.toISOString(), to: report.to ?? bounds.to.toISOString() },
    report,
  });
  if (day === today) return answer(await buildDailyReport(deps, day, now), now, { partial: true, stored: false });
  const found = await findReport(deps, day);
  if (found) return answer(found.report, found.createdAt, { partial: false, stored: true });
  const built = await buildDailyReport(deps, day);
  if (beforeFirstOrder) return answer(built, now, { partial: false, stored: false });
  const stored = await storeReport(db, built);
  if (stored.created) deps.log.info({ event: 'daily_report_stored', day, on: 'request' }, 'past day reported on request');
  return answer(stored.report, stored.createdAt, { partial: false, stored: true });
}

/** How many missed days a start (or a report) makes up for, at most. */
export const MAX_CATCH_UP_DAYS = 7;

/**
 * Make sure the next report is queued: job key `daily-report:<day>`, run at REPORT_TIME in
 * REPORT_TIME_ZONE the day after. Every worker may call this (at start, after each report); the key
 * makes it one job. It converges on the configuration now in force: the next job is moved to
 * REPORT_TIME, and a queued report of another day that never ran (queued under an older REPORT_TIME)
 * is dropped. Reports missed while nothing ran (their time passed, no row), up to MAX_CATCH_UP_DAYS
 * back, are made now, once reports have started.
 */
export async function scheduleDailyReport(deps: Deps, opts: { now?: Date } = {}): Promise<{ day: string; runAt: Date; catchUp: string[] }> {
  const { db, config } = deps;
  const now = opts.now ?? new Date();
  const next = nextReport(now, config.REPORT_TIME, config.REPORT_TIME_ZONE);
  const key = keyOf('daily_report', { day: next.day });
  await sql`select graphile_worker.complete_jobs(array(
      select id from graphile_worker.jobs
      where task_identifier = 'daily_report' and key is distinct from ${key} and locked_at is null and attempts = 0 and run_at > ${now}::timestamptz))`.execute(
    db,
  );
  await enqueue(db, 'daily_report', { day: next.day }, { runAt: next.runAt, mode: 'replace' });
  const first = addDays(next.day, -MAX_CATCH_UP_DAYS);
  const { rows } = await sql<{ day: string }>`
    select d::date::text as day from generate_series(${first}::date, ${addDays(next.day, -1)}::date, interval '1 day') d
    where not exists (select 1 from daily_reports r where r.day = d::date)
      and exists (select 1 from daily_reports r where r.day < d::date)
    order by 1`.execute(db);
  const catchUp = rows.map((r) => r.day).filter((day) => zonedInstant(addDays(day, 1), config.REPORT_TIME, config.REPORT_TIME_ZONE).getTime() <= now.getTime());
  for (const day of catchUp) {
    await enqueue(db, 'daily_report', { day }, { mode: 'unsafe_dedupe' });
  }
  return { ...next, catchUp };
}

/** The stored report of `day`, or the latest one. */
export async function findReport(deps: Deps, day?: string): Promise<{ day: string; timeZone: string; createdAt: Date; report: DailyReport } | undefined> {
  let q = deps.db
    .selectFrom('daily_reports')
    .select([sql<string>`day::text`.as('day'), 'time_zone', 'created_at', 'report'])
    .orderBy('daily_reports.day', 'desc')
    .limit(1);
  if (day) q = q.where('daily_reports.day', '=', day);
  const row = await q.executeTakeFirst();
  return row ? { day: row.day, timeZone: row.time_zone, createdAt: row.created_at, report: row.report as unknown as DailyReport } : undefined;
}

/** Yesterday, in the report's time zone. */
export function yesterday(deps: Deps, now = new Date()): string {
  return addDays(localDay(now, deps.config.REPORT_TIME_ZONE), -1);
}
