// i) The daily renewal and reminder scan over N delivered domains (src/workflow/renewals/scan.ts): its time, the rows
// and jobs it touches, its memory, and the registrar calls the day's renewals need against Namecheap's daily budget.
// The domains are as a year of steady running leaves them: nine in ten on auto-renewal, their expiries spread over the
// year past their charge date (those nearer were renewed already), one in ten off, spread over the coming year; each
// one's reminders sent as yesterday's scan left them, each one's site watched with the registrar's expiry on its monitor. The reference is the same scan with nothing due (the next run of
// the day), and a full walk of the table by count(*).
import { sql } from 'kysely';
import { table, type Benchmark } from './lib/bench.ts';
import { startScenario } from './lib/scenario.ts';
import { fmt, mb } from './lib/stats.ts';
import { runRenewalScan } from '../src/workflow/renewals/scan.ts';
import { DOCUMENTED_NAMECHEAP_BUDGET } from '../src/config/parse.ts';

/** domains.getList's page: 100 names a call (methods/domains/get-list). */
const LIST_PAGE = 100;

async function seed(db: Parameters<typeof runRenewalScan>[0]['db'], n: number, now: Date): Promise<void> {
  const batch = 20_000;
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch) - 1;
    await sql`
      with g as (
        select i, gen_random_uuid() as id, (i % 10 <> 0) as auto,
               -- auto-renewal on: expiries from 29 to 394 days ahead (nearer ones renewed already); off: the coming year
               case when i % 10 <> 0 then ${now}::timestamptz + make_interval(secs => 29 * 86400 + (i * 7919 % 365) * 86400 + (i % 86400))
                    else ${now}::timestamptz + make_interval(secs => (i * 7919 % 365) * 86400 + (i % 86400)) end as expires
          from generate_series(${from}::int, ${to}::int) as i
      ), o as (
        insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency,
                            price_items, total_cents, payment_provider, deadline_hours, paid_at, delivered_at, registrar_domain_id)
        select id, 'bench-' || i, 'Atelier ' || i, 'renew-' || i || '@example.org', case when i % 3 = 0 then 'en' else 'fr' end,
               'renew-' || i || '.fr', 'renew-' || i || '.fr', 'standard', 'delivered', 'EUR',
               '[{"code":"domain_first_year","amountCents":1200},{"code":"service","amountCents":14900}]'::jsonb, 16100, 'stripe', 24,
               expires - interval '1 year', expires - interval '1 year', (1000000 + i)::text
          from g
        returning id
      ), m as (
        -- each delivered site watched, its expiry as the registrar's list gave it (midnight of the same day)
        insert into monitors (order_id, url, domain_expires_at)
        select g.id, 'https://renew-' || g.i || '.fr/', date_trunc('day', g.expires) from g join o on o.id = g.id
      )
      insert into renewals (order_id, auto_renew, consent_at, consent_version, provider, customer_ref, payment_method_ref, card_brand, card_last4,
                            expires_at, charge_at, price_cents, currency, state, reminded_days)
      select g.id, g.auto, case when g.auto then g.expires - interval '1 year' end, case when g.auto then '2026-12' end, 'stripe',
             case when g.auto then 'cus_bench' || g.i end, case when g.auto then 'pm_bench' || g.i end, 'visa', '4242',
             g.expires, g.expires - interval '30 days', 6100, 'EUR', 'scheduled',
             -- yesterday's scan: the latest reminder due then
             (select case when d < 0 or d > 60 then null when d = 0 then 0 when d <= 7 then 7 when d <= 30 then 30 else 60 end
                from (select (g.expires at time zone 'UTC')::date - ((${now}::timestamptz - interval '1 day') at time zone 'UTC')::date as d) x)
        from g join o on o.id = g.id`.execute(db);
  }
  await sql`analyze renewals`.execute(db);
  await sql`analyze orders`.execute(db);
  await sql`analyze monitors`.execute(db);
}

export const renewalsBench: Benchmark = {
  name: 'renewals',
  key: 'i',
  title: 'i) The daily renewal and reminder scan',
  rerun: 'npm run bench -- renewals   (--set renewals.domains=100000)',
  async run(ctx) {
    const n = ctx.size('renewals.domains');
    const s = await startScenario(ctx.pg, 'renewals', { SANDBOX_PROVIDER_LIMITS: 'off' });
    try {
      const now = new Date();
      const t0 = performance.now();
      await seed(s.db, n, now);
      ctx.log(`${n} delivered domains seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const jobsBefore = Number((await sql<{ n: string }>`select count(*) as n from graphile_worker._private_jobs`.execute(s.db)).rows[0]!.n);
      global.gc?.();
      const heap0 = process.memoryUsage();
      const t1 = performance.now();
      const day = await runRenewalScan(s.deps, now);
      const scanMs = performance.now() - t1;
      const heap1 = process.memoryUsage();
      const jobs = Number((await sql<{ n: string }>`select count(*) as n from graphile_worker._private_jobs`.execute(s.db)).rows[0]!.n) - jobsBefore;
      const t2 = performance.now();
      const again = await runRenewalScan(s.deps, now);
      const againMs = performance.now() - t2;
      const t3 = performance.now();
      await sql`select count(*) from renewals r join orders o on o.id = r.order_id`.execute(s.db);
      const walkMs = performance.now() - t3;
      const { rows: size } = await sql<{ bytes: string }>`select pg_total_relation_size('renewals') as bytes`.execute(s.db);
      // the day's registrar calls: each renewal reads the expiry then renews (2 calls); the expiry walk reads the whole
      // account a page of 100 a call, once every DOMAIN_CHECK_HOURS
      const walkCalls = Math.ceil(n / LIST_PAGE) * Math.ceil(24 / s.config.DOMAIN_CHECK_HOURS);
      const renewCalls = day.charges * 2;
      const budget = DOCUMENTED_NAMECHEAP_BUDGET.perDay;
      const calls = walkCalls + renewCalls;
      const lines = [
        ...table(
          ['figure', 'result', 'reference, same run', 'ratio'],
          [
            [
              `i renewal scan, ${fmt(n)} domains`,
              `${scanMs.toFixed(0)} ms: ${day.reminders} reminders queued, ${day.charges} charges due, ${day.links} links, ${day.grace} into grace, ${day.lost} lost; ${jobs} jobs queued`,
              `the same scan again (nothing due): ${againMs.toFixed(0)} ms; a count(*) join of all plans: ${walkMs.toFixed(0)} ms`,
              `×${(scanMs / Math.max(1, walkMs)).toFixed(2)} of the walk`,
            ],
            [
              'memory',
              `heap +${mb(heap1.heapUsed - heap0.heapUsed)}, RSS +${mb(heap1.rss - heap0.rss)} during the scan; renewals table ${mb(Number(size[0]!.bytes))}`,
              '—',
              '—',
            ],
            [
              'registrar calls a day',
              `${fmt(calls)}: ${fmt(renewCalls)} for the day's renewals (getInfo + renew each) + ${fmt(walkCalls)} for the expiry walk (getList, 100 a page); the scan itself makes none`,
              `Namecheap's documented budget: ${fmt(budget)} a day`,
              `${((calls / budget) * 100).toFixed(1)} % of it`,
            ],
          ],
        ),
      ];
      if (again.reminders + again.charges + again.links + again.grace + again.lost !== 0)
        lines.push('**the second scan found work: a scan is not idempotent**');
      return {
        lines,
        limits: [
          'The scan runs in the bench process against the run’s PostgreSQL (fsync on); the charge, link and registrar jobs it queues are not run here (figures b and c measure jobs).',
          'Steady state: yesterday’s reminders already sent, renewals before today’s charge date already made; the first scan on a fresh installation sends every reminder due at once.',
          'Every pass is one statement on a partial index of dates: the work grows with the rows due today, not with the domains.',
        ],
        ran: `${n} domains`,
      };
    } finally {
      await s.stop();
    }
  },
};
