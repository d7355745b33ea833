// Monitoring's graphile-worker tasks and its recurring jobs: each recurring job has one key, so one runs at a time across all workers.
import type { Task, TaskList } from 'graphile-worker';
import type { Deps } from '../deps.ts';
import { addJob } from '../db/database.ts';
import { BACKGROUND_PRIORITY } from './queue.ts';
import { deliverAlertWebhook, evaluateAlerts } from './alerts.ts';
import { runDomainChecks, runSiteChecks, scheduleSiteChecks } from './sites.ts';
import { runDailyReport, scheduleDailyReport } from './report.ts';

const every = (seconds: number) => new Date(Date.now() + seconds * 1000);

/**
 * A recurring task: runs, then queues its next run under the same key (graphile-worker gives a
 * running job's key to the new one). Errors are logged, not thrown: a retry would run beside the
 * next scheduled run, and the next run comes soon anyway.
 */
function recurring(deps: Deps, task: string, jobKey: string, seconds: () => number, run: () => Promise<unknown>, priority = 0): Task {
  return async () => {
    try {
      await run();
    } catch (err) {
      deps.log.error({ event: 'monitoring_job_failed', task, err: String((err as Error).stack ?? err) }, 'monitoring job failed');
    } finally {
      await addJob(deps.db, task, {}, { jobKey, runAt: every(seconds()), maxAttempts: 1000, priority });
    }
  };
}

export function monitoringTasks(deps: Deps): TaskList {
  const { config } = deps;
  return {
    evaluate_alerts: recurring(
      deps,
      'evaluate_alerts',
      'alerts',
      () => config.ALERT_EVALUATE_SECONDS,
      () => evaluateAlerts(deps),
    ),
    schedule_site_checks: recurring(
      deps,
      'schedule_site_checks',
      'site-checks',
      () => config.MONITOR_TICK_SECONDS,
      () => scheduleSiteChecks(deps),
      BACKGROUND_PRIORITY,
    ),
    // A batch job never fails: a failed job would keep its key (unsafe_dedupe) and block its slot.
    // A worker killed mid-batch is another matter: the sweeper frees the job and it runs again.
    check_sites: async () => {
      await runSiteChecks(deps).catch((err) => deps.log.error({ event: 'site_checks_failed', err: String(err) }, 'site check batch failed'));
    },
    check_domains: async () => {
      await runDomainChecks(deps).catch((err) => deps.log.error({ event: 'domain_checks_failed', err: String(err) }, 'domain checks failed'));
    },
    alert_webhook: async (payload) => {
      await deliverAlertWebhook(deps, (payload as { notificationId: string }).notificationId);
    },
    daily_report: async (payload) => {
      try {
        await runDailyReport(deps, (payload as { day: string }).day);
      } finally {
        await scheduleDailyReport(deps);
      }
    },
  };
}

/**
 * Called when a worker starts: the recurring jobs exist once whatever the number of workers
 * (unsafe_dedupe leaves a queued or running one alone). A first run waits one interval, so a
 * starting worker gives its first moments to the orders and emails already waiting.
 */
export async function ensureMonitoringJobs(deps: Deps): Promise<void> {
  const { config } = deps;
  await addJob(
    deps.db,
    'evaluate_alerts',
    {},
    { jobKey: 'alerts', jobKeyMode: 'unsafe_dedupe', runAt: every(config.ALERT_EVALUATE_SECONDS), maxAttempts: 1000 },
  );
  await addJob(
    deps.db,
    'schedule_site_checks',
    {},
    { jobKey: 'site-checks', jobKeyMode: 'unsafe_dedupe', runAt: every(config.MONITOR_TICK_SECONDS), maxAttempts: 1000, priority: BACKGROUND_PRIORITY },
  );
  // the next report at REPORT_TIME as configured now, and the days missed while nothing ran
  await scheduleDailyReport(deps);
}
