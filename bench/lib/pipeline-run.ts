// One run of the whole pipeline: N orders paid, K worker processes, until every order is delivered; with the
// pipeline's own timestamps, each process's CPU and peak memory, and checks that nothing was lost or done twice.
import { sql } from 'kysely';
import { applyLatency, type BenchContext } from './bench.ts';
import { createOrders, payOrders, pipelineRecord, timeBreakdown, waitForOrders, type BenchOrder } from './orders.ts';
import { CpuMeter, currentRss, postgresCpuSeconds, postgresRss } from './procs.ts';
import { startScenario, type Scenario } from './scenario.ts';
import { statementLines } from './statements.ts';

export interface PipelineRunOptions {
  name: string;
  orders: number;
  workers: number;
  env?: Record<string, string>;
  /** the realistic latency model scaled by this; none = zero-latency providers */
  latencyScale?: number;
  /** pay this many orders a second while the workers run; none = all paid before the workers start */
  payPerSecond?: number;
  timeoutMs: number;
  /** runs first, in the same fresh database (the raw graphile-worker reference) */
  before?: (s: Scenario) => Promise<unknown>;
  /** start the workers before any order exists and note each process's idle memory (figure c's reference) */
  idleFirst?: boolean;
  /** more measurements on the finished run, before the scenario stops */
  analyse?: (s: Scenario, orders: BenchOrder[]) => Promise<Record<string, unknown>>;
}

export async function pipelineRun(ctx: BenchContext, o: PipelineRunOptions) {
  const s = await startScenario(ctx.pg, o.name, { SANDBOX_PROVIDER_LIMITS: 'off', ...o.env });
  try {
    const before = o.before ? await o.before(s) : undefined;
    const latency = o.latencyScale ? applyLatency(s.world, o.latencyScale) : 'none (zero-latency providers)';
    const selfCpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const spawnWorkers = () => Promise.all(Array.from({ length: o.workers }, () => s.spawnWorker()));
    let idle: Record<string, number> | undefined;
    let workers = o.idleFirst ? await spawnWorkers() : [];
    if (o.idleFirst) {
      await new Promise((r) => setTimeout(r, 3000)); // settled: the monitoring jobs' first ticks done
      idle = { 'bench + sandbox world (1 process)': currentRss(process.pid), 'PostgreSQL (all processes, PSS)': postgresRss(ctx.pg.dataDir) };
      workers.forEach((w, i) => {
        idle![`worker ${i + 1}`] = w.currentRss();
      });
    }
    const orders = await createOrders(s.deps, o.orders, o.name);
    let paySeconds = NaN;
    if (!o.payPerSecond) {
      paySeconds = (await payOrders(s.deps, orders)).seconds;
      ctx.log(`${o.orders} orders created and paid (markPaid) in ${paySeconds.toFixed(1)} s`);
    }
    await ctx.pg.resetStatements();
    if (!o.idleFirst) workers = await spawnWorkers();
    const sources: Record<string, () => number> = {
      'bench + sandbox world (1 process)': selfCpu,
      'PostgreSQL (all processes)': () => postgresCpuSeconds(ctx.pg.dataDir),
    };
    workers.forEach((w, i) => {
      sources[`worker ${i + 1}`] = () => w.cpuSeconds();
    });
    const meter = new CpuMeter(sources).start();
    let paying: Promise<unknown> = Promise.resolve();
    if (o.payPerSecond) {
      // a steady arrival of payments, one every 1/rate s
      paying = (async () => {
        const t0 = performance.now();
        for (let i = 0; i < orders.length; i++) {
          const wait = t0 + (i * 1000) / o.payPerSecond! - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await payOrders(s.deps, [orders[i]!], 1);
        }
      })();
    }
    let pgRssPeak = 0;
    let benchRssPeak = process.memoryUsage().rss;
    const waited = await waitForOrders(s.db, o.orders, {
      timeoutMs: o.timeoutMs,
      label: `${o.name} (${o.workers} worker${o.workers > 1 ? 's' : ''})`,
      onTick: () => {
        pgRssPeak = Math.max(pgRssPeak, postgresRss(ctx.pg.dataDir) || 0);
        benchRssPeak = Math.max(benchRssPeak, process.memoryUsage().rss);
      },
    });
    await paying;
    const cpu = meter.stop();
    const record = await pipelineRecord(s.db);
    const breakdown = await timeBreakdown(s.db);
    // this process runs every figure of the run: its own peak is sampled during this one
    const rss: Record<string, number> = { 'bench + sandbox world (1 process)': benchRssPeak };
    workers.forEach((w, i) => {
      rss[`worker ${i + 1}`] = w.peakRss();
    });
    const integrity = await checkIntegrity(s, orders);
    // every statement of the run (emails and graphile-worker's own included), per step run
    const statements = await statementLines(ctx, s, record.stepRuns, 'a step run');
    const extra = o.analyse ? await o.analyse(s, orders) : {};
    return { ...o, before, latency, paySeconds, waited, cpu, record, breakdown, rss, idle, pgRssPeak, integrity, statements, extra, workerCount: o.workers };
  } finally {
    await s.stop();
  }
}

/** Every order delivered once, one purchase and one site each, each email once (waiting a little for the last emails). */
async function checkIntegrity(s: Scenario, orders: BenchOrder[]) {
  const n = orders.length;
  const until = Date.now() + 60_000;
  let emailsSent = 0;
  for (;;) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from outbox_emails where state = 'sent'`.execute(s.db);
    emailsSent = Number(rows[0]!.n);
    const { rows: pending } = await sql<{ n: string }>`select count(*) as n from outbox_emails where state <> 'sent'`.execute(s.db);
    if (Number(pending[0]!.n) === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const { rows } = await sql<{ delivered_events: string; orders_twice: string; creates_twice: string; lost_jobs: string }>`
    select (select count(*) from order_events where type = 'delivered') as delivered_events,
           (select count(*) from (select order_id from order_events where type = 'delivered' group by order_id having count(*) > 1) t) as orders_twice,
           (select count(*) from (select order_id from provider_calls where operation = 'domains.create' and outcome = 'ok' group by order_id having count(*) > 1) t) as creates_twice,
           (select count(*) from orders o where o.state not in ('delivered', 'refunded', 'refund_failed', 'cancelled', 'domain_unavailable')
              and not exists (select 1 from graphile_worker.jobs j where j.key = 'step:' || o.id || ':' || o.current_step)) as lost_jobs`.execute(s.db);
  const r = rows[0]!;
  // the providers' own books (src/sandbox/ledger.ts): purchase requests per name at the registrar, sites made per order
  // at the host (a site's name ends with the first 8 hex of its order's id), deleted ones included
  const purchases = s.world.namecheap.account.ledger.byTarget('domains.create');
  const orderOfSuffix = new Map(orders.map((o) => [o.id.replace(/-/g, '').slice(0, 8), o.id]));
  const sitesMade = new Map<string, number>();
  for (const e of s.world.netlify.ledger.entries) {
    if (e.operation !== 'createSite' || e.outcome !== 'done') continue;
    const id = orderOfSuffix.get(e.target.slice(-8));
    if (id) sitesMade.set(id, (sitesMade.get(id) ?? 0) + 1);
  }
  const mine = new Set(orders.map((o) => o.domain));
  const registrations = s.world.registry.all().filter((x) => mine.has(x.domain)).length;
  const smtp = s.world.smtp.messages();
  const keys = smtp.map((m) => `${m.to.join(',')}|${m.subject}`);
  const sites = await fetch(`${s.world.netlify.url}/__sandbox/sites`)
    .then((r) => r.json() as Promise<{ sites: unknown[] }>)
    .catch(() => ({ sites: [] }));
  return {
    orders: n,
    deliveredEvents: Number(r.delivered_events),
    ordersDeliveredTwice: Number(r.orders_twice),
    ordersBoughtTwice: Number(r.creates_twice),
    ordersWithoutJob: Number(r.lost_jobs),
    registrations,
    sites: sites.sites.length,
    /** orders whose name did not get exactly one purchase request at the registrar (its books) */
    purchaseRequestsNotOne: orders.filter((o) => purchases.get(o.domain)?.length !== 1).length,
    /** orders for which the host did not make exactly one site (its books) */
    sitesMadeNotOne: orders.filter((o) => sitesMade.get(o.id) !== 1).length,
    emailsSent,
    smtpMessages: smtp.length,
    smtpDuplicates: keys.length - new Set(keys).size,
  };
}
