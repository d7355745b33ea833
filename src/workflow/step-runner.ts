// Runs one pipeline step for one order (the run_step job): retries with backoff and jitter, waits, completion, failure.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import { addEvent, findOrderById, lockOrder, transition } from '../db/orders.ts';
import type { Order } from '../db/schema.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { AppError, ProviderError } from '../errors.ts';
import { WORKING_STATES, type OrderState } from '../domain/order-state.ts';
import { queueEmail } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import { nextStep, pipeline, remainingEtaSeconds, stepIndex, type PipelineStep } from './pipeline.ts';
import type { StepContext, StepResult } from './step.ts';
import { customerLinks } from './links.ts';
import { failOrder } from './failure.ts';
import { scheduleStep } from './schedule.ts';
export { scheduleStep } from './schedule.ts';

/** States in which the pipeline works on the order. */
const WORKING = WORKING_STATES;

/** Exponential backoff with jitter ("equal jitter"), never sooner than the provider's Retry-After. */
export function backoffMs(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(retryAfterMs, Math.round(exp / 2 + random() * (exp / 2)));
}

function withTimeout<T>(p: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new ProviderError('pipeline', 'step_timeout', `${step} took longer than ${ms} ms`, true)), ms);
    }),
  ]);
}

export async function runStep(deps: Deps, orderId: string, stepName: string): Promise<string> {
  const { db, log, config } = deps;
  const def = pipeline[stepIndex(stepName)];
  if (!def) return 'unknown_step';
  // One transaction opens the run: the order as it is now (locked, so nobody moves it meanwhile), this
  // run counted, and on the first run the order's new state and the timeline's step_started.
  const opened = await db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, orderId);
    // a job for a step the order has left (a duplicate, a stale retry) does nothing
    if (!order || order.current_step !== stepName || !WORKING.includes(order.state as OrderState)) return undefined;
    const row = await sql<{ state: string; attempts: number; failures: number; started_at: Date }>`
      insert into order_steps (order_id, step, state, attempts) values (${orderId}, ${stepName}, 'running', 1)
      on conflict (order_id, step) do update set attempts = order_steps.attempts + 1,
        state = case when order_steps.state = 'done' then 'done' else 'running' end
      returning state, attempts, failures, started_at`.execute(tx);
    const progress = row.rows[0]!;
    if (progress.state !== 'done') {
      if (order.state !== def.step.state) await transition(tx, order, def.step.state);
      if (progress.attempts === 1) await addEvent(tx, orderId, 'step_started', { step: stepName });
    }
    return { order, progress };
  });
  if (!opened) return 'stale';
  const { order, progress } = opened;
  if (progress.state === 'done') {
    await advance(deps, order, def, { outcome: 'done' }, true);
    return 'already_done';
  }

  const breakers = deps.circuits;
  const ctx: StepContext = {
    deps,
    order,
    attempt: progress.attempts,
    idempotencyKey: `order:${order.id}:${stepName}:${order.domain}`,
    startedAt: progress.started_at,
    call: (provider, operation, fn) => recordProviderCall(db, { orderId, provider, operation }, () => breakers.for(provider).call(fn)),
  };

  let result: StepResult;
  try {
    result = await withTimeout(def.step.action(ctx), def.timeoutMs, stepName);
  } catch (err) {
    const permanent = (err instanceof ProviderError && !err.retryable) || err instanceof AppError;
    const code = err instanceof ProviderError || err instanceof AppError ? err.code : 'unexpected_error';
    // chaos run: a 429 says "slow down", not "broken" (the circuit breaker does not count it either). It waits as told
    // (Retry-After) without spending the step's failure budget, within WAIT_MAX_MINUTES like any wait; counting it refunded
    // a fifth of the orders of a 60-order run once Netlify's limits were reached.
    const rateLimited = err instanceof ProviderError && err.code === 'rate_limited';
    const failures = progress.failures + (rateLimited ? 0 : 1);
    const maxAttempts = def.maxAttempts ?? config.STEP_MAX_ATTEMPTS;
    const waitedTooLong = rateLimited && Date.now() - progress.started_at.getTime() > config.WAIT_MAX_MINUTES * 60_000;
    if (!permanent && failures < maxAttempts && !waitedTooLong) {
      const delay = backoffMs(Math.max(1, failures), config.RETRY_BASE_MS, config.RETRY_MAX_MS, err instanceof ProviderError ? err.retryAfterMs : 0);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('order_steps')
          .set({ state: 'waiting', failures, last_error: String((err as Error).message).slice(0, 500) })
          .where('order_id', '=', orderId)
          .where('step', '=', stepName)
          .execute();
        await addEvent(tx, orderId, 'step_retry', {
          step: stepName,
          failure: failures,
          code,
          provider: err instanceof ProviderError ? err.provider : undefined,
          inSeconds: Math.round(delay / 1000),
        });
        await scheduleStep(tx, order, stepName, { runAt: new Date(Date.now() + delay) });
      });
      log.warn({ event: 'step_retry', orderId, domain: order.domain, step: stepName, code, failures, delayMs: delay }, 'step will retry');
      return 'retry';
    }
    log.error({ event: 'step_failed', orderId, domain: order.domain, step: stepName, code, failures }, 'step failed for good');
    await failOrder(deps, orderId, stepName, (failures >= maxAttempts || waitedTooLong) && !permanent ? 'retries_exhausted' : code, { error: code });
    return 'failed';
  }

  if (result.outcome === 'wait') {
    const firstWait = await db
      .updateTable('order_steps')
      .set({ state: 'waiting', last_error: result.reason.slice(0, 500) })
      .where('order_id', '=', orderId)
      .where('step', '=', stepName)
      .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '<>', result.reason.slice(0, 500))]))
      .executeTakeFirst();
    await db.transaction().execute(async (tx) => {
      if (Number(firstWait.numUpdatedRows) > 0) await addEvent(tx, orderId, 'step_waiting', { step: stepName, reason: result.reason });
      await scheduleStep(tx, order, stepName, { runAt: new Date(Date.now() + result.retryInMs) });
    });
    return 'wait';
  }
  if (result.outcome === 'fail') {
    log.warn({ event: 'step_failed', orderId, domain: order.domain, step: stepName, code: result.code }, 'step cannot succeed');
    await failOrder(deps, orderId, stepName, result.code, result.data);
    return 'failed';
  }
  await advance(deps, order, def, result, false);
  log.info({ event: 'step_done', orderId, domain: order.domain, step: stepName }, 'step done');
  return 'done';
}

/** Record the step's completion and enqueue the next one, in one transaction. */
async function advance(deps: Deps, order: Order, def: PipelineStep, result: Extract<StepResult, { outcome: 'done' }>, replay: boolean) {
  const { db, config } = deps;
  const stepName = def.step.name;
  const next = nextStep(stepName);
  await db.transaction().execute(async (tx) => {
    const locked = await lockOrder(tx, order.id);
    if (!locked) return;
    if (locked.current_step !== stepName) {
      // chaos run: the order left this step while it ran (an operator's refund): what the step did in the world still
      // happened. Keep it on record (the domain bought, the site made, and the step's compensation data), or a
      // registration the business paid for would belong to no order.
      if (!replay) await recordLateResult(tx, order.id, stepName, result);
      return;
    }
    if (!replay) {
      await tx
        .updateTable('order_steps')
        .set({
          state: 'done',
          finished_at: new Date(),
          output: result.output ? JSON.stringify(result.output) : null,
          compensation: result.compensation ? JSON.stringify(result.compensation) : null,
          last_error: null,
        })
        .where('order_id', '=', order.id)
        .where('step', '=', stepName)
        .execute();
      const { report, ...columns } = result.record ?? {};
      await tx
        .updateTable('orders')
        .set({ ...columns, ...(report ? { report: JSON.stringify(report) } : {}), current_step: next?.step.name ?? null, updated_at: new Date() })
        .where('id', '=', order.id)
        .execute();
      await result.commit?.(tx);
      await addEvent(tx, order.id, 'step_done', { step: stepName, ...summary(result.output) });
    } else {
      await tx.updateTable('orders').set({ current_step: next?.step.name ?? null }).where('id', '=', order.id).execute();
    }
    if (next && next.phase !== def.phase) {
      await addEvent(tx, order.id, 'phase_done', { phase: def.phase });
      if (def.phase === 2) {
        const fresh = (await findOrderById(tx, order.id))!;
        await queueEmail(tx, {
          orderId: order.id,
          kind: 'progress',
          dedupeKey: `progress:${order.id}`,
          to: order.email,
          locale: order.locale,
          rendered: renderOrderEmail('progress', fresh, customerLinks(config, fresh, { eta: new Date(Date.now() + remainingEtaSeconds(next.step.name) * 1000) })),
        });
      }
    }
    if (next) {
      await scheduleStep(tx, order, next.step.name);
    } else {
      await transition(tx, { id: order.id, state: (await findOrderById(tx, order.id))!.state }, 'delivered');
      await addEvent(tx, order.id, 'phase_done', { phase: def.phase });
      await addEvent(tx, order.id, 'delivered', { domain: order.domain_unicode });
    }
  });
}

/** A step that finished after its order moved on: its result and what it holds in the world, without moving the order. */
async function recordLateResult(tx: Tx, orderId: string, stepName: string, result: Extract<StepResult, { outcome: 'done' }>) {
  await tx
    .updateTable('order_steps')
    .set({
      state: 'done',
      finished_at: new Date(),
      output: result.output ? JSON.stringify(result.output) : null,
      compensation: result.compensation ? JSON.stringify(result.compensation) : null,
    })
    .where('order_id', '=', orderId)
    .where('step', '=', stepName)
    .where('state', '<>', 'compensated')
    .execute();
  const { registrar_domain_id, site_id, site_name, site_domain } = result.record ?? {};
  const held = Object.fromEntries(Object.entries({ registrar_domain_id, site_id, site_name, site_domain }).filter(([, v]) => v != null));
  if (Object.keys(held).length) await tx.updateTable('orders').set(held).where('id', '=', orderId).execute();
}

/** The few output fields worth showing in the timeline. */
function summary(output: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!output) return {};
  const keep = ['uploaded', 'files', 'deadlineMet', 'totalSeconds', 'already'];
  return Object.fromEntries(Object.entries(output).filter(([k]) => keep.includes(k)));
}
