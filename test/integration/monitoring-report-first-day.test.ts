// GET /api/admin/reports/daily from the first day: today so far on a fresh database, a past day computed and stored once (even asked twice at once), a day before the first order empty and not stored, a day to come refused; the job still emails each day once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { midDayZone } from '../support/zones.ts';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { addDays, dayBounds, localDay } from '../../src/monitoring/clock.ts';
import { runDailyReport } from '../../src/monitoring/report.ts';
import { HOLDER } from '../support/holder.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
const OPS = 'ops-first-day@example.org';

// a zone where it is the middle of the day now, so that "today" does not change while the test runs
const zone = midDayZone();

let sys: TestSystem;
before(async () => {
  // the scheduled report runs at 00:30, hours away in that zone: nothing fires during the test
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    REPORT_TIME: '00:30',
    REPORT_TIME_ZONE: zone,
    ALERT_EVALUATE_SECONDS: '3600',
    MONITOR_TICK_SECONDS: '3600',
  });
});
after(async () => sys?.stop());

const report = (query = '') => sys.api(`/api/admin/reports/daily${query}`, { headers: ADMIN });
const storedDays = async () => (await sql<{ day: string }>`select day::text as day from daily_reports order by day`.execute(sys.db)).rows.map((r) => r.day);
const reportJobs = async () =>
  (await sql<{ key: string }>`select key from graphile_worker.jobs where task_identifier = 'daily_report' order by key`.execute(sys.db)).rows.map((r) => r.key);

test('a fresh database: 200 with today so far, partial, covering midnight to now, nothing stored', async () => {
  const today = localDay(new Date(), zone);
  const asked = Date.now();
  const r = await report();
  const answered = Date.now();
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.day, today);
  assert.equal(r.body.timeZone, zone);
  assert.equal(r.body.partial, true);
  assert.equal(r.body.stored, false);
  assert.equal(r.body.period.from, dayBounds(today, zone).from.toISOString());
  const to = Date.parse(r.body.period.to);
  assert.ok(to >= asked - 1000 && to <= answered, 'the period ends when the answer was made');
  assert.equal(r.body.report.to, r.body.period.to);
  assert.deepEqual([r.body.report.requested, r.body.report.delivered, r.body.report.failed], [0, 0, 0]);
  assert.equal(r.body.report.revenue.netCents, 0);
  // ?date=today is the same kind of answer
  const same = await report(`?date=${today}`);
  assert.equal(same.body.partial, true);
  assert.deepEqual(await storedDays(), []);
});

test('a day to come is 422 with a code and a message in the asked language; a malformed date is 422', async () => {
  const tomorrow = addDays(localDay(new Date(), zone), 1);
  const fr = await sys.api(`/api/admin/reports/daily?date=${tomorrow}`, { headers: { ...ADMIN, 'accept-language': 'fr' } });
  assert.equal(fr.status, 422);
  assert.equal(fr.body.code, 'report_day_in_future');
  assert.match(fr.body.message, /pas encore arrivé/);
  const en = await sys.api(`/api/admin/reports/daily?date=${tomorrow}`, { headers: { ...ADMIN, 'accept-language': 'en' } });
  assert.match(en.body.message, /has not come yet/);
  assert.equal((await report('?date=2024-02-30')).status, 422);
  assert.equal((await report('?date=tomorrow')).status, 422);
  assert.equal((await sys.api('/api/admin/reports/daily')).status, 401);
  assert.deepEqual(await storedDays(), []);
});

test('a past day with orders is computed on request and stored once, even asked twice at once; the job then emails it once', async () => {
  const today = localDay(new Date(), zone);
  const past = addDays(today, -3);
  // two orders made now, then moved to the middle of that day, as if they had been made then
  for (const n of [1, 2]) {
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: `Atelier ${n}`,
        email: `first-day-${n}@example.org`,
        domain: `atelier-premier-jour-${n}.fr`,
        tier: 'standard',
        locale: 'fr',
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const noon = new Date((dayBounds(past, zone).from.getTime() + dayBounds(past, zone).to.getTime()) / 2);
  await sql`update orders set created_at = ${noon} where email like 'first-day-%'`.execute(sys.db);

  // two consoles ask at the same moment: one row, and both answers are that row
  const [a, b] = await Promise.all([report(`?date=${past}`), report(`?date=${past}`)]);
  for (const r of [a, b]) {
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.day, past);
    assert.equal(r.body.partial, false);
    assert.equal(r.body.stored, true);
    assert.equal(r.body.beforeFirstOrder, false);
    assert.equal(r.body.report.requested, 2);
    assert.deepEqual(r.body.period, { from: dayBounds(past, zone).from.toISOString(), to: dayBounds(past, zone).to.toISOString() });
  }
  assert.equal(a.body.createdAt, b.body.createdAt);
  assert.deepEqual(await storedDays(), [past]);
  const again = await report(`?date=${past}`);
  assert.equal(again.body.createdAt, a.body.createdAt, 'asked again: the stored report, not a new one');
  assert.deepEqual(await storedDays(), [past]);

  // a request stores; it does not email: the operators hear of the day from the job, once
  const toOps = () => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(OPS) && m.subject.startsWith(`Daily report ${past}:`));
  assert.equal((await sql<{ n: string }>`select count(*) as n from outbox_emails where kind = 'daily_report'`.execute(sys.db)).rows[0]!.n, '0');
  const run = await runDailyReport(sys.deps, past);
  assert.equal(run.created, false);
  assert.equal(run.report.requested, 2);
  await runDailyReport(sys.deps, past);
  await eventually(async () => toOps().length === 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(toOps().length, 1);
  assert.match(toOps()[0]!.subject, /^Daily report .*: 0 delivered, 0 failed/);
  assert.deepEqual(await storedDays(), [past]);

  // the installation now has a finished day: without a date, the answer is yesterday, whole, and stored
  const latest = await report();
  assert.equal(latest.body.day, addDays(today, -1));
  assert.equal(latest.body.partial, false);
  assert.equal(latest.body.stored, true);
  assert.equal(latest.body.report.requested, 0);
  assert.deepEqual(await storedDays(), [past, addDays(today, -1)]);
  // and the scheduled report is still one job, for the next run
  assert.equal((await reportJobs()).length, 1);
});

test('a day before the first order: an empty but valid report, not stored', async () => {
  const r = await report('?date=2001-01-01');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.day, '2001-01-01');
  assert.equal(r.body.beforeFirstOrder, true);
  assert.equal(r.body.stored, false);
  assert.equal(r.body.partial, false);
  assert.equal(r.body.report.requested, 0);
  assert.ok(!(await storedDays()).includes('2001-01-01'));
});
