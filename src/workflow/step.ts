// What a pipeline step is: an action that calls one provider with an idempotency key, how it is undone, and how what it did unrecorded is found.
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import type { OrderState } from '../domain/order-state.ts';
import type { StepName } from '../domain/steps.ts';

export interface StepContext {
  deps: Deps;
  /** the order as it is when the step starts */
  order: Order;
  /** 1 on the first try */
  attempt: number;
  /** derived from the order and the step: the same on every retry */
  idempotencyKey: string;
  /** when this step first started (to bound waits) */
  startedAt: Date;
  /** what this step's previous run kept when it returned a wait (`memo`); undefined on a first run or after a failed try */
  memo?: Record<string, unknown>;
  /** call a provider through its circuit breaker, recording the call with its outcome and duration */
  call<T>(provider: string, operation: string, fn: () => Promise<T>): Promise<T>;
}

export type OrderColumns = Partial<Pick<Order, 'registrar_domain_id' | 'site_id' | 'site_name' | 'site_domain' | 'delivered_at' | 'payment_ref'>> & {
  report?: Record<string, unknown>;
};

export type StepResult =
  | {
      outcome: 'done';
      /** columns of the order to record with the step's completion, in the same transaction */
      record?: OrderColumns;
      output?: Record<string, unknown>;
      /** the minimal data the compensation needs to undo this step */
      compensation?: Record<string, unknown>;
      /** more writes in the completion's transaction (emails to queue, monitors to start) */
      commit?: (tx: Tx) => Promise<void>;
    }
  /**
   * the outside world is not ready yet (DNS, certificate, a deploy the host is processing): look again later, without
   * counting a failure; `memo` is handed to the next run (what the step started, e.g. the deploy's id)
   */
  | { outcome: 'wait'; retryInMs: number; reason: string; memo?: Record<string, unknown> }
  /** it cannot succeed: compensate what came before */
  | { outcome: 'fail'; code: string; data?: Record<string, unknown> };

export interface Step {
  name: StepName;
  /** the order's state while this step runs */
  state: OrderState;
  action(ctx: StepContext): Promise<StepResult>;
  /** a refund undoes what the step did, from the data its result kept (`compensation`); steps run in reverse order */
  compensate?(ctx: StepContext, compensation: Record<string, unknown>): Promise<void>;
  /**
   * Before a refund: what the step did in the world that the order never recorded (its answer lost, its worker
   * killed) is looked for and put on the order's record, so that the compensation undoes it too.
   */
  recover?(deps: Deps, order: Order): Promise<void>;
}

/** The longest pause between two looks at a deploy or a certificate: Netlify issues within a minute or so. */
const HOST_POLL_MAX_MS = 30_000;

/**
 * When to look again at what the host is working on (a deploy, a certificate), `waitedMs` after it started: half as
 * long again as it has already taken (HOST_POLL_MS at least, 30 s or DNS_POLL_MS at most), so that a quick answer is
 * seen quickly and a slow one costs few of the 500 requests a minute Netlify allows a token, retries or not.
 */
export function hostPollMs(config: Deps['config'], waitedMs: number): number {
  return Math.round(Math.max(config.HOST_POLL_MS, Math.min(waitedMs / 2, Math.max(HOST_POLL_MAX_MS, config.DNS_POLL_MS))));
}
