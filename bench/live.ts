// d) Live updates: many SSE clients on GET /api/concierge/status/{token}/events while their orders run; the delay
// from the commit of each timeline event's transaction to the client receiving it, against PostgreSQL's own NOTIFY
// delivery to a bare LISTEN connection in the same run.
import pg from 'pg';
import { sql } from 'kysely';
import { table, type Benchmark } from './lib/bench.ts';
import { startSseClients } from './lib/load.ts';
import { createOrders, payOrders, waitForOrders } from './lib/orders.ts';
import { startScenario } from './lib/scenario.ts';
import { CpuMeter, cpuSeconds } from './lib/procs.ts';
import { fmt, ms, ratio, summary, mb } from './lib/stats.ts';

export const liveBench: Benchmark = {
  name: 'live',
  key: 'd',
  title: "d) Live updates — SSE clients following their orders: delay from a step's commit to the client",
  rerun: 'npm run bench -- live   (--set live.clients=1000)',
  async run(ctx) {
    const clients = ctx.size('live.clients');
    // each transaction's commit time, to count the delay from the commit (off again after this figure)
    await ctx.pg.restartWith({ track_commit_timestamp: 'on' });
    // every client comes from 127.0.0.1: the per-address limits on opening and holding streams are lifted
    const s = await startScenario(ctx.pg, 'live', { SANDBOX_PROVIDER_LIMITS: 'off', RATE_LIMIT_SCALE: '100000', SSE_MAX_STREAMS_PER_ADDRESS: '1000000' });
    try {
      const orders = await createOrders(s.deps, clients, 'live');
      const api = await s.spawnApi();
      const sse = startSseClients({ mode: 'sse', baseUrl: api.url!, tokens: orders.map((o) => o.token) });
      const ready = await sse.ready;
      ctx.log(`${ready.connected} SSE clients connected (${ready.errors} errors)`);
      const { rows: before } = await sql<{ id: string }>`select coalesce(max(id), 0) as id from order_events`.execute(s.db);
      const firstId = Number(before[0]!.id);

      // the reference: a bare LISTEN connection, noting when each order's notification arrives
      const listener = new pg.Client({ connectionString: s.databaseUrl });
      await listener.connect();
      const notified = new Map<string, number[]>();
      listener.on('notification', (m) => {
        const at = performance.timeOrigin + performance.now();
        if (!m.payload) return;
        let list = notified.get(m.payload);
        if (!list) notified.set(m.payload, (list = []));
        list.push(at);
      });
      await listener.query('listen order_events');

      const worker = await s.spawnWorker();
      const meter = new CpuMeter({ api: () => api.cpuSeconds(), worker: () => worker.cpuSeconds(), clients: () => cpuSeconds(sse.pid) }).start();
      await payOrders(s.deps, orders);
      const waited = await waitForOrders(s.db, clients, { timeoutMs: ctx.size('pipeline.timeoutMinutes') * 60_000, label: 'live' });
      await new Promise((r) => setTimeout(r, 2000)); // the last events' way to the clients
      const cpu = meter.stop();
      const apiRss = api.peakRss();
      const seen = await sse.stop();
      await listener.end();

      // each event's row time, and the commit time of the transaction that wrote it (xmin: track_commit_timestamp)
      const { rows: events } = await sql<{ id: string; order_id: string; at_ms: number; commit_ms: number | null }>`
        select id, order_id, extract(epoch from at) * 1000 as at_ms, extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as commit_ms
          from order_events where id > ${firstId}`.execute(s.db);
      const byId = new Map(events.map((e) => [Number(e.id), e]));
      const received = seen.received.filter(([id]) => byId.has(id));
      const committed = (e: { at_ms: number; commit_ms: number | null }) => Number(e.commit_ms ?? e.at_ms);
      const fromCommit = received.map(([id, when]) => when - committed(byId.get(id)!));
      const fromRow = received.map(([id, when]) => when - Number(byId.get(id)!.at_ms));
      // NOTIFY: the first notification for the order at or after the commit
      const notifyDelays: number[] = [];
      for (const e of events) {
        const list = notified.get(e.order_id);
        const t = list?.find((x) => x >= committed(e));
        if (t !== undefined) notifyDelays.push(t - committed(e));
      }
      const d = summary(fromCommit);
      const r = summary(fromRow);
      const n = summary(notifyDelays);
      // the slowest deliveries, and when in the run they happened: a burst or a stall
      const t0 = Math.min(...events.map(committed));
      const slowest = received
        .map(([id, when]) => ({ delay: when - committed(byId.get(id)!), at: (committed(byId.get(id)!) - t0) / 1000 }))
        .sort((a, b) => b.delay - a.delay)
        .slice(0, 5);
      const withoutCommitTime = events.filter((e) => e.commit_ms === null).length;
      return {
        ran: `${clients} SSE clients (one per order, in one load-generator process), ${clients} orders paid at once, one API process and one worker process`,
        lines: [
          ...table(
            ['path', 'events', 'p50', 'p90', 'p99', 'max'],
            [
              ['bare LISTEN connection (PostgreSQL NOTIFY, the reference), from the commit', n.n, ms(n.p50), ms(n.p90), ms(n.p99), ms(n.max)],
              ['**SSE client** (API: NOTIFY → load what is new → write it), from the commit', d.n, ms(d.p50), ms(d.p90), ms(d.p99), ms(d.max)],
              [
                "SSE client, from the event row's insert (`order_events.at`, as runs before 2026-12-06 counted)",
                r.n,
                ms(r.p50),
                ms(r.p90),
                ms(r.p99),
                ms(r.max),
              ],
            ],
          ),
          '',
          `**Ratio** SSE ÷ NOTIFY (both from the commit): p50 ${ratio(d.p50, n.p50)}, p99 ${ratio(d.p99, n.p99)}.`,
          '',
          `- ${seen.connected} clients connected, ${seen.errors} errors, ${seen.messages} messages; ${received.length} of ${events.length} new events reached their client (${waited.states.delivered ?? 0}/${clients} orders delivered${waited.timedOut ? ', **timed out**' : ''})${withoutCommitTime ? `; ${withoutCommitTime} events without a commit time counted from their row` : ''}.`,
          `- The slowest deliveries (delay from the commit, and when in the run the commit was): ${slowest.map((x) => `${ms(x.delay)} at ${fmt(x.at)} s`).join('; ')}.`,
          `- CPU while the orders ran: API ${fmt(cpu.byProcess.api!.share * 100)} % of one core (${fmt((cpu.byProcess.api!.seconds * 1000) / Math.max(1, received.length))} ms an event delivered), worker ${fmt(cpu.byProcess.worker!.share * 100)} %, SSE clients ${fmt(cpu.byProcess.clients!.share * 100)} %; API peak RSS ${mb(apiRss)} with ${clients} open streams.`,
        ],
        limits: [
          "The delay is counted from the commit of the transaction that wrote the event (`pg_xact_commit_timestamp(xmin)`, with `track_commit_timestamp` on for this figure only) to the moment the client process parsed it; both clocks are this machine's. The row's own time (`order_events.at`, `clock_timestamp()` at its insert) comes before the rest of its transaction and its commit.",
          "Every order runs at once (provider limits **off**, zero latency), so events arrive in bursts of several hundred per second: each notification makes the API load that order's status and its new events once for all its streams (src/http/live.ts, StatusFeeds) and write only the new events to them. The load generator parses every message on the same 2 cores.",
        ],
      };
    } finally {
      await s.stop();
      await ctx.pg.restartWith({ track_commit_timestamp: 'off' });
    }
  },
};
