// c) Concurrency: N orders in flight at once with the realistic latency model scaled down: peak memory of each
// process, none lost, every one delivered.
import { table, type Benchmark } from './lib/bench.ts';
import { pipelineRun } from './lib/pipeline-run.ts';
import { describeRun } from './pipeline.ts';
import { fmt, mb, ratio } from './lib/stats.ts';

/** Netlify API quota for n orders at ≈ 11 requests each, 500 a minute. */
const quota = (n: number) => {
  const minutes = (n * 11) / 500;
  return minutes >= 120 ? `${fmt(minutes / 60)} hours` : `${fmt(minutes)} minutes`;
};

/**
 * Idle against peak memory for the app's processes and PostgreSQL (the sum of its processes' proportional set sizes).
 * Not the bench process: it runs every figure of the run and the whole sandbox world.
 */
function memoryRows(r: Awaited<ReturnType<typeof pipelineRun>>, orders: number): string[][] {
  const peaks: Record<string, number> = { ...r.rss, 'PostgreSQL (all processes, PSS)': r.pgRssPeak };
  delete peaks['bench + sandbox world (1 process)'];
  return Object.entries(peaks).map(([name, peak]) => {
    const idle = r.idle?.[name] ?? NaN;
    return [name, mb(idle), mb(peak), mb(peak - idle), mb(((peak - idle) * 1000) / orders), ratio(peak, idle)];
  });
}

export const concurrencyBench: Benchmark = {
  name: 'concurrency',
  key: 'c',
  title: 'c) Concurrency — orders all in flight at once, realistic provider latency scaled down',
  rerun:
    'npm run bench -- concurrency   (--set concurrency.orders=10000 --set concurrency.latencyScale=0.1 --set concurrency.workers=2 --set concurrency.workerConcurrency=50)',
  async run(ctx) {
    const orders = ctx.size('concurrency.orders');
    const scale = ctx.size('concurrency.latencyScale');
    const workers = ctx.size('concurrency.workers');
    const perWorker = ctx.size('concurrency.workerConcurrency');
    const r = await pipelineRun(ctx, {
      name: 'concurrency',
      orders,
      workers,
      latencyScale: scale,
      env: { WORKER_CONCURRENCY: String(perWorker) },
      timeoutMs: ctx.size('concurrency.timeoutMinutes') * 60_000,
      idleFirst: true,
    });
    const d = describeRun(r);
    const i = r.integrity;
    const lost = r.orders - r.record.delivered;
    // the app's records (delivered once, bought once, each email once) and the providers' own: one purchase request
    // per name at the registrar, one site made per order at the host, one registration and one site held per order
    const ok =
      lost === 0 &&
      i.ordersDeliveredTwice === 0 &&
      i.ordersBoughtTwice === 0 &&
      i.registrations === r.orders &&
      i.sites === r.orders &&
      i.purchaseRequestsNotOne === 0 &&
      i.sitesMadeNotOne === 0 &&
      i.smtpDuplicates === 0 &&
      // each order: its progress email, its delivery email and its invoice (the payment received)
      i.emailsSent === 3 * r.orders;
    return {
      ran: `${workers} worker processes × WORKER_CONCURRENCY=${perWorker} started idle, then ${orders} orders paid at once (in ${fmt(r.paySeconds)} s); latency model × ${scale}: ${r.latency}`,
      lines: [
        ...table(
          ['measure', 'value'],
          [
            ['orders in flight once paid', orders],
            [
              "every one delivered, none lost, nothing twice (the app's records, and the registrar's and the host's books)",
              ok
                ? '**yes**'
                : `**NO** (${lost} not delivered; ${i.purchaseRequestsNotOne} names without one purchase request, ${i.sitesMadeNotOne} orders without one site made, ${i.registrations} registrations, ${i.sites} sites)`,
            ],
            ['total time (first step → last delivery)', `${fmt(r.record.windowSeconds)} s`],
            ['orders/s', fmt(d.rates.ordersPerSecond)],
          ],
        ),
        '',
        `Memory, each process idle (started, no order yet: the **reference**) against its peak with ${orders} orders in flight:`,
        '',
        ...table(['process', 'idle', `peak, ${orders} in flight`, 'difference', 'per 1,000 orders in flight', '**ratio** peak ÷ idle'], memoryRows(r, orders)),
        '',
        ...d.lines,
      ],
      limits: [
        `Provider limits **off**: with Netlify's real 500 requests/min per token, ${orders} orders (≈ 11 requests each) would need about ${quota(orders)} of API quota on one account, whatever we do.`,
        `Latency: each sandbox server answers after a uniform delay taken from the providers' usual latencies × ${scale} (bench/lib/bench.ts, REALISTIC_LATENCY_MS); a step holds its worker slot while it waits, so throughput here is bounded by worker slots ÷ latency per order, and memory by the number of orders and jobs in flight.`,
        "Memory: a worker's peak is its resident set's high-water mark (VmHWM), its idle figure its resident set 3 s after it started with no order in the database; the bench process and PostgreSQL are sampled every 0.5 s. The bench process also holds the whole sandbox world (every site, deploy, certificate and email of the run, in memory), which grows with the orders whatever the app does. The workers start before the orders are paid (to be measured idle); paying them all takes seconds, against minutes for the run.",
      ],
    };
  },
};
