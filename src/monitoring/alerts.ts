// The alert engine: rules → one open alert per rule and subject (kept in PostgreSQL), notices on open, escalation and resolve, rate-limited, by email and JSON webhook.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import { enqueue, keyOf } from '../workflow/jobs/enqueue.ts';
import type { Selectable } from 'kysely';
import type { AlertsTable } from '../db/schema.ts';
import { queueEmail, sendQueuedEmail } from '../emails/outbox.ts';
import { LIMIT, RULES, ruleTitle, type Finding, type Rule } from './rules.ts';
import { alertEmail, digestEmail } from './emails.ts';

export type AlertRow = Selectable<AlertsTable>;

export interface Evaluation {
  opened: { rule: string; subject: string }[];
  resolved: { rule: string; subject: string }[];
  /** rules whose evaluation failed this time (their alerts stay as they were) */
  errors: string[];
  notices: number;
}

/** Any constant shared by every Conciergerie process (the migrations use 7_466_121). */
const EVALUATION_LOCK = 7_466_122;

/**
 * One evaluation: every rule (or the ones named), then the notices. The recurring job (one job
 * key) runs it on one worker at a time; a direct call (tests, an admin action) waits for a
 * running one through a session advisory lock, so evaluations never interleave and the hourly
 * budget and digests count exactly. Underneath, the partial unique index still keeps one open
 * alert per rule and subject, and each notice is claimed with FOR UPDATE SKIP LOCKED.
 */
export async function evaluateAlerts(deps: Deps, opts: { rules?: string[] } = {}): Promise<Evaluation> {
  return deps.db.connection().execute(async (conn) => {
    const giveUpAt = Date.now() + 60_000;
    while (!(await sql<{ ok: boolean }>`select pg_try_advisory_lock(${EVALUATION_LOCK}) as ok`.execute(conn)).rows[0]!.ok) {
      if (Date.now() > giveUpAt) throw new Error('another alert evaluation has held the lock for a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      return await evaluate(deps, opts);
    } finally {
      await sql`select pg_advisory_unlock(${EVALUATION_LOCK})`.execute(conn);
    }
  });
}

async function evaluate(deps: Deps, opts: { rules?: string[] }): Promise<Evaluation> {
  const started = performance.now();
  const result: Evaluation = { opened: [], resolved: [], errors: [], notices: 0 };
  for (const rule of RULES.filter((r) => !opts.rules || opts.rules.includes(r.name))) {
    let findings: Finding[];
    try {
      findings = await rule.evaluate(deps);
    } catch (err) {
      // a rule that cannot read its data says nothing: resolving its alerts would be a lie
      deps.log.warn({ event: 'alert_rule_failed', rule: rule.name, err: String(err) }, 'alert rule failed');
      result.errors.push(rule.name);
      continue;
    }
    const change = await reconcile(deps, rule, findings);
    result.opened.push(...change.opened.map((subject) => ({ rule: rule.name, subject })));
    result.resolved.push(...change.resolved.map((subject) => ({ rule: rule.name, subject })));
  }
  result.notices = await sendNotices(deps);
  // rejected-webhook counts older than a day are of no use to any rule
  await sql`delete from webhook_rejections where second < now() - interval '1 day'`.execute(deps.db).catch(() => {});
  // a whole evaluation is what the dead-man's switch (and /metrics) watch for
  if (!opts.rules) {
    await sql`
      insert into alert_evaluations (id, finished_at, took_ms) values (1, now(), ${Math.round(performance.now() - started)})
      on conflict (id) do update set finished_at = excluded.finished_at, took_ms = excluded.took_ms`.execute(deps.db);
  }
  return result;
}

/**
 * Open (or refresh) an alert per finding; resolve the rule's open alerts whose subject has not fired
 * for ALERT_RESOLVE_AFTER_SECONDS (hysteresis: a condition that blinks keeps one alert open).
 * An alert reopened within ALERT_REOPEN_COOLDOWN_SECONDS of the last one's resolution is 'held':
 * its opening is told only if it is still open when the cooldown ends, and not at all if it
 * clears before, so a subject crossing a threshold back and forth sends nothing new.
 * A warning that turns critical (an order at risk that misses its deadline) is told once more.
 */
export async function reconcile(deps: Deps, rule: Rule, findings: Finding[]): Promise<{ opened: string[]; resolved: string[] }> {
  const { db, log, config } = deps;
  const unique = [...new Map(findings.map((f) => [f.subject, f])).values()];
  const subjects = unique.map((f) => f.subject);
  const cooldown = config.ALERT_REOPEN_COOLDOWN_SECONDS;
  const { rows: upserted } = await sql<{ subject: string; inserted: boolean }>`
    insert into alerts (rule, subject, severity, summary, details, open_notice, notify_after)
    select ${rule.name}, t.subject, t.severity, t.summary, t.details::jsonb,
      case when last.resolved_at > now() - make_interval(secs => ${cooldown}) then 'held' else 'pending' end,
      case when last.resolved_at > now() - make_interval(secs => ${cooldown}) then last.resolved_at + make_interval(secs => ${cooldown}) end
    from unnest(${subjects}::text[], ${unique.map((f) => f.severity)}::text[], ${unique.map((f) => f.summary)}::text[], ${unique.map((f) => JSON.stringify(f.details))}::text[])
      as t(subject, severity, summary, details)
    left join lateral (
      select a.resolved_at from alerts a where a.rule = ${rule.name} and a.subject = t.subject and a.state = 'resolved'
      order by a.resolved_at desc limit 1) last on true
    on conflict (rule, subject) where state = 'open'
    do update set last_seen_at = now(), severity = excluded.severity, summary = excluded.summary, details = excluded.details,
      escalate_notice = case
        when alerts.escalate_notice is null and alerts.severity = 'warning' and excluded.severity = 'critical'
          -- an opening not told yet will say critical itself
          then case when alerts.open_notice = 'sent' then 'pending' else 'none' end
        else alerts.escalate_notice end
    returning subject, (xmax = 0) as inserted`.execute(db);
  const opened = upserted.filter((r) => r.inserted).map((r) => r.subject);
  // A rule that hit its LIMIT may have left subjects out: none of its alerts is resolved this time.
  // The resolve notice goes out only when the opening was announced; an alert whose opening was
  // held back by the rate limit is counted in the next digest instead, and a held one was never told.
  const { rows: resolvedRows } =
    findings.length >= LIMIT
      ? { rows: [] as { subject: string }[] }
      : await sql<{ subject: string }>`
    update alerts set state = 'resolved', resolved_at = now(),
      resolve_notice = case when open_notice = 'sent' then 'pending'
                            when open_notice in ('suppressed', 'digested') then 'suppressed'
                            else 'none' end,
      open_notice = case when open_notice in ('pending', 'held') then 'none' else open_notice end,
      escalate_notice = case when escalate_notice = 'pending' then 'none' else escalate_notice end
    where rule = ${rule.name} and state = 'open' and not (subject = any(${subjects}::text[]))
      and last_seen_at <= now() - make_interval(secs => ${config.ALERT_RESOLVE_AFTER_SECONDS})
    returning subject`.execute(db);
  const resolved = resolvedRows.map((r) => r.subject);
  for (const subject of opened) log.warn({ event: 'alert_opened', rule: rule.name, subject }, 'alert opened');
  for (const subject of resolved) log.info({ event: 'alert_resolved', rule: rule.name, subject }, 'alert resolved');
  return { opened, resolved };
}

/** The console's alerts page (the JSON is at /api/admin/alerts). */
const alertsUrl = (deps: Deps) => `${deps.config.publicUrl}/admin/alerts`;

export function alertJson(a: AlertRow) {
  return {
    id: String(a.id),
    rule: a.rule,
    subject: a.subject,
    severity: a.severity,
    state: a.state,
    summary: a.summary,
    details: a.details,
    openedAt: a.opened_at,
    lastSeenAt: a.last_seen_at,
    resolvedAt: a.resolved_at,
    notices: { opened: a.open_notice, escalated: a.escalate_notice, resolved: a.resolve_notice },
  };
}

type NoticeKind = 'opened' | 'escalated' | 'resolved';
const NOTICE_COLUMN = { opened: 'open_notice', escalated: 'escalate_notice', resolved: 'resolve_notice' } as const;

/** The alert_webhook job of one notice (its retries: src/workflow/jobs/catalogue.ts). */
const queueAlertWebhook = (db: Deps['db'] | Tx, notificationId: string) => enqueue(db, 'alert_webhook', { notificationId });

/** What is still to tell about an alert, first things first. */
function dueNotice(a: AlertRow): NoticeKind | undefined {
  if (a.open_notice === 'pending' || (a.open_notice === 'held' && a.state === 'open' && a.notify_after && a.notify_after.getTime() <= Date.now()))
    return 'opened';
  if (a.escalate_notice === 'pending') return 'escalated';
  if (a.resolve_notice === 'pending') return 'resolved';
  return undefined;
}

/** What a notice leaves behind: the ids the API's dead-man's switch delivers at once, having no worker to count on. */
interface Delivery {
  notificationId: string;
  emailId?: string;
}

/**
 * Send what is due (of every rule, or the ones named), within each rule's hourly budget; then one
 * digest per rule for what was held back. With `deliverNow`, this process also delivers the emails
 * and webhooks itself instead of leaving them to the workers' jobs (which stay queued as a fallback).
 */
export async function sendNotices(deps: Deps, opts: { rules?: string[]; deliverNow?: boolean } = {}): Promise<number> {
  const { db, config } = deps;
  let sent = 0;
  let query = db
    .selectFrom('alerts')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('open_notice', '=', 'pending'),
        eb.and([eb('open_notice', '=', 'held'), eb('state', '=', 'open'), eb('notify_after', '<=', new Date())]),
        eb('escalate_notice', '=', 'pending'),
        eb('resolve_notice', '=', 'pending'),
      ]),
    )
    .orderBy('id')
    .limit(1000);
  if (opts.rules) query = query.where('rule', 'in', opts.rules);
  const pending = await query.execute();
  const deliveries: Delivery[] = [];
  for (const { id } of pending) {
    const count = await db.transaction().execute(async (tx) => {
      let told = 0;
      // an alert may owe several notices (opened, then resolved before the first went out): each in turn
      for (let round = 0; round < 3; round++) {
        const { rows } = await sql<AlertRow>`select * from alerts where id = ${id} for update skip locked`.execute(tx);
        const alert = rows[0];
        const kind = alert && dueNotice(alert);
        if (!alert || !kind) break;
        const column = NOTICE_COLUMN[kind];
        const { rows: used } = await sql<{ n: string }>`
          select count(*) as n from alert_notifications
          where rule = ${alert.rule} and kind in ('opened', 'escalated', 'resolved') and at > now() - interval '1 hour'`.execute(tx);
        if (Number(used[0]!.n) >= config.ALERT_NOTIFY_MAX_PER_HOUR) {
          await tx
            .updateTable('alerts')
            .set({ [column]: 'suppressed' })
            .where('id', '=', alert.id)
            .execute();
          deps.metrics?.alertNotices.inc({ rule: alert.rule, kind: 'suppressed' });
          continue;
        }
        deliveries.push(await notify(deps, tx, alert, kind));
        await tx
          .updateTable('alerts')
          .set({ [column]: 'sent' })
          .where('id', '=', alert.id)
          .execute();
        told++;
      }
      return told;
    });
    sent += count;
  }
  sent += await sendDigests(deps, opts.rules);
  if (opts.deliverNow) await deliverNow(deps, deliveries);
  return sent;
}

/**
 * Deliver notices from this process (the API's dead-man's switch). Each job is taken off the queue
 * first, so a worker cannot send the same email or webhook beside us; one a worker already runs is
 * left to it, and one that fails here goes back on the queue.
 */
async function deliverNow(deps: Deps, deliveries: Delivery[]): Promise<void> {
  const take = async (key: string) =>
    !(await sql<{ locked_at: Date | null }>`select locked_at from graphile_worker.remove_job(${key})`.execute(deps.db)).rows[0]?.locked_at;
  for (const d of deliveries) {
    if (deps.config.ALERT_WEBHOOK_URL && (await take(keyOf('alert_webhook', { notificationId: d.notificationId })))) {
      await deliverAlertWebhook(deps, d.notificationId).catch(() => queueAlertWebhook(deps.db, d.notificationId));
    }
    const { emailId } = d;
    if (emailId && (await take(keyOf('send_email', { emailId })))) {
      await sendQueuedEmail(deps, emailId).catch((err) => {
        deps.log.warn({ event: 'alert_email_not_sent', err: String((err as Error).message ?? err) }, 'alert email not sent now; back in the queue');
        return enqueue(deps.db, 'send_email', { emailId });
      });
    }
  }
}

/** How an alert is named in a notice: its domain when it has one (an order's id says little to a person). */
function subjectLabel(a: Pick<AlertRow, 'subject' | 'details'>): string {
  const domain = (a.details as { domain?: unknown }).domain;
  return typeof domain === 'string' && domain !== a.subject ? `${domain} (${a.subject.slice(0, 8)})` : a.subject;
}

/** One notice: a row (what the rate limit counts), an email through the outbox, a webhook job; all in the caller's transaction. */
async function notify(deps: Deps, tx: Tx, alert: AlertRow, kind: NoticeKind): Promise<Delivery> {
  const { config } = deps;
  // the payload says what it is: this notice as sent, the alert's state as of now
  const told: AlertRow = { ...alert, [NOTICE_COLUMN[kind]]: 'sent', state: kind === 'resolved' ? 'resolved' : 'open' };
  const payload = { event: `alert.${kind}`, alert: alertJson(told), title: ruleTitle(alert.rule), sentAt: new Date().toISOString(), service: 'conciergerie' };
  const note = await tx
    .insertInto('alert_notifications')
    .values({ alert_id: alert.id, rule: alert.rule, kind, payload: JSON.stringify(payload), webhook_state: config.ALERT_WEBHOOK_URL ? 'pending' : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const emailId = config.OPERATOR_EMAIL
    ? await queueEmail(tx, {
        orderId: null,
        kind: 'alert',
        dedupeKey: `alert:${alert.id}:${kind}`,
        to: config.OPERATOR_EMAIL,
        locale: 'en',
        rendered: alertEmail({
          kind,
          rule: alert.rule,
          title: ruleTitle(alert.rule),
          subject: subjectLabel(alert),
          severity: alert.severity,
          summary: alert.summary,
          openedAt: alert.opened_at,
          lastSeenAt: alert.last_seen_at,
          resolvedAt: alert.resolved_at,
          details: alert.details,
          alertsUrl: alertsUrl(deps),
          supportEmail: config.SUPPORT_EMAIL,
        }),
      })
    : undefined;
  if (config.ALERT_WEBHOOK_URL) await queueAlertWebhook(tx, String(note.id));
  deps.metrics?.alertNotices.inc({ rule: alert.rule, kind });
  return { notificationId: String(note.id), emailId };
}

async function sendDigests(deps: Deps, rules?: string[]): Promise<number> {
  const { db, config } = deps;
  const { rows: all } = await sql<{ rule: string }>`
    select distinct rule from alerts where open_notice = 'suppressed' or resolve_notice = 'suppressed'`.execute(db);
  const rows = rules ? all.filter((r) => rules.includes(r.rule)) : all;
  let sent = 0;
  for (const { rule } of rows) {
    const done = await db.transaction().execute(async (tx) => {
      // one digest per rule an hour; the advisory lock keeps two evaluators from both sending it
      await sql`select pg_advisory_xact_lock(hashtext(${`alert-digest:${rule}`}))`.execute(tx);
      const { rows: recent } = await sql<{ n: string }>`
        select count(*) as n from alert_notifications where rule = ${rule} and kind = 'digest' and at > now() - interval '1 hour'`.execute(tx);
      if (Number(recent[0]!.n) > 0) return false;
      const { rows: counts } = await sql<{ opened: string; resolved: string; open_now: string }>`
        select count(*) filter (where open_notice = 'suppressed') as opened,
               count(*) filter (where resolve_notice = 'suppressed') as resolved,
               (select count(*) from alerts where rule = ${rule} and state = 'open') as open_now
        from alerts where rule = ${rule} and (open_notice = 'suppressed' or resolve_notice = 'suppressed')`.execute(tx);
      const c = counts[0]!;
      const view = { rule, opened: Number(c.opened), resolved: Number(c.resolved), stillOpen: Number(c.open_now) };
      if (view.opened + view.resolved === 0) return false;
      const payload = { event: 'alert.digest', digest: view, sentAt: new Date().toISOString(), service: 'conciergerie' };
      const note = await tx
        .insertInto('alert_notifications')
        .values({ alert_id: null, rule, kind: 'digest', payload: JSON.stringify(payload), webhook_state: config.ALERT_WEBHOOK_URL ? 'pending' : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (config.OPERATOR_EMAIL) {
        await queueEmail(tx, {
          orderId: null,
          kind: 'alert_digest',
          dedupeKey: `alert-digest:${note.id}`,
          to: config.OPERATOR_EMAIL,
          locale: 'en',
          rendered: digestEmail({ ...view, perHour: config.ALERT_NOTIFY_MAX_PER_HOUR, alertsUrl: alertsUrl(deps), supportEmail: config.SUPPORT_EMAIL }),
        });
      }
      if (config.ALERT_WEBHOOK_URL) await queueAlertWebhook(tx, String(note.id));
      await sql`update alerts set open_notice = 'digested' where rule = ${rule} and open_notice = 'suppressed'`.execute(tx);
      await sql`update alerts set resolve_notice = 'digested' where rule = ${rule} and resolve_notice = 'suppressed'`.execute(tx);
      deps.metrics?.alertNotices.inc({ rule, kind: 'digest' });
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

/**
 * The alert_webhook job: POST the notice as JSON, with a timeout. A non-2xx answer or a timeout
 * throws, so the queue retries it with backoff (8 attempts). Signed when ALERT_WEBHOOK_SECRET is set.
 */
export async function deliverAlertWebhook(deps: Deps, notificationId: string): Promise<'sent' | 'skipped'> {
  const { db, config } = deps;
  const url = config.ALERT_WEBHOOK_URL;
  const note = await db.selectFrom('alert_notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
  if (!note || !url || note.webhook_state === 'sent') return 'skipped';
  const body = JSON.stringify(note.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Conciergerie-Alerts/1.0',
    'x-conciergerie-notification': String(note.id),
  };
  if (config.ALERT_WEBHOOK_SECRET) {
    const t = Math.floor(Date.now() / 1000);
    const v1 = crypto.createHmac('sha256', config.ALERT_WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
    headers['x-conciergerie-signature'] = `t=${t},v1=${v1}`;
  }
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.ALERT_WEBHOOK_TIMEOUT_MS), redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`alert webhook answered ${res.status}`);
  } catch (err) {
    await db.updateTable('alert_notifications').set({ webhook_state: 'failed' }).where('id', '=', note.id).execute();
    deps.log.warn({ event: 'alert_webhook_failed', notificationId, err: String((err as Error).message ?? err) }, 'alert webhook failed');
    throw err;
  }
  await db.updateTable('alert_notifications').set({ webhook_state: 'sent' }).where('id', '=', note.id).execute();
  return 'sent';
}
