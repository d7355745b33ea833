// What the rest of the app calls to feed monitoring: provider calls, steps and orders timed, webhooks counted (rejections also kept in PostgreSQL).
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Database } from '../db/database.ts';
import { observeProviderCalls } from '../db/provider-calls.ts';
import { findOrderById } from '../db/orders.ts';
import { AppError } from '../errors.ts';
import { pipeline } from '../workflow/pipeline.ts';
import type { Metrics } from './metrics.ts';

/**
 * Every provider call recorded through `db` (src/db/provider-calls.ts) also counts in `metrics`, but those of the
 * providers `countedElsewhere`, whose every call counts where it is made (the budgeted registrar).
 */
export function attachMetrics(db: Database, metrics: Metrics, opts: { countedElsewhere?: string[] } = {}): void {
  const elsewhere = new Set(opts.countedElsewhere ?? []);
  observeProviderCalls(db, (c, seconds) => {
    if (!elsewhere.has(c.provider)) metrics.providerCall(c.provider, c.operation, c.outcome, seconds);
  });
}

const LAST_STEP = pipeline[pipeline.length - 1]!.step.name;
const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

/** Runs one pipeline step (the run_step job) and records its duration and outcome; a delivery also records the order's duration. */
export async function timeStep<R extends { outcome: string }>(deps: Deps, orderId: string, step: string, run: () => Promise<R>): Promise<R> {
  const started = performance.now();
  let outcome = 'error';
  try {
    const result = await run();
    outcome = result.outcome;
    return result;
  } finally {
    deps.metrics?.step(step, outcome, (performance.now() - started) / 1000);
    if (deps.metrics && outcome === 'done' && step === LAST_STEP) {
      const order = await findOrderById(deps.db, orderId).catch(() => undefined);
      if (order?.state === 'delivered' && order.paid_at && order.delivered_at) {
        deps.metrics.orderFinished(order.tier, 'delivered', seconds(order.paid_at, order.delivered_at));
      }
    }
  }
}

/** Runs the refund_order job; the run that moves the order to refunded records the order's duration. */
export async function timeRefund(deps: Deps, orderId: string, run: () => Promise<void>): Promise<void> {
  const before = deps.metrics ? await findOrderById(deps.db, orderId).catch(() => undefined) : undefined;
  await run();
  if (!deps.metrics || before?.state !== 'refunding') return;
  const after = await findOrderById(deps.db, orderId).catch(() => undefined);
  if (after?.state === 'refunded' && after.paid_at) deps.metrics.orderFinished(after.tier, 'refunded', seconds(after.paid_at, new Date()));
}

export type WebhookProvider = 'stripe' | 'paypal';

export function webhookProviderOf(url: string): WebhookProvider {
  return url.startsWith('/api/concierge/webhook/payment/paypal') ? 'paypal' : 'stripe';
}

export function webhookReceived(deps: Deps, provider: WebhookProvider): void {
  deps.metrics?.webhooksReceived.inc({ provider });
}

export function webhookDuplicate(deps: Deps, provider: WebhookProvider): void {
  deps.metrics?.webhooksDuplicate.inc({ provider });
}

/**
 * A webhook refused before storage (the route threw a 4xx). Counted in this process and in a
 * per-second row, so the rejected-webhooks alert sees the rejections of every API process.
 */
export async function webhookRejected(deps: Deps, provider: WebhookProvider, err: unknown): Promise<void> {
  const e = err as { status?: number; statusCode?: number; code?: string };
  const status = err instanceof AppError ? err.status : (e.statusCode ?? e.status);
  if (!status || status < 400 || status >= 500) return; // a 5xx is our failure, not a refusal
  const reason = (err instanceof AppError ? err.code : (e.code ?? 'invalid_request')).slice(0, 60);
  deps.metrics?.webhooksRejected.inc({ provider, reason });
  await sql`
    insert into webhook_rejections (provider, second, reason) values (${provider}, date_trunc('second', now()), ${reason})
    on conflict (provider, second, reason) do update set count = webhook_rejections.count + 1`
    .execute(deps.db)
    .catch((error) => deps.log.warn({ event: 'webhook_rejection_not_recorded', err: String(error) }, 'could not record a rejected webhook'));
}
