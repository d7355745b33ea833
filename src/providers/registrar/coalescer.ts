// Availability checks from every request of every process, gathered into the registrar's domains.check calls of at
// most 50 names, at the pace the budget allows, with each answer kept a short while for every other asker.
//
// PostgreSQL-backed rather than per process: the names wait in one table (registrar_checks, migration 014), so two
// API processes asking at once make one call between them, and an answer fetched by one serves the other. Each
// process runs one loop while it has callers waiting: it reads the answers for its own names, and when it holds the
// flusher's lease it claims the most urgent pending names (any process's) and calls for them.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { CALL_PRIORITIES, type CallPriority, type Registrar, type RegistrarCheck } from './index.ts';

/** Namecheap's domains.check takes at most 50 names per call (namecheap.com/support/api/methods/domains/check). */
export const CHECK_BATCH_MAX = 50;
/** A failed call's answer is reused this long: askers fall back at once instead of calling again and again. */
const FAILURE_TTL_MS = 2_000;
/** How long a process holds the flusher's lease and its claimed names without finishing (a crash frees them). */
const LEASE_MS = 10_000;
/**
 * Calls a process keeps in flight at once: a registrar that hangs on one batch does not hold back the next, which the
 * budget paces anyway.
 */
const IN_FLIGHT_MAX = 4;
/** A name waiting for the registrar that no flusher holds: unanswered, unclaimed or its claim's lease over. */
const CLAIMABLE = sql`answer is null and (claimed_until is null or claimed_until < clock_timestamp())`;
/** How long a reading of the budget's scarcity holds. */
const SCARCITY_TTL_MS = 250;

export interface CoalescerOptions {
  /** how long the oldest pending name waits for others before a call, while the budget is plentiful */
  gatherMs: number;
  /** and while it is scarce (`scarce`): fewer, fuller calls */
  holdMs?: number;
  /** whether half the budget for checks is spent (asked at most every SCARCITY_TTL_MS) */
  scarce?: () => Promise<boolean>;
  cacheSeconds: number;
  /** one loop tick: reading answers, trying to flush */
  tickMs?: number;
  /** one domains.check call's longest wait (below the claim's lease, so that no other process claims its names meanwhile) */
  callTimeoutMs?: number;
  logger?: Logger;
}

export interface CheckWish {
  priority: CallPriority;
  /** how long the caller waits for the registrar; names not answered by then come back undefined */
  waitMs: number;
  signal?: AbortSignal;
}

interface Waiter {
  names: Set<string>;
  until: number;
  answers: Map<string, RegistrarCheck | undefined>;
  signal?: AbortSignal;
  done: () => void;
}

/** `work`'s result, or undefined once `ms` have passed or `signal` fired (the work itself goes on). */
function unlessLate<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  if (signal?.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const late = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    const timer = setTimeout(late, ms);
    signal?.addEventListener('abort', late, { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', late);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', late);
        reject(e);
      },
    );
  });
}

type Stored = RegistrarCheck | { failed: string };
const isFailure = (a: Stored): a is { failed: string } => 'failed' in a;

export class CheckCoalescer {
  private readonly me = `${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly waiters = new Set<Waiter>();
  private timer?: NodeJS.Timeout;
  private flushing = 0;
  private flushNotBefore = 0;
  /** no batch is ready before then, as last seen (names this process asks for since may fill one: they reset it) */
  private readyNotBefore = 0;
  private stopped = false;
  private scarcity = { scarce: false, at: 0 };
  /** calls made by this process (tests and benchmarks read it) */
  calls = 0;

  constructor(
    private readonly db: Database,
    private readonly registrar: Registrar,
    private readonly opts: CoalescerOptions,
  ) {}

  get name(): string {
    return this.registrar.name;
  }

  /** The registrar's answer for each name, from its cache or a coalesced call; undefined where none came in time. */
  async check(domains: string[], wish: CheckWish): Promise<Map<string, RegistrarCheck | undefined>> {
    const names = [...new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))];
    const answers = new Map<string, RegistrarCheck | undefined>();
    if (!names.length) return answers;
    const rank = CALL_PRIORITIES.indexOf(wish.priority);
    const until = Date.now() + wish.waitMs;
    // the fresh answers, and every other name pending (a stale or failed answer is asked again)
    const asked = sql<{ domain: string; answer: Stored | null }>`
      insert into registrar_checks as c (domain, priority)
      select unnest(${names}::text[]), ${rank}
      on conflict (domain) do update set
        priority = case when c.answer is null then least(c.priority, excluded.priority) else excluded.priority end,
        asked_at = case when c.answer is null or ${this.fresh()} then c.asked_at else clock_timestamp() end,
        claimed_until = case when c.answer is null or ${this.fresh()} then c.claimed_until else null end,
        answered_at = case when c.answer is null or ${this.fresh()} then c.answered_at else null end,
        answer = case when c.answer is not null and ${this.fresh()} then c.answer else null end
      returning c.domain, c.answer`.execute(this.db);
    // a database slower than the caller's wait: no word from the registrar for this caller, the names stay asked for
    // the next (the wait is the caller's whole patience, the statement's time included)
    const done = await unlessLate(asked, wish.waitMs, wish.signal);
    if (!done) {
      asked.catch((err: unknown) => this.opts.logger?.warn({ event: 'registrar_checks_failed', err: String(err) }, 'coalesced checks: names not recorded'));
      return answers;
    }
    const { rows } = done;
    const pending = new Set<string>();
    for (const r of rows) {
      if (r.answer) answers.set(r.domain, isFailure(r.answer) ? undefined : r.answer);
      else pending.add(r.domain);
    }
    if (!pending.size || this.stopped) return answers;
    // these names may fill a batch: look again at once
    this.readyNotBefore = 0;
    await new Promise<void>((resolve) => {
      // the caller is let go at its time or on its signal, whatever the loop is doing (a slow round holds nobody)
      const timer = setTimeout(() => this.finish(w), Math.max(0, until - Date.now()));
      const onAbort = () => this.finish(w);
      const w: Waiter = {
        names: pending,
        until,
        answers,
        signal: wish.signal,
        done: () => {
          clearTimeout(timer);
          wish.signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      wish.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(w);
      this.schedule(0);
    });
    return answers;
  }

  /** An answer still good to give: a registrar's for cacheSeconds, a failure's for a moment. */
  private fresh() {
    return sql`(c.answered_at > clock_timestamp() - make_interval(secs => case when c.answer ? 'failed' then ${FAILURE_TTL_MS / 1000}::float8 else ${this.opts.cacheSeconds}::float8 end))`;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const w of this.waiters) this.finish(w);
  }

  private schedule(ms: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().catch((err) => this.opts.logger?.warn({ event: 'registrar_checks_failed', err: String(err) }, 'coalesced checks: a round failed'));
    }, ms);
  }

  private finish(w: Waiter): void {
    if (!this.waiters.delete(w)) return;
    w.done();
  }

  private async tick(): Promise<void> {
    try {
      await this.collect();
      if (this.waiters.size && this.flushing < IN_FLIGHT_MAX && Date.now() >= Math.max(this.flushNotBefore, this.readyNotBefore)) {
        this.flushing++;
        void this.flush()
          .catch((err) => this.opts.logger?.warn({ event: 'registrar_checks_flush_failed', err: String(err) }, 'coalesced checks: a call failed'))
          .finally(() => {
            this.flushing--;
          });
      }
    } finally {
      if (this.waiters.size) this.schedule(this.opts.tickMs ?? 20);
    }
  }

  /** Read the answers to this process's waiting names; give up on the callers whose wait is over. */
  private async collect(): Promise<void> {
    const wanted = [...new Set([...this.waiters].flatMap((w) => [...w.names]))];
    if (!wanted.length) return;
    const { rows } = await sql<{ domain: string; answer: Stored }>`
      select domain, answer from registrar_checks where domain = any(${wanted}::text[]) and answer is not null`.execute(this.db);
    const got = new Map(rows.map((r) => [r.domain, r.answer]));
    for (const w of [...this.waiters]) {
      for (const name of [...w.names]) {
        const a = got.get(name);
        if (!a) continue;
        w.answers.set(name, isFailure(a) ? undefined : a);
        w.names.delete(name);
      }
      if (!w.names.size || Date.now() >= w.until || w.signal?.aborted) this.finish(w);
    }
  }

  /** The gathering window now: longer once the budget is half spent, so that each call carries more names. */
  private async gatherMs(): Promise<number> {
    if (!this.opts.scarce || !this.opts.holdMs) return this.opts.gatherMs;
    if (Date.now() - this.scarcity.at > SCARCITY_TTL_MS) this.scarcity = { scarce: await this.opts.scarce(), at: Date.now() };
    return this.scarcity.scarce ? Math.max(this.opts.holdMs, this.opts.gatherMs) : this.opts.gatherMs;
  }

  /**
   * Holding the lease, claim the most urgent pending names (50 at most) once the oldest has waited the gathering
   * window (or 50 wait), and ask the registrar for them at the most urgent one's priority, without waiting for the
   * budget: when it is spent, the names stay pending and this process looks again when it would have room.
   */
  private async flush(): Promise<void> {
    const gatherMs = await this.gatherMs();
    // one look before the lease: while no batch is full and the oldest name is still in its gathering window, the
    // next look is when that window ends (a name asked meanwhile is younger), not at every tick: 1 statement, not 3
    const { rows: ready } = await sql<{ n: number; age_ms: number | null }>`
      select count(*)::int as n, (extract(epoch from clock_timestamp() - min(asked_at)) * 1000)::float8 as age_ms
      from registrar_checks where ${CLAIMABLE}`.execute(this.db);
    const { n, age_ms: ageMs } = ready[0] ?? { n: 0, age_ms: null };
    if (n === 0 || ageMs === null) return;
    if (n < CHECK_BATCH_MAX && ageMs < gatherMs) {
      this.readyNotBefore = Date.now() + Math.ceil(gatherMs - ageMs);
      return;
    }
    const lease = await sql`
      update registrar_check_flusher set holder = ${this.me}, until = clock_timestamp() + make_interval(secs => ${LEASE_MS / 1000}::float8)
      where id = 1 and (until is null or until < clock_timestamp() or holder = ${this.me}) returning id`.execute(this.db);
    if (!lease.rows.length) return;
    let claimed: { domain: string; priority: number }[];
    try {
      claimed = (
        await sql<{ domain: string; priority: number }>`
        with ready as (
          select count(*) as n, min(asked_at) as oldest from registrar_checks
          where ${CLAIMABLE}
        ),
        batch as (
          select domain from registrar_checks
          where ${CLAIMABLE}
            and ((select n from ready) >= ${CHECK_BATCH_MAX} or (select oldest from ready) < clock_timestamp() - make_interval(secs => ${gatherMs / 1000}::float8))
          order by priority, asked_at limit ${CHECK_BATCH_MAX} for update skip locked
        )
        update registrar_checks c set claimed_until = clock_timestamp() + make_interval(secs => ${LEASE_MS / 1000}::float8)
        from batch where c.domain = batch.domain returning c.domain, c.priority`.execute(this.db)
      ).rows;
    } finally {
      // the claim is made: another round (this process's or another's) may gather the next names while this one calls
      await sql`update registrar_check_flusher set until = null where id = 1 and holder = ${this.me}`.execute(this.db);
    }
    if (claimed.length) await this.call(claimed);
  }

  /** One domains.check for the claimed names; the answers (or the failure, briefly) stored for every asker. */
  private async call(claimed: { domain: string; priority: number }[]): Promise<void> {
    const priority = CALL_PRIORITIES[Math.min(...claimed.map((c) => c.priority))] ?? 'alternatives';
    const names = claimed.map((c) => c.domain);
    let results: RegistrarCheck[];
    try {
      results = await recordProviderCall(this.db, { provider: this.registrar.name, operation: 'domains.check' }, () =>
        this.registrar.at(priority, 0).check(names, AbortSignal.timeout(Math.min(this.opts.callTimeoutMs ?? LEASE_MS, LEASE_MS - 1_000))),
      );
      this.calls++;
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'rate_limited') {
        // the budget has no room for now: the names wait, and this process looks again when it could have some
        await sql`update registrar_checks set claimed_until = null where domain = any(${names}::text[]) and answer is null`.execute(this.db);
        this.flushNotBefore = Date.now() + Math.min(Math.max(err.retryAfterMs ?? 100, 20), 1_000);
        return;
      }
      const failed = JSON.stringify({ failed: err instanceof ProviderError ? err.code : 'exception' });
      await sql`update registrar_checks set answer = ${failed}::jsonb, answered_at = clock_timestamp(), claimed_until = null
                where domain = any(${names}::text[])`.execute(this.db);
      throw err;
    }
    const byName = new Map(results.map((r) => [r.domain, r]));
    const rows = names.map((domain) => byName.get(domain) ?? { domain, available: false, premium: false, currency: 'USD', errorCode: 'no_answer' });
    await sql`
      update registrar_checks c set answer = a.answer, answered_at = clock_timestamp(), claimed_until = null
      from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ domain: r.domain, answer: r })))}::jsonb) as a(domain text, answer jsonb)
      where c.domain = a.domain`.execute(this.db);
    this.opts.logger?.debug({ event: 'registrar_checks_called', names: names.length, priority }, 'coalesced domains.check');
  }
}
