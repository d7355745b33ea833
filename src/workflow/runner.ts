// The graphile-worker runner embedded in the process: every task's handler, heartbeats, and the options measured to be fast on 2 cores.
import { sendSignInLink } from '../account/sessions.ts';
import { run, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Deps } from '../deps.ts';
import { sendQueuedEmail } from '../emails/outbox.ts';
import { checkPaymentLink, issuePaymentLink } from './payment-link.ts';
import { silentWorkerLogger } from '../db/migrate.ts';
import { runStep } from './step-runner.ts';
import { captureApproved, processWebhookEvent, refundExtraPayment } from './payment-events.ts';
import { domainChoiceTimeout, noteRefundDelay, refundOrder, retryOfferOtherNames } from './failure.ts';
import { removeUnrecordedSite } from './steps/create-site.ts';
import { Heartbeat, ensureSweeper, sweep } from './recovery.ts';
import { ensureMonitoringJobs, monitoringHandlers } from '../monitoring/jobs.ts';
import { timeRefund, timeStep } from '../monitoring/observe.ts';
import { publishSite, verifyPublish } from './publish-site.ts';
import { tasksFrom, type Handlers } from './jobs/run.ts';
import { runPartRefund } from '../billing/refunds.ts';
import { renderDocument } from '../billing/issue.ts';
import { ensureSatisfactionReminders, sendSatisfactionReminders } from './satisfaction.ts';
import { eraseExpiredData, ensureRetentionJob } from '../legal/erasure.ts';
import { renewalHandlers } from './renewals/jobs.ts';
import { ensureRenewalScan } from './renewals/scan.ts';

/** What each task does with its payload; its key, attempts and retry policy are in src/workflow/jobs/catalogue.ts. */
export function handlers(deps: Deps): Handlers {
  return {
    ...monitoringHandlers(deps),
    ...renewalHandlers(deps),
    // monitoring: step and order durations
    run_step: async ({ orderId, step }) => (await timeStep(deps, orderId, step, () => runStep(deps, orderId, step))).comeBack,
    process_webhook: ({ id }) => processWebhookEvent(deps, id),
    capture_paypal: ({ paypalOrderId }) => captureApproved(deps, paypalOrderId),
    create_payment_link: ({ orderId, seq }) => issuePaymentLink(deps, orderId, seq),
    check_payment_link: ({ linkId }) => checkPaymentLink(deps, linkId),
    refund_payment: (payment) => refundExtraPayment(deps, payment),
    // monitoring: the order's duration when refunded
    refund_order: ({ orderId }) => timeRefund(deps, orderId, () => refundOrder(deps, orderId).catch((err: unknown) => noteRefundDelay(deps, orderId, err))),
    refund_part: ({ refundId }) => runPartRefund(deps, refundId),
    remove_unrecorded_site: ({ orderId }) => removeUnrecordedSite(deps, orderId),
    domain_choice_timeout: ({ orderId, domain }) => domainChoiceTimeout(deps, orderId, domain),
    offer_other_names: ({ orderId, attempt }) => retryOfferOtherNames(deps, orderId, attempt),
    send_email: ({ emailId }) => sendQueuedEmail(deps, emailId),
    render_document: ({ invoiceId }) => renderDocument(deps, invoiceId),
    publish_site: (payload, job) => publishSite(deps, payload, job.lastAttempt),
    verify_publish: (check) => verifyPublish(deps, check),
    sweep: () => sweep(deps),
    satisfaction_reminders: () => sendSatisfactionReminders(deps),
    account_sign_in: ({ email }) => sendSignInLink(deps, email),
    erase_expired_data: () => eraseExpiredData(deps),
  };
}

export interface Worker {
  /** the current job runner (replaced when PostgreSQL was lost; see below) */
  readonly runner: Runner;
  readonly heartbeat: Heartbeat;
  stop(): Promise<void>;
}

export async function startWorker(deps: Deps, pool: Pool, opts: { concurrency: number }): Promise<Worker> {
  const launch = async () => {
    const heartbeat = new Heartbeat(deps);
    const running = runningTasks(tasksFrom(deps, handlers(deps)));
    const runner = await run({
      pgPool: pool,
      concurrency: opts.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: silentWorkerLogger,
      taskList: running.tasks,
      events: heartbeat.events,
      // failJob batched too: unbatched, graphile-worker 0.17 does not await it, so failing to record a failure while
      // PostgreSQL restarts would be an unhandled rejection, ending the whole process (API included)
      preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    // its promise rejects when the pool dies; that is handled below, not an unhandled rejection
    runner.promise.catch(() => {});
    heartbeat.start();
    return { runner, heartbeat, running };
  };
  await ensureMonitoringJobs(deps); // the recurring monitoring jobs, one per key across all workers (queued before any job runs)
  const releaseGuard = holdDeadPoolErrors(deps);
  let current = await launch().catch((err) => {
    releaseGuard();
    throw err;
  });
  let stopping = false;
  let replacing: Promise<void> | undefined;
  // When PostgreSQL cannot record a job's outcome (a restart), graphile-worker shuts the pool down for good; the process
  // must not live on without running jobs while its heartbeat keeps its locked jobs hostage. A fresh pool starts as soon
  // as PostgreSQL answers, and once the old pool's running jobs have ended (a minute at most) its heartbeat stops, so the
  // sweeper frees the jobs whose outcome it could not record (never a job still running: it would run twice).
  const watch = (c: typeof current) => {
    c.heartbeat.events.once('pool:gracefulShutdown', () => {
      if (stopping || replacing || c !== current) return;
      replacing = (async () => {
        deps.log.warn({ event: 'worker_pool_lost' }, 'the job runner stopped (PostgreSQL lost?); starting a new one');
        void c.running.ended(60_000).then(() => c.heartbeat.stop());
        for (let delay = 500; !stopping; delay = Math.min(delay * 2, 5_000)) {
          try {
            const next = await launch();
            if (stopping) {
              await next.runner.stop().catch(() => {});
              await next.heartbeat.stop();
              break;
            }
            current = next;
            watch(next);
            deps.log.info({ event: 'worker_pool_restarted' }, 'job runner started again');
            break;
          } catch {
            await new Promise((r) => setTimeout(r, delay));
          }
        }
      })().finally(() => (replacing = undefined));
    });
  };
  watch(current);
  await ensureSweeper(deps);
  await ensureSatisfactionReminders(deps);
  await ensureRetentionJob(deps);
  await ensureRenewalScan(deps);
  return {
    get runner() {
      return current.runner;
    },
    get heartbeat() {
      return current.heartbeat;
    },
    stop: async () => {
      stopping = true;
      await replacing;
      await current.runner.stop().catch(() => {});
      await current.heartbeat.stop();
      releaseGuard();
    },
  };
}

/** Counts the tasks running in one pool (its own code, not graphile-worker's view); `ended` resolves once none is (or after `maxMs`). */
function runningTasks(tasks: TaskList) {
  let running = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (running) return;
    for (const w of waiters) w();
    waiters = [];
  };
  const counted: TaskList = Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (async (payload, helpers) => {
        running++;
        try {
          return await task!(payload, helpers);
        } finally {
          running--;
          settle();
        }
      }) as Task,
    ]),
  );
  return {
    tasks: counted,
    ended: (maxMs: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxMs);
        timer.unref();
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        settle();
      }),
  };
}

/**
 * When PostgreSQL goes away under a pool, graphile-worker 0.17 can leave a rejected promise of that pool's own shutdown
 * unhandled (returning its local queue's jobs, recording their outcome), which would end the whole process, API
 * included. That pool is being replaced (startWorker) and the sweeper frees what it held: logged, and the process goes
 * on. Any other unhandled rejection still ends the process.
 */
function holdDeadPoolErrors(deps: Deps): () => void {
  const onRejection = (reason: unknown) => {
    const text = reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : String(reason);
    if (!/node_modules[/\\]graphile-worker[/\\]/.test(text)) throw reason;
    deps.log.warn({ event: 'worker_pool_error', err: reason instanceof Error ? reason.message : text }, 'a lost job runner failed to shut down cleanly');
  };
  process.on('unhandledRejection', onRejection);
  return () => void process.off('unhandledRejection', onRejection);
}
