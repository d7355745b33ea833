// Orders for the benchmarks: created in bulk (awaiting payment, with an open Stripe link, as intake leaves them),
// paid through the app's own markPaid, and watched until the pipeline is done with them.
import { BENCH_HOLDER } from './holders.ts';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Deps } from '../../src/deps.ts';
import type { Database } from '../../src/db/database.ts';
import type { PaymentLinkRow } from '../../src/db/schema.ts';
import { quote, type Tier } from '../../src/domain/pricing.ts';
import { deadlineHours } from '../../src/domain/deadline.ts';
import { markPaid } from '../../src/workflow/payment-events.ts';

export interface BenchOrder {
  id: string;
  token: string;
  domain: string;
  linkId: string;
  sessionId: string;
  totalCents: number;
  tier: Tier;
}

/**
 * `n` orders awaiting payment, each with an open Stripe Checkout link (session id `cs_bench_<tag>_<i>`), inserted
 * in batches: what `POST /api/request-concierge-service` leaves behind, without its availability check and payment
 * call (those are figure a's subject, not the pipeline's).
 */
export async function createOrders(deps: Deps, n: number, tag: string): Promise<BenchOrder[]> {
  const { db, config } = deps;
  const out: BenchOrder[] = [];
  const list = {
    currency: config.CURRENCY,
    tlds: config.TLD_PRICES,
    serviceCents: config.SERVICE_PRICE_CENTS,
    expressSurchargeCents: config.EXPRESS_SURCHARGE_CENTS,
  };
  for (let start = 0; start < n; start += 1000) {
    const batch: (BenchOrder & { items: unknown })[] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const tier: Tier = i % 2 ? 'express' : 'standard';
      const q = quote(list, 'fr', tier);
      batch.push({
        id: crypto.randomUUID(),
        token: crypto.randomBytes(24).toString('base64url'),
        domain: `bench-${tag}-${i}.fr`,
        linkId: crypto.randomUUID(),
        sessionId: `cs_bench_${tag}_${i}`,
        totalCents: q.totalCents,
        tier,
        items: q.items,
      });
    }
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('orders')
        .values(
          batch.map((o, k) => ({
            id: o.id,
            tracking_token: o.token,
            business_name: `Atelier ${tag} ${start + k}`,
            email: `bench-${start + k}@example.org`,
            city: 'Lyon',
            locale: (k % 2 ? 'fr' : 'en') as 'fr' | 'en',
            domain: o.domain,
            domain_unicode: o.domain,
            tier: o.tier,
            state: 'awaiting_payment',
            currency: config.CURRENCY,
            price_items: JSON.stringify(o.items),
            total_cents: o.totalCents,
            payment_provider: 'stripe' as const,
            deadline_hours: deadlineHours({ expressHours: config.EXPRESS_HOURS, standardHours: config.STANDARD_HOURS }, o.tier),
          })),
        )
        .execute();
      await tx
        .insertInto('payment_links')
        .values(
          batch.map((o) => ({
            id: o.linkId,
            order_id: o.id,
            seq: 1,
            provider: 'stripe' as const,
            provider_ref: o.sessionId,
            url: `http://127.0.0.1/c/pay/${o.sessionId}`,
            amount_cents: o.totalCents,
            currency: config.CURRENCY,
            expires_at: new Date(Date.now() + 86_400_000),
            state: 'open',
          })),
        )
        .execute();
      // as intake stores it: the holder the register step makes the registrant
      await tx
        .insertInto('order_holders')
        .values(batch.map((o) => ({ order_id: o.id, holder: JSON.stringify({ ...BENCH_HOLDER, email: 'bench@example.org' }) })))
        .execute();
    });
    out.push(...batch.map(({ items: _items, ...o }) => o));
  }
  return out;
}

/** Pay each order through the app's markPaid (what a verified payment webhook's job does), `concurrency` at a time. */
export async function payOrders(deps: Deps, orders: BenchOrder[], concurrency = 16): Promise<{ seconds: number }> {
  const started = performance.now();
  let next = 0;
  const one = async () => {
    while (next < orders.length) {
      const o = orders[next++]!;
      const link = {
        id: o.linkId,
        order_id: o.id,
        provider: 'stripe',
        seq: 1,
        provider_ref: o.sessionId,
        amount_cents: o.totalCents,
        currency: deps.config.CURRENCY,
      } as PaymentLinkRow;
      await markPaid(deps, link, { paymentRef: `pi_bench_${o.sessionId}`, amountCents: o.totalCents, currency: deps.config.CURRENCY });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, one));
  return { seconds: (performance.now() - started) / 1000 };
}

/** Orders by state, in this benchmark's database (it holds only this benchmark's orders). */
export async function statesCount(db: Database): Promise<Record<string, number>> {
  const { rows } = await sql<{ state: string; n: string }>`select state, count(*) as n from orders group by state`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

const FINAL = ['delivered', 'refunded', 'refund_failed', 'cancelled', 'domain_unavailable'];

/** Wait until every order is in a final state (or `timeoutMs`); prints progress on stderr. */
export async function waitForOrders(
  db: Database,
  total: number,
  opts: { timeoutMs: number; label: string; onTick?: () => void },
): Promise<{ states: Record<string, number>; timedOut: boolean }> {
  const until = Date.now() + opts.timeoutMs;
  let lastPrint = 0;
  for (;;) {
    const states = await statesCount(db);
    const done = FINAL.reduce((s, k) => s + (states[k] ?? 0), 0);
    opts.onTick?.();
    if (Date.now() - lastPrint > 5000) {
      lastPrint = Date.now();
      process.stderr.write(`    ${opts.label}: ${done}/${total} done ${JSON.stringify(states)}\n`);
    }
    if (done >= total) return { states, timedOut: false };
    if (Date.now() > until) return { states, timedOut: true };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The pipeline's own record of a run: first step start to last delivery, step completions and runs, waits. */
export async function pipelineRecord(db: Database) {
  const { rows } = await sql<{
    first_start: Date;
    last_delivery: Date;
    first_paid: Date;
    delivered: string;
    steps_done: string;
    step_runs: string;
    waits: string;
    retries: string;
    emails: string;
  }>`
    select (select min(started_at) from order_steps) as first_start,
           (select max(delivered_at) from orders) as last_delivery,
           (select min(paid_at) from orders) as first_paid,
           (select count(*) from orders where state = 'delivered') as delivered,
           (select count(*) from order_steps where state = 'done') as steps_done,
           (select coalesce(sum(attempts), 0) from order_steps) as step_runs,
           (select count(*) from order_events where type = 'step_waiting') as waits,
           (select count(*) from order_events where type = 'step_retry') as retries,
           (select count(*) from outbox_emails where state = 'sent') as emails`.execute(db);
  const r = rows[0]!;
  const windowSeconds = r.first_start && r.last_delivery ? (r.last_delivery.getTime() - r.first_start.getTime()) / 1000 : NaN;
  return {
    windowSeconds,
    firstPaid: r.first_paid,
    firstStart: r.first_start,
    lastDelivery: r.last_delivery,
    delivered: Number(r.delivered),
    stepsDone: Number(r.steps_done),
    stepRuns: Number(r.step_runs),
    waits: Number(r.waits),
    retries: Number(r.retries),
    emailsSent: Number(r.emails),
  };
}

/** Where an order's time goes: each step's duration (first start to completion) and each provider operation's. */
export async function timeBreakdown(db: Database) {
  const { rows: steps } = await sql<{ step: string; n: string; p50: number; p99: number; mean: number }>`
    select step, count(*) as n,
           percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at) * 1000) as p50,
           percentile_cont(0.99) within group (order by extract(epoch from finished_at - started_at) * 1000) as p99,
           avg(extract(epoch from finished_at - started_at) * 1000) as mean
    from order_steps where state = 'done' group by step order by min(started_at)`.execute(db);
  const { rows: calls } = await sql<{ provider: string; operation: string; n: string; p50: number; p99: number; mean: number }>`
    select provider, operation, count(*) as n,
           percentile_cont(0.5) within group (order by duration_ms) as p50,
           percentile_cont(0.99) within group (order by duration_ms) as p99,
           avg(duration_ms) as mean
    from provider_calls group by provider, operation order by count(*) desc`.execute(db);
  return {
    steps: steps.map((r) => ({ step: r.step, n: Number(r.n), p50: Number(r.p50), p99: Number(r.p99), mean: Number(r.mean) })),
    calls: calls.map((r) => ({ call: `${r.provider} ${r.operation}`, n: Number(r.n), p50: Number(r.p50), p99: Number(r.p99), mean: Number(r.mean) })),
  };
}
