// The graphile-worker runner embedded in the process: the task list, and the options measured to be fast on 2 cores.
import { run, type Runner, type Task, type TaskList } from 'graphile-worker';
import type { Pool } from 'pg';
import type { Deps } from '../deps.ts';
import { sendQueuedEmail } from '../emails/outbox.ts';
import { checkPaymentLink, issuePaymentLink } from './payment-link.ts';
import { silentWorkerLogger } from '../db/migrate.ts';

export function taskList(deps: Deps): TaskList {
  const tasks: Record<string, Task> = {
    send_email: async (payload) => {
      const { emailId } = payload as { emailId: string };
      await sendQueuedEmail(deps, emailId);
    },
    check_payment_link: async (payload) => {
      const { linkId } = payload as { linkId: string };
      await checkPaymentLink(deps, linkId);
    },
    create_payment_link: async (payload) => {
      const { orderId, seq } = payload as { orderId: string; seq: number };
      await issuePaymentLink(deps, orderId, seq);
    },
  };
  return tasks;
}

export async function startWorker(deps: Deps, pool: Pool, opts: { concurrency: number; extraTasks?: TaskList }): Promise<Runner> {
  return run({
    pgPool: pool,
    concurrency: opts.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: silentWorkerLogger,
    taskList: { ...taskList(deps), ...opts.extraTasks },
    preset: { worker: { localQueue: { size: 50 }, completeJobBatchDelay: 0 } },
  });
}
