// Records every provider call with its outcome and duration (shown on the admin's order page).
import { type Selectable, sql } from 'kysely';
import type { Database, Tx } from './database.ts';
import type { ProviderCallsTable } from './schema.ts';
import { CallNotSent, ProviderError } from '../errors.ts';

// monitoring (src/monitoring/observe.ts): one observer per database handle counts calls and their latency for /metrics
type CallObserver = (call: { provider: string; operation: string; outcome: string }, seconds: number) => void;
const observers = new WeakMap<object, CallObserver>();
export const observeProviderCalls = (db: Database, fn: CallObserver): void => void observers.set(db, fn);

/** A provider_calls row as written (its time defaults to now). */
export type ProviderCallRow = Omit<Selectable<ProviderCallsTable>, 'id' | 'at'> & { at?: Date };

/**
 * Make a provider call and record it with its outcome and duration. With `keep`, the row is handed to the caller,
 * who writes it with the outcome it leads to (a pipeline step writes its calls in its completion's transaction,
 * src/db/steps.ts); otherwise it is written at once.
 */
export async function recordProviderCall<T>(
  db: Database,
  call: { orderId?: string | null; provider: string; operation: string },
  fn: () => Promise<T>,
  keep?: (row: ProviderCallRow) => void,
): Promise<T> {
  const started = performance.now();
  let outcome = 'ok';
  let errorCode: string | null = null;
  let sent = true;
  try {
    return await fn();
  } catch (err) {
    // refused by our own budget before it left: nothing to record, no provider was called
    if (err instanceof CallNotSent) sent = false;
    outcome = err instanceof ProviderError && err.retryable ? 'retryable_error' : 'error';
    errorCode = err instanceof ProviderError ? err.code : 'exception';
    throw err;
  } finally {
    if (sent) await record(db, call, outcome, errorCode, Math.round(performance.now() - started), keep);
  }
}

async function record(
  db: Database,
  call: { orderId?: string | null; provider: string; operation: string },
  outcome: string,
  errorCode: string | null,
  duration: number,
  keep?: (row: ProviderCallRow) => void,
): Promise<void> {
  observers.get(db)?.({ provider: call.provider, operation: call.operation, outcome }, duration / 1000); // monitoring
  const row = {
    order_id: call.orderId ?? null,
    provider: call.provider,
    operation: call.operation,
    outcome,
    error_code: errorCode,
    duration_ms: duration,
    at: new Date(),
  };
  if (keep) keep(row);
  else
    await db
      .insertInto('provider_calls')
      .values(row)
      .execute()
      .catch(() => {}); // bookkeeping must never turn a good call into a failure
}

/** Provider calls kept while a step (or a payment link) ran, written with an outcome that is not a completion. */
export async function recordProviderCalls(db: Database | Tx, calls: ProviderCallRow[]): Promise<void> {
  if (calls.length) await sql`select record_provider_calls(${JSON.stringify(calls)}::jsonb)`.execute(db);
}

/**
 * Provider calls too frequent to write one at a time: RDAP and whois lookups, dozens for one domain
 * check, on the path of a request measured in requests per second. They are kept in memory and
 * written together, a second later at most (or at `maxRows`); a crash loses that second of
 * bookkeeping, never anything a customer or an order depends on.
 */
export class ProviderCallBatch {
  private rows: ProviderCallRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly onError: (err: unknown) => void,
    private readonly opts: { maxRows: number; flushMs: number } = { maxRows: 500, flushMs: 1000 },
  ) {}

  add(row: ProviderCallRow): void {
    this.rows.push(row);
    if (this.rows.length >= this.opts.maxRows) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** Write what is kept (one statement); resolves once it and any write before it are done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.rows;
    this.rows = [];
    if (rows.length) {
      this.writing = this.writing.then(() =>
        this.db
          .insertInto('provider_calls')
          .values(rows)
          .execute()
          .then(() => {}, this.onError),
      );
    }
    return this.writing;
  }
}
