// Watching delivered sites: a site made to fail opens an incident (operator alert, customer email) that closes when it is back; certificate and domain expiry; batches that never check a site twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';
import { leaseSeconds, runDomainChecks, runSiteChecks, scheduleSiteChecks } from '../../src/monitoring/sites.ts';
import { addJob } from '../../src/db/database.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
const OPS = 'ops-sites@example.org';
const PASSWORD = 'sites console password';

let sys: TestSystem;
let site: { orderId: string; domain: string; email: string };

before(async () => {
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    RETRY_BASE_MS: '300',
    // the recurring jobs wait an hour: the tests check and evaluate when they choose
    ALERT_EVALUATE_SECONDS: '3600',
    MONITOR_TICK_SECONDS: '3600',
    MONITOR_FAILURES_BEFORE_DOWN: '2',
    SITE_DOWN_CUSTOMER_MINUTES: '0',
    ALERT_RESOLVE_AFTER_SECONDS: '0',
    ALERT_REOPEN_COOLDOWN_SECONDS: '0',
    ADMIN_PASSWORD: PASSWORD,
  });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', locale: 'fr', timeoutSeconds: 60 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const order = await sys.db.selectFrom('orders').select(['email']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  site = { orderId: r.body.orderId, domain: r.body.domain, email: order.email };
});
after(async () => sys?.stop());

const monitor = () => sys.db.selectFrom('monitors').selectAll().where('order_id', '=', site.orderId).executeTakeFirstOrThrow();
const mailsTo = (to: string, pattern: RegExp) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(to) && pattern.test(m.subject));
const has = (list: { rule: string; subject: string }[], rule: string, subject: string) => list.some((a) => a.rule === rule && a.subject === subject);

test('a delivered site is watched: up over HTTPS, its certificate and domain expiry read from the TLS handshake and the registrar', async () => {
  const run = await runSiteChecks(sys.deps, { orderIds: [site.orderId] });
  assert.deepEqual(run, { checked: 1, up: 1, down: 0 });
  const m = await monitor();
  assert.equal(m.last_status, 'up');
  assert.equal(m.last_http_status, 200);
  assert.equal(m.consecutive_failures, 0);
  assert.ok(m.next_check_at.getTime() > Date.now() + 250_000, 'next check in MONITOR_INTERVAL_SECONDS (300 s)');
  const hosted = sys.sandbox!.netlify.sites().find((s) => s.custom_domain === site.domain)!;
  // X.509 keeps whole seconds
  assert.equal(m.cert_expires_at!.getTime() / 1000, Math.floor(new Date(hosted.certificate!.expires_at!).getTime() / 1000));
  // the domain's expiry comes from the registrar's domain list, walked in its own job: one page holds every name here
  assert.deepEqual(await runDomainChecks(sys.deps), { pages: 1, seen: 1, finished: true });
  const registered = sys.sandbox!.registry.get(site.domain)!;
  assert.equal((await monitor()).domain_expires_at!.toISOString().slice(0, 10), registered.expiresAt.slice(0, 10));
  const lookups = () => sys.db.selectFrom('provider_calls').select('operation').where('operation', 'in', ['domains.getList', 'domains.getInfo']).execute();
  assert.deepEqual(await lookups(), [{ operation: 'domains.getList' }], 'one list call, no lookup per domain');
  // it is walked again only after DOMAIN_CHECK_HOURS
  assert.deepEqual(await runDomainChecks(sys.deps), { pages: 0, seen: 0, finished: false });
  assert.equal((await lookups()).length, 1);

  const listed = await sys.api('/api/admin/monitors', { headers: ADMIN });
  assert.equal(listed.status, 200);
  const row = listed.body.items.find((x: { domain: string }) => x.domain === site.domain);
  assert.equal(row.status, 'up');
  assert.equal(row.lastHttpStatus, 200);
  assert.equal(row.incident, null);
  assert.ok(row.certificateExpiresAt && row.domainExpiresAt);
  assert.equal((await sys.api('/api/admin/monitors')).status, 401);
});

test('a site made to fail: after two failed checks an incident opens, the operators are alerted and the customer told (fr); back up, everything closes', async () => {
  const before = sys.sandbox!.registry.get(site.domain)!.hosts.map((h) => ({ ...h }));
  // the domain's A record now points where nothing listens
  sys.sandbox!.registry.setHosts(
    site.domain,
    before.map((h) => (h.name === '@' && h.type === 'A' ? { ...h, address: '127.0.0.2' } : h)),
  );
  try {
    assert.deepEqual(await runSiteChecks(sys.deps, { orderIds: [site.orderId] }), { checked: 1, up: 0, down: 1 });
    let m = await monitor();
    assert.equal(m.last_status, 'failing');
    assert.match(m.last_error!, /ECONNREFUSED/);
    assert.ok(m.next_check_at.getTime() < Date.now() + 65_000, 'a failing site is checked again within MONITOR_RETRY_SECONDS');
    assert.equal((await evaluateAlerts(sys.deps, { rules: ['site_down'] })).opened.length, 0, 'one failed check is not an incident');

    await runSiteChecks(sys.deps, { orderIds: [site.orderId] });
    m = await monitor();
    assert.equal(m.last_status, 'down');
    const incident = await sys.db
      .selectFrom('site_incidents')
      .selectAll()
      .where('order_id', '=', site.orderId)
      .where('closed_at', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(incident.failed_checks, 2);
    assert.equal(incident.started_at.getTime(), m.failing_since!.getTime(), 'the incident starts at the first failed check');
    const opened = await evaluateAlerts(sys.deps, { rules: ['site_down'] });
    assert.ok(has(opened.opened, 'site_down', site.domain), JSON.stringify(opened));
    // a third failed check: the same incident, the same alert
    await runSiteChecks(sys.deps, { orderIds: [site.orderId] });
    assert.equal((await sys.db.selectFrom('site_incidents').select('id').where('order_id', '=', site.orderId).execute()).length, 1);
    assert.equal((await evaluateAlerts(sys.deps, { rules: ['site_down'] })).opened.length, 0);

    const down = await sys.api('/api/admin/monitors?status=down', { headers: ADMIN });
    const row = down.body.items.find((x: { domain: string }) => x.domain === site.domain);
    assert.equal(row.incident.id, String(incident.id));
    assert.ok(row.incident.customerNotifiedAt);
    const customer = await eventually(async () => mailsTo(site.email, /ne répond plus\s: nous sommes dessus/)[0]);
    assert.ok(customer.text.includes(`https://${site.domain}/`));
    assert.match(customer.text, /Nos équipes ont été prévenues automatiquement/);
    await eventually(async () => mailsTo(OPS, new RegExp(`^\\[CRITICAL\\] ${site.domain.replace(/\./g, '\\.')} is down since`)).length === 1);
    assert.match((await sys.api('/metrics', { headers: ADMIN })).body, /conciergerie_sites\{status="down"\} 1/);
  } finally {
    sys.sandbox!.registry.setHosts(site.domain, before);
  }
  assert.deepEqual(await runSiteChecks(sys.deps, { orderIds: [site.orderId] }), { checked: 1, up: 1, down: 0 });
  const closed = await sys.db.selectFrom('site_incidents').selectAll().where('order_id', '=', site.orderId).executeTakeFirstOrThrow();
  assert.ok(closed.closed_at);
  const resolved = await evaluateAlerts(sys.deps, { rules: ['site_down'] });
  assert.ok(has(resolved.resolved, 'site_down', site.domain));
  const back = await eventually(async () => mailsTo(site.email, /est de nouveau en ligne/)[0]);
  assert.match(back.text, /Durée de l’interruption/);
  await eventually(async () => mailsTo(OPS, /^\[RESOLVED\] /).length === 1);
  assert.equal(mailsTo(site.email, /ne répond plus/).length, 1, 'the customer was told once');
  const text = (await sys.api('/metrics', { headers: ADMIN })).body as string;
  assert.match(text, /conciergerie_site_checks_total\{outcome="down"\} 3/);
  assert.match(text, /conciergerie_sites\{status="up"\} 1/);
});

test('certificate and domain close to expiry: with the thresholds past their dates the alerts open; set back, they resolve', async () => {
  const config = sys.deps.config;
  const saved = { cert: config.CERT_EXPIRY_WARN_DAYS, domain: config.DOMAIN_EXPIRY_WARN_DAYS };
  // the sandbox issues 90-day certificates and registers domains for a year
  config.CERT_EXPIRY_WARN_DAYS = 100;
  config.DOMAIN_EXPIRY_WARN_DAYS = 400;
  try {
    const r = await evaluateAlerts(sys.deps, { rules: ['certificate_expiring', 'domain_expiring'] });
    assert.ok(has(r.opened, 'certificate_expiring', site.domain), JSON.stringify(r));
    assert.ok(has(r.opened, 'domain_expiring', site.domain), JSON.stringify(r));
    const open = (await sys.api('/api/admin/alerts?state=open', { headers: ADMIN })).body.items;
    const cert = open.find((a: { rule: string }) => a.rule === 'certificate_expiring');
    assert.match(cert.summary, /HTTPS certificate expires on \d{4}-\d{2}-\d{2} \(in (89|90) days\)/);
    const dom = open.find((a: { rule: string }) => a.rule === 'domain_expiring');
    assert.match(dom.summary, /domain registration expires on/);
  } finally {
    config.CERT_EXPIRY_WARN_DAYS = saved.cert;
    config.DOMAIN_EXPIRY_WARN_DAYS = saved.domain;
  }
  const r = await evaluateAlerts(sys.deps, { rules: ['certificate_expiring', 'domain_expiring'] });
  assert.ok(has(r.resolved, 'certificate_expiring', site.domain) && has(r.resolved, 'domain_expiring', site.domain), JSON.stringify(r));
});

test('batches: the scheduler hands due checks out as keyed batch jobs, workers claim with SKIP LOCKED, and no site is checked twice in a round', async () => {
  const config = sys.deps.config;
  config.MONITOR_BATCH_SIZE = 10;
  config.MONITOR_MAX_BATCHES = 3;
  // forty more sites, for orders that exist only in the database (their names resolve nowhere)
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = crypto.randomUUID();
    ids.push(id);
    await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items, total_cents, payment_provider, deadline_hours)
      values (${id}, ${crypto.randomBytes(16).toString('base64url')}, 'Batch', ${`batch-${i}@example.org`}, 'en', ${`batch-${i}.fr`}, ${`batch-${i}.fr`}, 'standard', 'delivered', 'EUR', '[]', 100, 'stripe', 24)`.execute(
      sys.db,
    );
    await sys.db
      .insertInto('monitors')
      .values({ order_id: id, url: `https://batch-${i}.fr/` })
      .execute();
  }
  config.ALERT_SITES_DOWN_GROUP_THRESHOLD = 10;
  try {
    const scheduled = await scheduleSiteChecks(sys.deps);
    assert.deepEqual(scheduled, { due: 30, batches: 3 }, 'counted up to three batches of ten');
    // the workers run the three batch jobs; each takes batches until nothing is due
    await eventually(async () => {
      const rows = await sys.db.selectFrom('monitors').select('consecutive_failures').where('order_id', 'in', ids).execute();
      return rows.every((r) => r.consecutive_failures >= 1);
    }, 20_000);
    let rows = await sys.db.selectFrom('monitors').select(['consecutive_failures', 'last_status']).where('order_id', 'in', ids).execute();
    assert.ok(
      rows.every((r) => r.consecutive_failures === 1 && r.last_status === 'failing'),
      'each checked once',
    );

    // all due again: two batch runs at once share them, never both checking one
    await sql`update monitors set next_check_at = now() where order_id = any(${ids}::uuid[])`.execute(sys.db);
    const [a, b] = await Promise.all([runSiteChecks(sys.deps), runSiteChecks(sys.deps)]);
    assert.equal(a.checked + b.checked, 40);
    rows = await sys.db.selectFrom('monitors').select(['consecutive_failures', 'last_status']).where('order_id', 'in', ids).execute();
    assert.ok(rows.every((r) => r.consecutive_failures === 2 && r.last_status === 'down'));
    assert.equal((await scheduleSiteChecks(sys.deps)).due, 0, 'nothing due until MONITOR_RETRY_SECONDS');

    // forty sites down at once: one grouped alert, not forty
    const r = await evaluateAlerts(sys.deps, { rules: ['site_down', 'many_sites_down'] });
    assert.deepEqual(r.opened, [{ rule: 'many_sites_down', subject: 'sites' }]);
    const grouped = (await sys.api('/api/admin/alerts?rule=many_sites_down&state=open', { headers: ADMIN })).body.items[0];
    assert.equal(grouped.details.down, 40);
    assert.match(grouped.summary, /^40 delivered sites are down at once/);
    await eventually(async () => mailsTo(OPS, /^\[CRITICAL\] 40 delivered sites are down at once/).length === 1);
    assert.equal(mailsTo(OPS, /batch-\d+\.fr is down/).length, 0);
  } finally {
    await sys.db.updateTable('monitors').set({ enabled: false }).where('order_id', 'in', ids).execute();
    await sys.db.updateTable('site_incidents').set({ closed_at: new Date() }).where('order_id', 'in', ids).where('closed_at', 'is', null).execute();
  }
  const r = await evaluateAlerts(sys.deps, { rules: ['site_down', 'many_sites_down'] });
  assert.deepEqual(r.resolved, [{ rule: 'many_sites_down', subject: 'sites' }]);
});

test('the lease of a claimed batch covers every round of checks it may take (timeout and DNS each)', () => {
  const config = { MONITOR_CONCURRENCY: 20, MONITOR_TIMEOUT_MS: 10_000 };
  assert.equal(leaseSeconds(200, config), 10 * 14 + 60);
  assert.equal(leaseSeconds(5, config), 14 + 60);
  assert.equal(leaseSeconds(5000, { MONITOR_CONCURRENCY: 500, MONITOR_TIMEOUT_MS: 2_000 }), 10 * 6 + 60);
});

/** The console's session: its cookie and CSRF token. */
async function signIn() {
  const res = await fetch(`${sys.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    get: (path: string) => sys.api(path, { headers: { cookie } }),
    post: (path: string, csrf = true) => sys.api(path, { method: 'POST', body: {}, headers: { cookie, ...(csrf ? { 'x-csrf-token': csrfToken } : {}) } }),
  };
}

test('monitors: an operator pauses one (CSRF required; its incident closes) and resumes it; a domain that expired or left the account, and an order no longer delivered, stop theirs by themselves', async () => {
  const admin = await signIn();
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/pause`, false)).status, 403, 'no CSRF token, no change');
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/pause`)).status, 200);
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/pause`)).status, 409, 'already paused');
  let row = (await admin.get('/api/admin/monitors?status=stopped')).body.items.find((m: { domain: string }) => m.domain === site.domain);
  assert.equal(row.status, 'stopped');
  assert.equal(row.stoppedReason, 'paused_by_operator');
  assert.equal((await runSiteChecks(sys.deps, { orderIds: [site.orderId] })).checked, 0, 'a paused site is not checked');
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/resume`)).status, 200);
  assert.deepEqual(await runSiteChecks(sys.deps, { orderIds: [site.orderId] }), { checked: 1, up: 1, down: 0 });
  const audit = (await admin.get('/api/admin/audit')).body.items.map((e: { action: string; target: string; actor: string }) => [e.action, e.target, e.actor]);
  assert.deepEqual(audit.slice(0, 2), [
    ['monitor_resume', site.orderId, 'console'],
    ['monitor_pause', site.orderId, 'console'],
  ]);
  const events = await sys.db.selectFrom('order_events').select('data').where('order_id', '=', site.orderId).where('type', '=', 'admin_action').execute();
  assert.equal(events.length, 0, "the operators' business, not in the customer's timeline");

  // the registration lapsed: the registrar says so and the monitor stops (and its expiry alert with it)
  const registry = sys.sandbox!.registry;
  registry.setExpiry(site.domain, new Date(Date.now() - 86_400_000));
  await runDomainChecks(sys.deps, { restart: true });
  row = (await admin.get('/api/admin/monitors?status=stopped')).body.items.find((m: { domain: string }) => m.domain === site.domain);
  assert.equal(row.stoppedReason, 'domain_expired');
  registry.renew(site.domain, 1);
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/resume`)).status, 200);
  await runDomainChecks(sys.deps, { restart: true });
  assert.equal((await monitor()).enabled, true);
  // transferred to another registrant: the registrar no longer knows it as ours
  const registration = registry.get(site.domain)!;
  const owner = registration.owner;
  registration.owner = 'another-registrant';
  try {
    await runDomainChecks(sys.deps, { restart: true });
    assert.deepEqual(
      await sys.db.selectFrom('monitors').select(['enabled', 'disabled_reason']).where('order_id', '=', site.orderId).executeTakeFirstOrThrow(),
      {
        enabled: false,
        disabled_reason: 'domain_left',
      },
    );
  } finally {
    registration.owner = owner;
  }
  assert.equal((await admin.post(`/api/admin/monitors/${site.orderId}/resume`)).status, 200);

  // an order that is not delivered any more (refunded by hand in the database, as an operator's restore might leave it)
  const id = crypto.randomUUID();
  await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items, total_cents, payment_provider, deadline_hours)
    values (${id}, ${crypto.randomBytes(16).toString('base64url')}, 'Gone', 'gone@example.org', 'en', 'gone-site.fr', 'gone-site.fr', 'standard', 'refunded', 'EUR', '[]', 100, 'stripe', 24)`.execute(
    sys.db,
  );
  await sys.db.insertInto('monitors').values({ order_id: id, url: 'https://gone-site.fr/' }).execute();
  assert.equal((await runSiteChecks(sys.deps, { orderIds: [id] })).checked, 0);
  const gone = await sys.db.selectFrom('monitors').select(['enabled', 'disabled_reason']).where('order_id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(gone, { enabled: false, disabled_reason: 'order_refunded' });
});

test('failed jobs: one that used up its attempts raises retries_exhausted (job:<task>) within the window only; the operator retries or discards it (session + CSRF), audit-logged', async () => {
  const admin = await signIn();
  const failed = async (key: string) => {
    const { items: jobs } = (await admin.get('/api/admin/jobs/failed')).body as {
      items: { id: string; key: string; task: string; attempts: number; lastError: string }[];
    };
    return jobs.find((j) => j.key === key);
  };
  // a refund job whose order id is not one: it throws, and with one attempt it is spent at once
  await addJob(sys.db, 'refund_order', { orderId: 'not-an-order' }, { jobKey: 'refund:broken', maxAttempts: 1 });
  const job = await eventually(() => failed('refund:broken'), 10_000);
  assert.equal(job.task, 'refund_order');
  assert.ok(job.lastError);
  const opened = await evaluateAlerts(sys.deps, { rules: ['retries_exhausted'] });
  assert.ok(has(opened.opened, 'retries_exhausted', 'job:refund_order'), JSON.stringify(opened));

  assert.equal((await admin.post(`/api/admin/jobs/${job.id}/retry`, false)).status, 403);
  assert.equal((await admin.post(`/api/admin/jobs/${job.id}/retry`)).status, 200);
  // it runs again (and fails again: the order still does not exist)
  await eventually(async () => (await failed('refund:broken'))?.attempts === 1 && (await failed('refund:broken')), 10_000);
  assert.equal((await admin.post(`/api/admin/jobs/${job.id}/discard`)).status, 200);
  assert.equal(await failed('refund:broken'), undefined);
  assert.equal((await admin.post(`/api/admin/jobs/${job.id}/discard`)).status, 404);
  const resolved = await evaluateAlerts(sys.deps, { rules: ['retries_exhausted'] });
  assert.ok(has(resolved.resolved, 'retries_exhausted', 'job:refund_order'), JSON.stringify(resolved));
  const audit = (await admin.get('/api/admin/audit')).body.items.map((e: { action: string; target: string }) => [e.action, e.target]);
  assert.deepEqual(audit.slice(0, 2), [
    ['job_discard', `job:${job.id}`],
    ['job_retry', `job:${job.id}`],
  ]);

  // left alone, a failed job keeps the alert open only within ALERT_RETRIES_WINDOW_SECONDS of its failure
  await addJob(sys.db, 'refund_order', { orderId: 'still-not-an-order' }, { jobKey: 'refund:broken-2', maxAttempts: 1 });
  await eventually(() => failed('refund:broken-2'), 10_000);
  assert.ok(has((await evaluateAlerts(sys.deps, { rules: ['retries_exhausted'] })).opened, 'retries_exhausted', 'job:refund_order'));
  sys.deps.config.ALERT_RETRIES_WINDOW_SECONDS = 1;
  try {
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(has((await evaluateAlerts(sys.deps, { rules: ['retries_exhausted'] })).resolved, 'retries_exhausted', 'job:refund_order'));
    assert.ok(await failed('refund:broken-2'), 'the job itself is still there for an operator');
  } finally {
    sys.deps.config.ALERT_RETRIES_WINDOW_SECONDS = 3600;
  }
});
