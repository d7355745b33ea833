// Every task's handler, wrapped once: its payload parsed against the catalogue, its task's policy applied to what it
// returns or throws. graphile-worker counts a job's runs; the policy says when the next one comes, by queueing the job
// again under its key at that time with its count carried over, and the last failure leaves it failed for an operator.
import type { Job, Task, TaskList } from 'graphile-worker';
import type { Deps } from '../../deps.ts';
import { addJob, type JobSpec, type Tx } from '../../db/database.ts';
import { catalogue, TASK_NAMES, type Payload, type TaskName } from './catalogue.ts';
import { fillTemplate } from './enqueue.ts';
import { failureOf, nextTry, PayloadError } from './retry.ts';

/** What a handler knows of its job's run. */
export interface JobContext {
  /** this run's number, 1 on the first (a worker that died mid-run counts one) */
  attempt: number;
  /** no run follows this one if it fails */
  lastAttempt: boolean;
}

const COME_BACK: unique symbol = Symbol('come back');
export interface ComeBack {
  [COME_BACK]: true;
  inMs: number;
  commit?: (tx: Tx) => Promise<void>;
  /** the payload the next run gets (what it has to look at again); the same payload when absent */
  payload?: Record<string, unknown>;
}

/**
 * A handler's "not yet" (DNS not there, a link still open, a host's rate limit, a step's own retry): the job comes back
 * in `inMs` under its key without a failure counted; `commit` writes in the same transaction as the re-queue.
 */
export function comeBackIn(inMs: number, commit?: (tx: Tx) => Promise<void>, payload?: Record<string, unknown>): ComeBack {
  return { [COME_BACK]: true, inMs, commit, payload };
}

const isComeBack = (v: unknown): v is ComeBack => typeof v === 'object' && v !== null && COME_BACK in v;

export type Handler<K extends TaskName> = (payload: Payload<K>, job: JobContext) => Promise<unknown>;
export type Handlers = { [K in TaskName]: Handler<K> };

/** graphile-worker's task list: every catalogued task, its handler wrapped. */
export function tasksFrom(deps: Deps, handlers: Handlers): TaskList {
  const tasks: TaskList = {};
  for (const name of TASK_NAMES) tasks[name] = wrap(deps, name, handlers[name]);
  return tasks;
}

function wrap<K extends TaskName>(deps: Deps, name: K, handler: Handler<K>): Task {
  const { policy } = catalogue[name];
  return async (raw, { job }) => {
    const fields = isObject(raw) ? raw : {};
    try {
      const result = await handler(parse(name, fields), { attempt: job.attempts, lastAttempt: job.attempts >= job.max_attempts });
      // a come-back is not a failure: the job keeps the count it had before this run
      if (isComeBack(result)) await again(deps, name, job, result.payload ?? fields, { inMs: result.inMs, attempts: job.attempts - 1, commit: result.commit });
    } catch (err) {
      await failed(deps, name, job, fields, err);
    } finally {
      if (policy.kind === 'recurring') await again(deps, name, job, fields, { inMs: policy.everySeconds(deps.config) * 1000, attempts: 0 });
    }
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload checked against its task's schema: one that does not match fails the run, as it would every run. */
function parse<K extends TaskName>(name: K, fields: Record<string, unknown>): Payload<K> {
  const parsed = catalogue[name].payload.safeParse(fields);
  if (!parsed.success) throw new PayloadError(name, parsed.error.message);
  // the schema's output is the payload's type (Payload<K>); TypeScript cannot follow it through the generic K
  return parsed.data as Payload<K>;
}

/** A run failed: by the task's policy, the job comes back later (with its failure noted), is dropped, or stays failed. */
async function failed(deps: Deps, name: TaskName, job: Job, fields: Record<string, unknown>, err: unknown): Promise<void> {
  const { policy } = catalogue[name];
  const failure = failureOf(err);
  if (policy.kind !== 'retry') {
    // recurring: the next run is queued anyway; once: whoever queued it queues the next one
    deps.log.error({ event: 'job_failed', task: name, code: failure.code, err: failure.message }, 'job failed; not retried');
    return;
  }
  const next = nextTry(policy, deps.config, failure, { failuresBefore: job.attempts - 1, attempts: job.max_attempts });
  // its tries used up: graphile-worker keeps it failed (attempts = max_attempts) for an operator to retry or discard
  if (!next.retry) throw err;
  const note = { code: failure.code, provider: failure.provider, retryable: !failure.permanent, message: failure.message.slice(0, 500) };
  try {
    await again(deps, name, job, fields, { inMs: next.inMs, attempts: job.attempts, failure: note });
  } catch {
    // the database is gone too: graphile-worker records the failure once it can, and runs the job again later
    throw err;
  }
  deps.log.warn({ event: 'job_retry', task: name, code: failure.code, attempt: job.attempts, inMs: next.inMs }, 'job will retry');
}

/** The job queued again under its own key, priority and attempts, with `attempts` runs counted and the failure it follows noted. */
async function again(
  deps: Deps,
  name: TaskName,
  job: Job,
  payload: Record<string, unknown>,
  opts: { inMs: number; attempts: number; failure?: JobSpec['failure']; commit?: (tx: Tx) => Promise<void> },
): Promise<void> {
  const { queue } = catalogue[name];
  const spec: JobSpec = {
    jobKey: job.key ?? undefined,
    queueName: queue ? fillTemplate(queue, payload) : undefined,
    priority: job.priority,
    maxAttempts: job.max_attempts,
    runAt: new Date(Date.now() + opts.inMs),
    attempts: opts.attempts,
    failure: opts.failure,
  };
  const { commit } = opts;
  if (!commit) return addJob<string>(deps.db, name, payload, spec);
  await deps.db.transaction().execute(async (tx) => {
    await commit(tx);
    await addJob<string>(tx, name, payload, spec);
  });
}
