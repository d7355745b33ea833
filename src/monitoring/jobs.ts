// Monitoring's job handlers and its recurring jobs: each recurring job has one key, so one runs at a time across all workers.
import type { Deps } from '../deps.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import type { Handlers } from '../workflow/jobs/run.ts';
import { deliverAlertWebhook, evaluateAlerts } from './alerts.ts';
import { runDomainChecks, runSiteChecks, scheduleSiteChecks } from './sites.ts';
import { runDailyReport, scheduleDailyReport } from './report.ts';

const every = (seconds: number) => new Date(Date.now() + seconds * 1000);

type MonitoringTask = 'evaluate_alerts' | 'schedule_site_checks' | 'check_sites' | 'check_domains' | 'alert_webhook' | 'daily_report';

/** How each monitoring task runs; when it runs again, and after what, is its policy in src/workflow/jobs/catalogue.ts. */
export function monitoringHandlers(deps: Deps): Pick<Handlers, MonitoringTask> {
  return {
    evaluate_alerts: () => evaluateAlerts(deps),
    schedule_site_checks: () => scheduleSiteChecks(deps),
    // a worker killed mid-batch is freed by the sweeper and its batch runs again
    check_sites: () => runSiteChecks(deps),
    check_domains: () => runDomainChecks(deps),
    alert_webhook: ({ notificationId }) => deliverAlertWebhook(deps, notificationId),
    daily_report: async ({ day }) => {
      try {
        await runDailyReport(deps, day);
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
  await enqueue(deps.db, 'evaluate_alerts', {}, { mode: 'unsafe_dedupe', runAt: every(config.ALERT_EVALUATE_SECONDS) });
  await enqueue(deps.db, 'schedule_site_checks', {}, { mode: 'unsafe_dedupe', runAt: every(config.MONITOR_TICK_SECONDS) });
  // the next report at REPORT_TIME as configured now, and the days missed while nothing ran
  await scheduleDailyReport(deps);
}
