// g) Orchestration overhead: each order's end-to-end time (paid → delivered) against the time its providers spent on
// its critical path, the physical limit: the pipeline steps' own provider calls, less the time the deploy call spent
// pausing between two looks at the deploy's state (a wait of ours, not the host's work).
import { sql } from 'kysely';
import { pipeline } from '../src/workflow/pipeline.ts';
import { defaults, table, type Benchmark } from './lib/bench.ts';
import { pipelineRun } from './lib/pipeline-run.ts';
import { fmt, ms, summary } from './lib/stats.ts';

/**
 * The providers the steps call (registrar, host). Every other call of an order is off its critical path: the emails
 * go through their own jobs (the progress email is sent while deploy_site runs), the payment link came before payment.
 */
const CRITICAL_PROVIDERS = ['namecheap', 'netlify'];

interface PerOrder {
  e2e: number;
  /** the steps' provider calls, the deploy's pauses taken out */
  provider: number;
  /** the deploy call's pauses between looks at the deploy */
  pauses: number;
  /** what the figure counted before it read only the critical path: every call of the order up to delivery */
  everyCall: number;
  calls: number;
}

export const overheadBench: Benchmark = {
  name: 'overhead',
  key: 'g',
  title: "g) Orchestration overhead — end-to-end time of each order against its providers' latency",
  rerun: 'npm run bench -- overhead   (--set overhead.orders=200 --set overhead.perSecond=2 --set overhead.latencyScale=0.1)',
  async run(ctx) {
    const orders = ctx.size('overhead.orders');
    const perSecond = ctx.size('overhead.perSecond');
    const scale = ctx.size('overhead.latencyScale');
    const r = await pipelineRun(ctx, {
      name: 'overhead',
      orders,
      workers: 1,
      latencyScale: scale,
      payPerSecond: perSecond,
      timeoutMs: ctx.size('pipeline.timeoutMinutes') * 60_000,
      analyse: async (s) => {
        // a call is on the critical path when a step of the order made it: its provider is one the steps call and it
        // ended between payment and delivery
        const { rows } = await sql<{ e2e_ms: number; provider_ms: string; every_ms: string; calls: string; pauses_ms: string | null }>`
          select extract(epoch from o.delivered_at - o.paid_at) * 1000 as e2e_ms,
                 coalesce((select sum(duration_ms) from provider_calls c where c.order_id = o.id and c.at > o.paid_at and c.at <= o.delivered_at
                           and c.provider = any(${CRITICAL_PROVIDERS})), 0) as provider_ms,
                 coalesce((select sum(duration_ms) from provider_calls c where c.order_id = o.id and c.at <= o.delivered_at), 0) as every_ms,
                 (select count(*) from provider_calls c where c.order_id = o.id and c.at > o.paid_at and c.at <= o.delivered_at
                   and c.provider = any(${CRITICAL_PROVIDERS})) as calls,
                 (select (output->>'pausedMs') from order_steps st where st.order_id = o.id and st.step = 'deploy_site') as pauses_ms
          from orders o where o.state = 'delivered'`.execute(s.db);
        const { rows: ops } = await sql<{ provider: string; operation: string; n: string; ms: string; critical: boolean }>`
          select c.provider, c.operation, count(*) as n, sum(c.duration_ms) as ms, c.provider = any(${CRITICAL_PROVIDERS}) as critical
          from provider_calls c join orders o on o.id = c.order_id
          where o.state = 'delivered' and c.at <= o.delivered_at
          group by 1, 2, 5 order by 5 desc, 4 desc`.execute(s.db);
        const perOrder: PerOrder[] = rows.map((x) => {
          const pauses = Number(x.pauses_ms ?? 0);
          return { e2e: Number(x.e2e_ms), provider: Number(x.provider_ms) - pauses, pauses, everyCall: Number(x.every_ms), calls: Number(x.calls) };
        });
        return { perOrder, ops };
      },
    });
    const extra = r.extra as { perOrder: PerOrder[]; ops: { provider: string; operation: string; n: string; ms: string; critical: boolean }[] };
    const per = extra.perOrder;
    const e2e = summary(per.map((p) => p.e2e));
    const prov = summary(per.map((p) => p.provider));
    const ratios = summary(per.map((p) => p.e2e / p.provider));
    const over = summary(per.map((p) => p.e2e - p.provider));
    const pauses = summary(per.map((p) => p.pauses));
    const every = summary(per.map((p) => p.everyCall));
    const everyRatio = summary(per.map((p) => p.e2e / p.everyCall));
    const calls = summary(per.map((p) => p.calls));
    const steps = new Set(pipeline.map((p) => p.step.name));
    const n = per.length || 1;
    return {
      ran: `${orders} orders paid at ${perSecond}/s (steady arrivals, no backlog), 1 worker process (WORKER_CONCURRENCY=${defaults.WORKER_CONCURRENCY}); latency model × ${scale}: ${r.latency}`,
      lines: [
        ...table(
          ['per order', 'p50', 'p90', 'p99', 'max'],
          [
            ['end to end (paid_at → delivered_at)', ms(e2e.p50), ms(e2e.p90), ms(e2e.p99), ms(e2e.max)],
            ["its providers' time on the critical path (the physical limit)", ms(prov.p50), ms(prov.p90), ms(prov.p99), ms(prov.max)],
            ['overhead (difference)', ms(over.p50), ms(over.p90), ms(over.p99), ms(over.max)],
            ['**ratio** end to end ÷ provider time', `×${fmt(ratios.p50)}`, `×${fmt(ratios.p90)}`, `×${fmt(ratios.p99)}`, `×${fmt(ratios.max)}`],
            ["of the overhead: the deploy call's pauses between looks at the deploy", ms(pauses.p50), ms(pauses.p90), ms(pauses.p99), ms(pauses.max)],
            ['as counted before (every call of the order up to delivery, pauses included)', ms(every.p50), ms(every.p90), ms(every.p99), ms(every.max)],
            ['ratio as counted before', `×${fmt(everyRatio.p50)}`, `×${fmt(everyRatio.p90)}`, `×${fmt(everyRatio.p99)}`, `×${fmt(everyRatio.max)}`],
          ],
        ),
        '',
        `- ${per.length}/${orders} orders delivered; ${fmt(calls.p50)} provider calls on the critical path an order (p50); ${r.record.waits} step waits, ${r.record.retries} retries.`,
        '',
        "The order's recorded provider calls up to delivery, an order on average (counted: those of the pipeline's steps):",
        '',
        ...table(
          ['provider', 'operation', 'calls', 'ms', 'counted'],
          extra.ops.map((o) => [o.provider, o.operation, fmt(Number(o.n) / n), fmt(Number(o.ms) / n), o.critical ? 'yes' : 'no: off the critical path']),
        ),
        '',
        `Where the time goes — each step (${[...steps].join(', ')}), first start to completion:`,
        '',
        ...table(
          ['step', 'n', 'p50', 'p99'],
          r.breakdown.steps.map((x) => [x.step, x.n, ms(x.p50), ms(x.p99)]),
        ),
      ],
      limits: [
        "The physical limit counted here is the time the steps' provider calls took as the adapters record it in `provider_calls` (registrar: check, purchase, DNS records; host: site, deploy, domain, certificate), less the time the deploy call spent pausing between two looks at the deploy's state (`pausedMs` in the step's output: the adapter looks again after 100 ms, then backs off, while the sandbox host is ready 25 ms after the last file). The emails are sent by their own jobs, off the critical path, and not counted. The DNS lookups of wait_dns and verify_site and the HTTPS fetches of verify_site are not recorded there, so their time (a few ms at this scale) counts as overhead.",
        "Overhead is what the orchestration adds: job pickup after each step (graphile-worker is woken by LISTEN/NOTIFY; the local queue fetches in batches), the step's own statements (one to open it, one to close it, each a commit), the deploy's polling pauses, and the sandbox world sharing the 2 cores. Provider limits **off**; payments arrive at a steady rate so that no order waits for a worker slot.",
      ],
    };
  },
};
