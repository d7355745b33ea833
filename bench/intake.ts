// a) Intake: POST /api/request-concierge-service at fixed rates (open loop, a separate load-generator process),
// against a bare Fastify route on the same machine at the same rates.
import { defaults, table, type Benchmark } from './lib/bench.ts';
import { BENCH_HOLDER } from './lib/holders.ts';
import { HTTP_HEAD, httpRow } from './lib/http-figure.ts';
import { runLoad, startBareServer } from './lib/load.ts';
import { startScenario } from './lib/scenario.ts';
import { sql } from 'kysely';
import { CpuMeter, cpuSeconds, postgresCpuSeconds } from './lib/procs.ts';
import { fmt, ms, ratio, summary } from './lib/stats.ts';
import { statementLines } from './lib/statements.ts';

const BUSY_TRIES = 8;
/** requests before the measured ones (not counted), at a rate the API takes on 2 cores */
const WARMUP = { rate: 40, seconds: 5 };
/** the API runs with the defaults (the scenario sets neither) */
const admission = defaults;

export const intakeBench: Benchmark = {
  name: 'intake',
  key: 'a',
  title: 'a) Intake — POST /api/request-concierge-service at fixed rates, against a bare Fastify route',
  rerun: 'npm run bench -- intake   (--set intake.rates=100,500 --set intake.seconds=30)',
  async run(ctx) {
    const rates = ctx.sizeList('intake.rates');
    const seconds = ctx.size('intake.seconds');
    // 30 requests a minute per client is the route's limit: the load comes from one address, so it is raised
    const s = await startScenario(ctx.pg, 'intake', { RATE_LIMIT_SCALE: '100000', SANDBOX_PROVIDER_LIMITS: 'off' });
    const bare = await startBareServer();
    try {
      const api = await s.spawnApi();
      // a fresh process compiles its hot code during its first few hundred requests; a production process is warm
      await runLoad({
        mode: 'http',
        url: `${api.url}/api/request-concierge-service`,
        rate: WARMUP.rate,
        durationSec: WARMUP.seconds,
        busyTries: BUSY_TRIES,
        body: { kind: 'intake', tag: 'warmup' },
      });
      ctx.log(`API warmed up (${WARMUP.rate * WARMUP.seconds} requests at ${WARMUP.rate}/s, not counted)`);
      const rows: (string | number)[][] = [];
      const ratios: string[] = [];
      const cpu: string[] = [];
      const shed: string[] = [];
      const statements: string[] = [];
      const orderCount = async () => Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(s.db)).rows[0]!.n);
      const selfCpu = () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1e6;
      };
      for (const rate of rates) {
        const bareMeter = new CpuMeter({ server: () => cpuSeconds(bare.pid) }).start();
        const b = await runLoad({ mode: 'http', url: bare.url, rate, durationSec: seconds, body: { kind: 'json', json: sampleBody(rate) } });
        const bareCpu = bareMeter.stop();
        ctx.log(`bare Fastify at ${rate}/s done`);
        await ctx.pg.resetStatements();
        const ordersBefore = await orderCount();
        const meter = new CpuMeter({ api: () => api.cpuSeconds(), world: selfCpu, postgres: () => postgresCpuSeconds(ctx.pg.dataDir) }).start();
        // the load behaves like the web form: a 503 busy is sent again after its Retry-After, with the same Idempotency-Key
        const r = await runLoad({
          mode: 'http',
          url: `${api.url}/api/request-concierge-service`,
          rate,
          durationSec: seconds,
          busyTries: BUSY_TRIES,
          body: { kind: 'intake', tag: `r${rate}` },
        });
        const apiCpu = meter.stop();
        ctx.log(`intake at ${rate}/s done; letting the API finish its backlog`);
        // requests the generator gave up on (30 s) are still being served: wait until no new order appears for 3 s
        for (let last = -1, until = Date.now() + 300_000; Date.now() < until; ) {
          const { rows } = await sql<{ n: string }>`select count(*) as n from orders`.execute(s.db);
          if (Number(rows[0]!.n) === last) break;
          last = Number(rows[0]!.n);
          await new Promise((res) => setTimeout(res, 3000));
        }
        const taken = (await orderCount()) - ordersBefore;
        statements.push(...(await statementLines(ctx, s, taken, `an order taken at ${rate}/s`)));
        const br = httpRow('bare Fastify route', rate, b);
        const ir = httpRow('**intake**', rate, r);
        rows.push(br.cells, ir.cells);
        ratios.push(`at ${rate}/s: p50 ${ratio(ir.s.p50, br.s.p50)}, p99 ${ratio(ir.s.p99, br.s.p99)}`);
        const first = summary(r.firstAnswerMs);
        const stillBusy = r.statuses['503'] ?? 0;
        shed.push(
          `at ${rate}/s: ${r.requestsRefusedOnce} of ${r.sent} requests were answered 503 busy at least once (${r.busyAnswers} busy answers in all) and sent again; ` +
            `first answer (taken or busy) p50 ${ms(first.p50)}, p99 ${ms(first.p99)}, max ${ms(first.max)}; ` +
            (stillBusy
              ? `${stillBusy} were still busy after ${BUSY_TRIES} tries (the form would tell the customer to try again later)`
              : `every one was taken in the end`),
        );
        cpu.push(
          `at ${rate}/s: API process ${fmt(apiCpu.byProcess.api!.share * 100)} % of one core (${fmt((apiCpu.byProcess.api!.seconds * 1000) / Math.max(1, r.completed))} ms CPU a request), ` +
            `PostgreSQL ${fmt(apiCpu.byProcess.postgres!.share * 100)} % (${fmt((apiCpu.byProcess.postgres!.seconds * 1000) / Math.max(1, r.completed))} ms a request), sandbox world (RDAP, Stripe) ${fmt(apiCpu.byProcess.world!.share * 100)} %, bare server ${fmt(bareCpu.byProcess.server!.share * 100)} %, ` +
            `load generator ${fmt((r.generatorCpuSeconds / r.wallSeconds) * 100)} %; generator sent at worst ${fmt(r.maxSendLagMs)} ms late`,
        );
      }
      const { rows: stored } = await sql<{ n: string }>`select count(*) as n from orders where domain not like 'load-warmup-%'`.execute(s.db);
      return {
        ran: `${rates.join(' and ')} requests/s for ${seconds} s each, one API process (--role=api) warmed up first by ${WARMUP.rate * WARMUP.seconds} requests, keep-alive connections (up to 512)`,
        lines: [
          ...table(HTTP_HEAD, rows),
          '',
          `**Ratio** intake ÷ bare route: ${ratios.join('; ')}.`,
          '',
          "The intake rows count each request from its first scheduled departure to its final answer, busy answers and their Retry-After waits included: the customer's whole wait.",
          '',
          ...shed.map((c) => `- ${c}`),
          ...cpu.map((c) => `- ${c}`),
          `- ${stored[0]!.n} orders stored (each answered 201 with its Stripe Checkout link).`,
          ...statements,
        ],
        limits: [
          `The route's rate limit (30 requests/min per client) is raised with \`RATE_LIMIT_SCALE=100000\`: every request comes from 127.0.0.1. Provider limits are **off**: intake confirms every name with the registrar (\`domains.check\`), so with them on it could not take more orders than the Namecheap limit allows (\`NAMECHEAP_PER_MINUTE\`: 50 a minute against Namecheap, 600 against the sandbox) — that, not our code, bounds intake in production.`,
          'Each request (4 statements: the idempotency-key lookup, the order with its events and link, the link opened with its email and expiry check, and the HTTP rate-limit counter) checks the name over RDAP and with the registrar and creates a Stripe Checkout session, all against the sandbox with zero latency (real RDAP and Stripe add 0.3–1 s of waiting, not CPU). The sandbox world runs in the bench process and takes its share of the same 2 cores; the API runs alone (`--role=api`, no worker in the run: the confirmation emails wait in the queue).',
          `Past what the process can serve, the admission line (\`ADMISSION_MAX_IN_FLIGHT\`=${admission.ADMISSION_MAX_IN_FLIGHT} at once, \`ADMISSION_MAX_WAIT_MS\`=${admission.ADMISSION_MAX_WAIT_MS} in line, src/http/admission.ts) answers 503 busy with Retry-After instead of letting every request wait: the capacity is what the "answered" column shows for the taken ones.`,
          "Latency is counted from each request's scheduled departure (open loop, no coordinated omission): once the API falls behind the offered rate, queueing shows in p99 and max.",
        ],
      };
    } finally {
      await bare.stop();
      await s.stop();
    }
  },
};

/** The same shape and size as an intake request, for the bare route. */
function sampleBody(i: number) {
  return {
    acceptTerms: true,
    earlyStart: true,
    businessName: `Atelier ${i}`,
    email: `load-${i}@example.org`,
    domain: `load-${i}.fr`,
    tier: 'express',
    locale: 'fr',
    city: 'Lyon',
    holder: BENCH_HOLDER,
  };
}
