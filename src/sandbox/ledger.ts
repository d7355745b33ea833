// A sandbox provider's own books of the requests that spend or create: one entry per request that reached the
// operation (past the injected faults, the credentials and the rate limits), refused or done. The chaos run and the
// benchmarks count these, not the app's records: a second refund asked for one payment shows here even when the
// provider refused it.
import crypto from 'node:crypto';

export interface LedgerEntry {
  /** the provider's operation: refunds.create, captures.refund, domains.create, createSite */
  operation: string;
  /** what it acts on: a payment intent, a capture, a domain name, a site name */
  target: string;
  /**
   * the request's idempotency key (Idempotency-Key, PayPal-Request-Id); a request without one is its own. A repeat
   * the provider answers from its memory of the key never reaches the operation, so it is not an entry.
   */
  key: string;
  /** 'done', or the provider's refusal code */
  outcome: string;
  at: string;
}

export class Ledger {
  readonly entries: LedgerEntry[] = [];

  /** Runs `work` as `operation` on `target` and records its outcome; `codeOf` names a refusal in the provider's words. */
  track<T>(entry: { operation: string; target: string; key?: string | null }, codeOf: (err: unknown) => string | undefined, work: () => T): T {
    const record = (outcome: string) =>
      this.entries.push({ ...entry, key: entry.key || `(no key) ${crypto.randomUUID()}`, outcome, at: new Date().toISOString() });
    try {
      const result = work();
      record('done');
      return result;
    } catch (err) {
      const code = codeOf(err);
      // a refusal is the provider's answer to the request; anything else is the sandbox failing, not a request it took
      if (code !== undefined) record(code);
      throw err;
    }
  }

  /** The entries of `operation`, by target. */
  byTarget(operation: string): Map<string, LedgerEntry[]> {
    const out = new Map<string, LedgerEntry[]>();
    for (const e of this.entries) if (e.operation === operation) (out.get(e.target) ?? out.set(e.target, []).get(e.target)!).push(e);
    return out;
  }
}

/** Distinct requests among entries (a key counted once). */
export function distinctRequests(entries: LedgerEntry[]): number {
  return new Set(entries.map((e) => e.key)).size;
}
