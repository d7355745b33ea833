// Renewals as operators watch them: the alert for a domain close to expiry without a paid renewal, the console's
// figures (renewals due in 30/60/90 days, declined and in dunning, in grace, transfers out, next year's revenue), and
// the daily report's counts (renewals paid, declined, lost).
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { LIMIT, type Rule } from './rule.ts';

/** Within this many days of expiry, a domain whose renewal is not paid needs a person to look. */
const UNPAID_ALERT_DAYS = 7;

export const renewalUnpaid: Rule = {
  name: 'renewal_unpaid',
  title: 'Domain expiring without a paid renewal',
  description: `a delivered domain within ${UNPAID_ALERT_DAYS} days of expiry (or past it, in its grace period) whose renewal is not paid: declined, in dunning, auto-renewal off or never charged; critical once expired`,
  async evaluate({ db }) {
    const { rows } = await sql<{ order_id: string; domain: string; state: string; auto_renew: boolean; expires_at: Date }>`
      select r.order_id, o.domain, r.state, r.auto_renew, r.expires_at
        from renewals r join orders o on o.id = r.order_id
       where r.state in ('scheduled', 'charging', 'dunning', 'grace')
         and r.expires_at < now() + make_interval(days => ${UNPAID_ALERT_DAYS})
       order by r.expires_at limit ${LIMIT}`.execute(db);
    return rows.map((r) => {
      const expired = r.expires_at.getTime() <= Date.now();
      return {
        subject: r.order_id,
        severity: expired ? 'critical' : 'warning',
        summary: expired
          ? `${r.domain} expired on ${r.expires_at.toISOString().slice(0, 10)} unpaid (${r.state}); its site shows the notice page`
          : `${r.domain} expires on ${r.expires_at.toISOString().slice(0, 10)} and its renewal is not paid (${r.state}${r.auto_renew ? '' : ', auto-renewal off'})`,
        details: { orderId: r.order_id, domain: r.domain, state: r.state, autoRenew: r.auto_renew, expiresAt: r.expires_at },
      };
    });
  },
};

export const renewalHeld: Rule = {
  name: 'renewal_held',
  title: 'Renewal held before its charge',
  description:
    'a premium name’s renewal not charged because the registrar would now sell it dearer than the customer was told (or its price is unknown): nothing is charged or renewed until an operator decides (ask the customer, renew at a loss, or let it go); critical within a week of expiry',
  async evaluate({ db }) {
    const { rows } = await sql<{ order_id: string; domain: string; attempt_id: string; expires_at: Date; reason: string | null; held_at: Date }>`
      select a.order_id, o.domain, a.id as attempt_id, r.expires_at, h.reason, h.at as held_at
        from renewal_attempts a
        join orders o on o.id = a.order_id
        join renewals r on r.order_id = a.order_id
        join lateral (select e.data->>'reason' as reason, e.at from order_events e
                       where e.order_id = a.order_id and e.type = 'renewal_held' and e.at >= a.created_at
                       order by e.id desc limit 1) h on true
       where a.state = 'charging' and a.payment_ref is null
       order by r.expires_at limit ${LIMIT}`.execute(db);
    return rows.map((r) => ({
      subject: r.attempt_id,
      severity: r.expires_at.getTime() - Date.now() < UNPAID_ALERT_DAYS * 86_400_000 ? ('critical' as const) : ('warning' as const),
      summary: `${r.domain}: renewal held before its charge (${r.reason ?? 'held'}) since ${r.held_at.toISOString().slice(0, 16)}; the domain expires on ${r.expires_at.toISOString().slice(0, 10)}`,
      details: { orderId: r.order_id, attemptId: r.attempt_id, domain: r.domain, reason: r.reason, expiresAt: r.expires_at },
    }));
  },
};

/** A paid renewal normally reaches the registrar within minutes; past this, a person looks. */
const PAID_NOT_RENEWED_MINUTES = 60;

export const renewalPaidNotRenewed: Rule = {
  name: 'renewal_paid_not_renewed',
  title: 'Renewal paid but not renewed',
  description: `a renewal paid more than ${PAID_NOT_RENEWED_MINUTES} minutes ago that the registrar has not renewed: held for an operator (a premium name the registry now sells dearer, or whose price is unknown), or its registrar job failing; renew it at the registrar or refund it`,
  async evaluate({ db }) {
    const { rows } = await sql<{ order_id: string; domain: string; attempt_id: string; paid_at: Date; held: string | null }>`
      select a.order_id, o.domain, a.id as attempt_id, a.paid_at,
             (select e.data->>'reason' from order_events e
               where e.order_id = a.order_id and e.type = 'renewal_held' and e.at >= a.paid_at
               order by e.id desc limit 1) as held
        from renewal_attempts a join orders o on o.id = a.order_id
       where a.state = 'paid' and a.paid_at < now() - make_interval(mins => ${PAID_NOT_RENEWED_MINUTES})
       order by a.paid_at limit ${LIMIT}`.execute(db);
    return rows.map((r) => ({
      subject: r.attempt_id,
      severity: 'critical' as const,
      summary: r.held
        ? `${r.domain}: renewal paid on ${r.paid_at.toISOString().slice(0, 16)} held for an operator (${r.held}): renew at the registrar or refund`
        : `${r.domain}: renewal paid on ${r.paid_at.toISOString().slice(0, 16)} and still not renewed at the registrar`,
      details: { orderId: r.order_id, attemptId: r.attempt_id, domain: r.domain, paidAt: r.paid_at, held: r.held },
    }));
  },
};

export interface RenewalFigures {
  /** renewals of domains expiring within 30, 60 and 90 days, not yet renewed */
  due: { days30: number; days60: number; days90: number };
  /** charges declined, their customer being sent links */
  dunning: number;
  /** expired unpaid, notice page up, still payable */
  grace: number;
  /** domains that left our account */
  transfersOut: number;
  /** transfers out asked for, the domain not gone yet */
  transfersRequested: number;
  /** the latest transfers out, newest first */
  transfers: TransferRow[];
  /**
   * the coming year's renewal revenue: every plan still renewing, at what it will charge (the renewal invoice's total:
   * VAT where due, none under reverse charge; the list price for a plan made before that was kept), by currency
   */
  nextYearRevenue: { currency: string; amountCents: number }[];
}

export interface TransferRow {
  orderId: string;
  domain: string;
  state: 'requested' | 'completed';
  lock: 'removed' | 'none' | null;
  requestedAt: string | null;
  completedAt: string | null;
}

const TRANSFERS_LISTED = 50;

/** The console's renewal section: one statement over the plans (indexed by state and expiry), and the transfers out. */
export async function renewalFigures(db: Database): Promise<RenewalFigures> {
  const { rows } = await sql<{ d30: string; d60: string; d90: string; dunning: string; grace: string; gone: string }>`
    select count(*) filter (where state in ('scheduled', 'charging', 'paid', 'dunning') and expires_at < now() + interval '30 days') as d30,
           count(*) filter (where state in ('scheduled', 'charging', 'paid', 'dunning') and expires_at < now() + interval '60 days') as d60,
           count(*) filter (where state in ('scheduled', 'charging', 'paid', 'dunning') and expires_at < now() + interval '90 days') as d90,
           count(*) filter (where state = 'dunning') as dunning,
           count(*) filter (where state = 'grace') as grace,
           count(*) filter (where state = 'gone') as gone
      from renewals where state <> 'pending'`.execute(db);
  const revenue = await sql<{ currency: string; cents: string }>`
    select currency, coalesce(sum(coalesce(charge_cents, price_cents)), 0) as cents from renewals
     where state in ('scheduled', 'charging', 'paid', 'dunning', 'grace') and (auto_renew or state <> 'scheduled')
     group by currency order by currency`.execute(db);
  const transfers = await sql<{
    order_id: string;
    domain: string;
    state: 'requested' | 'completed';
    lock: 'removed' | 'none' | null;
    requested_at: Date | null;
    completed_at: Date | null;
  }>`
    select t.order_id, o.domain, t.state, t.lock, t.requested_at, t.completed_at from domain_transfers t join orders o on o.id = t.order_id
     order by coalesce(t.completed_at, t.requested_at, t.created_at) desc limit ${TRANSFERS_LISTED}`.execute(db);
  const counts = await sql<{ requested: string; completed: string }>`
    select count(*) filter (where state = 'requested') as requested, count(*) filter (where state = 'completed') as completed from domain_transfers`.execute(
    db,
  );
  const r = rows[0]!;
  return {
    due: { days30: Number(r.d30), days60: Number(r.d60), days90: Number(r.d90) },
    dunning: Number(r.dunning),
    grace: Number(r.grace),
    // a domain that left without a recorded transfer (before transfers were recorded) still counts as gone
    transfersOut: Math.max(Number(r.gone), Number(counts.rows[0]?.completed ?? 0)),
    transfersRequested: Number(counts.rows[0]?.requested ?? 0),
    transfers: transfers.rows.map((t) => ({
      orderId: t.order_id,
      domain: t.domain,
      state: t.state,
      lock: t.lock,
      requestedAt: t.requested_at?.toISOString() ?? null,
      completedAt: t.completed_at?.toISOString() ?? null,
    })),
    nextYearRevenue: revenue.rows.map((x) => ({ currency: x.currency, amountCents: Number(x.cents) })),
  };
}

export interface RenewalDayCounts {
  paid: number;
  declined: number;
  lost: number;
  /** renewals paid, then refunded because the domain had left us meanwhile (absent from reports stored before) */
  refunded?: number;
}

/**
 * The daily report's counts for [from, to): renewals paid, charges declined, renewals lost at the end of grace, and
 * renewals refunded because their domain had left (a payment counted as paid on its day, and as refunded on this one).
 */
export async function renewalDayCounts(db: Database, from: Date, to: Date): Promise<RenewalDayCounts> {
  const { rows } = await sql<{ paid: string; declined: string; lost: string; refunded: string }>`
    select count(*) filter (where type = 'renewal_paid') as paid,
           count(*) filter (where type = 'renewal_declined') as declined,
           count(*) filter (where type = 'renewal_lost') as lost,
           count(*) filter (where type = 'renewal_refunded') as refunded
      from order_events
     where type in ('renewal_paid', 'renewal_declined', 'renewal_lost', 'renewal_refunded') and at >= ${from} and at < ${to}`.execute(db);
  const r = rows[0];
  return { paid: Number(r?.paid ?? 0), declined: Number(r?.declined ?? 0), lost: Number(r?.lost ?? 0), refunded: Number(r?.refunded ?? 0) };
}
