// Runs one pipeline step for one order (the run_step job): retries with backoff and jitter, waits, completion, failure.
import type { Deps } from '../deps.ts';
import { addEvent } from '../db/orders.ts';
import type { Order } from '../db/schema.ts';
import { recordProviderCall, recordProviderCalls, type ProviderCallRow } from '../db/provider-calls.ts';
import { completeStep, openStepRun, type StepCompletion } from '../db/steps.ts';
import { AppError, ProviderError } from '../errors.ts';
import { WORKING_STATES, statesInto } from '../domain/order-state.ts';
import { emailRow } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import { nextStep, pipeline, remainingEtaSeconds, stepIndex, type PipelineStep } from './pipeline.ts';
import type { StepContext, StepResult } from './step.ts';
import { customerLinks } from './links.ts';
import { failOrder } from './failure.ts';
import { scheduleStep, stepJob } from './schedule.ts';
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
  // One statement opens the run: the order as it is now (locked, so nobody moves it meanwhile), this run counted,
  // and on the first run the order's new state and the timeline's step_started (src/db/steps.ts).
  const opened = await openStepRun(db, { orderId, step: stepName, workingStates: WORKING, stepState: def.step.state, movableFrom: statesInto(def.step.state) });
  // a job for a step the order has left (a duplicate, a stale retry) does nothing
  if (!opened) return 'stale';
  const { order, progress } = opened;
  if (progress.state === 'done') {
    await advance(deps, order, def, { outcome: 'done' }, true, []);
    return 'already_done';
  }

  const breakers = deps.circuits;
  // the step's provider calls are written with its outcome (one round trip fewer per call); a call that ends after
  // that (a step past its timeout) is written on its own
  const kept: ProviderCallRow[] = [];
  let written = false;
  const keep = (row: ProviderCallRow) => (written ? void recordProviderCalls(db, [row]).catch(() => {}) : kept.push(row));
  const calls = () => {
    written = true;
    return kept.splice(0);
  };
  const ctx: StepContext = {
    deps,
    order,
    attempt: progress.attempts,
    idempotencyKey: `order:${order.id}:${stepName}:${order.domain}`,
    startedAt: progress.started_at,
    call: (provider, operation, fn) => recordProviderCall(db, { orderId, provider, operation }, () => breakers.for(provider).call(fn), keep),
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
        await recordProviderCalls(tx, calls());
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
    await recordProviderCalls(db, calls());
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
      await recordProviderCalls(tx, calls());
      if (Number(firstWait.numUpdatedRows) > 0) await addEvent(tx, orderId, 'step_waiting', { step: stepName, reason: result.reason });
      await scheduleStep(tx, order, stepName, { runAt: new Date(Date.now() + result.retryInMs) });
    });
    return 'wait';
  }
  if (result.outcome === 'fail') {
    log.warn({ event: 'step_failed', orderId, domain: order.domain, step: stepName, code: result.code }, 'step cannot succeed');
    await recordProviderCalls(db, calls());
    await failOrder(deps, orderId, stepName, result.code, result.data);
    return 'failed';
  }
  await advance(deps, order, def, result, false, calls());
  log.info({ event: 'step_done', orderId, domain: order.domain, step: stepName }, 'step done');
  return 'done';
}

/**
 * Record the step's completion and enqueue the next one, in one transaction: one call of complete_step (src/db/steps.ts),
 * inside a transaction with the step's own writes when it has some (`commit`).
 */
async function advance(
  deps: Deps,
  order: Order,
  def: PipelineStep,
  result: Extract<StepResult, { outcome: 'done' }>,
  replay: boolean,
  calls: ProviderCallRow[],
) {
  const { db, config } = deps;
  const stepName = def.step.name;
  const next = nextStep(stepName);
  const events: StepCompletion['events'] = [];
  if (!replay) events.push({ type: 'step_done', data: { step: stepName, ...summary(result.output) } });
  let email: StepCompletion['email'];
  if (next && next.phase !== def.phase) {
    events.push({ type: 'phase_done', data: { phase: def.phase } });
    if (def.phase === 2) {
      // the order as the completion leaves it
      const { report, ...columns } = replay ? {} : (result.record ?? {});
      const fresh: Order = { ...order, ...columns, ...(report ? { report } : {}), current_step: next.step.name };
      email = emailRow({
        orderId: order.id,
        kind: 'progress',
        dedupeKey: `progress:${order.id}`,
        to: order.email,
        locale: order.locale,
        rendered: renderOrderEmail('progress', fresh, customerLinks(config, fresh, { eta: new Date(Date.now() + remainingEtaSeconds(next.step.name) * 1000) })),
      });
    }
  }
  if (!next) events.push({ type: 'phase_done', data: { phase: def.phase } }, { type: 'delivered', data: { domain: order.domain_unicode } });
  const completion: StepCompletion = {
    orderId: order.id,
    step: stepName,
    nextStep: next?.step.name ?? null,
    replay,
    record: replay ? undefined : result.record,
    output: result.output,
    compensation: result.compensation,
    events,
    email,
    nextJob: next ? stepJob(order, next.step.name) : undefined,
    deliveredFrom: statesInto('delivered'),
    calls,
  };
  const commit = replay ? undefined : result.commit;
  if (!commit) {
    await completeStep(db, completion);
    return;
  }
  await db.transaction().execute(async (tx) => {
    // the step's own writes (emails, monitors) only when the order was still at this step
    if ((await completeStep(tx, completion)) === 'done') await commit(tx);
  });
}

/** The few output fields worth showing in the timeline. */
function summary(output: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!output) return {};
  const keep = ['uploaded', 'files', 'deadlineMet', 'totalSeconds', 'already'];
  return Object.fromEntries(Object.entries(output).filter(([k]) => keep.includes(k)));
}
