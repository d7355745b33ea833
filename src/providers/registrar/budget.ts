// The registrar's API budget, shared by every process through PostgreSQL: calls a minute, an hour and a day, taken
// in priority order; and the registrar wrapped so that every call it makes, whoever makes it, spends the budget and
// is counted, and a throttle (HTTP 405) is waited out and the call sent again.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { CallNotSent, ProviderError } from '../../errors.ts';
import type { Budget } from '../../config/parse.ts';
import { CALL_PRIORITIES, type CallPriority, type CreateInput, type Registrar } from './index.ts';

/**
 * How much of each window a priority may spend. Purchases and DNS of paid orders (the pipeline's, and a customer's
 * changes from their space) may take all of it; the checks a customer waits on less, the daily expiry sweep less,
 * alternatives least, so that a burst of them can never leave a paid order without a call. Beyond these caps, a caller of lower priority gives way while a more urgent one waits
 * (registrar_take, migration 014).
 */
export const PRIORITY_SHARE: Record<CallPriority, number> = { order: 1, confirm: 0.8, expiry: 0.6, alternatives: 0.4 };

/** A call refused past this wait throws a retryable rate_limited with the wait, for the caller to come back. */
const DEFAULT_MAX_WAIT_MS = 5_000;

export interface RegistrarBudget {
  /** Take one call at `priority`, waiting up to `maxWaitMs`; throws a retryable ProviderError('rate_limited') past it. */
  take(priority: CallPriority, maxWaitMs: number, signal?: AbortSignal): Promise<void>;
  /** The registrar said "slow down": nobody calls for a while (1, 5, 15, 30, 50 s). Returns that wait. */
  throttled(): Promise<number>;
}

export class PgRegistrarBudget implements RegistrarBudget {
  constructor(
    private readonly db: Database,
    private readonly provider: string,
    private readonly limits: Budget,
  ) {}

  private get bucket(): string {
    return `${this.provider}:api`;
  }

  /** The limits `priority` may use: its share of each window, one call at least. */
  limitsOf(priority: CallPriority): Budget {
    const share = PRIORITY_SHARE[priority];
    const of = (n: number) => Math.max(1, Math.floor(n * share));
    return { perMinute: of(this.limits.perMinute), perHour: of(this.limits.perHour), perDay: of(this.limits.perDay) };
  }

  /** 0 when a call was taken, otherwise the milliseconds until one could be. */
  async tryTake(priority: CallPriority): Promise<number> {
    const l = this.limitsOf(priority);
    const rank = CALL_PRIORITIES.indexOf(priority);
    const { rows } = await sql<{ wait: number }>`
      select registrar_take(${this.bucket}, ${rank}, ${l.perMinute}, ${l.perHour}, ${l.perDay}) as wait`.execute(this.db);
    return Math.ceil(Number(rows[0]?.wait ?? 1));
  }

  async take(priority: CallPriority, maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    for (;;) {
      const waitMs = await this.tryTake(priority);
      if (waitMs === 0) return;
      if (signal?.aborted || Date.now() - started + waitMs > maxWaitMs) {
        throw new CallNotSent(this.provider, `shared budget ${this.bucket} (${priority}) spent for now`, waitMs);
      }
      await new Promise((r) => setTimeout(r, Math.min(waitMs, 1_000)));
    }
  }

  async throttled(): Promise<number> {
    const { rows } = await sql<{ ms: number }>`select registrar_throttled(${this.bucket}) as ms`.execute(this.db);
    return Number(rows[0]?.ms ?? 1_000);
  }

  /** Whether half of what `priority` may spend is spent, in the last minute, hour or day. */
  async halfSpent(priority: CallPriority): Promise<boolean> {
    const s = await this.spent();
    const l = this.limitsOf(priority);
    return s.perMinute * 2 >= l.perMinute || s.perHour * 2 >= l.perHour || s.perDay * 2 >= l.perDay;
  }

  /** Calls spent in the last minute, hour and day, all priorities together (monitoring, benchmarks). */
  async spent(): Promise<Budget> {
    const { rows } = await sql<{ m: string; h: string; d: string }>`
      select count(*) filter (where at > now() - interval '1 minute') as m, count(*) filter (where at > now() - interval '1 hour') as h, count(*) as d
        from registrar_calls where bucket = ${this.bucket} and at > now() - interval '1 day'`.execute(this.db);
    return { perMinute: Number(rows[0]?.m ?? 0), perHour: Number(rows[0]?.h ?? 0), perDay: Number(rows[0]?.d ?? 0) };
  }
}

/** One registrar call as monitoring counts it: the registrar's command, how it ended, how long it took. */
export interface RegistrarCall {
  provider: string;
  operation: string;
  outcome: 'ok' | 'retryable_error' | 'error';
  errorCode: string | null;
  seconds: number;
  priority: CallPriority;
}

export interface BudgetedOptions {
  /** absent: calls are counted but spend no budget (the sandbox's quotas off) */
  budget?: RegistrarBudget;
  priority?: CallPriority;
  maxWaitMs?: number;
  /** told of every call (monitoring; the registrar is built before the metrics exist) */
  observer?: { fn?: (call: RegistrarCall) => void };
}

/** The operation names calls are counted under, as the registrar's commands are named. */
const OPERATIONS = {
  check: 'domains.check',
  create: 'domains.create',
  setHosts: 'domains.dns.setHosts',
  getInfo: 'domains.getInfo',
  findOwn: 'domains.getInfo',
  getList: 'domains.getList',
  getContacts: 'domains.getContacts',
  setContacts: 'domains.setContacts',
  getRegistrarLock: 'domains.getRegistrarLock',
  setRegistrarLock: 'domains.setRegistrarLock',
  readHosts: 'domains.dns.getHosts',
  writeHosts: 'domains.dns.setHosts',
  getEmailForwarding: 'domains.dns.getEmailForwarding',
  setEmailForwarding: 'domains.dns.setEmailForwarding',
  renew: 'domains.renew',
  reactivate: 'domains.reactivate',
  reactivatePrice: 'users.getPricing',
} as const;

/**
 * Every call takes its share of the budget before it goes, and counts once sent; a throttle (rate_limited from HTTP
 * 405, or Namecheap's "too many requests") tells every process to hold off, then the call waits and goes again while
 * its caller's patience lasts, and past it fails retryably: a throttle is never a permanent failure.
 */
export class BudgetedRegistrar implements Registrar {
  readonly name: string;
  private readonly priority: CallPriority;
  private readonly maxWaitMs: number;
  private readonly observer: { fn?: (call: RegistrarCall) => void };

  constructor(
    private readonly inner: Registrar,
    private readonly opts: BudgetedOptions = {},
  ) {
    this.name = inner.name;
    this.priority = opts.priority ?? 'order';
    this.maxWaitMs = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.observer = opts.observer ?? {};
  }

  /** Told of every call this registrar (and every one `at` derives from it) makes. */
  observe(fn: (call: RegistrarCall) => void): void {
    this.observer.fn = fn;
  }

  at(priority: CallPriority, maxWaitMs?: number): Registrar {
    return new BudgetedRegistrar(this.inner, { ...this.opts, observer: this.observer, priority, maxWaitMs: maxWaitMs ?? this.maxWaitMs });
  }

  private async run<T>(method: keyof typeof OPERATIONS, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    for (;;) {
      const left = this.maxWaitMs - (Date.now() - started);
      await this.opts.budget?.take(this.priority, Math.max(0, left), signal);
      const t0 = performance.now();
      try {
        const result = await call();
        this.count(method, 'ok', null, t0);
        return result;
      } catch (err) {
        const e = err instanceof ProviderError ? err : undefined;
        this.count(method, e ? (e.retryable ? 'retryable_error' : 'error') : 'error', e?.code ?? 'exception', t0);
        if (e?.code !== 'rate_limited' || !this.opts.budget) throw err;
        const holdMs = await this.opts.budget.throttled();
        if (signal?.aborted || Date.now() - started + holdMs > this.maxWaitMs) {
          throw new ProviderError(e.provider, 'rate_limited', e.message, true, Math.max(holdMs, e.retryAfterMs ?? 0), e.status);
        }
        await new Promise((r) => setTimeout(r, holdMs));
      }
    }
  }

  private count(method: keyof typeof OPERATIONS, outcome: RegistrarCall['outcome'], errorCode: string | null, t0: number): void {
    const seconds = (performance.now() - t0) / 1000;
    this.observer.fn?.({ provider: this.name, operation: OPERATIONS[method], outcome, errorCode, seconds, priority: this.priority });
  }

  check(domains: string[], signal?: AbortSignal) {
    return this.run('check', () => this.inner.check(domains, signal), signal);
  }
  create(input: CreateInput) {
    return this.run('create', () => this.inner.create(input));
  }
  setHosts(...args: Parameters<Registrar['setHosts']>) {
    return this.run('setHosts', () => this.inner.setHosts(...args));
  }
  getInfo(domain: string) {
    return this.run('getInfo', () => this.inner.getInfo(domain));
  }
  findOwn(domain: string) {
    return this.run('findOwn', () => this.inner.findOwn(domain));
  }
  getList(page: number, pageSize: number) {
    return this.run('getList', () => this.inner.getList(page, pageSize));
  }
  getContacts(domain: string) {
    return this.run('getContacts', () => this.inner.getContacts(domain));
  }
  setContacts(...args: Parameters<Registrar['setContacts']>) {
    return this.run('setContacts', () => this.inner.setContacts(...args));
  }
  getRegistrarLock(domain: string) {
    return this.run('getRegistrarLock', () => this.inner.getRegistrarLock(domain));
  }
  setRegistrarLock(...args: Parameters<Registrar['setRegistrarLock']>) {
    return this.run('setRegistrarLock', () => this.inner.setRegistrarLock(...args));
  }
  readHosts(domain: string) {
    return this.run('readHosts', () => this.inner.readHosts(domain));
  }
  writeHosts(...args: Parameters<Registrar['writeHosts']>) {
    return this.run('writeHosts', () => this.inner.writeHosts(...args));
  }
  getEmailForwarding(domain: string) {
    return this.run('getEmailForwarding', () => this.inner.getEmailForwarding(domain));
  }
  setEmailForwarding(...args: Parameters<Registrar['setEmailForwarding']>) {
    return this.run('setEmailForwarding', () => this.inner.setEmailForwarding(...args));
  }
  renew(...args: Parameters<Registrar['renew']>) {
    return this.run('renew', () => this.inner.renew(...args));
  }
  reactivate(...args: Parameters<Registrar['reactivate']>) {
    return this.run('reactivate', () => this.inner.reactivate(...args));
  }
  reactivatePrice(domain: string) {
    return this.run('reactivatePrice', () => this.inner.reactivatePrice(domain));
  }
}
