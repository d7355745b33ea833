// A token-bucket rate limiter kept in PostgreSQL, so every worker process on every machine shares one budget per provider limit.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { ProviderError } from '../errors.ts';

export interface RateLimiter {
  /** Take one token of `bucket`, refilled at perMinute a minute (burst up to perMinute); waits when none is left. */
  take(bucket: string, opts: { perMinute: number }): Promise<void>;
}

export class PgRateLimiter implements RateLimiter {
  /**
   * `maxWaitMs`: waiting longer than this inside a job would hold a worker slot for nothing, so the
   * limiter throws a retryable ProviderError with retryAfterMs and the step reschedules itself.
   */
  constructor(
    private readonly db: Database,
    private readonly maxWaitMs = 5_000,
  ) {}

  async take(bucket: string, { perMinute }: { perMinute: number }): Promise<void> {
    const started = Date.now();
    for (;;) {
      const waitMs = await this.tryTake(bucket, perMinute);
      if (waitMs === 0) return;
      if (Date.now() - started + waitMs > this.maxWaitMs) {
        throw new ProviderError(bucket.split(':')[0] ?? bucket, 'rate_limited', `shared limit ${bucket} (${perMinute}/min)`, true, waitMs);
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }

  /** Returns 0 when a token was taken, otherwise how many milliseconds until one is there. */
  async tryTake(bucket: string, perMinute: number): Promise<number> {
    const perMs = perMinute / 60_000;
    // the bucket's level now: what it held, plus what flowed in since, capped at the burst size
    const level = sql<number>`least(${perMinute}::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * 1000 * ${perMs}::float8)`;
    const taken = await sql<{ tokens: number }>`
      update rate_limit_buckets b set tokens = ${level} - 1, updated_at = clock_timestamp()
      where b.bucket = ${bucket} and ${level} >= 1
      returning b.tokens`.execute(this.db);
    if (taken.rows.length) return 0;
    const created = await sql`
      insert into rate_limit_buckets (bucket, tokens, updated_at) values (${bucket}, ${perMinute - 1}, clock_timestamp())
      on conflict (bucket) do nothing returning bucket`.execute(this.db);
    if (created.rows.length) return 0;
    const { rows } = await sql<{ level: number }>`select ${level} as level from rate_limit_buckets b where b.bucket = ${bucket}`.execute(this.db);
    const have = rows[0]?.level ?? 0;
    return Math.max(1, Math.ceil((1 - have) / perMs));
  }
}
