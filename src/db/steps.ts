// A pipeline step's run in the database: opened in one statement, closed in one call of complete_step (migration 010).
import { sql } from 'kysely';
import type { Database, Tx } from './database.ts';
import type { Order } from './schema.ts';
import type { ProviderCallRow } from './provider-calls.ts';

export interface StepProgress {
  state: string;
  attempts: number;
  failures: number;
  started_at: Date;
  /** what the step's last wait kept for its next run (`memo`), null after a completion or a failed try */
  output: Record<string, unknown> | null;
}

/**
 * Open a run of `step`: lock the order, count the run in order_steps, and on the order's first run of the step move
 * it to the step's state (when `movableFrom` its current one) and write step_started — one statement, so one round
 * trip and atomic. Nothing when the order is not at this step in a working state (a duplicate or stale job).
 * The order comes back as it was when locked.
 */
export async function openStepRun(
  db: Database,
  run: { orderId: string; step: string; workingStates: string[]; stepState: string; movableFrom: string[] },
): Promise<{ order: Order; progress: StepProgress; moved: boolean } | undefined> {
  const { rows } = await sql<
    Order & {
      step_state: string;
      step_attempts: number;
      step_failures: number;
      step_started_at: Date;
      step_output: Record<string, unknown> | null;
      moved: string;
      started: string;
    }
  >`
    with locked as (
      select * from orders where id = ${run.orderId} for no key update
    ), counted as (
      -- a step already done stays done: the caller only moves the order on
      insert into order_steps (order_id, step, state, attempts)
      select id, ${run.step}, 'running', 1 from locked where current_step = ${run.step} and state = any(${run.workingStates}::text[])
      on conflict (order_id, step) do update set attempts = order_steps.attempts + 1,
        state = case when order_steps.state = 'done' then 'done' else 'running' end
      returning state, attempts, failures, started_at, output
    ), moved as (
      update orders set state = ${run.stepState}, updated_at = now()
       where id = ${run.orderId} and state = any(${run.movableFrom}::text[]) and exists (select 1 from counted where counted.state <> 'done')
      returning id
    ), started as (
      select add_order_event(${run.orderId}, 'step_started', ${JSON.stringify({ step: run.step })}::jsonb)
        from counted where counted.state <> 'done' and counted.attempts = 1
    )
    select locked.*, counted.state as step_state, counted.attempts as step_attempts, counted.failures as step_failures,
           counted.started_at as step_started_at, counted.output as step_output, (select count(*) from moved) as moved, (select count(*) from started) as started
      from locked join counted on true`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  // `started` is selected so that the step_started event is written; it says nothing more
  const { step_state, step_attempts, step_failures, step_started_at, step_output, moved, started: _, ...order } = row;
  return {
    order: order as Order,
    progress: { state: step_state, attempts: step_attempts, failures: step_failures, started_at: step_started_at, output: step_output },
    moved: Number(moved) > 0,
  };
}

/** What complete_step writes when a step is done (migration 010 documents each field). */
export interface StepCompletion {
  orderId: string;
  step: string;
  nextStep: string | null;
  replay: boolean;
  record?: Record<string, unknown>;
  output?: Record<string, unknown>;
  compensation?: Record<string, unknown>;
  events: { type: string; data: Record<string, unknown> }[];
  /** queue_email's row (src/emails/outbox.ts emailRow) */
  email?: Record<string, unknown>;
  /** add_job_from's spec (src/workflow/jobs/enqueue.ts jobSpecOf) */
  nextJob?: Record<string, unknown>;
  deliveredFrom: string[];
  calls: ProviderCallRow[];
}

/** The step's result, the order's next step and its job, in one call: 'done', 'left' (the order moved on meanwhile) or 'missing'. */
export async function completeStep(db: Database | Tx, c: StepCompletion): Promise<'done' | 'left' | 'missing'> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const { rows } = await sql<{ outcome: 'done' | 'left' | 'missing' }>`
    select complete_step(${c.orderId}, ${c.step}, ${c.nextStep}, ${c.replay}, ${json(c.record)}::jsonb, ${json(c.output)}::jsonb,
      ${json(c.compensation)}::jsonb, ${json(c.events)}::jsonb, ${json(c.email)}::jsonb, ${json(c.nextJob)}::jsonb,
      ${c.deliveredFrom}::text[], ${json(c.calls)}::jsonb) as outcome`.execute(db);
  return rows[0]!.outcome;
}

/** Where the order's run of `step` stands ('running', 'waiting', 'done', …), or undefined when it never started. */
export async function stepState(db: Database, orderId: string, step: string): Promise<string | undefined> {
  const row = await db.selectFrom('order_steps').select('state').where('order_id', '=', orderId).where('step', '=', step).executeTakeFirst();
  return row?.state;
}

/**
 * Set (or, with null, forget) what a step's run keeps for the next (its memo) outside a wait: a run that then fails on a
 * rate limit keeps it (src/workflow/step-runner.ts), and one that may do what the memo says was not done forgets it first.
 */
export async function setStepMemo(db: Database, orderId: string, step: string, memo: Record<string, unknown> | null): Promise<void> {
  await db
    .updateTable('order_steps')
    .set({ output: memo === null ? null : JSON.stringify(memo) })
    .where('order_id', '=', orderId)
    .where('step', '=', step)
    .execute();
}
