// Enqueue a pipeline step: one job per order and step (job key), express before standard.
import type { Database, Tx } from '../db/database.ts';
import { addJob, jobSpec } from '../db/database.ts';
import type { Order } from '../db/schema.ts';

export function priorityOf(order: Pick<Order, 'tier'>): number {
  // graphile-worker runs lower numbers first: express before standard
  return order.tier === 'express' ? 0 : 10;
}

/**
 * A verified payment webhook is processed before any step: it is what starts an order (and its deadline), the
 * customer is often on the return page waiting to see "paid", and the job is cheap. Behind a backlog of steps it
 * waited for all of them (figure e of BENCHMARKS.md: 10.6 s from receipt to processing at 200/s).
 */
export const WEBHOOK_PRIORITY = -10;

type StepJobOptions = {
  runAt?: Date;
  /** dedupe: leave an existing job alone; replace: move an existing job to runAt (an operator's "retry now") */
  dedupe?: boolean;
  replace?: boolean;
};

function stepJobArgs(order: Pick<Order, 'id' | 'tier'>, step: string, opts: StepJobOptions) {
  return [
    'run_step',
    { orderId: order.id, step },
    {
      jobKey: `step:${order.id}:${step}`,
      runAt: opts.runAt,
      priority: priorityOf(order),
      maxAttempts: 25,
      jobKeyMode: opts.dedupe ? 'unsafe_dedupe' : opts.replace ? 'replace' : 'preserve_run_at',
    },
  ] as const;
}

/** The step's job as a spec, for SQL that enqueues it itself (complete_step). */
export function stepJob(order: Pick<Order, 'id' | 'tier'>, step: string, opts: StepJobOptions = {}) {
  return jobSpec(...stepJobArgs(order, step, opts));
}

export async function scheduleStep(db: Database | Tx, order: Pick<Order, 'id' | 'tier'>, step: string, opts: StepJobOptions = {}): Promise<void> {
  await addJob(db, ...stepJobArgs(order, step, opts));
}
