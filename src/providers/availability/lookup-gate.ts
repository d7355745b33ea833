// First-pass lookups (RDAP, whois) one process makes at once: a burst of checks queues here instead of opening
// hundreds of connections, and the name a customer asked for is looked up before any alternative.
import { ProviderError } from '../../errors.ts';

/** `name`: the name a customer asked for (or ordered); `alternative`: a candidate offered in its place. */
export type LookupPriority = 'name' | 'alternative';

export class LookupGate {
  private running = 0;
  private readonly lines: Record<LookupPriority, (() => void)[]> = { name: [], alternative: [] };

  constructor(readonly max: number) {}

  /**
   * `work` once a place is free, names before alternatives, first come first served within each. A lookup whose
   * `signal` fires while it waits never starts (its asker no longer wants it): a queued alternative costs nothing.
   */
  async run<T>(priority: LookupPriority, domain: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.enter(priority, domain, signal);
    try {
      return await work();
    } finally {
      this.running--;
      (this.lines.name.shift() ?? this.lines.alternative.shift())?.();
    }
  }

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.lines.name.length + this.lines.alternative.length;
  }

  private enter(priority: LookupPriority, domain: string, signal?: AbortSignal): Promise<void> {
    const abandoned = () => new ProviderError('availability', 'aborted', `${domain}: check abandoned before its lookup started`, true);
    if (signal?.aborted) return Promise.reject(abandoned());
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
    const line = this.lines[priority];
    return new Promise<void>((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = () => {
        const i = line.indexOf(admit);
        if (i >= 0) line.splice(i, 1);
        reject(abandoned());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      line.push(admit);
    });
  }
}
