// h) Registrar quotas: 100, then 1,000 customers at once, each checking a taken name (so alternatives are looked
// for) and ordering the first one offered, with Namecheap's documented budgets on in the sandbox and in our shared
// budget (20 calls a minute, 700 an hour, 8,000 a day); the pipeline's pace under the same budget against the
// maximum it allows; and 100,000 watched domains' expiry dates read from the paged domain list.
import { sql } from 'kysely';
import { DOCUMENTED_NAMECHEAP_BUDGET } from '../src/config/parse.ts';
import { PRIORITY_SHARE } from '../src/providers/registrar/budget.ts';
import { runDomainChecks } from '../src/monitoring/sites.ts';
import { applyLatency, table, type BenchContext, type Benchmark } from './lib/bench.ts';
import { askFrom, customerAddress } from './lib/customer-http.ts';
import { BENCH_HOLDER } from './lib/holders.ts';
import { createOrders, payOrders } from './lib/orders.ts';
import { startScenario, type Scenario } from './lib/scenario.ts';
import { fmt, ms, summary } from './lib/stats.ts';

const B = DOCUMENTED_NAMECHEAP_BUDGET;
/** The registrar calls every order needs whatever we do: the purchase (domains.create) and its DNS (domains.dns.setHosts). */
const UNAVOIDABLE_PER_ORDER = 2;
// each customer calls from a loopback address of its own: our per-address HTTP limits apply as to different people
const DOCUMENTED = { SANDBOX_NAMECHEAP_BUDGET: 'documented', SANDBOX_PROVIDER_LIMITS: 'real' };

const registrarCalls = async (s: Scenario) =>
  Number((await sql<{ n: string }>`select count(*) as n from registrar_calls where bucket = 'namecheap:api'`.execute(s.db)).rows[0]!.n);

interface Burst {
  customers: number;
  checkMs: ReturnType<typeof summary>;
  orderMs: ReturnType<typeof summary>;
  unconfirmed: number;
  noAlternative: number;
  checkFailed: number;
  accepted: number;
  busy: number;
  refused: number;
  /** answers other than 200 / 201, by route and status */
  statuses: Map<string, number>;
  seconds: number;
  calls: number;
  sandbox405: number;
}

/** N customers at once against two API processes: a check with alternatives, then the order of the first one. */
async function burst(ctx: BenchContext, n: number, latencyScale: number): Promise<Burst> {
  const s = await startScenario(ctx.pg, `quotas_${n}`, DOCUMENTED);
  try {
    applyLatency(s.world, latencyScale);
    const apis = [await s.spawnApi(), await s.spawnApi()];
    // a running service, not one just started: each process answers a few checks (names the burst never asks) first
    for (const [k, api] of apis.entries()) {
      for (let w = 0; w < 5; w++) await askFrom(customerAddress(60_000 + k * 10 + w), `${api.url}/api/domains/check?name=warm-${k}-${w}.fr&city=Lyon`);
    }
    const checkMs: number[] = [];
    const orderMs: number[] = [];
    const r = { unconfirmed: 0, noAlternative: 0, checkFailed: 0, accepted: 0, busy: 0, refused: 0, statuses: new Map<string, number>() };
    const note = (what: string, status: number) => r.statuses.set(`${what} ${status}`, (r.statuses.get(`${what} ${status}`) ?? 0) + 1);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const api = apis[i % apis.length]!.url!;
        const from = customerAddress(i);
        const t0 = performance.now();
        const check = await askFrom(
          from,
          `${api}/api/domains/check?name=taken-quota-${i}.fr&businessName=${encodeURIComponent(`Atelier Quota ${i}`)}&city=Lyon`,
        );
        checkMs.push(performance.now() - t0);
        if (check.status !== 200) {
          note('check', check.status);
          r.checkFailed++;
          return;
        }
        const body = check.body as { confirmed: boolean; alternatives?: { domain: string; confirmed?: boolean }[] };
        const first = body.alternatives?.[0];
        if (!body.confirmed || first?.confirmed === false) r.unconfirmed++;
        if (!first) {
          r.noAlternative++;
          return;
        }
        const t1 = performance.now();
        const order = await askFrom(from, `${api}/api/request-concierge-service`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `quota-${n}-${i}` },
          body: JSON.stringify({
            businessName: `Atelier Quota ${i}`,
            email: `quota-${i}@example.org`,
            domain: first.domain,
            tier: 'standard',
            locale: 'fr',
            holder: BENCH_HOLDER,
            acceptTerms: true,
            earlyStart: true,
          }),
        });
        orderMs.push(performance.now() - t1);
        if (order.status === 201) r.accepted++;
        else if (order.status === 503) r.busy++;
        else r.refused++;
        if (order.status !== 201) note('order', order.status);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sandbox405 = Number(
      (await sql<{ n: string }>`select count(*) as n from provider_calls where provider = 'namecheap' and error_code = 'rate_limited'`.execute(s.db)).rows[0]!
        .n,
    );
    return { customers: n, checkMs: summary(checkMs), orderMs: summary(orderMs), ...r, seconds, calls: await registrarCalls(s), sandbox405 };
  } finally {
    await s.stop();
  }
}

/** Paid orders through one worker under the documented budget: delivered a minute against the budget's maximum. */
async function throughput(ctx: BenchContext, paid: number) {
  const s = await startScenario(ctx.pg, 'quotas_pipeline', DOCUMENTED);
  try {
    applyLatency(s.world, 0.1);
    const orders = await createOrders(s.deps, paid, 'quota');
    await s.spawnWorker();
    const started = Date.now();
    await payOrders(s.deps, orders);
    const timeoutAt = started + ctx.size('quotas.timeoutMinutes') * 60_000;
    let delivered = 0;
    while (Date.now() < timeoutAt) {
      delivered = Number((await sql<{ n: string }>`select count(*) as n from orders where state = 'delivered'`.execute(s.db)).rows[0]!.n);
      if (delivered >= paid) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const { rows } = await sql<{
      first: Date;
      last: Date;
    }>`select min(paid_at) as first, max(delivered_at) as last from orders where state = 'delivered'`.execute(s.db);
    const minutes = rows[0]?.last ? (rows[0].last.getTime() - rows[0].first.getTime()) / 60_000 : NaN;
    const ops = await sql<{ operation: string; n: string }>`
      select operation, count(*) as n from provider_calls where provider = 'namecheap' and outcome = 'ok' group by 1 order by 2 desc`.execute(s.db);
    return { paid, delivered, minutes, calls: await registrarCalls(s), ops: ops.rows.map((o) => `${o.operation} ${o.n}`).join(', ') };
  } finally {
    await s.stop();
  }
}

/** N watched domains of ours, their expiry read by walking the account's list, 100 names a call. */
async function expiry(ctx: BenchContext, watched: number) {
  // the walk's pace is the budget's; this part counts its calls and times the walk without waiting for the minute's
  const s = await startScenario(ctx.pg, 'quotas_expiry', { SANDBOX_PROVIDER_LIMITS: 'off' });
  try {
    const apiUser = s.world.credentials.namecheapApiUser;
    const orders = await createOrders(s.deps, watched, 'expiry');
    for (const o of orders) s.world.registry.register(o.domain, 1, undefined, apiUser);
    await sql`update orders set registrar_domain_id = '1', state = 'delivered', delivered_at = now()`.execute(s.db);
    await sql`insert into monitors (order_id, url) select id, 'https://' || domain || '/' from orders`.execute(s.db);
    ctx.log(`${watched} watched domains in place`);
    const started = performance.now();
    let pages = 0;
    let restart = true;
    for (;;) {
      const run = await runDomainChecks(s.deps, { restart });
      restart = false;
      pages += run.pages;
      if (run.finished || run.pages === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const dated = Number((await sql<{ n: string }>`select count(*) as n from monitors where domain_expires_at is not null`.execute(s.db)).rows[0]!.n);
    const getInfo = Number((await sql<{ n: string }>`select count(*) as n from provider_calls where operation = 'domains.getInfo'`.execute(s.db)).rows[0]!.n);
    return { watched, pages, seconds, dated, getInfo };
  } finally {
    await s.stop();
  }
}

export const quotasBench: Benchmark = {
  name: 'quotas',
  key: 'h',
  title: 'h) Registrar quotas — customers at once under Namecheap’s documented budgets; expiry by the domain list',
  rerun: 'npm run bench -- quotas   (--set quotas.customers=100,1000 --set quotas.latencyScale=1 --set quotas.paid=40 --set quotas.watched=100000)',
  async run(ctx) {
    const scale = ctx.size('quotas.latencyScale');
    const bursts: Burst[] = [];
    for (const n of ctx.sizeList('quotas.customers')) {
      bursts.push(await burst(ctx, n, scale));
      ctx.log(`${n} customers at once: done`);
    }
    const t = await throughput(ctx, ctx.size('quotas.paid'));
    ctx.log(`pipeline under the budget: ${t.delivered}/${t.paid} delivered`);
    const e = await expiry(ctx, ctx.size('quotas.watched'));
    // the most orders the budget lets through: each needs its unavoidable calls, at the order priority (all of the budget)
    const perMinuteMax = B.perMinute / UNAVOIDABLE_PER_ORDER;
    const perHourMax = Math.min(B.perMinute * 60, B.perHour, B.perDay / 24) / UNAVOIDABLE_PER_ORDER;
    const deliveredPerMinute = t.delivered / t.minutes;
    // a fresh sliding window lets a whole minute's calls through at once, then one minute's more each minute after:
    // within the run's span, at most this many orders could get their unavoidable calls
    const spanMax = Math.min(t.paid, ((Math.floor(t.minutes) + 1) * B.perMinute) / UNAVOIDABLE_PER_ORDER);
    const expiryPerDay = Math.floor(B.perDay * PRIORITY_SHARE.expiry);
    return {
      ran: `customers at once: ${bursts.map((b) => b.customers).join(', ')} (two API processes, one budget), latency model × ${scale}; ${t.paid} paid orders through one worker (latency × 0.1); ${e.watched} watched domains`,
      lines: [
        ...table(
          [
            'customers at once',
            'check p50',
            'check p99',
            'order p50',
            'order p99',
            'registrar calls / customer',
            'orders accepted / min',
            'waited (503) or unconfirmed',
            'HTTP 405 from Namecheap',
          ],
          bursts.map((b) => [
            b.customers,
            ms(b.checkMs.p50),
            `**${ms(b.checkMs.p99)}**`,
            ms(b.orderMs.p50),
            ms(b.orderMs.p99),
            fmt(b.calls / b.customers),
            fmt((b.accepted / b.seconds) * 60),
            `${b.busy} waited, ${b.unconfirmed} unconfirmed`,
            b.sandbox405,
          ]),
        ),
        '',
        ...bursts.map(
          (b) =>
            `- ${b.customers} at once: ${b.accepted} orders accepted in ${fmt(b.seconds)} s, ${b.busy} answered 503 busy, ${b.refused} refused otherwise, ${b.checkFailed} checks failed, ${b.noAlternative} without an alternative${b.statuses.size ? ` (${[...b.statuses].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}; ${b.calls} registrar calls in all (the budget allows ${B.perMinute} a minute).`,
        ),
        '',
        ...table(
          ['pipeline under the budget', 'value'],
          [
            ['orders paid → delivered', `${t.delivered} / ${t.paid} in ${fmt(t.minutes)} min`],
            ['registrar calls (all)', `${t.calls} (${t.ops})`],
            ['delivered a minute', fmt(deliveredPerMinute)],
            [
              `maximum the budget allows in that span (${UNAVOIDABLE_PER_ORDER} unavoidable calls an order, ${B.perMinute} a minute, sliding)`,
              `${fmt(spanMax)} orders (${fmt(perMinuteMax)} a minute in steady state)`,
            ],
            ['**ratio** delivered ÷ maximum', `**${fmt(t.delivered / spanMax)}**`],
            ['sustained maximum (700 an hour, 8,000 a day)', `${fmt(perHourMax)} orders an hour`],
          ],
        ),
        '',
        ...table(
          ['expiry of watched domains', 'value'],
          [
            ['watched domains', e.watched],
            ['domains.getList calls for one walk (100 a page)', e.pages],
            ['domains.getInfo calls', e.getInfo],
            ['expiry dates read', `${e.dated} / ${e.watched}`],
            ['walk time, budget aside', `${fmt(e.seconds)} s`],
            [
              `the expiry share of a day's budget (${Math.round(PRIORITY_SHARE.expiry * 100)} % of ${B.perDay})`,
              `${expiryPerDay} calls: ${fmt(e.pages / expiryPerDay)} of it a walk`,
            ],
            [
              `walk time at the expiry share's pace (${Math.floor(B.perMinute * PRIORITY_SHARE.expiry)} a minute)`,
              `${fmt(e.pages / Math.floor(B.perMinute * PRIORITY_SHARE.expiry))} min`,
            ],
          ],
        ),
      ],
      limits: [
        `Namecheap's documented budgets (${B.perMinute} a minute, ${B.perHour} an hour, ${B.perDay} a day) are on twice: the sandbox answers HTTP 405 past them, and our shared PostgreSQL budget keeps every process under them, with priorities (orders ${PRIORITY_SHARE.order * 100} %, intake confirmations ${PRIORITY_SHARE.confirm * 100} %, expiry ${PRIORITY_SHARE.expiry * 100} %, alternatives ${PRIORITY_SHARE.alternatives * 100} % of each window).`,
        'Each customer calls from a loopback address of its own (127.1.x.y), so our per-address HTTP limits and their PostgreSQL counters see different people: from one address, every request of the burst would update the same counter row, one after the other.',
        'The two API processes each answer five checks of other names before the burst: the figure is a running service’s, not the first requests of processes just started (their code still cold).',
        'A check answers within CHECK_ANSWER_MS (1 s by default) of its arrival, its time in line included: what RDAP, whois or the registrar (REGISTRAR_CONFIRM_WAIT_MS at most) did not say by then is marked unconfirmed or left out, and the purchase confirms it; an asked name nobody answered for in time is `503 availability_unknown`. "Unconfirmed" counts customers whose name or first alternative was answered so; "without an alternative", those offered none in time.',
        "Each API process makes at most AVAILABILITY_LOOKUPS_IN_FLIGHT RDAP/whois lookups at once (the asked names first, then every search's best candidates before anyone's next ones), keeps their answers AVAILABILITY_CACHE_SECONDS for every check, and works on ADMISSION_CHECK_MAX_IN_FLIGHT checks at once. The check p99 includes this machine's load: other processes share its 2 cores (the load average is printed with the run).",
        'The pipeline part bypasses intake (orders created and paid by the bench) and runs one worker at latency × 0.1: the budget, not the providers, bounds it. Its ratio compares delivered orders a minute with the per-minute maximum; over an hour or a day the hour’s and the day’s budgets bind (the sustained maximum).',
        'The expiry walk runs with the budget off to count its calls and time it; at the budget’s pace it takes the time shown, well within DOMAIN_CHECK_HOURS.',
      ],
    };
  },
};
