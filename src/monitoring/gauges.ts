// Series computed at scrape time: from PostgreSQL (the same answer from every process) and from this process's circuit breakers.
import { Gauge, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { ORDER_STATES } from '../domain/order-state.ts';
import { PREFIX } from './metrics.ts';
import { OUTCOMES, SCORES } from '../domain/satisfaction.ts';
import { TIERS } from './satisfaction.ts';

/** The states in which the pipeline works on an order (a deadline can still be missed). */
import { WORKING_STATES } from '../domain/order-state.ts';
export { WORKING_STATES };

/**
 * Gauges whose collect() queries PostgreSQL. Several processes answering /metrics give the same
 * values; aggregate them with max(), not sum(). Each query reads an index or a small table.
 */
export function databaseGauges(deps: Deps, registry: Registry): void {
  const { db } = deps;
  new Gauge({
    name: `${PREFIX}orders`,
    help: 'Orders by state (from PostgreSQL at scrape time).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ state: string; n: string }>`select state, count(*) as n from orders group by state`.execute(db);
      this.reset();
      for (const s of ORDER_STATES) this.set({ state: s }, 0);
      for (const r of rows) this.set({ state: r.state }, Number(r.n));
    },
  });
  new Gauge({
    name: `${PREFIX}orders_at_risk`,
    help: 'Orders in progress past ALERT_DEADLINE_RISK_SHARE of the time from payment to their deadline (overdue ones included), by tier.',
    labelNames: ['tier'] as const,
    registers: [registry],
    async collect() {
      const share = deps.config.ALERT_DEADLINE_RISK_SHARE;
      const { rows } = await sql<{ tier: string; n: string }>`
        select tier, count(*) as n from orders
        where state = any(${WORKING_STATES}) and deadline_at is not null and paid_at is not null
          and now() > paid_at + (deadline_at - paid_at) * ${share}::float8
        group by tier`.execute(db);
      this.reset();
      for (const tier of ['express', 'standard']) this.set({ tier }, Number(rows.find((r) => r.tier === tier)?.n ?? 0));
    },
  });
  new Gauge({
    name: `${PREFIX}orders_overdue`,
    help: 'Orders in progress whose deadline has passed.',
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from orders where state = any(${WORKING_STATES}) and deadline_at < now()`.execute(db);
      this.set(Number(rows[0]?.n ?? 0));
    },
  });
  new Gauge({
    name: `${PREFIX}queue_depth`,
    help: 'Jobs in the graphile-worker queue by task and state (ready: due and waiting for a worker; scheduled: later; running; failed: attempts exhausted).',
    labelNames: ['task', 'state'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ task: string; state: string; n: string }>`
        select task_identifier as task,
          case when locked_at is not null then 'running'
               when attempts >= max_attempts then 'failed'
               when run_at <= now() then 'ready'
               else 'scheduled' end as state,
          count(*) as n
        from graphile_worker.jobs group by 1, 2`.execute(db);
      this.reset();
      for (const r of rows) this.set({ task: r.task, state: r.state }, Number(r.n));
    },
  });
  new Gauge({
    name: `${PREFIX}alerts_open`,
    help: 'Open alerts by rule and severity.',
    labelNames: ['rule', 'severity'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ rule: string; severity: string; n: string }>`
        select rule, severity, count(*) as n from alerts where state = 'open' group by 1, 2`.execute(db);
      this.reset();
      for (const r of rows) this.set({ rule: r.rule, severity: r.severity }, Number(r.n));
    },
  });
  // the dead-man's switch, for Prometheus: served by the API processes even when no worker runs
  new Gauge({
    name: `${PREFIX}alerts_last_evaluation_timestamp_seconds`,
    help: 'When the alert rules last ran to the end (Unix seconds; 0 before the first time). Alert on time() minus this.',
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ at: number | null }>`select extract(epoch from finished_at)::float8 as at from alert_evaluations where id = 1`.execute(db);
      this.set(Number(rows[0]?.at ?? 0));
    },
  });
  new Gauge({
    name: `${PREFIX}workers_live`,
    help: 'Worker processes whose heartbeat is fresher than WORKER_STALE_SECONDS.',
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ n: string }>`
        select count(distinct process_id) as n from worker_heartbeats
        where last_seen > now() - make_interval(secs => ${deps.config.WORKER_STALE_SECONDS})`.execute(db);
      this.set(Number(rows[0]?.n ?? 0));
    },
  });
  /**
   * Every order's last answer by score, tier and outcome, read from PostgreSQL at scrape time (the same from every
   * process). A gauge: a changed answer moves from one score to another, which a counter must never do.
   * Satisfaction is sum(…{score=~"4|5"}) / sum(…); over a window, the same of delta(…[30d]).
   */
  new Gauge({
    name: `${PREFIX}satisfaction_answers_total`,
    help: 'Answers to "Are you satisfied?" (1 to 5), each order’s last one, by score, tier and outcome (on_time, late, refunded); from PostgreSQL.',
    labelNames: ['score', 'tier', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ score: number; tier: string; outcome: string; n: string }>`
        select s.score, o.tier, s.outcome, count(*) as n from satisfaction s join orders o on o.id = s.order_id
        where s.score is not null group by 1, 2, 3`.execute(db);
      this.reset();
      // every series from 0, so a rate sees the first answer of each
      for (const score of SCORES) for (const tier of TIERS) for (const outcome of OUTCOMES) this.set({ score: String(score), tier, outcome }, 0);
      for (const r of rows) this.set({ score: String(r.score), tier: r.tier, outcome: r.outcome }, Number(r.n));
    },
  });
  new Gauge({
    name: `${PREFIX}sites`,
    help: 'Watched sites by their last check (up, failing, down, unchecked).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ status: string; n: string }>`
        select coalesce(last_status, 'unchecked') as status, count(*) as n from monitors where enabled group by 1`.execute(db);
      this.reset();
      for (const s of ['up', 'failing', 'down', 'unchecked']) this.set({ status: s }, Number(rows.find((r) => r.status === s)?.n ?? 0));
    },
  });
  new Gauge({
    name: `${PREFIX}site_checks_overdue`,
    help: 'Watched sites whose next check is more than a minute late (the checkers cannot keep up when this grows).',
    registers: [registry],
    async collect() {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from monitors where enabled and next_check_at < now() - interval '1 minute'`.execute(db);
      this.set(Number(rows[0]?.n ?? 0));
    },
  });
}

/** This process's circuit breakers (each process has its own). */
export function processGauges(deps: Deps, registry: Registry): void {
  new Gauge({
    name: `${PREFIX}circuit_open`,
    help: "1 while this process's circuit breaker for the provider is open or half-open, 0 when closed.",
    labelNames: ['provider'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of deps.circuits.all()) this.set({ provider: c.provider }, c.state === 'closed' ? 0 : 1);
    },
  });
}

/** Everything one scrape returns: this process's counters, then the scrape-time gauges. */
export async function renderMetrics(deps: Deps, scrape: Registry): Promise<string> {
  const own = deps.metrics ? await deps.metrics.registry.metrics() : '';
  return own + (await scrape.metrics());
}

/** The registry an API process serves at /metrics (database gauges included) or a worker process (without). */
export function scrapeRegistry(deps: Deps, opts: { database: boolean }): Registry {
  const registry = new Registry();
  processGauges(deps, registry);
  if (opts.database) databaseGauges(deps, registry);
  return registry;
}
