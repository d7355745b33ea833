// The alert rules: each reads PostgreSQL (so any worker sees what every process did) and says which subjects are in trouble right now.
import { sql } from 'kysely';
import { WORKING_STATES } from '../domain/order-state.ts';
import { LIMIT, type Finding, type Rule } from './rule.ts';
import { certificateExpiring, domainExpiring, manySitesDown, siteDown } from './site-rules.ts';
import { satisfactionLow } from './satisfaction.ts';
import { renewalHeld, renewalPaidNotRenewed, renewalUnpaid } from './renewals.ts';

export { LIMIT, type Finding, type Rule, type Severity } from './rule.ts';

/**
 * Error codes that say nothing about a provider's health: what the customer asked for (a taken or
 * unsupported name, a refused request), the world not ready yet (DNS), a site already gone, and
 * us pacing ourselves (429s, our own open circuit, a budget cut short).
 */
export const NOT_PROVIDER_FAULTS = [
  'domain_unavailable',
  'unsupported_tld',
  'invalid_request',
  'unprocessable',
  'name_taken',
  'dns_not_ready',
  'not_found',
  'domain_not_found',
  'not_owner',
  'already_paid',
  'rate_limited',
  'circuit_open',
  'aborted',
];

/** A provider refusing our credentials: every call will fail until a person acts, so one is enough to alert. */
export const CREDENTIAL_FAULTS = ['auth_failed', 'authentication_failed', 'permission_denied', 'auth', 'ip_not_whitelisted'];

/** Why an order may fail without anything being broken: the customer's name was taken and no other was chosen, an operator refunded it. */
export const CUSTOMER_FAILURES = ['domain_unavailable', 'domain_choice_expired', 'admin_refund'];

const pct = (share: number) => `${Math.round(share * 100)} %`;

export const deadlineAtRisk: Rule = {
  name: 'deadline_at_risk',
  title: 'Deadline at risk',
  description: 'an order in progress past ALERT_DEADLINE_RISK_SHARE (75 %) of the time from payment to its deadline; critical once overdue',
  async evaluate({ db, config }) {
    const { rows } = await sql<{
      id: string;
      domain: string;
      tier: string;
      state: string;
      current_step: string | null;
      paid_at: Date;
      deadline_at: Date;
      used: number;
    }>`
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
        details: {
          orderId: o.id,
          domain: o.domain,
          tier: o.tier,
          state: o.state,
          step: o.current_step,
          paidAt: o.paid_at,
          deadlineAt: o.deadline_at,
          used: Math.round(used * 1000) / 1000,
        },
      };
    });
  },
};

export const providerErrors: Rule = {
  name: 'provider_errors',
  title: 'Provider errors',
  description:
    "a provider whose calls fail (5xx, timeouts, cut connections, and refusals that are not the customer's doing: NOT_PROVIDER_FAULTS are left out) at ALERT_PROVIDER_ERROR_RATE or more over ALERT_PROVIDER_WINDOW_SECONDS (at least ALERT_PROVIDER_MIN_CALLS calls), that refused our credentials even once (critical), or whose circuit breaker refused calls in that window (critical)",
  async evaluate({ db, config }) {
    const { rows } = await sql<{ provider: string; calls: string; errors: string; refused: string; credentials: string; codes: string[] | null }>`
      select provider,
        count(*) filter (where error_code is distinct from 'circuit_open') as calls,
        count(*) filter (where outcome <> 'ok' and error_code <> all(${NOT_PROVIDER_FAULTS}::text[])) as errors,
        count(*) filter (where error_code = 'circuit_open') as refused,
        count(*) filter (where error_code = any(${CREDENTIAL_FAULTS}::text[])) as credentials,
        array_agg(distinct error_code) filter (where outcome <> 'ok' and error_code <> all(${NOT_PROVIDER_FAULTS}::text[])) as codes
      from provider_calls where at > now() - make_interval(secs => ${config.ALERT_PROVIDER_WINDOW_SECONDS})
      group by provider`.execute(db);
    const findings: Finding[] = [];
    for (const r of rows) {
      const calls = Number(r.calls);
      const errors = Number(r.errors);
      const refused = Number(r.refused);
      const credentials = Number(r.credentials);
      const rate = calls ? errors / calls : 0;
      const failing = calls >= config.ALERT_PROVIDER_MIN_CALLS && rate >= config.ALERT_PROVIDER_ERROR_RATE;
      if (!failing && refused === 0 && credentials === 0) continue;
      const parts = [`${r.provider}: ${errors} of ${calls} calls failed in the last ${config.ALERT_PROVIDER_WINDOW_SECONDS} s (${pct(rate)})`];
      if (credentials) parts.push(`our credentials were refused ${credentials} times`);
      if (refused) parts.push(`circuit open (${refused} calls refused)`);
      findings.push({
        subject: r.provider,
        severity: refused || credentials ? 'critical' : 'warning',
        summary: parts.join('; '),
        details: {
          provider: r.provider,
          calls,
          errors,
          errorRate: Math.round(rate * 1000) / 1000,
          credentialsRefused: credentials,
          circuitOpen: refused > 0,
          refusedCalls: refused,
          errorCodes: r.codes ?? [],
          windowSeconds: config.ALERT_PROVIDER_WINDOW_SECONDS,
        },
      });
    }
    return findings;
  },
};

export const ordersFailing: Rule = {
  name: 'orders_failing',
  title: 'Orders failing',
  description:
    'of the orders that finished within ALERT_ORDERS_FAILING_WINDOW_SECONDS (delivered, or failed and refunded), ALERT_ORDERS_FAILING_RATE or more failed, at least ALERT_ORDERS_FAILING_MIN of them (failures the customer or an operator caused, CUSTOMER_FAILURES, are left out); critical when none was delivered',
  async evaluate({ db, config }) {
    const window = config.ALERT_ORDERS_FAILING_WINDOW_SECONDS;
    const { rows } = await sql<{ failed: string; delivered: string; by_cause: Record<string, number> | null; orders: string[] | null }>`
      with failed as (
        select distinct on (order_id) order_id, coalesce(data->>'step', '?') || ' ' || coalesce(data->>'error', data->>'code', '?') as cause, at
        from order_events
        where type = 'order_failed' and at > now() - make_interval(secs => ${window})
          and coalesce(data->>'code', '') <> all(${CUSTOMER_FAILURES}::text[])
        order by order_id, at desc
      )
      select (select count(*) from failed) as failed,
        (select count(*) from orders where delivered_at > now() - make_interval(secs => ${window})) as delivered,
        (select jsonb_object_agg(cause, n) from (select cause, count(*) as n from failed group by cause) c) as by_cause,
        (select array_agg(order_id::text order by at desc) from failed) as orders`.execute(db);
    const r = rows[0]!;
    const failed = Number(r.failed);
    const delivered = Number(r.delivered);
    const rate = failed / Math.max(1, failed + delivered);
    if (failed < config.ALERT_ORDERS_FAILING_MIN || rate < config.ALERT_ORDERS_FAILING_RATE) return [];
    const causes = Object.entries(r.by_cause ?? {}).sort((a, b) => Number(b[1]) - Number(a[1]));
    return [
      {
        subject: 'orders',
        severity: delivered === 0 ? 'critical' : 'warning',
        summary: `${failed} of ${failed + delivered} orders finished in the last ${Math.round(window / 60)} min failed and were refunded (${pct(rate)}): ${causes.map(([c, n]) => `${c} ×${n}`).join(', ')}`,
        details: {
          failed,
          delivered,
          failureRate: Math.round(rate * 1000) / 1000,
          causes: Object.fromEntries(causes),
          orders: (r.orders ?? []).slice(0, 20),
          windowSeconds: window,
        },
      },
    ];
  },
};

export const orderStuck: Rule = {
  name: 'order_stuck',
  title: 'Order stuck',
  description:
    'an order in progress (or refunding, or waiting for a new name) with no event for ALERT_STUCK_MINUTES and no job that will move it: none (the sweeper could not bring it back), one that used up its attempts, or one whose last run failed (e.g. a refund the payment provider keeps refusing)',
  async evaluate({ db, config }) {
    const seconds = Math.round(config.ALERT_STUCK_MINUTES * 60);
    const { rows } = await sql<{
      id: string;
      domain: string;
      state: string;
      current_step: string | null;
      updated_at: Date;
      job_attempts: number | null;
      job_max: number | null;
      job_error: string | null;
    }>`
      select o.id, o.domain, o.state, o.current_step, o.updated_at, j.attempts as job_attempts, j.max_attempts as job_max, j.last_error as job_error
      from orders o
      left join lateral (
        -- a job queued again after a failure notes it in job_failures (src/workflow/jobs/run.ts)
        select j.attempts, j.max_attempts, coalesce(j.last_error, f.message) as last_error, j.locked_at
        from graphile_worker.jobs j left join job_failures f on f.job_id = j.id and j.attempts > 0
        where j.key in (case when o.current_step is not null then job_key('run_step', jsonb_build_object('orderId', o.id, 'step', o.current_step)) end,
          job_key('refund_order', jsonb_build_object('orderId', o.id)), job_key('domain_choice_timeout', jsonb_build_object('orderId', o.id)),
          job_key('offer_other_names', jsonb_build_object('orderId', o.id)))
        order by j.id desc limit 1) j on true
      where o.state = any(${[...WORKING_STATES, 'refunding', 'domain_unavailable']})
        and o.updated_at < now() - make_interval(secs => ${seconds})
        and not exists (select 1 from order_events e where e.order_id = o.id and e.at >= now() - make_interval(secs => ${seconds}))
        -- a job that can still run and has not failed (or is running now) will move it
        and not (j.attempts is not null and j.attempts < j.max_attempts and (j.last_error is null or j.locked_at is not null))
      order by o.updated_at limit ${LIMIT}`.execute(db);
    return rows.map((o) => {
      const why =
        o.job_attempts === null
          ? 'no job to run it'
          : o.job_attempts >= o.job_max!
            ? `its job used up its ${o.job_max} attempts`
            : `its job keeps failing (${o.job_attempts} attempts): ${(o.job_error ?? '').slice(0, 200)}`;
      return {
        subject: o.id,
        severity: 'critical',
        summary: `Order for ${o.domain} is stuck in ${o.state}${o.current_step ? ` at ${o.current_step}` : ''}: no progress for ${formatMinutes(seconds)}+ and ${why}`,
        details: {
          orderId: o.id,
          domain: o.domain,
          state: o.state,
          step: o.current_step,
          lastUpdate: o.updated_at,
          jobAttempts: o.job_attempts,
          jobError: o.job_error?.slice(0, 300) ?? null,
        },
      };
    });
  },
};

const formatMinutes = (seconds: number) => (seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`);

export const webhooksRejected: Rule = {
  name: 'webhooks_rejected',
  title: 'Webhooks rejected',
  description:
    'ALERT_WEBHOOK_REJECTED_THRESHOLD or more payment webhooks refused (bad signature, stale, unreadable) within ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS, per provider',
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
        summary: `${provider}: ${total} webhooks rejected in the last ${config.ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS} s (${Object.entries(reasons)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
        details: { provider, rejected: total, reasons, windowSeconds: config.ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS },
      });
    }
    return findings;
  },
};

export const outboxBacklog: Rule = {
  name: 'outbox_backlog',
  title: 'Emails not sent',
  description:
    "emails still unsent ALERT_OUTBOX_MINUTES after they were queued (the SMTP server refuses or does not answer); critical when customers' emails are among them. Only emails whose send job is still there count: an operator who discards the job has taken it in hand",
  async evaluate({ db, config }) {
    const seconds = Math.round(config.ALERT_OUTBOX_MINUTES * 60);
    const { rows } = await sql<{ n: string; customers: string; oldest: Date | null; kinds: string[] | null; last_error: string | null }>`
      select count(*) as n, count(*) filter (where e.order_id is not null) as customers, min(e.created_at) as oldest,
        array_agg(distinct e.kind) as kinds,
        (array_agg(e.last_error order by e.created_at desc) filter (where e.last_error is not null))[1] as last_error
      from outbox_emails e
      where e.state <> 'sent' and e.created_at < now() - make_interval(secs => ${seconds})
        and exists (select 1 from graphile_worker.jobs j where j.key = job_key('send_email', jsonb_build_object('emailId', e.id)))`.execute(db);
    const r = rows[0]!;
    const n = Number(r.n);
    if (!n) return [];
    const customers = Number(r.customers);
    return [
      {
        subject: 'outbox',
        severity: customers ? 'critical' : 'warning',
        summary: `${n} emails (${customers} to customers) still unsent after ${formatMinutes(seconds)}, the oldest queued ${r.oldest!.toISOString()}: ${(r.last_error ?? 'no answer').slice(0, 200)}`,
        details: {
          unsent: n,
          toCustomers: customers,
          oldest: r.oldest,
          kinds: r.kinds ?? [],
          lastError: r.last_error?.slice(0, 300) ?? null,
          afterSeconds: seconds,
        },
      },
    ];
  },
};

export const retriesExhausted: Rule = {
  name: 'retries_exhausted',
  title: 'Retries exhausted',
  description:
    'a pipeline step that failed for good after exhausting its retries within ALERT_RETRIES_WINDOW_SECONDS (subject step:<name>; the order is refunded automatically), or queue jobs that used up their attempts within that window (subject job:<task>; an operator retries or discards them in the console)',
  async evaluate({ db, config }) {
    const window = config.ALERT_RETRIES_WINDOW_SECONDS;
    const { rows: steps } = await sql<{ step: string; n: string; orders: string[]; last: Date }>`
      select data->>'step' as step, count(*) as n, array_agg(order_id::text order by at desc) as orders, max(at) as last
      from order_events
      where type = 'order_failed' and data->>'code' = 'retries_exhausted' and at > now() - make_interval(secs => ${window})
      group by 1`.execute(db);
    const { rows: jobs } = await sql<{ task: string; n: string; last_error: string | null }>`
      select task_identifier as task, count(*) as n, max(last_error) as last_error
      from graphile_worker.jobs where attempts >= max_attempts and locked_at is null and updated_at > now() - make_interval(secs => ${window})
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

export const RULES: Rule[] = [
  deadlineAtRisk,
  providerErrors,
  ordersFailing,
  orderStuck,
  webhooksRejected,
  outboxBacklog,
  siteDown,
  manySitesDown,
  certificateExpiring,
  domainExpiring,
  retriesExhausted,
  satisfactionLow,
  renewalUnpaid,
  renewalPaidNotRenewed,
  renewalHeld,
];

/** Until the first evaluation is recorded, the dead-man's switch counts from when this process began watching. */
let watchingSince = new Date();
export const startWatching = (at = new Date()) => void (watchingSince = at);

/**
 * The dead-man's switch. Not in RULES: the workers evaluate those, and this one watches the workers.
 * Every API process runs it on a timer (src/monitoring/watchdog.ts) and delivers its notices itself.
 */
export const workersSilent: Rule = {
  name: 'workers_silent',
  title: 'Alert evaluation stale',
  description:
    'no alert evaluation has finished for ALERT_EVALUATION_STALE_SECONDS (default max(300, 3 × ALERT_EVALUATE_SECONDS)): no worker is running, or none gets to the evaluation; watched by the API processes, which send its notices themselves',
  async evaluate({ db, config }) {
    const { rows } = await sql<{ finished_at: Date | null; live: string; now: Date }>`
      select (select finished_at from alert_evaluations where id = 1) as finished_at,
        (select count(distinct process_id) from worker_heartbeats where last_seen > now() - make_interval(secs => ${config.WORKER_STALE_SECONDS})) as live,
        now() as now`.execute(db);
    const r = rows[0]!;
    const since = r.finished_at ?? watchingSince;
    const ageSeconds = Math.round((r.now.getTime() - since.getTime()) / 1000);
    if (ageSeconds <= config.ALERT_EVALUATION_STALE_SECONDS) return [];
    const live = Number(r.live);
    return [
      {
        subject: 'alert-evaluation',
        severity: 'critical',
        summary: `No alert evaluation for ${formatMinutes(ageSeconds)} (${r.finished_at ? `last at ${r.finished_at.toISOString()}` : 'none since this process began watching'}); live worker processes: ${live}`,
        details: { lastEvaluation: r.finished_at, ageSeconds, liveWorkerProcesses: live, staleAfterSeconds: config.ALERT_EVALUATION_STALE_SECONDS },
      },
    ];
  },
};

/** Every rule by name (the evaluated ones and the dead-man's switch), for notices and the console. */
export const ALL_RULES: Rule[] = [...RULES, workersSilent];
export const ruleTitle = (name: string) => ALL_RULES.find((r) => r.name === name)?.title ?? name;
