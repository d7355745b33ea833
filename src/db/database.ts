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
  /** unique per order and step: a second enqueue with the same key is a no-op */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
  queueName?: string;
  /** default preserve_run_at; unsafe_dedupe also leaves a running job alone (no second copy) */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
}

/** A job as graphile_worker.add_job takes it (and as the SQL function add_job_from reads it, migration 010). */
export function jobSpec(task: string, payload: Record<string, unknown>, spec: JobSpec = {}) {
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
  };
}

/**
 * Add a graphile-worker job inside the caller's transaction, so the job exists if and only if
 * the state change that asked for it committed.
 */
export async function addJob(db: Database | Tx, task: string, payload: Record<string, unknown>, spec: JobSpec = {}): Promise<void> {
  await sql`select add_job_from(${JSON.stringify(jobSpec(task, payload, spec))}::jsonb)`.execute(db);
}
