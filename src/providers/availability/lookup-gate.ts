// First-pass lookups (RDAP, whois) one process makes at once: a burst of checks queues here instead of opening
// hundreds of connections, and the name a customer asked for is looked up before any alternative. Alternatives go by
// their rank in their own search, so a burst of customers each get their best candidates looked up before anyone's
// tenth: everyone sees a few alternatives within the answer's time rather than a few customers seeing many.
import { ProviderError } from '../../errors.ts';

/** `name`: the name a customer asked for (or ordered); `alternative`: a candidate offered in its place. */
export type LookupPriority = 'name' | 'alternative';

export class LookupGate {
  private running = 0;
  private readonly names: (() => void)[] = [];
  /** alternatives waiting, by their rank in their search: the lowest rank goes first, first come first served within it */
  private readonly alternatives: (() => void)[][] = [];

  constructor(readonly max: number) {}

  /**
   * `work` once a place is free: names first come first served, then alternatives by `rank` (0: a search's best
   * candidate). A lookup whose `signal` fires while it waits never starts (its asker no longer wants it): a queued
   * alternative costs nothing.
   */
  async run<T>(priority: LookupPriority, domain: string, work: () => Promise<T>, signal?: AbortSignal, rank = 0): Promise<T> {
    await this.enter(priority === 'name' ? this.names : this.lineOf(rank), domain, signal);
    try {
      return await work();
    } finally {
      this.running--;
      this.next()?.();
    }
  }

  private lineOf(rank: number): (() => void)[] {
    const r = Math.max(0, Math.floor(rank));
    for (let i = this.alternatives.length; i <= r; i++) this.alternatives.push([]);
    return this.alternatives[r]!;
  }

  private next(): (() => void) | undefined {
    const name = this.names.shift();
    if (name) return name;
    return this.alternatives.find((line) => line.length > 0)?.shift();
  }

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.alternatives.reduce((n, line) => n + line.length, this.names.length);
  }

  private enter(line: (() => void)[], domain: string, signal?: AbortSignal): Promise<void> {
    const abandoned = () => new ProviderError('availability', 'aborted', `${domain}: check abandoned before its lookup started`, true);
    if (signal?.aborted) return Promise.reject(abandoned());
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
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
