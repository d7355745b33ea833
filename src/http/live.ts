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

/** A status as the live stream sends it: its timeline holds the events after `timelineAfter` (and any that came late). */
export interface LiveStatus {
  lastEventId: number;
  final: boolean;
  timelineAfter: number;
  timeline: { id?: number }[];
}

/** Where a stream stands: the highest event id sent, and the horizon of the read that sent it (src/db/orders.ts). */
export interface StreamCursor {
  after: number;
  horizon?: string;
}

interface Follower<S> {
  locale: string;
  cursor: StreamCursor;
  /** the ids sent so far: a read may return some again (those of transactions not ended at the previous read) */
  sent: Set<number>;
  started: boolean;
  sentFinal: boolean;
  send(status: S, cursor: StreamCursor, text: string): void;
}

/**
 * The live status of each order followed in this process, read once per change and locale for every stream
 * following it (tabs of one customer, the editor), each stream sent only the events it lacks: a long order's
 * timeline is not sent again with every step. An event whose id is smaller than one already sent (ids are taken at
 * insert, commits may come in another order) is still sent, once: the reads look again at the events of every
 * transaction that had not ended at the previous read.
 */
export class StatusFeeds<S extends LiveStatus> {
  private readonly feeds = new Map<string, { followers: Set<Follower<S>>; running: boolean; pending: boolean; unsubscribe: () => void }>();

  constructor(
    private readonly events: Pick<OrderEvents, 'subscribe'>,
    /** the order's status in `locale` with the events a reader at `cursor` may lack, and this read's horizon */
    private readonly load: (orderId: string, locale: string, cursor: StreamCursor) => Promise<{ status: S; horizon: string } | undefined>,
  ) {}

  /** Follow an order from `cursor` (what the client has: {after: 0} is nothing); `send` gets each status, its cursor and its text. */
  follow(orderId: string, locale: string, cursor: StreamCursor, send: Follower<S>['send']): () => void {
    let feed = this.feeds.get(orderId);
    if (!feed) {
      const created = { followers: new Set<Follower<S>>(), running: false, pending: false, unsubscribe: () => {} };
      created.unsubscribe = this.events.subscribe(orderId, () => void this.refresh(orderId));
      this.feeds.set(orderId, (feed = created));
    }
    const follower: Follower<S> = { locale, cursor: { ...cursor }, sent: new Set(), started: false, sentFinal: false, send };
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

  /** One read per locale for all the order's followers; notifications that arrive meanwhile make one more pass. */
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
          const read = await this.load(orderId, locale, oldest(followers.map((f) => f.cursor)));
          if (!read) continue;
          const { status, horizon } = read;
          for (const f of followers) {
            if (!feed.followers.has(f)) continue;
            const timeline = status.timeline.filter(
              (e) => e.id !== undefined && !f.sent.has(e.id) && (e.id > f.cursor.after || f.cursor.horizon !== undefined),
            );
            if (f.started && !timeline.length && (f.sentFinal || !status.final)) {
              f.cursor.horizon = horizon;
              continue; // nothing new for this one
            }
            const lastEventId = Math.max(f.cursor.after, ...timeline.map((e) => e.id!));
            const own = { ...status, lastEventId, timelineAfter: f.cursor.after, timeline } as S;
            for (const e of timeline) f.sent.add(e.id!);
            f.cursor = { after: lastEventId, horizon };
            f.started = true;
            f.sentFinal = status.final;
            f.send(own, f.cursor, JSON.stringify(own));
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

/** A read that serves every cursor: from the smallest id, looking back to the oldest horizon (none if one has none). */
function oldest(cursors: StreamCursor[]): StreamCursor {
  const after = Math.min(...cursors.map((c) => c.after));
  if (cursors.some((c) => c.horizon === undefined)) return { after };
  return { after, horizon: cursors.map((c) => c.horizon!).reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b)) };
}
