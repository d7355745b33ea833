// One retry model for every job: what a failure is, how long until the next try, and when the tries stop.
import type { Config } from '../../config.ts';
import { AppError, ProviderError } from '../../errors.ts';

/** A job (or pipeline step) that fails is tried again under this policy. */
export interface RetryPolicy {
  kind: 'retry';
  /** failures retried at the pipeline's pace: RETRY_BASE_MS doubling up to RETRY_MAX_MS, with jitter */
  quick: number | 'STEP_MAX_ATTEMPTS';
  /** failures retried after those, spaced as graphile-worker spaces its own (e^n s, at most e^10 s ≈ 6 h): an outage, or a cause a person must fix, is ridden out */
  slow: number;
  /** a failure no retry can cure (a refusal, bad input) ends the tries at once, and the step's failure handling takes over */
  stopOnPermanent?: boolean;
  /** a provider's "slow down" (429) is waited out as long as it asks, without counting as a failure, up to WAIT_MAX_MINUTES after the first try */
  rateLimitWaits?: boolean;
}

/** A job that runs again on its own schedule whatever happens: a failure is logged, and the next run comes soon anyway. */
export interface Recurring {
  kind: 'recurring';
  everySeconds: (config: Config) => number;
}

/** A job whose failure is logged and dropped: whoever queued it queues the next one on its next round. */
export interface Once {
  kind: 'once';
}

export type JobPolicy = RetryPolicy | Recurring | Once;

/** A job's payload that does not match its task's schema: it would fail the same way on every try. */
export class PayloadError extends Error {
  constructor(
    readonly task: string,
    detail: string,
  ) {
    super(`${task}: payload_invalid: ${detail}`);
    this.name = 'PayloadError';
  }
}

/** A failure as the retry model sees it. */
export interface Failure {
  code: string;
  provider: string | null;
  /** no retry can cure it: a refusal, bad input */
  permanent: boolean;
  /** the provider asked us to slow down (429) */
  rateLimited: boolean;
  /** the provider's Retry-After, 0 when it gave none */
  retryAfterMs: number;
  message: string;
}

export function failureOf(err: unknown): Failure {
  if (err instanceof ProviderError) {
    const { code, provider, retryable, retryAfterMs, message } = err;
    return { code, provider, permanent: !retryable, rateLimited: code === 'rate_limited', retryAfterMs: retryAfterMs ?? 0, message };
  }
  const permanent = err instanceof AppError || err instanceof PayloadError;
  const code = err instanceof AppError ? err.code : err instanceof PayloadError ? 'payload_invalid' : 'unexpected_error';
  const message = err instanceof Error ? err.message : String(err);
  return { code, provider: null, permanent, rateLimited: false, retryAfterMs: 0, message };
}

/** Exponential backoff with jitter ("equal jitter"), never sooner than the provider's Retry-After. */
export function backoffMs(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(retryAfterMs, Math.round(exp / 2 + random() * (exp / 2)));
}

const quickOf = (policy: RetryPolicy, config: Pick<Config, 'STEP_MAX_ATTEMPTS'>) =>
  policy.quick === 'STEP_MAX_ATTEMPTS' ? config.STEP_MAX_ATTEMPTS : policy.quick;

/** How many tries the policy allows in all (the first included). */
export function attemptsOf(policy: RetryPolicy, config: Pick<Config, 'STEP_MAX_ATTEMPTS'>): number {
  return quickOf(policy, config) + policy.slow;
}

type Pace = Pick<Config, 'STEP_MAX_ATTEMPTS' | 'RETRY_BASE_MS' | 'RETRY_MAX_MS'>;

/** The wait before the try that follows failure number `failures` (1 for the first). */
export function retryDelayMs(policy: RetryPolicy, config: Pace, failures: number, retryAfterMs = 0, random = Math.random): number {
  const quick = quickOf(policy, config);
  const n = Math.max(1, failures);
  const wait = n <= quick ? backoffMs(n, config.RETRY_BASE_MS, config.RETRY_MAX_MS, 0, random) : Math.round(Math.exp(Math.min(n - quick, 10)) * 1000);
  return Math.max(retryAfterMs, wait);
}

export type NextTry =
  /** try again in `inMs`; `failures` counted so far (a 429 waited out is not one) */
  | { retry: true; inMs: number; failures: number }
  /** no more tries: `permanent` when no retry could cure it, otherwise the tries (or the patience for 429s) ran out */
  | { retry: false; failures: number; permanent: boolean };

/**
 * What a failure leads to under `policy`: another try, or none. `failuresBefore` were counted before this one;
 * `attempts` is how many tries the job may make in all; `since` is when it first ran (it bounds the 429 waits).
 */
export function nextTry(
  policy: RetryPolicy,
  config: Pace & Pick<Config, 'WAIT_MAX_MINUTES'>,
  failure: Failure,
  at: { failuresBefore: number; attempts: number; since?: Date },
  random = Math.random,
): NextTry {
  const waitOnly = !!policy.rateLimitWaits && failure.rateLimited;
  const failures = at.failuresBefore + (waitOnly ? 0 : 1);
  if (policy.stopOnPermanent && failure.permanent) return { retry: false, failures, permanent: true };
  const waitedTooLong = waitOnly && !!at.since && Date.now() - at.since.getTime() > config.WAIT_MAX_MINUTES * 60_000;
  if (failures >= at.attempts || waitedTooLong) return { retry: false, failures, permanent: false };
  return { retry: true, failures, inMs: retryDelayMs(policy, config, failures, failure.retryAfterMs, random) };
}
