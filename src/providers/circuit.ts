// A circuit breaker per provider: after repeated failures, calls fail fast for a cool-down instead of piling onto a sick service.
import { ProviderError } from '../errors.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  /** consecutive retryable failures that open the circuit */
  failureThreshold: number;
  /** how long it stays open before one trial call */
  coolDownMs: number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  state: CircuitState = 'closed';
  calls = 0;
  errors = 0;

  constructor(
    readonly provider: string,
    private readonly opts: CircuitOptions = { failureThreshold: 5, coolDownMs: 30_000 },
    private readonly now: () => number = Date.now,
  ) {}

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open') {
      const left = this.openedAt + this.opts.coolDownMs - this.now();
      if (left > 0) throw new ProviderError(this.provider, 'circuit_open', `circuit open for ${Math.ceil(left / 1000)} s`, true, left);
      this.state = 'half_open';
    }
    if (this.state === 'half_open') {
      if (this.trialInFlight) throw new ProviderError(this.provider, 'circuit_open', 'trial call in flight', true, 1_000);
      this.trialInFlight = true;
    }
    this.calls++;
    try {
      const result = await fn();
      this.failures = 0;
      this.state = 'closed';
      return result;
    } catch (err) {
      // only the provider's sickness counts: a refused request (4xx) is our problem, not theirs
      if (err instanceof ProviderError && err.retryable && err.code !== 'rate_limited') {
        this.errors++;
        this.failures++;
        if (this.state === 'half_open' || this.failures >= this.opts.failureThreshold) {
          this.state = 'open';
          this.openedAt = this.now();
        }
      }
      throw err;
    } finally {
      this.trialInFlight = false;
    }
  }
}

/** One breaker per provider name, for one process. */
export class Circuits {
  private readonly map = new Map<string, CircuitBreaker>();
  constructor(private readonly opts?: CircuitOptions) {}

  for(provider: string): CircuitBreaker {
    let b = this.map.get(provider);
    if (!b) this.map.set(provider, (b = new CircuitBreaker(provider, this.opts)));
    return b;
  }

  all(): CircuitBreaker[] {
    return [...this.map.values()];
  }
}
