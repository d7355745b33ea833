// Live order updates: one LISTEN connection per process fans PostgreSQL notifications out to the SSE streams of that order.
import pg from 'pg';
import type { Logger } from '../log.ts';

type Listener = () => void;

export class OrderEvents {
  private client?: pg.Client;
  private readonly listeners = new Map<string, Set<Listener>>();
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => {
      if (msg.payload) for (const fn of this.listeners.get(msg.payload) ?? []) fn();
    });
    client.on('error', () => this.reconnect());
    client.on('end', () => this.reconnect());
    await client.connect();
    await client.query('listen order_events');
    this.client = client;
  }

  /** PostgreSQL restarted or the connection dropped: listen again, and tell every stream to refresh (it may have missed events). */
  private reconnect() {
    if (this.stopped || this.retry) return;
    this.client = undefined;
    this.retry = setTimeout(async () => {
      this.retry = undefined;
      try {
        await this.start();
        for (const set of this.listeners.values()) for (const fn of set) fn();
      } catch (err) {
        this.log.warn({ event: 'listen_reconnect_failed', err: (err as Error).message }, 'listen reconnect failed');
        this.reconnect();
      }
    }, 1000);
  }

  subscribe(orderId: string, fn: Listener): () => void {
    let set = this.listeners.get(orderId);
    if (!set) this.listeners.set(orderId, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size) this.listeners.delete(orderId);
    };
  }

  subscribers(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
