// g) Orchestration overhead: each order's end-to-end time (paid → delivered) against the sum of the provider
// latencies on its critical path (provider_calls.duration_ms of its steps), the physical limit.
import { sql } from 'kysely';
import { defaults, table, type Benchmark } from './lib/bench.ts';
import { pipelineRun } from './lib/pipeline-run.ts';
import { fmt, ms, summary } from './lib/stats.ts';

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
        const { rows } = await sql<{ e2e_ms: number; provider_ms: string; calls: string }>`
          select extract(epoch from o.delivered_at - o.paid_at) * 1000 as e2e_ms,
                 coalesce((select sum(duration_ms) from provider_calls c where c.order_id = o.id and c.at <= o.delivered_at), 0) as provider_ms,
                 (select count(*) from provider_calls c where c.order_id = o.id and c.at <= o.delivered_at) as calls
          from orders o where o.state = 'delivered'`.execute(s.db);
        return { perOrder: rows.map((x) => ({ e2e: Number(x.e2e_ms), provider: Number(x.provider_ms), calls: Number(x.calls) })) };
      },
    });
    const per = (r.extra as { perOrder: { e2e: number; provider: number; calls: number }[] }).perOrder;
    const e2e = summary(per.map((p) => p.e2e));
    const prov = summary(per.map((p) => p.provider));
    const ratios = summary(per.map((p) => p.e2e / p.provider));
    const over = summary(per.map((p) => p.e2e - p.provider));
    const calls = summary(per.map((p) => p.calls));
    return {
      ran: `${orders} orders paid at ${perSecond}/s (steady arrivals, no backlog), 1 worker process (WORKER_CONCURRENCY=${defaults.WORKER_CONCURRENCY}); latency model × ${scale}: ${r.latency}`,
      lines: [
        ...table(
          ['per order', 'p50', 'p90', 'p99', 'max'],
          [
            ['end to end (paid_at → delivered_at)', ms(e2e.p50), ms(e2e.p90), ms(e2e.p99), ms(e2e.max)],
            ['sum of its provider calls (the physical limit)', ms(prov.p50), ms(prov.p90), ms(prov.p99), ms(prov.max)],
            ['overhead (difference)', ms(over.p50), ms(over.p90), ms(over.p99), ms(over.max)],
            ['**ratio** end to end ÷ provider time', `×${fmt(ratios.p50)}`, `×${fmt(ratios.p90)}`, `×${fmt(ratios.p99)}`, `×${fmt(ratios.max)}`],
          ],
        ),
        '',
        `- ${per.length}/${orders} orders delivered; ${fmt(calls.p50)} recorded provider calls an order (p50); ${r.record.waits} step waits, ${r.record.retries} retries.`,
        '',
        'Where the time goes — each step, first start to completion:',
        '',
        ...table(
          ['step', 'n', 'p50', 'p99'],
          r.breakdown.steps.map((x) => [x.step, x.n, ms(x.p50), ms(x.p99)]),
        ),
      ],
      limits: [
        'The physical limit counted here is what the adapters record in `provider_calls` (registrar, host, certificate). The DNS lookups of wait_dns and verify_site and the HTTPS fetches of verify_site are not recorded there, so their time (a few ms at this scale) counts as overhead; the emails are sent by their own jobs, off the critical path.',
        "Overhead is what the orchestration adds: job pickup after each step (graphile-worker is woken by LISTEN/NOTIFY; the local queue fetches in batches), the step's own statements (one to open it, one to close it, each a commit) and the sandbox world sharing the 2 cores. Provider limits **off**; payments arrive at a steady rate so that no order waits for a worker slot.",
      ],
    };
  },
};
