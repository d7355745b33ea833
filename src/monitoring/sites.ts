// Watching delivered sites: HTTPS checks in batches spread over every worker, certificate and domain expiry, incidents and the customer's emails.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { findOrderById } from '../db/orders.ts';
import { queueEmail } from '../emails/outbox.ts';
import { siteDownEmail, siteRestoredEmail } from './emails.ts';
import { probeSite, type SiteProbe } from '../providers/site-probe.ts';
import { recordTransferredOut } from '../account/transfer.ts';

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

/** domains.getList's largest page (methods/domains/get-list: PageSize 10 to 100). */
const EXPIRY_PAGE_SIZE = 100;

export interface DomainSweepRun {
  /** pages read in this run */
  pages: number;
  /** watched domains whose expiry was read */
  seen: number;
  /** the walk reached the list's end in this run */
  finished: boolean;
}

/**
 * The check_domains job (one at a time, job key): the registrar's expiry date of the domains we registered, read from
 * its domain list a page of 100 a call (domains.getList) instead of one lookup per domain, a whole walk every
 * DOMAIN_CHECK_HOURS: 100,000 watched domains cost 1,000 calls a walk, an eighth of Namecheap's 8,000 a day. The calls
 * spend the shared budget at the expiry priority, behind orders and customers' checks; a run reads at most its share
 * of pages (DOMAIN_CHECKS_PER_MINUTE a minute) and the next tick carries on where it stopped (domain_expiry_sweep).
 * A walk that reaches the end has seen every name of the account: a watched domain it never met left the account.
 */
export async function runDomainChecks(deps: Deps, opts: { restart?: boolean } = {}): Promise<DomainSweepRun> {
  const { config, db } = deps;
  const run: DomainSweepRun = { pages: 0, seen: 0, finished: false };
  const dueBefore = new Date(Date.now() - config.DOMAIN_CHECK_HOURS * 3_600_000);
  let sweep = await db.selectFrom('domain_expiry_sweep').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const walking = sweep.started_at && !sweep.finished_at;
  if (opts.restart || (!walking && (!sweep.finished_at || sweep.finished_at < dueBefore))) {
    sweep = await db
      .updateTable('domain_expiry_sweep')
      .set({ started_at: new Date(), finished_at: null, next_page: 1, pages: 0 })
      .where('id', '=', 1)
      .returningAll()
      .executeTakeFirstOrThrow();
  } else if (!walking) {
    return run;
  }
  const startedAt = sweep.started_at!;
  const pageLimit = Math.max(1, Math.ceil((config.DOMAIN_CHECKS_PER_MINUTE * config.MONITOR_TICK_SECONDS) / 60));
  const registrar = deps.registrar.at('expiry');
  let page = sweep.next_page;
  while (run.pages < pageLimit) {
    let listed: Awaited<ReturnType<typeof registrar.getList>>;
    try {
      listed = await recordProviderCall(db, { provider: registrar.name, operation: 'domains.getList' }, () =>
        deps.circuits.for(registrar.name).call(() => registrar.getList(page, EXPIRY_PAGE_SIZE)),
      );
    } catch (err) {
      // the budget is spent for now, or the registrar does not answer: the walk resumes here on a later tick
      deps.log.warn({ event: 'domain_expiry_unknown', page, err: String((err as Error).message ?? err) }, 'registrar did not list the domains');
      break;
    }
    run.pages++;
    run.seen += await recordExpiries(deps, listed.domains);
    page++;
    const end = listed.domains.length < EXPIRY_PAGE_SIZE || (page - 1) * EXPIRY_PAGE_SIZE >= listed.total;
    await db
      .updateTable('domain_expiry_sweep')
      .set({ next_page: page, pages: sweep.pages + run.pages })
      .where('id', '=', 1)
      .execute();
    if (end) {
      await finishSweep(deps, startedAt);
      run.finished = true;
      break;
    }
  }
  return run;
}

/** The expiry dates of one page of the account's names, on the monitors of the orders that bought them. */
async function recordExpiries(deps: Deps, listed: { domain: string; expiresAt: string }[]): Promise<number> {
  const dated = listed.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.expiresAt));
  if (!dated.length) return 0;
  const { rows } = await sql<{ order_id: string; expires: Date }>`
    update monitors m set domain_expires_at = v.expires::timestamptz, domain_checked_at = now()
    from orders o, jsonb_to_recordset(${JSON.stringify(dated.map((d) => ({ domain: d.domain, expires: d.expiresAt })))}::jsonb) as v(domain text, expires text)
    where o.id = m.order_id and o.registrar_domain_id is not null and o.domain = v.domain and m.enabled
    returning m.order_id, m.domain_expires_at as expires`.execute(deps.db);
  // not renewed in time: the name is no longer the customer's, the site no longer reachable at it
  for (const r of rows) if (new Date(r.expires).getTime() < Date.now()) await disableMonitor(deps, r.order_id, 'domain_expired');
  return rows.length;
}

/**
 * The walk is over: a watched domain bought before it began that it never met is no longer in our account (it was
 * transferred to another registrar): the order records it, its renewals and monitor stop, its customer is told.
 */
async function finishSweep(deps: Deps, startedAt: Date): Promise<void> {
  const { rows } = await sql<{ order_id: string }>`
    select m.order_id from monitors m join orders o on o.id = m.order_id
    where m.enabled and o.registrar_domain_id is not null and m.created_at < ${startedAt}
      and (m.domain_checked_at is null or m.domain_checked_at < ${startedAt})`.execute(deps.db);
  for (const r of rows) await recordTransferredOut(deps, r.order_id);
  await deps.db.updateTable('domain_expiry_sweep').set({ finished_at: new Date() }).where('id', '=', 1).execute();
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
  // the expiry walk: under way, or due again, while a domain we registered is watched
  const { rows: domains } = await sql<{ due: boolean }>`
    select exists (select 1 from monitors m join orders o on o.id = m.order_id where m.enabled and o.registrar_domain_id is not null)
       and exists (select 1 from domain_expiry_sweep s where (s.started_at is not null and s.finished_at is null)
                     or s.finished_at is null or s.finished_at < now() - make_interval(secs => ${config.DOMAIN_CHECK_HOURS * 3600})) as due`.execute(db);
  if (domains[0]?.due) await enqueue(db, 'check_domains', {}, { mode: 'unsafe_dedupe' });
  return { due, batches };
}
