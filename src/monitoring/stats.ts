// The business's figures over a time range (time to live, success rate, deadlines met, revenue), for the admin's metrics and the daily report.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { WORKING_STATES } from '../domain/order-state.ts';

export interface OrderStats {
  from: string;
  to: string;
  /** orders created (requests that got a price and a payment link) */
  requested: number;
  /** orders paid in the range */
  paid: number;
  /** orders delivered in the range */
  delivered: number;
  /** orders that failed in the range (a step could not succeed; they are refunded) */
  failed: number;
  /** delivered / (delivered + failed); null when neither happened */
  successRate: number | null;
  /** payment → delivery, for the orders delivered in the range */
  timeToLive: { meanSeconds: number | null; medianSeconds: number | null; p95Seconds: number | null };
  /**
   * Deadlines of the orders that finished in the range. Met: delivered by the deadline. Missed:
   * delivered after it, or failed (and refunded) after it had passed. An order that failed before
   * its deadline neither met nor missed it: it counts against the success rate, not here.
   */
  deadlines: { met: number; missed: number; share: number | null };
  /** in the configured currency: paid in the range, refunded in the range, and the difference */
  revenue: { currency: string; paidCents: number; refundedCents: number; netCents: number };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const round = (v: number | null, digits = 1) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export async function orderStats(db: Database, from: Date, to: Date, currency: string): Promise<OrderStats> {
  const { rows } = await sql<{
    requested: string;
    paid: string;
    paid_cents: string;
    delivered: string;
    mean: string | null;
    median: number | null;
    p95: number | null;
    met: string;
    failed: string;
    failed_late: string;
    refunded_cents: string;
  }>`
    with delivered as (
      select extract(epoch from delivered_at - paid_at)::float8 as ttl, delivered_at <= deadline_at as met
      from orders where delivered_at >= ${from} and delivered_at < ${to} and paid_at is not null
    ), failed as (
      select distinct on (e.order_id) e.order_id, e.at, o.deadline_at from order_events e join orders o on o.id = e.order_id
      where e.type = 'order_failed' and e.at >= ${from} and e.at < ${to}
      order by e.order_id, e.at
    )
    select
      (select count(*) from orders where created_at >= ${from} and created_at < ${to}) as requested,
      (select count(*) from orders where paid_at >= ${from} and paid_at < ${to}) as paid,
      -- revenue is what was invoiced, less what was credited (src/billing: one invoice per payment, one credit note per refund)
      (select coalesce(sum(total_incl_vat_cents), 0) from invoices
        where kind = 'invoice' and issued_at >= ${from} and issued_at < ${to} and currency = ${currency}) as paid_cents,
      (select count(*) from delivered) as delivered,
      (select avg(ttl) from delivered) as mean,
      (select percentile_cont(0.5) within group (order by ttl) from delivered) as median,
      (select percentile_cont(0.95) within group (order by ttl) from delivered) as p95,
      (select count(*) filter (where met) from delivered) as met,
      (select count(*) from failed) as failed,
      (select count(*) from failed where at > deadline_at) as failed_late,
      (select coalesce(sum(total_incl_vat_cents), 0) from invoices
        where kind = 'credit_note' and issued_at >= ${from} and issued_at < ${to} and currency = ${currency}) as refunded_cents`.execute(db);
  const r = rows[0]!;
  const delivered = Number(r.delivered);
  const failed = Number(r.failed);
  const met = Number(r.met);
  const missed = delivered - met + Number(r.failed_late);
  const paidCents = Number(r.paid_cents);
  const refundedCents = Number(r.refunded_cents);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    requested: Number(r.requested),
    paid: Number(r.paid),
    delivered,
    failed,
    successRate: delivered + failed > 0 ? delivered / (delivered + failed) : null,
    timeToLive: { meanSeconds: round(num(r.mean)), medianSeconds: round(num(r.median)), p95Seconds: round(num(r.p95)) },
    deadlines: { met, missed, share: met + missed > 0 ? met / (met + missed) : null },
    revenue: { currency, paidCents, refundedCents, netCents: paidCents - refundedCents },
  };
}

/** Right now: orders the pipeline works on, and how many of them are past the risk share of their time. */
export async function ordersInFlight(db: Database, riskShare: number): Promise<{ inFlight: number; atRisk: number; overdue: number }> {
  const { rows } = await sql<{ in_flight: string; at_risk: string; overdue: string }>`
    select count(*) as in_flight,
      count(*) filter (where deadline_at is not null and paid_at is not null and now() > paid_at + (deadline_at - paid_at) * ${riskShare}::float8) as at_risk,
      count(*) filter (where deadline_at < now()) as overdue
    from orders where state = any(${WORKING_STATES})`.execute(db);
  const r = rows[0]!;
  return { inFlight: Number(r.in_flight), atRisk: Number(r.at_risk), overdue: Number(r.overdue) };
}
