// Webhook delivery as payment providers do it: at least once, sometimes twice, sometimes out of order. Shared by the Stripe and PayPal sandboxes.
import type { FaultInjector, SandboxServer } from './faults.ts';

export interface WebhookAttempt {
  at: string;
  /** the app's HTTP status, when it answered */
  status?: number;
  /** why the attempt failed without an answer */
  error?: string;
}

/** What both payment sandboxes take: where they listen, where their webhooks go and how delivery retries. */
export interface PaymentSandboxOptions {
  /** where events are POSTed; a function so the app's port can be known after the sandbox starts */
  webhookUrl: string | (() => string | undefined);
  /** base of the hosted page URLs handed to customers (defaults to the server's own URL) */
  publicBaseUrl?: string;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** waits between webhook delivery attempts; one more attempt than delays (Stripe retries for 3 days, PayPal 25 times over 3 days) */
  webhookRetryDelaysMs?: number[];
  /** how long a webhook picked for reordering waits for the next event before going out anyway */
  reorderHoldMs?: number;
}

/** What both payment sandboxes show of their webhooks. */
export interface PaymentSandbox<Sent> extends SandboxServer {
  /** every event and its delivery attempts, oldest first */
  events(): Sent[];
  /** resolves once no webhook is waiting for delivery or retry */
  webhooksIdle(): Promise<void>;
}

/** The part of a payment sandbox's handle both share: its events, its outbox, and a close that stops everything. */
export function paymentSandbox<Sent>(o: {
  name: string;
  url: string;
  faults: FaultInjector;
  events: () => Sent[];
  outbox: WebhookOutbox;
  /** what else to stop (timers), before the outbox and the server */
  stop: (() => void)[];
  server: { close(): Promise<void> };
}): PaymentSandbox<Sent> {
  return {
    name: o.name,
    url: o.url,
    faults: o.faults,
    events: o.events,
    webhooksIdle: () => o.outbox.idle(),
    close: async () => {
      for (const stop of o.stop) stop();
      o.outbox.close();
      await o.server.close();
    },
  };
}

/** The app's webhook address as the options give it. */
export function webhookUrlOf(opts: PaymentSandboxOptions): () => string | undefined {
  const url = opts.webhookUrl;
  return typeof url === 'function' ? url : () => url;
}

/** A payment sandbox's outbox: the options' retry delays and reorder hold, each attempt recorded beside its event. */
export function paymentOutbox(
  opts: PaymentSandboxOptions,
  o: {
    endpoint: () => string | undefined;
    headers: (payload: string) => Record<string, string>;
    /** a delivery's retries carry its first attempt's headers (PayPal) rather than new ones (Stripe signs each attempt) */
    sameHeadersOnRetry?: boolean;
    events: () => { event: { id: string }; attempts: WebhookAttempt[] }[];
  },
): WebhookOutbox {
  return new WebhookOutbox({
    faults: opts.faults,
    endpoint: o.endpoint,
    headers: o.headers,
    sameHeadersOnRetry: o.sameHeadersOnRetry,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [500, 2_000, 8_000, 30_000],
    reorderHoldMs: opts.reorderHoldMs ?? 1_000,
    onAttempt: (eventId, attempt) =>
      o
        .events()
        .find((e) => e.event.id === eventId)
        ?.attempts.push(attempt),
  });
}

export interface OutboxOptions {
  faults: FaultInjector;
  endpoint: () => string | undefined;
  headers: (payload: string) => Record<string, string>;
  sameHeadersOnRetry?: boolean;
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
    const first = this.o.sameHeadersOnRetry ? this.o.headers(payload) : undefined;
    for (let attempt = 0; !this.closed; attempt++) {
      const url = this.o.endpoint();
      if (!url) {
        this.o.onAttempt(eventId, { at: new Date().toISOString(), error: 'no webhook endpoint configured' });
        return;
      }
      try {
        const res = await fetch(url, { method: 'POST', headers: first ?? this.o.headers(payload), body: payload, signal: AbortSignal.timeout(10_000) });
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
