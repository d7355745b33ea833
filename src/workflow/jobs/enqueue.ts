// Queue a catalogued job: key, queue, priority and attempts from the catalogue, the payload checked against its schema.
import { addJob, jobSpec, type Database, type JobSpec, type Tx } from '../../db/database.ts';
import { catalogue, isTaskName, maxAttemptsOf, type Payload, type TaskName } from './catalogue.ts';
import { PayloadError } from './retry.ts';

/** A template's '{field}'s filled from the payload; the SQL function job_template (migration 012) does the same. */
export function fillTemplate(template: string, payload: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, field: string) => {
    const value = payload[field];
    if (value === undefined || value === null) throw new Error(`${template}: the payload has no ${field}`);
    return String(value);
  });
}

/** The fields a job's key was made of, read back through its task's template; null when the key is not of that shape. */
export function keyFields(task: string, key: string): Record<string, string> | null {
  if (!isTaskName(task)) return null;
  const fields: string[] = [];
  const pattern = catalogue[task].key.replace(/\{(\w+)\}|[^{]+/g, (part, field?: string) => {
    if (!field) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    fields.push(field);
    return '([^:]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(key);
  return match ? Object.fromEntries(fields.map((f, i) => [f, match[i + 1]!])) : null;
}

/** The job key of a task's payload. */
export function keyOf<K extends TaskName>(task: K, payload: Payload<K>): string {
  return fillTemplate(catalogue[task].key, payload);
}

export interface EnqueueOptions {
  runAt?: Date;
  /**
   * How this meets a job already under the key: preserve_run_at (default) leaves a waiting one as it is, so a duplicate
   * changes nothing; replace moves it to this payload and time (an operator's "now"); unsafe_dedupe also leaves a
   * running one alone (no second copy).
   */
  mode?: JobSpec['jobKeyMode'];
  /** instead of the task's own (an express order's step) */
  priority?: number;
}

function spec<K extends TaskName>(task: K, payload: Payload<K>, opts: EnqueueOptions): [string, Record<string, unknown>, JobSpec] {
  const def = catalogue[task];
  const parsed = def.payload.safeParse(payload);
  // a producer's mistake fails here, before anything is stored
  if (!parsed.success) throw new PayloadError(task, parsed.error.message);
  const fields: Record<string, unknown> = parsed.data;
  return [
    task,
    fields,
    {
      jobKey: fillTemplate(def.key, fields),
      queueName: def.queue ? fillTemplate(def.queue, fields) : undefined,
      priority: opts.priority ?? def.priority,
      maxAttempts: maxAttemptsOf(task),
      runAt: opts.runAt,
      jobKeyMode: opts.mode,
    },
  ];
}

/** Add the job in the caller's transaction, so it exists if and only if the change that asked for it committed. */
export async function enqueue<K extends TaskName>(db: Database | Tx, task: K, payload: Payload<K>, opts: EnqueueOptions = {}): Promise<void> {
  await addJob<string>(db, ...spec(task, payload, opts));
}

/** The job as a spec, for SQL that queues it itself in the same statement (complete_step, open_payment_link). */
export function jobSpecOf<K extends TaskName>(task: K, payload: Payload<K>, opts: EnqueueOptions = {}) {
  return jobSpec<string>(...spec(task, payload, opts));
}
