// The daily report and the admin's figures checked against orders made in the test; /metrics in Prometheus format, protected, every series prefixed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { midDayZone } from '../support/zones.ts';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { addJob } from '../../src/db/database.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';
import { addDays, localDay, nextReport } from '../../src/monitoring/clock.ts';
import { MAX_CATCH_UP_DAYS, runDailyReport, scheduleDailyReport } from '../../src/monitoring/report.ts';
import { startMetricsServer } from '../../src/monitoring/server.ts';
import { HOLDER } from '../support/holder.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';
const OPS = 'ops-report@example.org';

// a zone where it is the middle of the day now, so the orders of this test fall in one local day
const zone = midDayZone();

let sys: TestSystem;
const made: { delivered: string[]; refunded: string; unpaid: string } = { delivered: [], refunded: '', unpaid: '' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function demo(scenario: 'available' | 'urgent') {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario, timeoutSeconds: 60 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { orderId: string; state: string };
}

before(async () => {
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '400',
    STEP_MAX_ATTEMPTS: '3',
    ALERT_EVALUATE_SECONDS: '3600',
    MONITOR_TICK_SECONDS: '3600',
    METRICS_TOKEN,
    REPORT_TIME: '07:00',
    REPORT_TIME_ZONE: zone,
    ALERT_RESOLVE_AFTER_SECONDS: '0',
  });
  // two delivered in time (standard and express), one express delivered late (a one-second deadline and a slow host),
  // one refunded after its deadline (the host fails every call, a one-second deadline), one never paid
  for (const scenario of ['available', 'urgent'] as const) {
    const d = await demo(scenario);
    assert.equal(d.state, 'delivered');
    made.delivered.push(d.orderId);
  }
  const config = sys.deps.config;
  config.EXPRESS_HOURS = 0.0003;
  const netlify = sys.sandbox!.netlify.faults;
  netlify.latency = { minMs: 1500, maxMs: 1500 };
  const fast = setTimeout(() => (netlify.latency = { minMs: 0, maxMs: 0 }), 4000);
  try {
    const late = await demo('urgent');
    assert.equal(late.state, 'delivered');
    made.delivered.push(late.orderId);
  } finally {
    clearTimeout(fast);
    netlify.latency = { minMs: 0, maxMs: 0 };
    config.EXPRESS_HOURS = 4;
  }
  config.STANDARD_HOURS = 0.0003;
  netlify.set({ errorRate: 1 });
  try {
    const d = await demo('available');
    assert.equal(d.state, 'refunded');
    made.refunded = d.orderId;
  } finally {
    netlify.reset();
    config.STANDARD_HOURS = 24;
  }
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Librairie Page',
      email: 'unpaid@example.org',
      domain: 'librairie-page-unpaid.fr',
      tier: 'standard',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201);
  made.unpaid = r.body.orderId;
  // one site incident today: down ten minutes ago for five minutes
  await sql`insert into site_incidents (order_id, domain, started_at, opened_at, closed_at, failed_checks)
    select id, domain, now() - interval '10 minutes', now() - interval '9 minutes', now() - interval '5 minutes', 3 from orders where id = ${made.delivered[0]}`.execute(
    sys.db,
  );
  await evaluateAlerts(sys.deps); // the refunded order exhausted its retries: one alert today
});
after(async () => sys?.stop());

/** What the report must say, computed here from the orders this test made. */
async function expected() {
  const rows = await sys.db
    .selectFrom('orders')
    .selectAll()
    .where('id', 'in', [...made.delivered, made.refunded, made.unpaid])
    .execute();
  const delivered = rows.filter((o) => made.delivered.includes(o.id));
  const ttl = delivered.map((o) => (o.delivered_at!.getTime() - o.paid_at!.getTime()) / 1000).sort((a, b) => a - b);
  // PostgreSQL's percentile_cont: linear between the two closest ranks
  const percentile = (p: number) => {
    const at = p * (ttl.length - 1);
    const lo = Math.floor(at);
    return ttl[lo]! + (at - lo) * ((ttl[Math.min(lo + 1, ttl.length - 1)] ?? ttl[lo]!) - ttl[lo]!);
  };
  const met = delivered.filter((o) => o.delivered_at! <= o.deadline_at!).length;
  const failedAt = (
    await sys.db.selectFrom('order_events').select('at').where('order_id', '=', made.refunded).where('type', '=', 'order_failed').executeTakeFirstOrThrow()
  ).at;
  const refundedLate = failedAt > refunded_(rows).deadline_at! ? 1 : 0;
  const paid = rows.filter((o) => o.paid_at);
  const refunded = rows.find((o) => o.id === made.refunded)!;
  const paidCents = paid.reduce((s, o) => s + (o.paid_cents ?? o.total_cents), 0);
  const refundedCents = refunded.paid_cents ?? refunded.total_cents;
  return {
    requested: 5,
    paid: 4,
    delivered: 3,
    failed: 1,
    successRate: 3 / 4,
    meanSeconds: Math.round((ttl.reduce((a, b) => a + b, 0) / ttl.length) * 10) / 10,
    medianSeconds: Math.round(percentile(0.5) * 10) / 10,
    p95Seconds: Math.round(percentile(0.95) * 10) / 10,
    deadlines: { met, missed: delivered.length - met + refundedLate },
    revenue: { currency: 'EUR', paidCents, refundedCents, netCents: paidCents - refundedCents },
  };
}

const refunded_ = (rows: { id: string; deadline_at: Date | null }[]) => rows.find((o) => o.id === made.refunded)!;

const close = (a: number, b: number, tolerance = 0.11) => Math.abs(a - b) <= tolerance;

test('the daily report: its numbers are the orders made today; made once, stored, emailed, served', async () => {
  const day = localDay(new Date(), zone);
  const want = await expected();
  const first = await runDailyReport(sys.deps, day);
  assert.equal(first.created, true);
  const r = first.report;
  assert.equal(r.day, day);
  assert.equal(r.timeZone, zone);
  assert.deepEqual([r.requested, r.paid, r.delivered, r.failed], [want.requested, want.paid, want.delivered, want.failed]);
  assert.ok(close(r.successRate!, want.successRate, 0.0001));
  assert.ok(close(r.timeToLive.meanSeconds!, want.meanSeconds), `${r.timeToLive.meanSeconds} vs ${want.meanSeconds}`);
  assert.ok(close(r.timeToLive.medianSeconds!, want.medianSeconds), `${r.timeToLive.medianSeconds} vs ${want.medianSeconds}`);
  assert.ok(close(r.timeToLive.p95Seconds!, want.p95Seconds), `${r.timeToLive.p95Seconds} vs ${want.p95Seconds}`);
  // two delivered in time; one delivered late and one refunded after its deadline had passed missed it
  assert.deepEqual(want.deadlines, { met: 2, missed: 2 });
  assert.deepEqual(r.deadlines, { ...want.deadlines, share: 0.5 });
  assert.deepEqual(r.revenue, want.revenue);
  assert.equal(r.incidents.opened, 1);
  assert.equal(r.incidents.closed, 1);
  assert.ok(close(r.incidents.downtimeSeconds, 300, 1));
  assert.deepEqual(r.alerts.byRule, { retries_exhausted: 1 });

  // a second run (another worker, a retried job): the same report, no second email
  const second = await runDailyReport(sys.deps, day);
  assert.equal(second.created, false);
  assert.equal(second.report.delivered, 3);
  const subject = new RegExp(`^Daily report ${day}: 3 delivered, 1 failed`);
  await eventually(async () => sys.sandbox!.smtp.messages().some((m) => m.to.includes(OPS) && subject.test(m.subject)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(sys.sandbox!.smtp.messages().filter((m) => m.to.includes(OPS) && subject.test(m.subject)).length, 1);
  const email = sys.sandbox!.smtp.messages().find((m) => m.to.includes(OPS) && subject.test(m.subject))!;
  assert.match(email.text, /Deadlines met\s+2 of 4 \(50 %\)/);
  assert.match(email.text, /Downtime\s+5 min/);
  // the link leads to the console's page of that day, not to the JSON
  assert.ok(email.text.includes(`${sys.config.publicUrl}/admin/reports?date=${day}`), email.text);
  assert.equal((await sys.db.selectFrom('daily_reports').select('time_zone').execute()).length, 1);

  const served = await sys.api(`/api/admin/reports/daily?date=${day}`, { headers: ADMIN });
  assert.equal(served.status, 200);
  assert.equal(served.body.day, day);
  assert.deepEqual(served.body.report.revenue, want.revenue);
  const latest = await sys.api('/api/admin/reports/daily', { headers: ADMIN });
  assert.equal(latest.body.day, day);
  const before = await sys.api('/api/admin/reports/daily?date=2001-01-01', { headers: ADMIN });
  assert.equal(before.status, 200, 'a day before the first order is an empty report, not a 404');
  assert.equal(before.body.beforeFirstOrder, true);
  assert.equal((await sys.api('/api/admin/reports/daily?date=yesterday', { headers: ADMIN })).status, 422);
  assert.equal((await sys.api('/api/admin/reports/daily')).status, 401);
});

test('the report is a job with one key per day, at REPORT_TIME in REPORT_TIME_ZONE; run by a worker, it queues the next', async () => {
  const next = nextReport(new Date(), '07:00', zone);
  const queued = async () =>
    (await sql<{ key: string; run_at: Date }>`select key, run_at from graphile_worker.jobs where task_identifier = 'daily_report'`.execute(sys.db)).rows;
  const jobs = await queued();
  assert.deepEqual(
    jobs.map((j) => [j.key, j.run_at.toISOString()]),
    [[`daily-report:${next.day}`, next.runAt.toISOString()]],
  );

  // a report falling due now (say, last week's): a worker makes it, and the next one stays queued once
  const past = addDays(localDay(new Date(), zone), -7);
  await addJob(sys.db, 'daily_report', { day: past }, { jobKey: `daily-report:${past}` });
  await eventually(async () => (await sys.db.selectFrom('daily_reports').select('day').where('day', '=', past).execute()).length === 1);
  await eventually(async () => (await queued()).length === 1);
  assert.equal((await queued())[0]!.key, `daily-report:${next.day}`);
  const stored = await sys.api(`/api/admin/reports/daily?date=${past}`, { headers: ADMIN });
  assert.equal(stored.body.report.requested, 0);
});

test('GET /api/admin/metrics: time to live, success rate, deadlines met over a window, and what is in flight now', async () => {
  const want = await expected();
  const r = await sys.api('/api/admin/metrics?window=1h', { headers: ADMIN });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const m = r.body;
  assert.equal(m.windowSeconds, 3600);
  assert.deepEqual([m.requested, m.paid, m.delivered, m.failed], [want.requested, want.paid, want.delivered, want.failed]);
  assert.ok(close(m.successRate, want.successRate, 0.0001));
  assert.ok(close(m.timeToLive.meanSeconds, want.meanSeconds));
  assert.ok(m.timeToLive.p95Seconds >= m.timeToLive.medianSeconds);
  assert.deepEqual(m.deadlines, { ...want.deadlines, share: 0.5 });
  assert.ok(close(m.timeToLive.p95Seconds, want.p95Seconds));
  assert.deepEqual([m.inFlight, m.atRisk, m.overdue], [0, 0, 0]);
  assert.deepEqual(m.revenue, want.revenue);
  assert.equal(m.sites.unchecked, 3, 'the three delivered sites are watched (their first check is due)');
  const empty = await sys.api('/api/admin/metrics?window=1m', { headers: ADMIN });
  assert.ok(empty.body.delivered <= 3);
  assert.equal((await sys.api('/api/admin/metrics?window=1week', { headers: ADMIN })).status, 422);
  assert.equal((await sys.api('/api/admin/metrics')).status, 401);
  const doc = (await sys.api('/docs/json')).body;
  for (const p of ['/metrics', '/api/admin/metrics', '/api/admin/alerts', '/api/admin/reports/daily', '/api/admin/monitors'])
    assert.ok(doc.paths[p]?.get, `${p} in the OpenAPI document`);
});

test('/metrics: Prometheus text, bearer-protected, every series prefixed conciergerie_, gauges read from PostgreSQL', async () => {
  assert.equal((await sys.api('/metrics')).status, 401);
  assert.equal((await sys.api('/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status, 401);
  await eventually(async () => (await sql<{ n: string }>`select count(*) as n from outbox_emails where state <> 'sent'`.execute(sys.db)).rows[0]!.n === '0');
  const res = await fetch(`${sys.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const names = new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]!),
  );
  assert.ok(names.size > 20);
  for (const name of names) assert.ok(name.startsWith('conciergerie_'), name);
  const expect = [
    /^conciergerie_orders\{state="delivered"\} 3$/m,
    /^conciergerie_orders\{state="refunded"\} 1$/m,
    /^conciergerie_orders\{state="awaiting_payment"\} 1$/m,
    /^conciergerie_orders_at_risk\{tier="express"\} 0$/m,
    /^conciergerie_queue_depth\{task="daily_report",state="scheduled"\} 1$/m,
    /^conciergerie_order_duration_seconds_count\{tier="standard",outcome="delivered"\} 1$/m,
    /^conciergerie_order_duration_seconds_count\{tier="express",outcome="delivered"\} 2$/m,
    /^conciergerie_order_duration_seconds_count\{tier="standard",outcome="refunded"\} 1$/m,
    /^conciergerie_step_duration_seconds_count\{step="deliver",outcome="done"\} 3$/m,
    /^conciergerie_step_duration_seconds_count\{step="create_site",outcome="retry"\} 2$/m,
    /^conciergerie_provider_calls_total\{provider="netlify",operation="createSite",outcome="retryable_error"\} 3$/m,
    /^conciergerie_provider_call_duration_seconds_count\{provider="stripe",operation="create_payment_link"\} 5$/m,
    /^conciergerie_webhooks_received_total\{provider="stripe"\} [1-9]\d*$/m,
    /^conciergerie_email_sends_total\{kind="delivered",outcome="sent"\} 3$/m,
    /^conciergerie_provider_calls_total\{provider="smtp",operation="send",outcome="ok"\} [1-9]\d*$/m,
    /^conciergerie_alerts_last_evaluation_timestamp_seconds [1-9]\d*(\.\d+)?$/m,
    /^conciergerie_workers_live 1$/m,
    /^conciergerie_webhooks_rejected_total\{provider="paypal",reason="webhook_signature_invalid"\} 0$/m,
    /^conciergerie_alerts_open\{rule="retries_exhausted",severity="warning"\} 1$/m,
    /^conciergerie_process_cpu_seconds_total /m,
  ];
  for (const re of expect) assert.match(text, re);

  // a worker-only process serves its own counters, without the database gauges
  const server = await startMetricsServer(sys.deps, { port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN });
  try {
    assert.equal((await fetch(server.url)).status, 401);
    const own = await (await fetch(server.url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    assert.match(own, /^conciergerie_provider_calls_total\{/m);
    assert.doesNotMatch(own, /^conciergerie_orders\{/m);
  } finally {
    await server.close();
  }
});

test('a changed REPORT_TIME takes effect at the next report, not a day late; missed days are made up, seven at most', async () => {
  const config = sys.deps.config;
  const future = async () =>
    (
      await sql<{
        key: string;
        run_at: Date;
      }>`select key, run_at from graphile_worker.jobs where task_identifier = 'daily_report' and run_at > now() order by run_at`.execute(sys.db)
    ).rows;
  // REPORT_TIME moves to a minute from now: the queued job (at the old time, maybe for another day) is replaced by one at the new time
  const soon = new Date(Date.now() + 60_000);
  const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(soon);
  config.REPORT_TIME = hhmm;
  try {
    const next = await scheduleDailyReport(sys.deps);
    assert.deepEqual(
      (await future()).map((j) => [j.key, j.run_at.toISOString()]),
      [[`daily-report:${next.day}`, next.runAt.toISOString()]],
    );
    assert.ok(next.runAt.getTime() - Date.now() <= 61_000, 'today, at the new time');
  } finally {
    config.REPORT_TIME = '07:00';
  }
  const back = await scheduleDailyReport(sys.deps);
  assert.deepEqual(
    (await future()).map((j) => j.key),
    [`daily-report:${back.day}`],
  );

  // the reports stopped twelve days ago (nothing ran since): the last seven are made at the next start, not the older ones
  await sql`delete from daily_reports`.execute(sys.db);
  const today = localDay(new Date(), zone);
  const lastMade = addDays(today, -12);
  await sql`insert into daily_reports (day, time_zone, report) values (${lastMade}::date, ${zone}, '{}')`.execute(sys.db);
  const { catchUp, day } = await scheduleDailyReport(sys.deps);
  const expected = Array.from({ length: MAX_CATCH_UP_DAYS }, (_, i) => addDays(day, i - MAX_CATCH_UP_DAYS));
  assert.deepEqual(catchUp, expected);
  await eventually(async () => {
    const rows = await sql<{ day: string }>`select day::text as day from daily_reports order by day`.execute(sys.db);
    return JSON.stringify(rows.rows.map((r) => r.day)) === JSON.stringify([lastMade, ...expected]);
  }, 20_000);
  for (const d of expected)
    await eventually(async () => sys.sandbox!.smtp.messages().some((m) => m.to.includes(OPS) && m.subject.startsWith(`Daily report ${d}:`)));
  await sleep(500);
  assert.deepEqual(
    (await future()).map((j) => j.key),
    [`daily-report:${day}`],
  );
});
