// The alert rules: each reads PostgreSQL (so any worker sees what every process did) and says which subjects are in trouble right now.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { WORKING_STATES } from './gauges.ts';

export type Severity = 'warning' | 'critical';

/** One subject the rule fires for; the engine keeps one open alert per rule and subject while it keeps firing. */
export interface Finding {
  subject: string;
  severity: Severity;
  summary: string;
  details: Record<string, unknown>;
}

export interface Rule {
  name: string;
  /** what the rule watches, for the README and the admin */
  description: string;
  evaluate(deps: Deps): Promise<Finding[]>;
}

const LIMIT = 1000;
const pct = (share: number) => `${Math.round(share * 100)} %`;
const day = (at: Date) => at.toISOString().slice(0, 10);
const daysUntil = (at: Date) => Math.floor((at.getTime() - Date.now()) / 86_400_000);

export const deadlineAtRisk: Rule = {
  name: 'deadline_at_risk',
  description: 'an order in progress past ALERT_DEADLINE_RISK_SHARE (75 %) of the time from payment to its deadline; critical once overdue',
  async evaluate({ db, config }) {
    const { rows } = await sql<{ id: string; domain: string; tier: string; state: string; current_step: string | null; paid_at: Date; deadline_at: Date; used: number }>`
      select id, domain, tier, state, current_step, paid_at, deadline_at,
        extract(epoch from now() - paid_at) / nullif(extract(epoch from deadline_at - paid_at), 0) as used
      from orders
      where state = any(${WORKING_STATES}) and deadline_at is not null and paid_at is not null
        and now() > paid_at + (deadline_at - paid_at) * ${config.ALERT_DEADLINE_RISK_SHARE}::float8
      order by deadline_at limit ${LIMIT}`.execute(db);
    return rows.map((o) => {
      const used = Number(o.used);
      const overdue = o.deadline_at.getTime() < Date.now();
      return {
        subject: o.id,
        severity: overdue ? 'critical' : 'warning',
        summary: overdue
          ? `Order for ${o.domain} (${o.tier}) missed its deadline (${o.deadline_at.toISOString()}); it is at ${o.current_step ?? o.state}`
          : `Order for ${o.domain} (${o.tier}) has used ${pct(used)} of its time; deadline ${o.deadline_at.toISOString()}; it is at ${o.current_step ?? o.state}`,
        details: { orderId: o.id, domain: o.domain, tier: o.tier, state: o.state, step: o.current_step, paidAt: o.paid_at, deadlineAt: o.deadline_at, used: Math.round(used * 1000) / 1000 },
      };
    });
  },
};

export const providerErrors: Rule = {
  name: 'provider_errors',
  description:
    'a provider whose calls fail (retryable errors: 5xx, timeouts, cut connections) at ALERT_PROVIDER_ERROR_RATE or more over ALERT_PROVIDER_WINDOW_SECONDS (at least ALERT_PROVIDER_MIN_CALLS calls), or whose circuit breaker refused calls in that window; critical when the circuit is open',
  async evaluate({ db, config }) {
    const { rows } = await sql<{ provider: string; calls: string; errors: string; refused: string; codes: string[] | null }>`
      select provider,
        count(*) filter (where error_code is distinct from 'circuit_open') as calls,
        count(*) filter (where outcome = 'retryable_error' and error_code not in ('rate_limited', 'circuit_open')) as errors,
        count(*) filter (where error_code = 'circuit_open') as refused,
        array_agg(distinct error_code) filter (where outcome <> 'ok' and error_code <> 'circuit_open') as codes
      from provider_calls where at > now() - make_interval(secs => ${config.ALERT_PROVIDER_WINDOW_SECONDS})
      group by provider`.execute(db);
    const findings: Finding[] = [];
    for (const r of rows) {
      const calls = Number(r.calls);
      const errors = Number(r.errors);
      const refused = Number(r.refused);
      const rate = calls ? errors / calls : 0;
      const failing = calls >= config.ALERT_PROVIDER_MIN_CALLS && rate >= config.ALERT_PROVIDER_ERROR_RATE;
      if (!failing && refused === 0) continue;
      const parts = [`${r.provider}: ${errors} of ${calls} calls failed in the last ${config.ALERT_PROVIDER_WINDOW_SECONDS} s (${pct(rate)})`];
      if (refused) parts.push(`circuit open (${refused} calls refused)`);
      findings.push({
        subject: r.provider,
        severity: refused ? 'critical' : 'warning',
        summary: parts.join('; '),
        details: { provider: r.provider, calls, errors, errorRate: Math.round(rate * 1000) / 1000, circuitOpen: refused > 0, refusedCalls: refused, errorCodes: r.codes ?? [], windowSeconds: config.ALERT_PROVIDER_WINDOW_SECONDS },
      });
    }
    return findings;
  },
};

export const orderStuck: Rule = {
  name: 'order_stuck',
  description:
    'an order in progress (or refunding, or waiting for a new name) with no event for ALERT_STUCK_MINUTES and no job that can still run it: the sweeper could not help (its job exhausted its attempts, or no worker runs)',
  async evaluate({ db, config }) {
    const minutes = config.ALERT_STUCK_MINUTES;
    const { rows } = await sql<{ id: string; domain: string; state: string; current_step: string | null; updated_at: Date }>`
      select o.id, o.domain, o.state, o.current_step, o.updated_at from orders o
      where o.state = any(${[...WORKING_STATES, 'refunding', 'domain_unavailable']})
        and o.updated_at < now() - make_interval(mins => ${minutes})
        and not exists (select 1 from order_events e where e.order_id = o.id and e.at >= now() - make_interval(mins => ${minutes}))
        and not exists (
          select 1 from graphile_worker.jobs j
          where j.key in ('step:' || o.id || ':' || coalesce(o.current_step, ''), 'refund:' || o.id, 'domain-choice:' || o.id)
            and j.attempts < j.max_attempts)
      order by o.updated_at limit ${LIMIT}`.execute(db);
    return rows.map((o) => ({
      subject: o.id,
      severity: 'critical',
      summary: `Order for ${o.domain} is stuck in ${o.state}${o.current_step ? ` at ${o.current_step}` : ''}: no progress for ${minutes}+ min and no job to run it`,
      details: { orderId: o.id, domain: o.domain, state: o.state, step: o.current_step, lastUpdate: o.updated_at },
    }));
  },
};

export const webhooksRejected: Rule = {
  name: 'webhooks_rejected',
  description: 'ALERT_WEBHOOK_REJECTED_THRESHOLD or more payment webhooks refused (bad signature, stale, unreadable) within ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS, per provider',
  async evaluate({ db, config }) {
    const { rows } = await sql<{ provider: string; reason: string; n: string }>`
      select provider, reason, sum(count) as n from webhook_rejections
      where second > now() - make_interval(secs => ${config.ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS})
      group by provider, reason`.execute(db);
    const byProvider = new Map<string, Record<string, number>>();
    for (const r of rows) byProvider.set(r.provider, { ...byProvider.get(r.provider), [r.reason]: Number(r.n) });
    const findings: Finding[] = [];
    for (const [provider, reasons] of byProvider) {
      const total = Object.values(reasons).reduce((a, b) => a + b, 0);
      if (total < config.ALERT_WEBHOOK_REJECTED_THRESHOLD) continue;
      findings.push({
        subject: provider,
        severity: 'warning',
        summary: `${provider}: ${total} webhooks rejected in the last ${config.ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS} s (${Object.entries(reasons).map(([k, v]) => `${k} ${v}`).join(', ')})`,
        details: { provider, rejected: total, reasons, windowSeconds: config.ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS },
      });
    }
    return findings;
  },
};

export const siteDown: Rule = {
  name: 'site_down',
  description: 'a delivered site with an open incident (MONITOR_FAILURES_BEFORE_DOWN failed HTTPS checks in a row, until one succeeds)',
  async evaluate({ db }) {
    const rows = await db
      .selectFrom('site_incidents')
      .select(['id', 'order_id', 'domain', 'started_at', 'failed_checks', 'last_error', 'customer_notified_at'])
      .where('closed_at', 'is', null)
      .orderBy('started_at')
      .limit(LIMIT)
      .execute();
    return rows.map((i) => ({
      subject: i.domain,
      severity: 'critical',
      summary: `${i.domain} is down since ${i.started_at.toISOString()} (${i.failed_checks} failed checks): ${i.last_error ?? 'no answer'}`,
      details: { incidentId: i.id, orderId: i.order_id, domain: i.domain, since: i.started_at, failedChecks: i.failed_checks, lastError: i.last_error, customerNotified: !!i.customer_notified_at },
    }));
  },
};

export const certificateExpiring: Rule = {
  name: 'certificate_expiring',
  description: "a watched site whose HTTPS certificate (as its TLS handshake presents it) expires within CERT_EXPIRY_WARN_DAYS; critical within 2 days",
  async evaluate({ db, config }) {
    const rows = await db
      .selectFrom('monitors as m')
      .innerJoin('orders as o', 'o.id', 'm.order_id')
      .select(['m.order_id', 'o.domain', 'm.cert_expires_at'])
      .where('m.enabled', '=', true)
      .where('m.cert_expires_at', '<', new Date(Date.now() + config.CERT_EXPIRY_WARN_DAYS * 86_400_000))
      .orderBy('m.cert_expires_at')
      .limit(LIMIT)
      .execute();
    return rows.map((m) => {
      const at = m.cert_expires_at!;
      return {
        subject: m.domain,
        severity: daysUntil(at) < 2 ? 'critical' : 'warning',
        summary: `${m.domain}: HTTPS certificate expires on ${day(at)} (in ${daysUntil(at)} days)`,
        details: { orderId: m.order_id, domain: m.domain, expiresAt: at, warnDays: config.CERT_EXPIRY_WARN_DAYS },
      };
    });
  },
};

export const domainExpiring: Rule = {
  name: 'domain_expiring',
  description: 'a watched site whose domain registration (registrar getInfo) expires within DOMAIN_EXPIRY_WARN_DAYS; critical within 7 days',
  async evaluate({ db, config }) {
    const rows = await db
      .selectFrom('monitors as m')
      .innerJoin('orders as o', 'o.id', 'm.order_id')
      .select(['m.order_id', 'o.domain', 'm.domain_expires_at'])
      .where('m.enabled', '=', true)
      .where('m.domain_expires_at', '<', new Date(Date.now() + config.DOMAIN_EXPIRY_WARN_DAYS * 86_400_000))
      .orderBy('m.domain_expires_at')
      .limit(LIMIT)
      .execute();
    return rows.map((m) => {
      const at = m.domain_expires_at!;
      return {
        subject: m.domain,
        severity: daysUntil(at) < 7 ? 'critical' : 'warning',
        summary: `${m.domain}: domain registration expires on ${day(at)} (in ${daysUntil(at)} days)`,
        details: { orderId: m.order_id, domain: m.domain, expiresAt: at, warnDays: config.DOMAIN_EXPIRY_WARN_DAYS },
      };
    });
  },
};

export const retriesExhausted: Rule = {
  name: 'retries_exhausted',
  description:
    'a pipeline step that failed for good after exhausting its retries within ALERT_RETRIES_WINDOW_SECONDS (subject step:<name>; the order is refunded automatically), or queue jobs that used up their attempts (subject job:<task>)',
  async evaluate({ db, config }) {
    const window = config.ALERT_RETRIES_WINDOW_SECONDS;
    const { rows: steps } = await sql<{ step: string; n: string; orders: string[]; last: Date }>`
      select data->>'step' as step, count(*) as n, array_agg(order_id::text order by at desc) as orders, max(at) as last
      from order_events
      where type = 'order_failed' and data->>'code' = 'retries_exhausted' and at > now() - make_interval(secs => ${window})
      group by 1`.execute(db);
    const { rows: jobs } = await sql<{ task: string; n: string; last_error: string | null }>`
      select task_identifier as task, count(*) as n, max(last_error) as last_error
      from graphile_worker.jobs where attempts >= max_attempts and locked_at is null
      group by 1`.execute(db);
    return [
      ...steps.map<Finding>((s) => ({
        subject: `step:${s.step}`,
        severity: 'warning',
        summary: `${s.step}: ${s.n} order(s) failed after exhausting their retries in the last ${window} s (refunded automatically)`,
        details: { step: s.step, orders: s.orders.slice(0, 20), count: Number(s.n), last: s.last, windowSeconds: window },
      })),
      ...jobs.map<Finding>((j) => ({
        subject: `job:${j.task}`,
        severity: 'critical',
        summary: `${j.n} ${j.task} job(s) used up their attempts and will not run again: ${(j.last_error ?? '').slice(0, 200)}`,
        details: { task: j.task, count: Number(j.n), lastError: j.last_error },
      })),
    ];
  },
};

export const RULES: Rule[] = [deadlineAtRisk, providerErrors, orderStuck, webhooksRejected, siteDown, certificateExpiring, domainExpiring, retriesExhausted];
