// Enqueue a pipeline step: one job per order and step (job key), express before standard.
import type { Database, Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import type { StepName } from '../domain/steps.ts';
import { PRIORITY } from './jobs/catalogue.ts';
import { enqueue, jobSpecOf, type EnqueueOptions } from './jobs/enqueue.ts';

export function priorityOf(order: Pick<Order, 'tier'>): number {
  return order.tier === 'express' ? PRIORITY.normal : PRIORITY.standard;
}

type StepJobOptions = {
  runAt?: Date;
  /** dedupe: leave an existing job alone; replace: move an existing job to runAt (an operator's "retry now") */
  dedupe?: boolean;
  replace?: boolean;
};

function options(order: Pick<Order, 'tier'>, opts: StepJobOptions): EnqueueOptions {
  return { runAt: opts.runAt, priority: priorityOf(order), mode: opts.dedupe ? 'unsafe_dedupe' : opts.replace ? 'replace' : 'preserve_run_at' };
}

/** The step's job as a spec, for SQL that enqueues it itself (complete_step). */
export function stepJob(order: Pick<Order, 'id' | 'tier'>, step: StepName, opts: StepJobOptions = {}) {
  return jobSpecOf('run_step', { orderId: order.id, step }, options(order, opts));
}

export async function scheduleStep(db: Database | Tx, order: Pick<Order, 'id' | 'tier'>, step: StepName, opts: StepJobOptions = {}): Promise<void> {
  await enqueue(db, 'run_step', { orderId: order.id, step }, options(order, opts));
}
