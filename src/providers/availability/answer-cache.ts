// First-pass answers (RDAP, whois) shared by every check of one process: a name asked for by many customers at once,
// or again within a short while, costs one lookup; a lookup nobody waits for any more is stopped.
import { ProviderError } from '../../errors.ts';
import type { AvailabilityAnswer } from './index.ts';

/** Answers kept at most (the oldest go first): a bound on memory whatever the traffic. */
const MAX_ENTRIES = 50_000;

interface Pending {
  answer: Promise<AvailabilityAnswer>;
  /** stops the lookup once nobody waits for it */
  stop: AbortController;
  /** askers still waiting (one without a signal waits to the end) */
  waiting: number;
}

export class FirstPassCache {
  private readonly answers = new Map<string, { answer: AvailabilityAnswer; until: number }>();
  private readonly inFlight = new Map<string, Pending>();
  /** lookups actually made (tests and benchmarks read it) */
  lookups = 0;

  constructor(private readonly ttlMs: number) {}

  /**
   * The fresh answer for `domain`, else the lookup already under way for it, else a new one. Only answers are kept
   * (a failed lookup is asked again next time). An asker whose `signal` fires stops waiting at once; the lookup goes
   * on for the others, and stops (its signal fires) when nobody waits for it any more.
   */
  get(domain: string, lookup: (signal: AbortSignal) => Promise<AvailabilityAnswer>, signal?: AbortSignal): Promise<AvailabilityAnswer> {
    const key = domain.toLowerCase();
    const kept = this.answers.get(key);
    if (kept && kept.until > Date.now()) return Promise.resolve(kept.answer);
    if (kept) this.answers.delete(key);
    let pending = this.inFlight.get(key);
    if (!pending) {
      this.lookups++;
      const stop = new AbortController();
      const entry: Pending = { stop, waiting: 0, answer: Promise.resolve(undefined as never) };
      entry.answer = lookup(stop.signal).then(
        (answer) => {
          if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
          this.keep(key, answer);
          return answer;
        },
        (err: unknown) => {
          if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
          throw err;
        },
      );
      // an abandoned lookup's failure is nobody's to hear
      entry.answer.catch(() => {});
      this.inFlight.set(key, entry);
      pending = entry;
    }
    pending.waiting++;
    if (!signal) return pending.answer;
    const entry = pending;
    return abandonable(entry.answer, domain, signal, () => {
      if (--entry.waiting > 0) return;
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      entry.stop.abort();
    });
  }

  private keep(key: string, answer: AvailabilityAnswer): void {
    if (this.ttlMs <= 0) return;
    this.answers.delete(key);
    this.answers.set(key, { answer, until: Date.now() + this.ttlMs });
    // a Map iterates in insertion order: the first key is the oldest answer
    if (this.answers.size > MAX_ENTRIES) this.answers.delete(this.answers.keys().next().value!);
  }
}

/** The shared lookup, or a retryable "abandoned" as soon as this asker's signal fires (`left` is then called once). */
function abandonable<T>(work: Promise<T>, domain: string, signal: AbortSignal, left: () => void): Promise<T> {
  const abandoned = () => new ProviderError('availability', 'aborted', `${domain}: check abandoned`, true);
  if (signal.aborted) {
    left();
    return Promise.reject(abandoned());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      left();
      reject(abandoned());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
