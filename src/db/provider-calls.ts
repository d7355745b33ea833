// Records every provider call with its outcome and duration (shown on the admin's order page).
import type { Database } from './database.ts';
import { ProviderError } from '../errors.ts';

// monitoring (src/monitoring/observe.ts): one observer per database handle counts calls and their latency for /metrics
type CallObserver = (call: { provider: string; operation: string; outcome: string }, seconds: number) => void;
const observers = new WeakMap<object, CallObserver>();
export const observeProviderCalls = (db: Database, fn: CallObserver): void => void observers.set(db, fn);

export async function recordProviderCall<T>(
  db: Database,
  call: { orderId?: string | null; provider: string; operation: string },
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let outcome = 'ok';
  let errorCode: string | null = null;
  try {
    return await fn();
  } catch (err) {
    outcome = err instanceof ProviderError && err.retryable ? 'retryable_error' : 'error';
    errorCode = err instanceof ProviderError ? err.code : 'exception';
    throw err;
  } finally {
    const duration = Math.round(performance.now() - started);
    observers.get(db)?.({ provider: call.provider, operation: call.operation, outcome }, duration / 1000); // monitoring
    await db
      .insertInto('provider_calls')
      .values({
        order_id: call.orderId ?? null,
        provider: call.provider,
        operation: call.operation,
        outcome,
        error_code: errorCode,
        duration_ms: duration,
      })
      .execute()
      .catch(() => {}); // bookkeeping must never turn a good call into a failure
  }
}
