// e) Webhooks: signed Stripe payment webhooks at a fixed rate, a tenth of them duplicates (Stripe redelivers), against
// a bare Fastify route at the same rate; then every event must have been processed exactly once.
import { sql } from 'kysely';
import { table, type Benchmark } from './lib/bench.ts';
import { HTTP_HEAD, httpRow } from './lib/http-figure.ts';
import { runLoad, startBareServer } from './lib/load.ts';
import { createOrders } from './lib/orders.ts';
import { startScenario } from './lib/scenario.ts';
import { CpuMeter, postgresCpuSeconds } from './lib/procs.ts';
import { fmt, ratio } from './lib/stats.ts';

export const webhooksBench: Benchmark = {
  name: 'webhooks',
  key: 'e',
  title: 'e) Webhooks — signed Stripe payment webhooks at a fixed rate, a tenth of them duplicates',
  rerun: 'npm run bench -- webhooks   (--set webhooks.rate=200 --set webhooks.seconds=30)',
  async run(ctx) {
    const rate = ctx.size('webhooks.rate');
    const seconds = ctx.size('webhooks.seconds');
    const total = Math.round(rate * seconds);
    const s = await startScenario(ctx.pg, 'webhooks', { SANDBOX_PROVIDER_LIMITS: 'off' });
    const bare = await startBareServer();
    try {
      // bench-only bookkeeping: every time processed_at changes from null, and any time it changes again
      await sql`create table bench_processed (event_id bigint not null, at timestamptz not null default clock_timestamp())`.execute(s.db);
      await sql`create function bench_processed() returns trigger language plpgsql as $$
        begin
          if new.processed_at is distinct from old.processed_at then insert into bench_processed (event_id) values (new.id); end if;
          return new;
        end $$`.execute(s.db);
      await sql`create trigger bench_processed after update on webhook_events for each row execute function bench_processed()`.execute(s.db);

      const unique = total - Math.floor(total / 10);
      const orders = await createOrders(s.deps, unique, 'wh');
      const events = orders.map((o, k) =>
        JSON.stringify({
          id: `evt_bench_${k}`,
          object: 'event',
          api_version: '2024-06-20',
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type: 'checkout.session.completed',
          data: {
            object: {
              id: o.sessionId,
              object: 'checkout.session',
              mode: 'payment',
              status: 'complete',
              payment_status: 'paid',
              payment_intent: `pi_bench_${k}`,
              amount_total: o.totalCents,
              currency: s.config.CURRENCY.toLowerCase(),
              client_reference_id: o.id,
            },
          },
        }),
      );
      // every tenth delivery repeats one sent a moment earlier, as Stripe does when an acknowledgement is slow
      const payloads: string[] = [];
      let next = 0;
      for (let i = 0; i < total; i++) payloads.push(i % 10 === 9 && next > 5 ? events[next - 5]! : events[Math.min(next++, events.length - 1)]!);
      const duplicatesSent = total - new Set(payloads).size;

      const api = await s.spawnApi();
      const worker = await s.spawnWorker();
      const b = await runLoad({ mode: 'http', url: bare.url, rate, durationSec: seconds, body: { kind: 'json', json: JSON.parse(events[0]!) } });
      ctx.log(`bare Fastify at ${rate}/s done`);
      await ctx.pg.resetStatements();
      const meter = new CpuMeter({
        api: () => api.cpuSeconds(),
        worker: () => worker.cpuSeconds(),
        postgres: () => postgresCpuSeconds(ctx.pg.dataDir),
      }).start();
      const r = await runLoad({
        mode: 'http',
        url: `${api.url}/api/concierge/webhook/payment`,
        rate,
        durationSec: seconds,
        body: { kind: 'webhook', secret: s.world.credentials.stripeWebhookSecret, payloads },
      });
      const cpu = meter.stop();
      ctx.log(`webhooks at ${rate}/s done; waiting for their processing`);
      const t0 = Date.now();
      let pending = 0;
      for (;;) {
        const { rows } = await sql<{ n: string }>`select count(*) as n from webhook_events where processed_at is null`.execute(s.db);
        pending = Number(rows[0]!.n);
        if (pending === 0 || Date.now() - t0 > 300_000) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      const drainSeconds = (Date.now() - t0) / 1000;
      const { rows } = await sql<{
        stored: string;
        processed: string;
        set_once: string;
        set_more: string;
        paid_events: string;
        paid_twice: string;
        orders_paid: string;
        lag_p50: number;
        lag_p99: number;
      }>`
        select (select count(*) from webhook_events) as stored,
               (select count(*) from webhook_events where processed_at is not null) as processed,
               (select count(*) from (select event_id from bench_processed group by event_id having count(*) = 1) t) as set_once,
               (select count(*) from (select event_id from bench_processed group by event_id having count(*) > 1) t) as set_more,
               (select count(*) from order_events where type = 'payment_received') as paid_events,
               (select count(*) from (select order_id from order_events where type = 'payment_received' group by order_id having count(*) > 1) t) as paid_twice,
               (select count(*) from orders where paid_at is not null) as orders_paid,
               (select percentile_cont(0.5) within group (order by extract(epoch from processed_at - received_at) * 1000) from webhook_events) as lag_p50,
               (select percentile_cont(0.99) within group (order by extract(epoch from processed_at - received_at) * 1000) from webhook_events) as lag_p99`.execute(
        s.db,
      );
      const x = rows[0]!;
      const br = httpRow('bare Fastify route', rate, b);
      const wr = httpRow('**webhook route** (verify signature, store once, enqueue)', rate, r);
      const exact =
        Number(x.stored) === unique &&
        Number(x.set_once) === unique &&
        Number(x.set_more) === 0 &&
        Number(x.paid_events) === unique &&
        Number(x.paid_twice) === 0;
      return {
        ran: `${total} deliveries at ${rate}/s for ${seconds} s: ${unique} distinct events and ${duplicatesSent} redeliveries; one API process and one worker process`,
        lines: [
          ...table(HTTP_HEAD, [br.cells, wr.cells]),
          '',
          `**Ratio** webhook ÷ bare route: p50 ${ratio(wr.s.p50, br.s.p50)}, p99 ${ratio(wr.s.p99, br.s.p99)}.`,
          '',
          `- Exactly once: **${exact ? 'yes' : 'NO'}** — ${x.stored} events stored for ${unique} distinct ids; ${x.processed} processed, \`processed_at\` set once for ${x.set_once} and more than once for ${x.set_more}; ` +
            `${x.paid_events} \`payment_received\` events for ${x.orders_paid} paid orders (${x.paid_twice} orders paid twice); ${r.duplicates} answers said \`duplicate: true\` for ${duplicatesSent} redeliveries sent.`,
          `- Processing (receipt → \`processed_at\`, by the worker's process_webhook job while the pipeline starts for each paid order): p50 ${fmt(x.lag_p50)} ms, p99 ${fmt(x.lag_p99)} ms; the last one ${fmt(drainSeconds)} s after the load ended${pending ? ` (**${pending} still unprocessed**)` : ''}.`,
          `- CPU during the load: API ${fmt(cpu.byProcess.api!.share * 100)} % of one core (${fmt((cpu.byProcess.api!.seconds * 1000) / Math.max(1, r.completed))} ms a delivery), worker ${fmt(cpu.byProcess.worker!.share * 100)} % (webhook jobs and the pipelines they start), PostgreSQL ${fmt(cpu.byProcess.postgres!.share * 100)} %.`,
        ],
        limits: [
          "Stripe's signature check (HMAC-SHA256 over the raw body, 300 s tolerance) runs on every delivery; deliveries are signed by the load generator at departure with the sandbox's webhook secret, as `src/sandbox/stripe/server.ts` signs them.",
          "The worker runs during the load: each processed event pays an order (markPaid), which starts that order's pipeline — the acknowledgement latency is measured with that work on the same 2 cores. Provider limits are **off** (as in b): with Netlify's real 500 requests/min the started pipelines would mostly wait on the shared limiter instead of using CPU.",
          '`processed_at` writes are counted by a trigger the bench adds to its own database (`bench_processed`); nothing in the app changes.',
        ],
      };
    } finally {
      await bare.stop();
      await s.stop();
    }
  },
};
