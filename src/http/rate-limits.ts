// The HTTP rate limits: each route's limit by name (from the settings), and the PostgreSQL store they count in, so every API process shares one count per client.
import { sql } from 'kysely';
import type { Config, RateLimitName } from '../config.ts';
import type { Database } from '../db/database.ts';
import { type RouteKey, routes } from '../contract/index.ts';

/** A route's `config.rateLimit`: the named limit, per client address and minute (RATE_LIMIT_SCALE is applied when the route is added). */
export function perMinute(config: Config, name: RateLimitName): { max: number; timeWindow: number } {
  return { max: config.RATE_LIMITS[name], timeWindow: 60_000 };
}

/** A route's options: its contract schema and its named rate limit. */
export function limited<K extends RouteKey>(config: Config, key: K, limit: RateLimitName) {
  return { config: { rateLimit: perMinute(config, limit) }, schema: routes[key] };
}

type Answer = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit in the table `http_rate_limits` (migration 007): with it, N API
 * processes allow a client the limit once, not N times. One statement per request; the table is
 * unlogged, so a counter's write neither makes WAL nor waits for a disk flush at commit, and a
 * crash merely forgets the counts. When PostgreSQL does not answer, the plugin lets the request
 * through (`skipOnError`): the route then answers 503 on its own if it needs the database.
 */
export function postgresRateLimitStore(db: Database) {
  let nextSweep = 0;
  /** windows long over are deleted now and then (at most once a minute per process) */
  const sweep = () => {
    if (Date.now() < nextSweep) return;
    nextSweep = Date.now() + 60_000;
    void sql`delete from http_rate_limits where resets_at < clock_timestamp() - interval '1 minute'`.execute(db).catch(() => {});
  };

  return class PostgresRateLimitStore {
    private readonly prefix: string;

    /** the plugin calls `new Store(globalOptions)`; each route's own store comes from `child` */
    constructor(_options?: unknown, prefix = '') {
      this.prefix = prefix;
    }

    /** a fixed window: the first hit opens it for `timeWindow` ms, the count starts over once it is past */
    incr(key: string, answer: Answer, timeWindow: number): void {
      sweep();
      sql<{ hits: number; ttl: number }>`
        insert into http_rate_limits as r (key, hits, resets_at)
        values (${this.prefix + key}, 1, clock_timestamp() + make_interval(secs => ${timeWindow / 1000}))
        on conflict (key) do update set
          hits = case when r.resets_at <= clock_timestamp() then 1 else r.hits + 1 end,
          resets_at = case when r.resets_at <= clock_timestamp() then excluded.resets_at else r.resets_at end
        returning hits, greatest(0, ceil(extract(epoch from r.resets_at - clock_timestamp()) * 1000))::int as ttl`
        .execute(db)
        .then(
          ({ rows }) => answer(null, { current: rows[0]!.hits, ttl: rows[0]!.ttl }),
          (err: Error) => answer(err),
        );
    }

    /** the count as it stands, without counting this request */
    read(key: string, answer: Answer): void {
      sql<{ hits: number; ttl: number }>`
        select hits, ceil(extract(epoch from resets_at - clock_timestamp()) * 1000)::int as ttl
        from http_rate_limits where key = ${this.prefix + key} and resets_at > clock_timestamp()`
        .execute(db)
        .then(
          ({ rows }) => answer(null, rows[0] ? { current: rows[0].hits, ttl: rows[0].ttl } : { current: 0, ttl: 0 }),
          (err: Error) => answer(err),
        );
    }

    /** each route (or named limiter) counts apart: its key is prefixed with the route, or with the limiter's `keyPrefix` */
    child(routeOptions: object): PostgresRateLimitStore {
      // the plugin hands the route's merged options, its `routeInfo` among them (its types say RouteOptions)
      const options = routeOptions as { routeInfo?: { method?: string | string[]; url?: string }; keyPrefix?: string };
      const route = options.routeInfo?.url ? `${[options.routeInfo.method].flat().join(',')} ${options.routeInfo.url}` : '';
      return new PostgresRateLimitStore(undefined, `${options.keyPrefix ?? route}|`);
    }
  };
}
