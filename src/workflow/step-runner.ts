// Runs one pipeline step for one order (the run_step job): its action, its waits and retries (its policy in pipeline.ts), completion, failure.
import type { Deps } from '../deps.ts';
import { addEvent } from '../db/orders.ts';
import type { Order } from '../db/schema.ts';
import { recordProviderCall, recordProviderCalls, type ProviderCallRow } from '../db/provider-calls.ts';
import { completeStep, openStepRun, type StepCompletion } from '../db/steps.ts';
import { ProviderError } from '../errors.ts';
import { WORKING_STATES, statesInto } from '../domain/order-state.ts';
import type { StepName } from '../domain/steps.ts';
import { emailRow } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import { nextStep, pipelineStep, remainingEtaSeconds, type PipelineStep } from './pipeline.ts';
import type { StepContext, StepResult } from './step.ts';
import { customerLinks } from './links.ts';
import { failOrder } from './failure.ts';
import { stepJob } from './schedule.ts';
import { attemptsOf, failureOf, nextTry } from './jobs/retry.ts';
import { comeBackIn, type ComeBack } from './jobs/run.ts';

function withTimeout<T>(p: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new ProviderError('pipeline', 'step_timeout', `${step} took longer than ${ms} ms`, true)), ms);
    }),
  ]);
}

/** What one run of a step came to (its metrics label), and when the job comes back if it does. */
export interface StepRun {
  outcome: 'done' | 'already_done' | 'stale' | 'wait' | 'retry' | 'failed';
  comeBack?: ComeBack;
}

export async function runStep(deps: Deps, orderId: string, stepName: StepName): Promise<StepRun> {
  const { db, log, config } = deps;
  const def = pipelineStep(stepName);
  // One statement opens the run: the order as it is now (locked, so nobody moves it meanwhile), this run counted,
  // and on the first run the order's new state and the timeline's step_started (src/db/steps.ts).
  const opened = await openStepRun(db, {
    orderId,
    step: stepName,
    workingStates: WORKING_STATES,
    stepState: def.step.state,
    movableFrom: statesInto(def.step.state),
  });
  // a job for a step the order has left (a duplicate, a stale retry) does nothing
  if (!opened) return { outcome: 'stale' };
  const { order, progress } = opened;
  if (progress.state === 'done') {
    await advance(deps, order, def, { outcome: 'done' }, true, []);
    return { outcome: 'already_done' };
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
    memo: progress.output ?? undefined,
    call: (provider, operation, fn) => recordProviderCall(db, { orderId, provider, operation }, () => breakers.for(provider).call(fn), keep),
  };

  let result: StepResult;
  try {
    result = await withTimeout(def.step.action(ctx), def.timeoutMs, stepName);
  } catch (err) {
    const failure = failureOf(err);
    const { code } = failure;
    const next = nextTry(def.retry, config, failure, {
      failuresBefore: progress.failures,
      attempts: attemptsOf(def.retry, config),
      since: progress.started_at,
    });
    if (next.retry) {
      const { failures, inMs } = next;
      log.warn({ event: 'step_retry', orderId, domain: order.domain, step: stepName, code, failures, delayMs: inMs }, 'step will retry');
      return {
        outcome: 'retry',
        comeBack: comeBackIn(inMs, async (tx) => {
          await recordProviderCalls(tx, calls());
          await tx
            .updateTable('order_steps')
            // a failed try starts over: what a wait kept (a deploy that failed) is not the next try's; a rate limit is a
            // pause the retry policy waits out, not a failed try, so what the step started stays its own
            .set({ state: 'waiting', failures, last_error: failure.message.slice(0, 500), ...(code === 'rate_limited' ? {} : { output: null }) })
            .where('order_id', '=', orderId)
            .where('step', '=', stepName)
            .execute();
          const provider = failure.provider ?? undefined;
          await addEvent(tx, orderId, 'step_retry', { step: stepName, failure: failures, code, provider, inSeconds: Math.round(inMs / 1000) });
        }),
      };
    }
    log.error({ event: 'step_failed', orderId, domain: order.domain, step: stepName, code, failures: next.failures }, 'step failed for good');
    await recordProviderCalls(db, calls());
    await failOrder(deps, orderId, stepName, next.permanent ? code : 'retries_exhausted', { error: code });
    return { outcome: 'failed' };
  }

  if (result.outcome === 'wait') {
    const reason = result.reason.slice(0, 500);
    const memo = result.memo;
    if (memo)
      await db
        .updateTable('order_steps')
        .set({ output: JSON.stringify(memo) })
        .where('order_id', '=', orderId)
        .where('step', '=', stepName)
        .execute();
    const firstWait = await db
      .updateTable('order_steps')
      .set({ state: 'waiting', last_error: reason })
      .where('order_id', '=', orderId)
      .where('step', '=', stepName)
      .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '<>', reason)]))
      .executeTakeFirst();
    return {
      outcome: 'wait',
      comeBack: comeBackIn(result.retryInMs, async (tx) => {
        await recordProviderCalls(tx, calls());
        if (Number(firstWait.numUpdatedRows) > 0) await addEvent(tx, orderId, 'step_waiting', { step: stepName, reason: result.reason });
      }),
    };
  }
  if (result.outcome === 'fail') {
    log.warn({ event: 'step_failed', orderId, domain: order.domain, step: stepName, code: result.code }, 'step cannot succeed');
    await recordProviderCalls(db, calls());
    await failOrder(deps, orderId, stepName, result.code, result.data);
    return { outcome: 'failed' };
  }
  await advance(deps, order, def, result, false, calls());
  log.info({ event: 'step_done', orderId, domain: order.domain, step: stepName }, 'step done');
  return { outcome: 'done' };
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
