// The admin console's six lists (orders, alerts, watched sites, outbox, failed jobs, audit): each one's filters, search and sort, paged by src/db/paging.ts.
import { sql, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { containing, pageOf } from '../db/paging.ts';
import { WORKING_STATES } from '../domain/order-state.ts';
import type { Locale } from '../domain/locale.ts';
import { alertJson } from '../monitoring/alerts.ts';
import { failedJob, type JobRow } from '../monitoring/operations.ts';
import type { adminOrderRow, auditEntry, listQueries } from '../contract/admin.ts';

type Query<K extends keyof typeof listQueries> = z.infer<(typeof listQueries)[K]>;

/** Matches `q` anywhere in any of the columns, case aside. */
const anyContains = (q: string, columns: RawBuilder<unknown>[]) =>
  sql`(${sql.join(
    columns.map((c) => sql`${c} ilike ${containing(q)}`),
    sql` or `,
  )})`;
/** Only hex digits and dashes can be part of an order's id: anything else is not looked for there (no uuid made text for every row). */
const mayBeId = (q: string) => /^[0-9a-f-]+$/i.test(q);
const when = (test: unknown, condition: () => RawBuilder<unknown>) => (test ? [condition()] : []);
/** Newest first by a time, the id breaking ties: a stable order for the keyset cursor. */
const newestFirst = (time: RawBuilder<unknown>, id: RawBuilder<unknown>, idType: 'uuid' | 'bigint') => ({
  keys: [
    { expr: time, type: 'timestamptz' as const },
    { expr: id, type: idType },
  ],
  direction: 'desc' as const,
});

/** Orders, newest first: by state, tier, payment provider, creation time, deadline at risk; searched by domain, business, email and id. */
export function listOrders(deps: Deps, q: Query<'orders'>) {
  // at risk: working on it, and past ALERT_DEADLINE_RISK_SHARE of the time to the deadline (as the alert and the overview count it)
  const risk = sql<boolean>`(o.state = any(${WORKING_STATES}) and o.deadline_at is not null and now() > o.paid_at + (o.deadline_at - o.paid_at) * ${deps.config.ALERT_DEADLINE_RISK_SHARE}::float8)`;
  return pageOf(
    deps.db,
    {
      name: 'orders',
      from: sql`orders o`,
      columns: sql`o.id, o.domain, o.domain_unicode, o.business_name, o.email, o.tier, o.state, o.payment_provider, o.total_cents, o.currency,
      o.created_at, o.paid_at, o.deadline_at, o.delivered_at, o.current_step, ${risk} as at_risk`,
      where: [
        ...when(q.state, () => sql`o.state = ${q.state}`),
        ...when(q.tier, () => sql`o.tier = ${q.tier}`),
        ...when(q.provider, () => sql`o.payment_provider = ${q.provider}`),
        ...when(q.createdFrom, () => sql`o.created_at >= ${q.createdFrom}::timestamptz`),
        ...when(q.createdTo, () => sql`o.created_at < ${q.createdTo}::timestamptz`),
        ...when(q.atRisk === 'true', () => risk),
        ...when(q.q, () =>
          anyContains(q.q!, [sql`o.domain`, sql`o.domain_unicode`, sql`o.business_name`, sql`o.email`, ...(mayBeId(q.q!) ? [sql`o.id::text`] : [])]),
        ),
      ],
      ...newestFirst(sql`o.created_at`, sql`o.id`, 'uuid'),
      map: (r: z.output<typeof adminOrderRow>) => r,
    },
    q,
  );
}

/** Alerts, newest first: by state, rule and severity; searched by subject and summary. */
export function listAlerts(deps: Deps, q: Query<'alerts'>) {
  return pageOf(
    deps.db,
    {
      name: 'alerts',
      from: sql`alerts a`,
      columns: sql`a.*`,
      where: [
        ...when(q.state, () => sql`a.state = ${q.state}`),
        ...when(q.rule, () => sql`a.rule = ${q.rule}`),
        ...when(q.severity, () => sql`a.severity = ${q.severity}`),
        ...when(q.q, () => anyContains(q.q!, [sql`a.subject`, sql`a.summary`])),
      ],
      ...newestFirst(sql`a.opened_at`, sql`a.id`, 'bigint'),
      map: alertJson,
    },
    q,
  );
}

interface MonitorRow {
  order_id: string;
  domain: string;
  business_name: string;
  url: string;
  enabled: boolean;
  interval_s: number | null;
  last_checked_at: Date | null;
  last_status: string | null;
  last_error: string | null;
  last_http_status: number | null;
  last_latency_ms: number | null;
  last_ok_at: Date | null;
  consecutive_failures: number;
  failing_since: Date | null;
  next_check_at: Date | null;
  cert_expires_at: Date | null;
  domain_expires_at: Date | null;
  domain_checked_at: Date | null;
  disabled_reason: string | null;
  disabled_at: Date | null;
  incident_id: string | null;
  incident_started_at: Date | null;
  incident_customer_notified_at: Date | null;
}

/** Watched sites, down ones first, stopped ones last, then by domain: by status; searched by domain and business. */
export function listMonitors(deps: Deps, q: Query<'monitors'>) {
  const status = q.status;
  return pageOf(
    deps.db,
    {
      name: 'monitors',
      from: sql`monitors m join orders o on o.id = m.order_id left join site_incidents i on i.order_id = m.order_id and i.closed_at is null`,
      columns: sql`m.order_id, o.domain, o.business_name, m.url, m.enabled, m.interval_s, m.last_checked_at, m.last_status, m.last_error,
      m.last_http_status, m.last_latency_ms, m.last_ok_at, m.consecutive_failures, m.failing_since, m.next_check_at, m.cert_expires_at,
      m.domain_expires_at, m.domain_checked_at, m.disabled_reason, m.disabled_at,
      i.id::text as incident_id, i.started_at as incident_started_at, i.customer_notified_at as incident_customer_notified_at`,
      where: [
        ...when(status === 'stopped', () => sql`not m.enabled`),
        ...when(status === 'unchecked', () => sql`m.enabled and m.last_status is null`),
        ...when(status && status !== 'stopped' && status !== 'unchecked', () => sql`m.enabled and m.last_status = ${status}`),
        ...when(q.q, () => anyContains(q.q!, [sql`o.domain`, sql`o.domain_unicode`, sql`o.business_name`])),
      ],
      keys: [
        { expr: sql`(case when not m.enabled then 3 when m.last_status = 'down' then 0 when m.last_status = 'failing' then 1 else 2 end)`, type: 'int' },
        { expr: sql`o.domain`, type: 'text' },
        { expr: sql`m.order_id`, type: 'uuid' },
      ],
      direction: 'asc',
      map: (r: MonitorRow) => ({
        orderId: r.order_id,
        domain: r.domain,
        businessName: r.business_name,
        url: r.url,
        enabled: r.enabled,
        intervalSeconds: r.interval_s ?? deps.config.MONITOR_INTERVAL_SECONDS,
        status: r.enabled ? (r.last_status ?? 'unchecked') : 'stopped',
        /** why it is not watched: paused_by_operator, domain_expired, domain_left, order_<state> */
        stoppedReason: r.disabled_reason,
        stoppedAt: r.disabled_at,
        lastCheckedAt: r.last_checked_at,
        lastOkAt: r.last_ok_at,
        lastError: r.last_error,
        lastHttpStatus: r.last_http_status,
        lastLatencyMs: r.last_latency_ms,
        consecutiveFailures: r.consecutive_failures,
        failingSince: r.failing_since,
        nextCheckAt: r.next_check_at,
        certificateExpiresAt: r.cert_expires_at,
        domainExpiresAt: r.domain_expires_at,
        domainCheckedAt: r.domain_checked_at,
        incident: r.incident_id ? { id: r.incident_id, since: r.incident_started_at, customerNotifiedAt: r.incident_customer_notified_at } : null,
      }),
    },
    q,
  );
}

interface OutboxRow {
  id: string;
  order_id: string | null;
  kind: string;
  to_address: string;
  locale: Locale;
  subject: string;
  state: string;
  attempts: number;
  last_error: string | null;
  message_id: string;
  created_at: Date;
  sent_at: Date | null;
}

/** An outbox email as the lists show it (its bodies come with GET /api/admin/outbox/{id}). */
export const outboxEmail = (r: OutboxRow) => ({
  id: r.id,
  orderId: r.order_id,
  kind: r.kind,
  to: r.to_address,
  locale: r.locale,
  subject: r.subject,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  messageId: r.message_id,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** Every email, as the outbox holds it (queued, sending, sent, failed), newest first: by state; searched by recipient and subject. */
export function listOutbox(deps: Deps, q: Query<'outbox'>) {
  return pageOf(
    deps.db,
    {
      name: 'outbox',
      from: sql`outbox_emails e`,
      columns: sql`e.id, e.order_id, e.kind, e.to_address, e.locale, e.subject, e.state, e.attempts, e.last_error, e.message_id, e.created_at, e.sent_at`,
      where: [...when(q.state, () => sql`e.state = ${q.state}`), ...when(q.q, () => anyContains(q.q!, [sql`e.to_address`, sql`e.subject`]))],
      ...newestFirst(sql`e.created_at`, sql`e.id`, 'uuid'),
      map: outboxEmail,
    },
    q,
  );
}

/** Queue jobs that used up their attempts, latest failure first: by task; searched by task and key (a key names its order). */
export function listFailedJobs(deps: Deps, q: Query<'failedJobs'>) {
  return pageOf(
    deps.db,
    {
      name: 'failed-jobs',
      from: sql`graphile_worker.jobs j`,
      columns: sql`j.id::text as id, j.task_identifier as task, j.key, j.attempts, j.max_attempts, j.last_error, j.updated_at, j.created_at`,
      where: [
        sql`j.attempts >= j.max_attempts and j.locked_at is null`,
        ...when(q.task, () => sql`j.task_identifier = ${q.task}`),
        ...when(q.q, () => anyContains(q.q!, [sql`j.task_identifier`, sql`j.key`])),
      ],
      ...newestFirst(sql`j.updated_at`, sql`j.id`, 'bigint'),
      map: (r: JobRow) => failedJob(r),
    },
    q,
  );
}

/** What operators did outside orders' timelines, latest first: by action and actor; searched by target. */
export function listAudit(deps: Deps, q: Query<'audit'>) {
  return pageOf(
    deps.db,
    {
      name: 'audit',
      from: sql`admin_audit_log l`,
      columns: sql`l.id::text as id, l.at, l.action, l.target, l.actor, l.details`,
      where: [
        ...when(q.action, () => sql`l.action = ${q.action}`),
        ...when(q.actor, () => sql`l.actor = ${q.actor}`),
        ...when(q.q, () => anyContains(q.q!, [sql`l.target`])),
      ],
      keys: [{ expr: sql`l.id`, type: 'bigint' }],
      direction: 'desc',
      map: (r: z.output<typeof auditEntry>) => r,
    },
    q,
  );
}
