// Webhook delivery as payment providers do it: at least once, sometimes twice, sometimes out of order. Shared by the Stripe and PayPal sandboxes.
import type { FaultInjector } from './faults.ts';

export interface WebhookAttempt {
  at: string;
  /** the app's HTTP status, when it answered */
  status?: number;
  /** why the attempt failed without an answer */
  error?: string;
}

export interface OutboxOptions {
  faults: FaultInjector;
  endpoint: () => string | undefined;
  headers: (payload: string) => Record<string, string>;
  retryDelaysMs: number[];
  reorderHoldMs: number;
  onAttempt: (eventId: string, attempt: WebhookAttempt) => void;
}

/**
 * Delivers events the way payment providers do: at least once (retries until a 2xx), sometimes twice
 * (duplicateWebhookRate) and sometimes out of order (reorderWebhookRate holds an event until the next one went out).
 */
export class WebhookOutbox {
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private sleepers = new Map<NodeJS.Timeout, () => void>();
  private held?: { release: () => void; timer: NodeJS.Timeout };
  private closed = false;

  constructor(private readonly o: OutboxOptions) {}

  send(eventId: string, payload: string): void {
    this.pending++;
    const copies = this.o.faults.chance(this.o.faults.faults.duplicateWebhookRate) ? 2 : 1;
    const run = async () => {
      try {
        for (let i = 0; i < copies; i++) await this.deliver(eventId, payload);
      } finally {
        this.settle();
      }
    };
    const held = this.held;
    if (held) {
      this.held = undefined;
      clearTimeout(held.timer);
      void run().then(held.release);
      return;
    }
    if (this.o.faults.chance(this.o.faults.faults.reorderWebhookRate)) {
      const timer = setTimeout(() => {
        if (this.held?.timer !== timer) return;
        this.held = undefined;
        void run();
      }, this.o.reorderHoldMs);
      this.held = { release: () => void run(), timer };
      return;
    }
    void run();
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.held) {
      clearTimeout(this.held.timer);
      this.held = undefined;
      this.settle();
    }
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
  }

  private async deliver(eventId: string, payload: string): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const url = this.o.endpoint();
      if (!url) {
        this.o.onAttempt(eventId, { at: new Date().toISOString(), error: 'no webhook endpoint configured' });
        return;
      }
      try {
        const res = await fetch(url, { method: 'POST', headers: this.o.headers(payload), body: payload, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer().catch(() => undefined);
        this.o.onAttempt(eventId, { at: new Date().toISOString(), status: res.status });
        if (res.ok) return;
      } catch (err) {
        this.o.onAttempt(eventId, { at: new Date().toISOString(), error: err instanceof Error ? err.message : String(err) });
      }
      const delay = this.o.retryDelaysMs[attempt];
      if (delay === undefined) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.sleepers.delete(timer);
          resolve();
        }, delay);
        this.sleepers.set(timer, resolve);
      });
    }
  }

  private settle(): void {
    this.pending--;
    if (this.pending > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
