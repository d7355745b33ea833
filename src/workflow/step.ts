// What a pipeline step is: an action that calls one provider with an idempotency key, and how it is undone.
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import type { OrderState } from '../domain/order-state.ts';

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
  /** the outside world is not ready yet (DNS, certificate): look again later, without counting a failure */
  | { outcome: 'wait'; retryInMs: number; reason: string }
  /** it cannot succeed: compensate what came before */
  | { outcome: 'fail'; code: string; data?: Record<string, unknown> };

export interface Step {
  name: string;
  /** the order's state while this step runs */
  state: OrderState;
  action(ctx: StepContext): Promise<StepResult>;
  compensate?(ctx: StepContext, compensation: Record<string, unknown>): Promise<void>;
}
