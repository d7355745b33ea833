// The operators' hand on what automation gave up on: queue jobs that used up their attempts (retry or discard), each act kept in the audit log.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { keyFields } from '../workflow/jobs/enqueue.ts';

/** Who acted, as the audit log keeps it: a signed-in console session, or the admin token (automation). */
export type AdminActor = 'console' | 'api';

export interface FailedJob {
  id: string;
  task: string;
  key: string | null;
  /** the order the job works for, when its key names one (src/workflow/jobs/catalogue.ts: step:{orderId}:{step}, refund:{orderId}, …) */
  orderId: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  failedAt: Date;
  createdAt: Date;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The order a job's key names, read back through its task's key template. */
function orderIdOf(task: string, key: string | null): string | null {
  const orderId = key ? keyFields(task, key)?.orderId : undefined;
  return orderId && GUID.test(orderId) ? orderId : null;
}

export type JobRow = {
  id: string;
  task: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  updated_at: Date;
  created_at: Date;
};

export function failedJob(r: JobRow): FailedJob {
  return {
    id: String(r.id),
    task: r.task,
    key: r.key,
    orderId: orderIdOf(r.task, r.key),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error?.slice(0, 1000) ?? null,
    failedAt: r.updated_at,
    createdAt: r.created_at,
  };
}

/**
 * One line in the audit log, and one in the logs. Not in the order's timeline: the customer reads
 * that, and a job retried or a monitor paused is the operators' business.
 */
export async function recordAdminAction(deps: Deps, actor: AdminActor | null, action: string, target: string, details: Record<string, unknown>): Promise<void> {
  await deps.db
    .insertInto('admin_audit_log')
    .values({ action, target, actor, details: JSON.stringify(details) })
    .execute();
  deps.log.info({ event: 'admin_action', action, target, actor, ...details }, 'operator action');
}

async function findFailed(deps: Deps, id: string): Promise<FailedJob> {
  const { rows } = await sql<JobRow>`
    select id, task_identifier as task, key, attempts, max_attempts, last_error, updated_at, created_at
    from graphile_worker.jobs where id = ${id}::bigint`.execute(deps.db);
  const row = rows[0];
  if (!row) throw new AppError('not_found', 404);
  // a job still retrying, or running, is the queue's business, not an operator's
  if (row.attempts < row.max_attempts) throw new AppError('action_not_possible', 409);
  return failedJob(row);
}

/** Run a failed job again now, its attempts counted from zero. */
export async function retryFailedJob(deps: Deps, actor: AdminActor | null, id: string): Promise<FailedJob> {
  const job = await findFailed(deps, id);
  const { rows } = await sql<{ id: string }>`
    select id from graphile_worker.reschedule_jobs(array[${id}::bigint], run_at => now(), attempts => 0)
    where attempts = 0`.execute(deps.db);
  return recordJobAction(deps, actor, 'job_retry', job, rows.length > 0);
}

/** Remove a failed job for good: the operator has dealt with what it was for. */
export async function discardFailedJob(deps: Deps, actor: AdminActor | null, id: string): Promise<FailedJob> {
  const job = await findFailed(deps, id);
  const { rows } = await sql<{ id: string }>`select id from graphile_worker.complete_jobs(array[${id}::bigint])`.execute(deps.db);
  return recordJobAction(deps, actor, 'job_discard', job, rows.length > 0);
}

/** An operator's action on a failed job goes to the audit log; one that changed nothing (the job moved on meanwhile) is 409. */
async function recordJobAction(deps: Deps, actor: AdminActor | null, action: 'job_retry' | 'job_discard', job: FailedJob, done: boolean): Promise<FailedJob> {
  if (!done) throw new AppError('action_not_possible', 409);
  await recordAdminAction(deps, actor, action, `job:${job.id}`, {
    task: job.task,
    key: job.key,
    orderId: job.orderId,
    lastError: job.lastError?.slice(0, 300) ?? null,
  });
  return job;
}
