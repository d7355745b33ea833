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

/** A status as the live stream sends it: its timeline holds the events after `timelineAfter`. */
export interface LiveStatus {
  lastEventId: number;
  final: boolean;
  timelineAfter: number;
  timeline: { id: number }[];
}

interface Follower<S> {
  locale: string;
  /** the last event id this stream has (-1: nothing sent yet) */
  lastSent: number;
  sentFinal: boolean;
  send(status: S, text: string): void;
}

/**
 * The live status of each order followed in this process, computed once per change and locale for every stream
 * following it (tabs of one customer, the editor), and each stream sent only the events it does not have yet: a
 * long order's timeline is not sent again with every step.
 */
export class StatusFeeds<S extends LiveStatus> {
  private readonly feeds = new Map<string, { followers: Set<Follower<S>>; running: boolean; pending: boolean; unsubscribe: () => void }>();

  constructor(
    private readonly events: Pick<OrderEvents, 'subscribe'>,
    /** the order's status in `locale` with the events after `after`; undefined when the order is gone */
    private readonly load: (orderId: string, locale: string, after: number) => Promise<S | undefined>,
  ) {}

  /** Follow an order from `lastEventId` (what the client has; 0: nothing); `send` gets each status with its text. */
  follow(orderId: string, locale: string, lastEventId: number, send: (status: S, text: string) => void): () => void {
    let feed = this.feeds.get(orderId);
    if (!feed) {
      const created = { followers: new Set<Follower<S>>(), running: false, pending: false, unsubscribe: () => {} };
      created.unsubscribe = this.events.subscribe(orderId, () => void this.refresh(orderId));
      this.feeds.set(orderId, (feed = created));
    }
    const follower: Follower<S> = { locale, lastSent: lastEventId > 0 ? lastEventId : -1, sentFinal: false, send };
    feed.followers.add(follower);
    void this.refresh(orderId);
    return () => {
      feed.followers.delete(follower);
      if (!feed.followers.size && this.feeds.get(orderId) === feed) {
        feed.unsubscribe();
        this.feeds.delete(orderId);
      }
    };
  }

  followed(): number {
    return this.feeds.size;
  }

  /** One load per locale for all the order's followers; notifications that arrive meanwhile make one more pass. */
  private async refresh(orderId: string): Promise<void> {
    const feed = this.feeds.get(orderId);
    if (!feed) return;
    if (feed.running) {
      feed.pending = true;
      return;
    }
    feed.running = true;
    try {
      do {
        feed.pending = false;
        const byLocale = new Map<string, Follower<S>[]>();
        for (const f of feed.followers) byLocale.set(f.locale, [...(byLocale.get(f.locale) ?? []), f]);
        for (const [locale, followers] of byLocale) {
          const after = Math.max(0, Math.min(...followers.map((f) => f.lastSent)));
          const status = await this.load(orderId, locale, after);
          if (!status) continue;
          // followers that have the same events get the same text
          const texts = new Map<number, string>();
          for (const f of followers) {
            if (!feed.followers.has(f)) continue;
            const first = f.lastSent < 0;
            const from = Math.max(0, f.lastSent);
            const timeline = status.timeline.filter((e) => e.id > from);
            if (!first && !timeline.length && (f.sentFinal || !status.final)) continue; // nothing new for this one
            let text = texts.get(from);
            const own = { ...status, lastEventId: Math.max(from, status.lastEventId), timelineAfter: from, timeline } as S;
            if (text === undefined) texts.set(from, (text = JSON.stringify(own)));
            f.lastSent = own.lastEventId;
            f.sentFinal = status.final;
            f.send(own, text);
          }
        }
      } while (feed.pending && feed.followers.size);
    } catch {
      // the database is restarting: the next notification (or the client's reconnect) sends again
    } finally {
      feed.running = false;
    }
  }
}
