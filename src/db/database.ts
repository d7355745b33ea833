// The connection pool and the typed query builder shared by the API and the workers.
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;

export function createDatabase(connectionString: string, max = 20): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // a dropped connection (PostgreSQL restarted) must not crash the process; the pool replaces it
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

export interface JobSpec {
  /** one job per key at a time: how a second enqueue under it behaves is `jobKeyMode` */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
  queueName?: string;
  /** default preserve_run_at; unsafe_dedupe also leaves a running job alone (no second copy) */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  /** runs already counted against maxAttempts (a retry carries its job's count over) */
  attempts?: number;
  /** the failure a retry follows, kept in job_failures (migration 012) for the sweeper and the alerts */
  failure?: { code: string; provider: string | null; retryable: boolean; message: string };
}

/** A task's payload as graphile-worker types it (src/workflow/jobs/catalogue.ts declares them); any other task takes any object. */
type PayloadFor<T extends string> = T extends keyof GraphileWorker.Tasks ? GraphileWorker.Tasks[T] : Record<string, unknown>;

/** A job as graphile_worker.add_job takes it (and as the SQL function add_job_from reads it, migrations 010 and 012). */
export function jobSpec<T extends string>(task: T, payload: PayloadFor<T>, spec: JobSpec = {}) {
  return {
    identifier: task,
    payload,
    queue_name: spec.queueName ?? null,
    run_at: spec.runAt?.toISOString() ?? null,
    max_attempts: spec.maxAttempts ?? null,
    job_key: spec.jobKey ?? null,
    priority: spec.priority ?? null,
    // preserve_run_at keeps an already-queued job as it is (a duplicate enqueue changes nothing)
    job_key_mode: spec.jobKey ? (spec.jobKeyMode ?? 'preserve_run_at') : null,
    attempts: spec.attempts ?? null,
    failure: spec.failure ?? null,
  };
}

/**
 * Add a graphile-worker job inside the caller's transaction, so the job exists if and only if the state change that
 * asked for it committed. The application queues catalogued jobs through enqueue (src/workflow/jobs/enqueue.ts).
 */
export async function addJob<T extends string>(db: Database | Tx, task: T, payload: PayloadFor<T>, spec: JobSpec = {}): Promise<void> {
  await sql`select add_job_from(${JSON.stringify(jobSpec(task, payload, spec))}::jsonb)`.execute(db);
}

/** SQLSTATEs of a transaction PostgreSQL gave up on to let another through: run again, it will pass. */
const TRY_AGAIN = new Set(['40P01', '40001']);

/**
 * `work` in a transaction, run again (up to `attempts` times in all) when PostgreSQL breaks a deadlock or a serialization
 * conflict by failing it: nothing of the failed run was committed, so running it again is safe.
 */
export async function transactionRetrying<T>(db: Database, work: (tx: Tx) => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      if (i >= attempts || !TRY_AGAIN.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
}
