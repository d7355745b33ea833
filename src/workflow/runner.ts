// The graphile-worker runner embedded in the process: the task list, heartbeats, and the options measured to be fast on 2 cores.
import { run, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Deps } from '../deps.ts';
import { addJob } from '../db/database.ts';
import { sendQueuedEmail } from '../emails/outbox.ts';
import { checkPaymentLink, issuePaymentLink } from './payment-link.ts';
import { silentWorkerLogger } from '../db/migrate.ts';
import { backoffMs, runStep } from './step-runner.ts';
import { ProviderError } from '../errors.ts';
import { capturePaypal, processWebhookEvent, refundExtraPayment } from './payment-events.ts';
import { domainChoiceTimeout, refundOrder, removeUnrecordedSite } from './failure.ts';
import { Heartbeat, ensureSweeper, sweep } from './recovery.ts';
import { ensureMonitoringJobs, monitoringTasks } from '../monitoring/jobs.ts';
import { timeRefund, timeStep } from '../monitoring/observe.ts';
import { publishSite, verifyPublish, type VerifyPublish } from './publish-site.ts';

/** transient failures a refund or an email rides out on the pipeline's schedule before graphile-worker's own retries take over */
const SCHEDULED_TRIES = 12;

/**
 * chaos run: a provider failing for a moment is retried on the pipeline's own schedule (RETRY_BASE_MS doubling up to
 * RETRY_MAX_MS, Retry-After honoured), not graphile-worker's e^attempts seconds (55 s after the 4th failure, 2.5 min after
 * the 5th: a confirmation email whose answers the SMTP server lost four times reached its timeline minutes late). The job
 * is queued again under its key with one more try counted; anything else, or the last try, fails the job as before.
 */
async function retryOnSchedule(
  deps: Deps,
  err: unknown,
  job: { task: string; payload: Record<string, unknown>; tries: number; jobKey: string; maxAttempts: number },
): Promise<void> {
  if (!(err instanceof ProviderError && err.retryable) || job.tries + 1 >= SCHEDULED_TRIES) throw err;
  const delay = backoffMs(job.tries + 1, deps.config.RETRY_BASE_MS, deps.config.RETRY_MAX_MS, err.retryAfterMs);
  await addJob(
    deps.db,
    job.task,
    { ...job.payload, tries: job.tries + 1 },
    { jobKey: job.jobKey, jobKeyMode: 'replace', maxAttempts: job.maxAttempts, runAt: new Date(Date.now() + delay) },
  );
}

export function taskList(deps: Deps): TaskList {
  const tasks: Record<string, Task> = {
    ...monitoringTasks(deps), // issue 7: alerts, site checks, daily report (src/monitoring/jobs.ts)
    send_email: async (payload) => {
      const { emailId, tries = 0 } = payload as { emailId: string; tries?: number };
      try {
        await sendQueuedEmail(deps, emailId);
      } catch (err) {
        await retryOnSchedule(deps, err, { task: 'send_email', payload: { emailId }, tries, jobKey: `email:${emailId}`, maxAttempts: 12 });
      }
    },
    check_payment_link: async (payload) => {
      await checkPaymentLink(deps, (payload as { linkId: string }).linkId);
    },
    create_payment_link: async (payload) => {
      const { orderId, seq } = payload as { orderId: string; seq: number };
      await issuePaymentLink(deps, orderId, seq);
    },
    remove_unrecorded_site: async (payload) => {
      await removeUnrecordedSite(deps, (payload as { orderId: string }).orderId);
    },
    process_webhook: async (payload) => {
      await processWebhookEvent(deps, (payload as { id: string }).id);
    },
    capture_paypal: async (payload) => {
      const { paypalOrderId } = payload as { paypalOrderId: string };
      const link = await deps.db
        .selectFrom('payment_links')
        .selectAll()
        .where('provider', '=', 'paypal')
        .where('provider_ref', '=', paypalOrderId)
        .executeTakeFirst();
      if (link) await capturePaypal(deps, link);
    },
    run_step: async (payload) => {
      const { orderId, step } = payload as { orderId: string; step: string };
      await timeStep(deps, orderId, step, () => runStep(deps, orderId, step)); // monitoring: step and order durations
    },
    refund_order: async (payload) => {
      const { orderId, tries = 0 } = payload as { orderId: string; tries?: number };
      try {
        await timeRefund(deps, orderId, () => refundOrder(deps, orderId)); // monitoring: order duration when refunded
      } catch (err) {
        await retryOnSchedule(deps, err, { task: 'refund_order', payload: { orderId }, tries, jobKey: `refund:${orderId}`, maxAttempts: 25 });
      }
    },
    refund_payment: async (payload) => {
      await refundExtraPayment(deps, payload as Parameters<typeof refundExtraPayment>[1]);
    },
    domain_choice_timeout: async (payload) => {
      const { orderId, domain } = payload as { orderId: string; domain: string };
      await domainChoiceTimeout(deps, orderId, domain);
    },
    // issue 6: publishing from the editor after delivery (src/workflow/publish-site.ts)
    publish_site: async (payload, helpers) => {
      await publishSite(deps, (payload as { orderId: string }).orderId, helpers.job.attempts >= helpers.job.max_attempts);
    },
    verify_publish: async (payload) => {
      await verifyPublish(deps, payload as VerifyPublish);
    },
    sweep: async () => {
      try {
        await sweep(deps);
      } finally {
        await addJob(deps.db, 'sweep', {}, { jobKey: 'sweeper', runAt: new Date(Date.now() + deps.config.SWEEP_SECONDS * 1000), maxAttempts: 1000 });
      }
    },
  };
  return tasks;
}

export interface Worker {
  /** the current job runner (replaced when PostgreSQL was lost; see below) */
  readonly runner: Runner;
  readonly heartbeat: Heartbeat;
  stop(): Promise<void>;
}

export async function startWorker(deps: Deps, pool: Pool, opts: { concurrency: number; extraTasks?: TaskList }): Promise<Worker> {
  const launch = async () => {
    const heartbeat = new Heartbeat(deps);
    const running = runningTasks({ ...taskList(deps), ...opts.extraTasks });
    const runner = await run({
      pgPool: pool,
      concurrency: opts.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: silentWorkerLogger,
      taskList: running.tasks,
      events: heartbeat.events,
      // chaos run: failJobBatchDelay 0 too. Unbatched, graphile-worker 0.17 does not await failJob, so a failure to record a
      // job's failure while PostgreSQL restarts was an unhandled rejection that killed the whole process (API included).
      preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    // its promise rejects when the pool dies; that is handled below, not an unhandled rejection
    runner.promise.catch(() => {});
    heartbeat.start();
    return { runner, heartbeat, running };
  };
  await ensureMonitoringJobs(deps); // issue 7: the recurring monitoring jobs, one per key across all workers (queued before any job runs)
  const releaseGuard = holdDeadPoolErrors(deps);
  let current = await launch().catch((err) => {
    releaseGuard();
    throw err;
  });
  let stopping = false;
  let replacing: Promise<void> | undefined;
  // chaos run: when PostgreSQL cannot record a job's outcome (a restart), graphile-worker shuts the pool down for good and the
  // process would live on without running a job, its heartbeat keeping its locked jobs hostage. Instead: start a fresh pool
  // as soon as PostgreSQL answers again, and once the old pool's running jobs have ended (a minute at most), stop its
  // heartbeat, so the sweeper frees the jobs whose outcome it could not record (never a job still running: it would run twice).
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
 * chaos run: when PostgreSQL goes away under a pool, graphile-worker 0.17 can leave a rejected promise of that pool's own
 * shutdown unhandled (returning its local queue's jobs, recording their outcome), and Node then kills the whole process,
 * API included. That pool is being replaced (startWorker) and the sweeper frees what it held: log it and carry on.
 * Any other unhandled rejection still ends the process, as it would without this.
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
