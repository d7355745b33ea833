// The dead-man's switch: the API processes watch that the workers still evaluate the alert rules, and tell the operators themselves when they do not.
import type { Deps } from '../deps.ts';
import { reconcile, sendNotices } from './alerts.ts';
import { startWatching, workersSilent } from './rules.ts';

/**
 * One look: the workers_silent rule, its alert opened or resolved like any other (one open alert
 * however many API processes look), and its notices delivered from here, since the workers that
 * would send the email and the webhook are what may be gone.
 */
export async function watchEvaluation(deps: Deps): Promise<{ opened: boolean; resolved: boolean }> {
  const findings = await workersSilent.evaluate(deps);
  const change = await reconcile(deps, workersSilent, findings);
  if (change.opened.length || change.resolved.length || findings.length) await sendNotices(deps, { rules: [workersSilent.name], deliverNow: true });
  return { opened: change.opened.length > 0, resolved: change.resolved.length > 0 };
}

/**
 * Looks every few seconds (a third of ALERT_EVALUATION_STALE_SECONDS, at most 30 s). A look that
 * fails (PostgreSQL away) is logged and the next one tries again.
 */
export function startEvaluationWatchdog(deps: Deps): { stop(): Promise<void> } {
  const periodMs = Math.max(1, Math.min(30, Math.floor(deps.config.ALERT_EVALUATION_STALE_SECONDS / 3))) * 1000;
  startWatching();
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() =>
      watchEvaluation(deps).catch((err) =>
        deps.log.warn({ event: 'watchdog_failed', err: String((err as Error).message ?? err) }, 'could not check the alert evaluation'),
      ),
    );
  }, periodMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
