// b) Pipeline throughput: N paid orders through the whole pipeline with zero-latency sandbox providers, against
// graphile-worker's raw no-op job throughput in the same database with the same worker options.
import { defaults, table, type Benchmark, type BenchContext } from './lib/bench.ts';
import { pipelineRun } from './lib/pipeline-run.ts';
import { rawJobThroughput } from './lib/rawjobs.ts';
import { fmt, mb, ms, ratio } from './lib/stats.ts';
import { pipeline } from '../src/workflow/pipeline.ts';

const pipelineSteps = pipeline.length;

export type PipelineRunResult = Awaited<ReturnType<typeof pipelineRun>>;

/** The rows every pipeline figure shares: time, rates, CPU and memory by process, integrity. */
export function describeRun(r: PipelineRunResult): { rates: { ordersPerSecond: number; stepsPerSecond: number; stepRunsPerSecond: number }; lines: string[] } {
  const rec = r.record;
  const ordersPerSecond = rec.delivered / rec.windowSeconds;
  const stepsPerSecond = rec.stepsDone / rec.windowSeconds;
  const stepRunsPerSecond = rec.stepRuns / rec.windowSeconds;
  const cpuRows = Object.entries(r.cpu.byProcess).map(([name, c]) => [
    name,
    `${fmt(c.seconds)} s`,
    `${fmt(c.share * 100)} %`,
    ms((c.seconds * 1000) / Math.max(1, rec.stepRuns)),
    r.rss[name] ? mb(r.rss[name]!) : name.startsWith('PostgreSQL') ? `${mb(r.pgRssPeak)} (all processes, PSS, peak sample)` : '–',
  ]);
  const i = r.integrity;
  const lines = [
    ...table(['process', 'CPU', 'share of one core', 'CPU a step run', 'peak RSS'], cpuRows),
    '',
    `Integrity: ${rec.delivered}/${r.orders} delivered${r.waited.timedOut ? ' (**timed out**)' : ''}, states ${JSON.stringify(r.waited.states)}; ` +
      `${i.ordersDeliveredTwice} delivered twice, ${i.ordersBoughtTwice} bought twice, ${i.registrations} registrations, ${i.sites} sites, ` +
      `in the providers' books ${i.purchaseRequestsNotOne} names without exactly one purchase request and ${i.sitesMadeNotOne} orders without exactly one site made, ` +
      `${i.emailsSent} emails sent (${i.smtpMessages} received by the sandbox SMTP, ${i.smtpDuplicates} duplicates); ` +
      `${rec.retries} step retries, ${rec.waits} step waits.`,
    ...r.statements,
  ];
  lines.push(
    '',
    'Where the time goes — each step, first start to completion (queueing for a worker slot excluded, waits included):',
    '',
    ...table(
      ['step', 'n', 'p50', 'p99', 'mean'],
      r.breakdown.steps.map((x) => [x.step, x.n, ms(x.p50), ms(x.p99), ms(x.mean)]),
    ),
    '',
    'Provider calls as the adapters saw them (`provider_calls.duration_ms`):',
    '',
    ...table(
      ['call', 'n', 'p50', 'p99', 'mean'],
      r.breakdown.calls.map((x) => [x.call, x.n, ms(x.p50), ms(x.p99), ms(x.mean)]),
    ),
  );
  return { rates: { ordersPerSecond, stepsPerSecond, stepRunsPerSecond }, lines };
}

export async function pipelineFigure(ctx: BenchContext, workers: number, name: string, orders = ctx.size('pipeline.orders')) {
  const key = `pipeline:${orders}:${workers}`;
  const cached = ctx.shared.get(key) as PipelineRunResult | undefined;
  if (cached) return cached;
  const r = await pipelineRun(ctx, { name, orders, workers, timeoutMs: ctx.size('pipeline.timeoutMinutes') * 60_000 });
  ctx.shared.set(key, r);
  return r;
}

export const pipelineBench: Benchmark = {
  name: 'pipeline',
  key: 'b',
  title: 'b) Pipeline throughput — paid orders through the whole pipeline, zero-latency sandbox providers',
  rerun: 'npm run bench -- pipeline   (--set pipeline.orders=10000)',
  async run(ctx) {
    const orders = ctx.size('pipeline.orders');
    const concurrency = defaults.WORKER_CONCURRENCY; // what `npm start` runs
    let raw!: Awaited<ReturnType<typeof rawJobThroughput>>;
    let chained!: Awaited<ReturnType<typeof rawJobThroughput>>;
    const r = await pipelineRun(ctx, {
      name: 'pipeline',
      orders,
      workers: 1,
      timeoutMs: ctx.size('pipeline.timeoutMinutes') * 60_000,
      before: async (s) => {
        // at the pipeline's queue depth (one job per order in flight): plain no-op jobs, as many as orders, then the same
        // number of jobs as the pipeline's steps in chains, each job enqueuing the next as a step does
        raw = await rawJobThroughput(s.databaseUrl, { chains: orders, length: 1, concurrency });
        ctx.log(`raw graphile-worker: ${raw.jobs} no-op jobs in ${raw.seconds.toFixed(2)} s = ${Math.round(raw.jobsPerSecond)} jobs/s`);
        chained = await rawJobThroughput(s.databaseUrl, { chains: orders, length: pipelineSteps, concurrency });
        ctx.log(
          `chained graphile-worker: ${chained.jobs} no-op jobs (${orders} chains of ${pipelineSteps}) in ${chained.seconds.toFixed(2)} s = ${Math.round(chained.jobsPerSecond)} jobs/s`,
        );
      },
    });
    ctx.shared.set(`pipeline:${orders}:1`, r);
    const d = describeRun(r);
    const rec = r.record;
    return {
      ran: `${orders} orders, 1 worker process (WORKER_CONCURRENCY=${concurrency}); references: ${raw.jobs} no-op jobs, then ${chained.jobs} in ${orders} chains of ${pipelineSteps}`,
      lines: [
        ...table(
          ['measure', 'value'],
          [
            ['orders delivered', `${rec.delivered} / ${orders}`],
            ['total time (first step started → last order delivered)', `${fmt(rec.windowSeconds)} s`],
            ['orders/s', fmt(d.rates.ordersPerSecond)],
            ['pipeline steps completed/s (8 steps an order)', fmt(d.rates.stepsPerSecond)],
            ['step jobs run/s (waits and retries included)', fmt(d.rates.stepRunsPerSecond)],
            ['paying them beforehand (markPaid, 16 at a time, in the bench process)', `${fmt(r.paySeconds)} s`],
            [
              `**reference**: graphile-worker raw no-op jobs/s, ${raw.depth} queued (the pipeline's queue depth: one job per order), same database, same options (1 process, concurrency ${concurrency}, localQueue 50)`,
              fmt(raw.jobsPerSecond),
            ],
            ['**ratio** steps/s ÷ raw no-op jobs/s', ratio(d.rates.stepsPerSecond, raw.jobsPerSecond)],
            [
              `reference 2: no-op jobs in ${chained.depth} chains of ${pipelineSteps} (${chained.depth} queued throughout; each job enqueues the next under a job key, as a step does)`,
              fmt(chained.jobsPerSecond),
            ],
            ['ratio 2: steps/s ÷ chained no-op jobs/s', ratio(d.rates.stepsPerSecond, chained.jobsPerSecond)],
          ],
        ),
        '',
        ...d.lines,
      ],
      limits: [
        "Provider limits **off** (`SANDBOX_PROVIDER_LIMITS=off`): the sandbox Netlify and Namecheap enforce no quota and our shared PostgreSQL limiter is not consulted. With Netlify's real 500 API requests/min per token (≈ 10–12 requests an order) one account would cap the pipeline at ≈ 40–50 orders/min whatever our speed; this figure measures our side.",
        "Providers answer at once (no latency model). What is left is CPU: the worker's own work for each step (its provider calls over HTTP, the site check over TLS, the emails, its statements: one to open the step, one to close it, graphile-worker's fetch and completion), PostgreSQL's and the sandbox world's (which plays every provider: HTTP APIs, DNS, TLS edge, certificates), all on the same 2 cores — see the CPU table, the machine's own load above, and \"What limits the figures\" at the top of this file. One worker process is at most one core.",
        'Orders are inserted in bulk and paid by calling `markPaid` directly (what the webhook job calls), before the worker starts; the clock starts at the first step.',
      ],
    };
  },
};
