// Recovery: workers write heartbeats; a sweeper frees the jobs of dead workers (forceUnlockWorkers) and re-enqueues orders whose job went missing
// and documents whose render gave up.
import os from 'node:os';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import type { Deps } from '../deps.ts';
import { addEvent } from '../db/orders.ts';
import { scheduleStep } from './schedule.ts';
import { WORKING_STATES } from '../domain/order-state.ts';
import type { StepName } from '../domain/steps.ts';
import { enqueue, keyFields, keyOf } from './jobs/enqueue.ts';

/**
 * Keeps one heartbeat row per lock owner of this process: the worker pool (the local queue
 * locks jobs in its name) and each worker. graphile-worker itself would free a killed worker's
 * jobs only after 4 hours; the sweeper frees them once these rows go stale.
 */
export class Heartbeat {
  readonly processId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private ids = new Set<string>();
  private timer?: NodeJS.Timeout;

  /** handed to graphile-worker's run() so the pool's creation is seen */
  readonly events: WorkerEvents = new EventEmitter() as WorkerEvents;

  constructor(private readonly deps: Deps) {
    this.events.on('pool:create', ({ workerPool }) => void this.ids.add(workerPool.id));
    this.events.on('worker:create', ({ worker }) => void this.ids.add(worker.workerId));
  }

  /** the lock owners this process writes heartbeats for */
  lockOwners(): string[] {
    return [...this.ids];
  }

  start(): void {
    const beat = () => void this.beat().catch(() => {});
    beat();
    this.timer = setInterval(beat, this.deps.config.HEARTBEAT_SECONDS * 1000);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    if (!this.ids.size) return;
    const rows = [...this.ids].map((id) => ({ worker_id: id, process_id: this.processId, host: os.hostname(), pid: process.pid }));
    await this.deps.db
      .insertInto('worker_heartbeats')
      .values(rows)
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen: sql`now()` }))
      .execute();
    await rescueSweeper(this.deps);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.ids.size)
      await this.deps.db
        .deleteFrom('worker_heartbeats')
        .where('worker_id', 'in', [...this.ids])
        .execute()
        .catch(() => {});
  }
}

/**
 * The sweep job itself may be held by a dead worker (killed, or its pool lost with PostgreSQL), and then nothing would
 * free anything for 4 hours: every process's heartbeat frees the sweep job once its holder has gone silent.
 */
export async function rescueSweeper(deps: Deps): Promise<void> {
  const stale = deps.config.WORKER_STALE_SECONDS;
  await sql`select graphile_worker.force_unlock_workers(array(
      select distinct j.locked_by from graphile_worker.jobs j
      where j.key = ${keyOf('sweep', {})} and j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${stale})
        and not exists (select 1 from worker_heartbeats h where h.worker_id = j.locked_by and h.last_seen >= now() - make_interval(secs => ${stale}))))`.execute(
    deps.db,
  );
}

export async function ensureSweeper(deps: Deps): Promise<void> {
  await enqueue(deps.db, 'sweep', {}, { mode: 'unsafe_dedupe' });
}

/** The sweep job: one runs at a time across all workers (one job key), every SWEEP_SECONDS (src/workflow/jobs/catalogue.ts). */
export async function sweep(deps: Deps): Promise<{ unlocked: string[]; requeued: string[]; emailsResumed: number; documents: string[] }> {
  const { db, config, log } = deps;
  const staleSeconds = config.WORKER_STALE_SECONDS;
  // lock owners whose heartbeat is stale, or who hold jobs locked for long with no heartbeat at all
  const { rows: dead } = await sql<{ id: string }>`
    select worker_id as id from worker_heartbeats where last_seen < now() - make_interval(secs => ${staleSeconds})
    union
    select distinct j.locked_by from graphile_worker.jobs j
    where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${staleSeconds})
      and not exists (select 1 from worker_heartbeats h where h.worker_id = j.locked_by and h.last_seen >= now() - make_interval(secs => ${staleSeconds}))`.execute(
    db,
  );
  const unlocked = dead.map((d) => d.id).filter(Boolean);
  if (unlocked.length) {
    await sql`select graphile_worker.force_unlock_workers(${unlocked}::text[])`.execute(db);
    await db.deleteFrom('worker_heartbeats').where('worker_id', 'in', unlocked).execute();
    log.warn({ event: 'workers_unlocked', workers: unlocked.length }, 'freed the jobs of dead workers');
  }

  // orders the pipeline works on whose next job went missing
  const { rows: orphans } = await sql<{ id: string; tier: 'express' | 'standard'; current_step: StepName }>`
    select o.id, o.tier, o.current_step from orders o
    where o.state = any(${WORKING_STATES})
      and o.current_step is not null
      and o.updated_at < now() - interval '5 seconds'
      and not exists (select 1 from graphile_worker.jobs j where j.key = job_key('run_step', jsonb_build_object('orderId', o.id, 'step', o.current_step)))
    limit 500`.execute(db);
  for (const o of orphans) {
    await db.transaction().execute(async (tx) => {
      await scheduleStep(tx, o, o.current_step, { dedupe: true });
      await addEvent(tx, o.id, 'step_requeued', { step: o.current_step });
    });
  }
  const { rows: refunds } = await sql<{ id: string }>`
    select o.id from orders o where o.state = 'refunding'
      and not exists (select 1 from graphile_worker.jobs j where j.key = job_key('refund_order', jsonb_build_object('orderId', o.id))) limit 500`.execute(db);
  for (const o of refunds) await enqueue(db, 'refund_order', { orderId: o.id }, { mode: 'unsafe_dedupe' });
  // an order waiting for the customer to pick another name keeps its deadline for that choice
  const { rows: choices } = await sql<{ id: string; domain: string; due: Date }>`
    select o.id, o.domain, o.updated_at + make_interval(secs => ${config.DOMAIN_CHOICE_HOURS * 3600}) as due from orders o
    where o.state = 'domain_unavailable' and o.updated_at < now() - interval '5 seconds'
      and not exists (select 1 from graphile_worker.jobs j where j.key = job_key('domain_choice_timeout', jsonb_build_object('orderId', o.id))) limit 500`.execute(
    db,
  );
  for (const o of choices) await enqueue(db, 'domain_choice_timeout', { orderId: o.id, domain: o.domain }, { mode: 'unsafe_dedupe', runAt: o.due });
  // an order whose taken name's alternatives could not be checked waits, with no current step, for its next search
  const { rows: searches } = await sql<{ id: string; tries: number }>`
    select o.id, (select count(*)::int from order_events e where e.order_id = o.id and e.type = 'alternatives_retry') as tries from orders o
    where o.state = 'registering_domain' and o.current_step is null and o.updated_at < now() - interval '5 seconds'
      and not exists (select 1 from graphile_worker.jobs j where j.key = job_key('offer_other_names', jsonb_build_object('orderId', o.id))) limit 500`.execute(
    db,
  );
  for (const o of searches) await enqueue(db, 'offer_other_names', { orderId: o.id, attempt: o.tries + 1 }, { mode: 'unsafe_dedupe' });
  const requeued = orphans.length + refunds.length + choices.length + searches.length;
  if (requeued) log.warn({ event: 'orders_requeued', orders: requeued }, 'requeued orders whose job went missing');
  const documents = await requeueDocuments(deps);

  // Emails whose last try met the SMTP server's own failure (no answer, 4xx, our open circuit: retryable, as noted in
  // job_failures by src/workflow/jobs/run.ts) wait out their backoff, up to hours after a few. Once a send has
  // succeeded since they failed, the server is back: send them now. Never a refused message.
  const { rows: resumed } = await sql<{ id: string }>`
    select id from graphile_worker.reschedule_jobs(array(
      select j.id from graphile_worker.jobs j join job_failures f on f.job_id = j.id and f.retryable
      where j.task_identifier = 'send_email' and j.locked_at is null and j.attempts > 0 and j.attempts < j.max_attempts
        and j.run_at > now() + interval '30 seconds'
        and j.updated_at < (select max(c.at) from provider_calls c where c.provider = 'smtp' and c.outcome = 'ok' and c.at > now() - interval '10 minutes')
      limit 500), run_at => now())`.execute(db);
  if (resumed.length) log.info({ event: 'emails_resumed', emails: resumed.length }, 'the SMTP server answers again: sending the emails that waited');
  // the notes of jobs that have ended
  await sql`delete from job_failures f where not exists (select 1 from graphile_worker.jobs j where j.id = f.job_id)`.execute(db);
  return { unlocked, requeued: [...orphans, ...refunds, ...choices].map((o) => o.id), emailsResumed: resumed.length, documents };
}

/**
 * Invoices and credit notes whose render_document job used up its attempts, and those of the last week whose PDF or
 * email is missing with no job left to make them (discarded): rendered again from a fresh count of attempts, so an
 * issued document reaches its customer. A render that keeps failing comes back after each full round of its retries
 * (hours apart), and the retries_exhausted alert names it meanwhile. Found from the jobs and the recent documents
 * (invoices_issued_idx), never by reading every document ever issued.
 */
async function requeueDocuments(deps: Deps): Promise<string[]> {
  const { rows: failed } = await sql<{ key: string }>`
    select key from graphile_worker.jobs
     where task_identifier = 'render_document' and attempts >= max_attempts and locked_at is null and key is not null
     limit 500`.execute(deps.db);
  const { rows: orphans } = await sql<{ id: string }>`
    select i.id from invoices i
     where i.issued_at > now() - interval '7 days' and i.issued_at < now() - interval '5 seconds'
       and (not exists (select 1 from invoice_files f where f.invoice_id = i.id)
            or not exists (select 1 from outbox_emails e where e.dedupe_key = i.kind || ':' || i.id))
       and not exists (select 1 from graphile_worker.jobs j where j.key = job_key('render_document', jsonb_build_object('invoiceId', i.id)))
     limit 500`.execute(deps.db);
  const ids = new Set(orphans.map((d) => d.id));
  for (const { key } of failed) {
    const id = keyFields('render_document', key)?.invoiceId;
    if (id) ids.add(id);
  }
  // a job left failed under the key is taken over with its attempts reset (graphile-worker's add_job, key mode preserve_run_at)
  for (const invoiceId of ids) await enqueue(deps.db, 'render_document', { invoiceId });
  if (ids.size) deps.log.warn({ event: 'documents_requeued', documents: ids.size }, 'rendering again documents whose job had given up');
  return [...ids];
}
