// The graphile-worker runner embedded in the process: the task list, heartbeats, and the options measured to be fast on 2 cores.
import { run, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Deps } from '../deps.ts';
import { addJob } from '../db/database.ts';
import { sendQueuedEmail } from '../emails/outbox.ts';
import { checkPaymentLink, issuePaymentLink } from './payment-link.ts';
import { silentWorkerLogger } from '../db/migrate.ts';
import { runStep } from './step-runner.ts';
import { capturePaypal, processWebhookEvent, refundExtraPayment } from './payment-events.ts';
import { domainChoiceTimeout, refundOrder } from './failure.ts';
import { Heartbeat, ensureSweeper, sweep } from './recovery.ts';

export function taskList(deps: Deps): TaskList {
  const tasks: Record<string, Task> = {
    send_email: async (payload) => {
      await sendQueuedEmail(deps, (payload as { emailId: string }).emailId);
    },
    check_payment_link: async (payload) => {
      await checkPaymentLink(deps, (payload as { linkId: string }).linkId);
    },
    create_payment_link: async (payload) => {
      const { orderId, seq } = payload as { orderId: string; seq: number };
      await issuePaymentLink(deps, orderId, seq);
    },
    process_webhook: async (payload) => {
      await processWebhookEvent(deps, (payload as { id: string }).id);
    },
    capture_paypal: async (payload) => {
      const { paypalOrderId } = payload as { paypalOrderId: string };
      const link = await deps.db.selectFrom('payment_links').selectAll().where('provider', '=', 'paypal').where('provider_ref', '=', paypalOrderId).executeTakeFirst();
      if (link) await capturePaypal(deps, link);
    },
    run_step: async (payload) => {
      const { orderId, step } = payload as { orderId: string; step: string };
      await runStep(deps, orderId, step);
    },
    refund_order: async (payload) => {
      await refundOrder(deps, (payload as { orderId: string }).orderId);
    },
    refund_payment: async (payload) => {
      await refundExtraPayment(deps, payload as Parameters<typeof refundExtraPayment>[1]);
    },
    domain_choice_timeout: async (payload) => {
      const { orderId, domain } = payload as { orderId: string; domain: string };
      await domainChoiceTimeout(deps, orderId, domain);
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
  runner: Runner;
  heartbeat: Heartbeat;
  stop(): Promise<void>;
}

export async function startWorker(deps: Deps, pool: Pool, opts: { concurrency: number; extraTasks?: TaskList }): Promise<Worker> {
  const heartbeat = new Heartbeat(deps);
  const runner = await run({
    pgPool: pool,
    concurrency: opts.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: silentWorkerLogger,
    taskList: { ...taskList(deps), ...opts.extraTasks },
    events: heartbeat.events,
    preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0 } },
  });
  heartbeat.start();
  await ensureSweeper(deps);
  return {
    runner,
    heartbeat,
    stop: async () => {
      await runner.stop();
      await heartbeat.stop();
    },
  };
}
