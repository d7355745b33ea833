// Watching delivered sites: HTTPS checks in batches spread over every worker, certificate and domain expiry, incidents and the customer's emails.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { findOrderById } from '../db/orders.ts';
import { queueEmail } from '../emails/outbox.ts';
import { siteDownEmail, siteRestoredEmail } from './emails.ts';
import { ProviderError } from '../errors.ts';
import { probeSite, type SiteProbe } from '../providers/site-probe.ts';

/**
 * One check, as a visitor would see the site (src/providers/site-probe.ts, the verify step's path too): the name
 * resolved (through the sandbox DNS in the sandbox), the edge's HTTPS port with the name as SNI and Host, the
 * certificate checked against the trusted CAs, a 2xx or 3xx expected. The body is not read: the customer edits it.
 */
export function checkSite(deps: Deps, domain: string): Promise<SiteProbe> {
  return probeSite(deps, domain, { timeoutMs: deps.config.MONITOR_TIMEOUT_MS, userAgent: 'Conciergerie-Monitor/1.0' });
}

interface DueMonitor {
  order_id: string;
  domain: string;
  interval_s: number | null;
  order_state: string;
}

/** The longest a name lookup takes before a check gives up on it: the resolver's 2 s timeout, tried twice (src/providers/dns/resolver.ts). */
const DNS_LOOKUP_MS = 4_000;

/**
 * How long a claimed batch stays ours: every check of it may take its whole timeout and DNS time,
 * MONITOR_CONCURRENCY at a time, so ceil(batch / concurrency) rounds of them, and a minute to spare.
 * A lease shorter than the batch would hand sites still being checked to another worker.
 */
export function leaseSeconds(batch: number, config: Pick<Deps['config'], 'MONITOR_CONCURRENCY' | 'MONITOR_TIMEOUT_MS'>): number {
  const rounds = Math.ceil(Math.max(1, batch) / config.MONITOR_CONCURRENCY);
  return Math.ceil((rounds * (config.MONITOR_TIMEOUT_MS + DNS_LOOKUP_MS)) / 1000) + 60;
}

/** Take up to `limit` due monitors (or the named ones) for this batch: rows others hold are skipped, and a lease keeps them ours meanwhile. */
async function claim(deps: Deps, limit: number, orderIds?: string[]): Promise<DueMonitor[]> {
  const lease = leaseSeconds(orderIds?.length ?? limit, deps.config);
  const due = orderIds
    ? sql`select order_id from monitors where enabled and order_id = any(${orderIds}::uuid[]) for update skip locked`
    : sql`select order_id from monitors where enabled and next_check_at <= now() order by next_check_at limit ${limit} for update skip locked`;
  const { rows } = await sql<DueMonitor>`
    update monitors m set next_check_at = now() + make_interval(secs => ${lease})
    from orders o
    where o.id = m.order_id and m.order_id in (${due})
    returning m.order_id, o.domain, m.interval_s, o.state as order_state`.execute(deps.db);
  return rows;
}

/**
 * Stop watching a site (its domain expired or left our account, its order is no longer delivered,
 * an operator paused it); an open incident closes with it, so its alert resolves. False when it
 * was not being watched.
 */
export async function disableMonitor(deps: Deps, orderId: string, reason: string): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('monitors')
      .set({ enabled: false, disabled_reason: reason, disabled_at: new Date() })
      .where('order_id', '=', orderId)
      .where('enabled', '=', true)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return false;
    await tx.updateTable('site_incidents').set({ closed_at: new Date() }).where('order_id', '=', orderId).where('closed_at', 'is', null).execute();
    deps.log.info({ event: 'monitor_disabled', orderId, reason }, 'site no longer watched');
    return true;
  });
}

/** Watch a site again (an operator resumes it): checked at once, from a clean slate. False when there is no such monitor or it was not stopped. */
export async function enableMonitor(deps: Deps, orderId: string): Promise<boolean> {
  const done = await deps.db
    .updateTable('monitors')
    .set({
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      next_check_at: new Date(),
      consecutive_failures: 0,
      failing_since: null,
      last_status: null,
    })
    .where('order_id', '=', orderId)
    .where('enabled', '=', false)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export interface CheckRun {
  checked: number;
  up: number;
  down: number;
}

/**
 * The check_sites job: claim a batch of due monitors, check them with bounded concurrency, record
 * each result; claim again while batches come back full, for at most one scheduler tick. Tests
 * and the admin can name the monitors to check now (`orderIds`).
 */
export async function runSiteChecks(deps: Deps, opts: { orderIds?: string[] } = {}): Promise<CheckRun> {
  const { config } = deps;
  const run: CheckRun = { checked: 0, up: 0, down: 0 };
  const until = Date.now() + config.MONITOR_TICK_SECONDS * 1000;
  for (;;) {
    const claimed = await claim(deps, config.MONITOR_BATCH_SIZE, opts.orderIds);
    // a refunded or cancelled order's site is not ours to watch any more
    const batch = claimed.filter((m) => m.order_state === 'delivered');
    for (const m of claimed) if (m.order_state !== 'delivered') await disableMonitor(deps, m.order_id, `order_${m.order_state}`);
    await eachLimited(batch, config.MONITOR_CONCURRENCY, async (m) => {
      const up = await checkOne(deps, m).catch((err) => {
        deps.log.warn({ event: 'site_check_failed', orderId: m.order_id, err: String(err) }, 'site check could not be recorded');
        return undefined;
      });
      run.checked++;
      if (up === true) run.up++;
      else if (up === false) run.down++;
    });
    if (opts.orderIds || claimed.length < config.MONITOR_BATCH_SIZE || Date.now() > until) return run;
  }
}

async function checkOne(deps: Deps, m: DueMonitor): Promise<boolean> {
  const { config, metrics } = deps;
  const probe = await checkSite(deps, m.domain);
  metrics?.siteChecks.inc({ outcome: probe.up ? 'up' : 'down' });
  metrics?.siteCheckSeconds.observe(probe.latencyMs / 1000);
  const interval = m.interval_s ?? config.MONITOR_INTERVAL_SECONDS;
  await deps.db.transaction().execute(async (tx) => {
    if (probe.up) await recordUp(deps, tx, m, probe, interval);
    else await recordDown(deps, tx, m, probe);
  });
  return probe.up;
}

/**
 * The check_domains job (one at a time, job key): the registrar's expiry date of the domains we
 * registered, each at most every DOMAIN_CHECK_HOURS, DOMAIN_CHECKS_PER_MINUTE at most. It runs
 * apart from the HTTPS checks: the registrar's API budget is shared with domain purchases
 * (Namecheap allows 50 calls a minute per user), so monitoring takes a small, steady share of it.
 */
export async function runDomainChecks(deps: Deps, opts: { orderIds?: string[] } = {}): Promise<{ checked: number; failed: number }> {
  const { config, db } = deps;
  const hours = config.DOMAIN_CHECK_HOURS;
  const limit = opts.orderIds?.length ?? Math.max(1, Math.floor((config.DOMAIN_CHECKS_PER_MINUTE * config.MONITOR_TICK_SECONDS) / 60));
  // only domains we registered: the registrar knows nothing of the others
  const due = opts.orderIds
    ? sql`select m.order_id from monitors m join orders o on o.id = m.order_id
          where m.enabled and o.registrar_domain_id is not null and m.order_id = any(${opts.orderIds}::uuid[]) for update of m skip locked`
    : sql`select m.order_id from monitors m join orders o on o.id = m.order_id
          where m.enabled and o.registrar_domain_id is not null
            and (m.domain_checked_at is null or m.domain_checked_at < now() - make_interval(secs => ${hours * 3600}))
          order by m.domain_checked_at nulls first limit ${limit} for update of m skip locked`;
  // claiming stamps domain_checked_at: it is also the lease
  const { rows } = await sql<{ order_id: string; domain: string }>`
    update monitors m set domain_checked_at = now() from orders o
    where o.id = m.order_id and m.order_id in (${due})
    returning m.order_id, o.domain`.execute(db);
  let failed = 0;
  for (const m of rows) {
    try {
      const info = await recordProviderCall(db, { orderId: m.order_id, provider: deps.registrar.name, operation: 'domains.getInfo' }, () =>
        deps.circuits.for(deps.registrar.name).call(() => deps.registrar.getInfo(m.domain)),
      );
      const expiresAt = new Date(info.expiresAt);
      if (!Number.isNaN(expiresAt.getTime()))
        await db.updateTable('monitors').set({ domain_expires_at: expiresAt }).where('order_id', '=', m.order_id).execute();
      // not renewed in time: the name is no longer the customer's, the site no longer reachable at it
      if (expiresAt.getTime() < Date.now()) await disableMonitor(deps, m.order_id, 'domain_expired');
    } catch (err) {
      failed++;
      // transferred away or deleted: the registrar no longer knows it as ours
      if (err instanceof ProviderError && (err.code === 'domain_not_found' || err.code === 'not_owner')) {
        await disableMonitor(deps, m.order_id, 'domain_left');
        continue;
      }
      // ask again in an hour rather than in DOMAIN_CHECK_HOURS
      await sql`update monitors set domain_checked_at = now() - make_interval(secs => ${Math.max(0, hours * 3600 - 3600)}) where order_id = ${m.order_id}`.execute(
        db,
      );
      deps.log.warn({ event: 'domain_expiry_unknown', domain: m.domain, err: String((err as Error).message ?? err) }, 'registrar did not tell the expiry');
    }
  }
  return { checked: rows.length, failed };
}

async function recordUp(deps: Deps, tx: Tx, m: DueMonitor, probe: SiteProbe, interval: number): Promise<void> {
  await sql`
    update monitors set last_checked_at = now(), last_status = 'up', last_error = null, consecutive_failures = 0, failing_since = null,
      last_ok_at = now(), last_http_status = ${probe.httpsStatus ?? null}, last_latency_ms = ${probe.latencyMs},
      cert_expires_at = coalesce(${probe.certExpiresAt ?? null}::timestamptz, cert_expires_at),
      next_check_at = now() + make_interval(secs => ${interval})
    where order_id = ${m.order_id}`.execute(tx);
  const closed = await tx
    .updateTable('site_incidents')
    .set({ closed_at: new Date() })
    .where('order_id', '=', m.order_id)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!closed) return;
  const downSeconds = (Date.now() - closed.started_at.getTime()) / 1000;
  deps.log.info({ event: 'site_up', orderId: m.order_id, domain: m.domain, downSeconds: Math.round(downSeconds) }, 'site is back up');
  // the customer who was told it was down is told it is back
  if (closed.customer_notified_at) {
    const order = await findOrderById(tx, m.order_id);
    if (!order) return;
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'site_restored',
      dedupeKey: `site-restored:${closed.id}`,
      to: order.email,
      locale: order.locale,
      rendered: siteRestoredEmail(
        {
          businessName: order.business_name,
          domain: order.domain_unicode,
          siteUrl: `https://${order.domain_unicode}/`,
          since: closed.started_at,
          downSeconds,
          restoredAt: new Date(),
          supportEmail: deps.config.SUPPORT_EMAIL,
          publicUrl: deps.config.publicUrl,
        },
        order.locale,
      ),
    });
  }
}

/** What a failed check saw, in one line. */
const problem = (probe: SiteProbe) => probe.problems.join('; ') || 'down';

async function recordDown(deps: Deps, tx: Tx, m: DueMonitor, probe: SiteProbe): Promise<void> {
  const { config } = deps;
  const threshold = config.MONITOR_FAILURES_BEFORE_DOWN;
  const { rows } = await sql<{ consecutive_failures: number; failing_since: Date }>`
    update monitors set last_checked_at = now(), last_error = ${problem(probe)}, last_http_status = ${probe.httpsStatus ?? null},
      last_latency_ms = ${probe.latencyMs},
      consecutive_failures = consecutive_failures + 1,
      failing_since = coalesce(failing_since, now()),
      last_status = case when consecutive_failures + 1 >= ${threshold} then 'down' else 'failing' end,
      next_check_at = now() + make_interval(secs => ${config.MONITOR_RETRY_SECONDS})
    where order_id = ${m.order_id}
    returning consecutive_failures, failing_since`.execute(tx);
  const row = rows[0];
  if (!row || row.consecutive_failures < threshold) return;
  const { rows: incidents } = await sql<{ id: string; started_at: Date; customer_notified_at: Date | null; inserted: boolean }>`
    insert into site_incidents (order_id, domain, started_at, failed_checks, last_error)
    values (${m.order_id}, ${m.domain}, ${row.failing_since}, ${row.consecutive_failures}, ${problem(probe)})
    on conflict (order_id) where closed_at is null
    do update set failed_checks = site_incidents.failed_checks + 1, last_error = excluded.last_error
    returning id, started_at, customer_notified_at, (xmax = 0) as inserted`.execute(tx);
  const incident = incidents[0]!;
  if (incident.inserted) deps.log.warn({ event: 'site_down', orderId: m.order_id, domain: m.domain, error: problem(probe) }, 'site is down');
  const downSeconds = (Date.now() - incident.started_at.getTime()) / 1000;
  if (incident.customer_notified_at || downSeconds < config.SITE_DOWN_CUSTOMER_MINUTES * 60) return;
  const marked = await tx
    .updateTable('site_incidents')
    .set({ customer_notified_at: new Date() })
    .where('id', '=', incident.id)
    .where('customer_notified_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) return;
  const order = await findOrderById(tx, m.order_id);
  if (!order) return;
  await queueEmail(tx, {
    orderId: order.id,
    kind: 'site_down',
    dedupeKey: `site-down:${incident.id}`,
    to: order.email,
    locale: order.locale,
    rendered: siteDownEmail(
      {
        businessName: order.business_name,
        domain: order.domain_unicode,
        siteUrl: `https://${order.domain_unicode}/`,
        since: incident.started_at,
        downSeconds,
        supportEmail: config.SUPPORT_EMAIL,
        publicUrl: config.publicUrl,
      },
      order.locale,
    ),
  });
}

/**
 * The schedule_site_checks job (one at a time, job key): count what is due and hand it out as up
 * to MONITOR_MAX_BATCHES check_sites jobs, which any worker may take, and one check_domains job.
 * A job still queued or running keeps its key, so a slow round is never doubled.
 */
export async function scheduleSiteChecks(deps: Deps): Promise<{ due: number; batches: number }> {
  const { config, db } = deps;
  const cap = config.MONITOR_BATCH_SIZE * config.MONITOR_MAX_BATCHES;
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from (select 1 from monitors where enabled and next_check_at <= now() limit ${cap}) due`.execute(db);
  const due = Number(rows[0]?.n ?? 0);
  const batches = Math.min(config.MONITOR_MAX_BATCHES, Math.ceil(due / config.MONITOR_BATCH_SIZE));
  for (let i = 0; i < batches; i++) {
    await enqueue(db, 'check_sites', { batch: i }, { mode: 'unsafe_dedupe' });
  }
  const { rows: domains } = await sql<{ due: boolean }>`
    select exists (select 1 from monitors m join orders o on o.id = m.order_id where m.enabled and o.registrar_domain_id is not null
      and (m.domain_checked_at is null or m.domain_checked_at < now() - make_interval(secs => ${config.DOMAIN_CHECK_HOURS * 3600}))) as due`.execute(db);
  if (domains[0]?.due) await enqueue(db, 'check_domains', {}, { mode: 'unsafe_dedupe' });
  return { due, batches };
}
