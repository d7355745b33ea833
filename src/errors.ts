// Typed errors with a stable code; user-facing text comes from the code and the locale, never from err.message.
import type { ErrorCode } from './error-codes.ts';

/** An error that the HTTP layer turns into `{code, message}` with its status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/**
 * A provider call failed. `retryable` says whether the same call may succeed later
 * (5xx, timeout, 429, dropped connection); `retryAfterMs` carries a provider's Retry-After;
 * `status` is the failed answer's HTTP (or SMTP) status, absent when no answer came.
 * HTTP adapters build it through src/providers/http.ts, which maps statuses and redacts messages.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(`${provider}: ${code}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** A call our own budget kept from being sent (the registrar's quota, shared by every process): not a provider call. */
export class CallNotSent extends ProviderError {
  constructor(provider: string, message: string, retryAfterMs: number) {
    super(provider, 'rate_limited', message, true, retryAfterMs);
  }
}
