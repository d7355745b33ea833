// The site-side alert rules fired by sandbox faults and resolved when they end, everything on its schedule (checks, domain lookups, evaluation): a short-lived certificate, a registration about to lapse, a site down long enough to tell its customer, and a provider flapping around its threshold without flooding anyone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { startAlertHook, type AlertHook } from '../support/alert-hook.ts';

const OPS = 'ops-faults-sites@example.org';
const DAY = 86_400_000;

let sys: TestSystem;
let hook: AlertHook;
let site: { orderId: string; domain: string; email: string };

before(async () => {
  hook = await startAlertHook();
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    ALERT_WEBHOOK_URL: hook.url,
    ALERT_EVALUATE_SECONDS: '1',
    MONITOR_TICK_SECONDS: '1',
    MONITOR_INTERVAL_SECONDS: '10',
    MONITOR_RETRY_SECONDS: '1',
    MONITOR_FAILURES_BEFORE_DOWN: '2',
    // the customer hears of an outage once it has lasted 6 s
    SITE_DOWN_CUSTOMER_MINUTES: '0.1',
    // the registrar is asked for the expiry every 3.6 s
    DOMAIN_CHECK_HOURS: '0.001',
    DOMAIN_CHECKS_PER_MINUTE: '600',
    ALERT_RESOLVE_AFTER_SECONDS: '2',
    ALERT_REOPEN_COOLDOWN_SECONDS: '0',
    ALERT_NOTIFY_MAX_PER_HOUR: '100',
    RATE_LIMIT_SCALE: '100',
  });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', locale: 'fr', timeoutSeconds: 60 } });
  assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
  const order = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  site = { orderId: r.body.orderId, domain: order.domain, email: order.email };
  // watched, on schedule: its first check has happened
  await eventually(async () => (await monitor()).last_status === 'up', 20_000, 200);
});
after(async () => {
  await sys?.stop();
  await hook?.close();
});

const monitor = () => sys.db.selectFrom('monitors').selectAll().where('order_id', '=', site.orderId).executeTakeFirstOrThrow();
const mailsTo = (to: string, pattern: RegExp) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(to) && pattern.test(m.subject));
const heard = (event: string, rule: string, subject: string, ms = 40_000) => eventually(async () => hook.find(event, rule, subject), ms, 100);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('certificate_expiring: the host issues a certificate that lasts a day and a half; the next check reads it and the alert opens (critical); renewed for 90 days, it resolves', async () => {
  const netlify = sys.sandbox!.netlify;
  netlify.setCertificateLifetime(1.5 * DAY);
  try {
    netlify.renewCertificate(site.domain);
    const opened = await heard('alert.opened', 'certificate_expiring', site.domain);
    assert.equal(opened.body.alert.severity, 'critical');
    assert.match(opened.body.alert.summary, /HTTPS certificate expires on \d{4}-\d{2}-\d{2} \(in 1 days\)/);
  } finally {
    netlify.setCertificateLifetime(90 * DAY);
  }
  netlify.renewCertificate(site.domain);
  await heard('alert.resolved', 'certificate_expiring', site.domain);
  assert.ok((await monitor()).cert_expires_at!.getTime() > Date.now() + 80 * DAY);
});

test('domain_expiring: the registration is set to lapse in five days; the registrar lookup sees it and the alert opens (critical); renewed, it resolves', async () => {
  const registry = sys.sandbox!.registry;
  registry.setExpiry(site.domain, new Date(Date.now() + 5 * DAY));
  const opened = await heard('alert.opened', 'domain_expiring', site.domain);
  assert.equal(opened.body.alert.severity, 'critical');
  assert.match(opened.body.alert.summary, /domain registration expires on .* \(in [45] days\)/);
  registry.renew(site.domain, 1);
  await heard('alert.resolved', 'domain_expiring', site.domain);
  assert.ok((await monitor()).domain_expires_at!.getTime() > Date.now() + 300 * DAY);
});

test('a site down past SITE_DOWN_CUSTOMER_MINUTES: the operators at once, the customer only once it has lasted that long, then once back online', async () => {
  const registry = sys.sandbox!.registry;
  const hosts = registry.get(site.domain)!.hosts.map((h) => ({ ...h }));
  registry.setHosts(
    site.domain,
    hosts.map((h) => (h.name === '@' && h.type === 'A' ? { ...h, address: '127.0.0.2' } : h)),
  );
  let incidentId: string;
  try {
    const opened = await heard('alert.opened', 'site_down', site.domain);
    incidentId = String(opened.body.alert.details.incidentId);
    assert.equal(mailsTo(site.email, /ne répond plus/).length, 0, 'not yet: the outage is younger than 6 s');
    const told = await eventually(async () => mailsTo(site.email, /ne répond plus/)[0], 30_000, 100);
    assert.match(told.text, /Nos équipes ont été prévenues automatiquement/);
    const incident = await sys.db.selectFrom('site_incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
    assert.ok(incident.customer_notified_at!.getTime() - incident.started_at.getTime() >= 6000, 'told after 6 s of outage, not before');
    await sleep(2500); // more failed checks: still one email
    assert.equal(mailsTo(site.email, /ne répond plus/).length, 1);
  } finally {
    registry.setHosts(site.domain, hosts);
  }
  const back = await eventually(async () => mailsTo(site.email, /est de nouveau en ligne/)[0], 30_000, 100);
  assert.match(back.text, /Durée de l’interruption/);
  await heard('alert.resolved', 'site_down', site.domain);
  await eventually(async () => mailsTo(OPS, new RegExp(`^\\[RESOLVED\\] Site down: ${site.domain.replace(/\./g, '\\.')} — lasted \\d+ min$`)).length === 1);
  assert.equal(mailsTo(site.email, /est de nouveau en ligne/).length, 1);
});

test('a provider flapping around its threshold: hysteresis keeps one alert through fast flaps, and a reopening within the cooldown is held; one opening and one resolution told, not a storm', async () => {
  const config = sys.deps.config;
  Object.assign(config, { ALERT_PROVIDER_WINDOW_SECONDS: 2, ALERT_PROVIDER_MIN_CALLS: 3, ALERT_RESOLVE_AFTER_SECONDS: 6, ALERT_REOPEN_COOLDOWN_SECONDS: 120 });
  const rdap = sys.sandbox!.rdap.faults;
  // steady traffic: availability checks, each asking RDAP first
  let stop = false;
  const traffic = (async () => {
    for (let i = 0; !stop; i++) {
      await sys.api(`/api/domains/check?name=flapping-${i}.fr`).catch(() => undefined);
      await sleep(80);
    }
  })();
  try {
    // fast: 1.5 s failing, 1.5 s fine, five times over
    for (let i = 0; i < 5; i++) {
      rdap.set({ errorRate: 1 });
      await sleep(1500);
      rdap.reset();
      await sleep(1500);
    }
    await heard('alert.opened', 'provider_errors', 'rdap');
    // clear long enough to resolve
    await heard('alert.resolved', 'provider_errors', 'rdap');
    // and failing again, well within the cooldown: the reopened alert is held, then clears unannounced
    rdap.set({ errorRate: 1 });
    await eventually(
      async () => {
        const { items: open } = (
          await sys.api('/api/admin/alerts?rule=provider_errors&state=open', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })
        ).body;
        return open.find((a: { subject: string; notices: { opened: string } }) => a.subject === 'rdap' && a.notices.opened === 'held');
      },
      20_000,
      100,
    );
    rdap.reset();
    await eventually(
      async () => {
        const { items: open } = (
          await sys.api('/api/admin/alerts?rule=provider_errors&state=open', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })
        ).body;
        return !open.some((a: { subject: string }) => a.subject === 'rdap');
      },
      30_000,
      200,
    );
  } finally {
    stop = true;
    await traffic;
    rdap.reset();
    Object.assign(config, {
      ALERT_PROVIDER_WINDOW_SECONDS: 300,
      ALERT_PROVIDER_MIN_CALLS: 10,
      ALERT_RESOLVE_AFTER_SECONDS: 2,
      ALERT_REOPEN_COOLDOWN_SECONDS: 0,
    });
  }
  await sleep(1500);
  assert.equal(hook.count('alert.opened', 'provider_errors', 'rdap'), 1, 'one opening told');
  assert.equal(hook.count('alert.resolved', 'provider_errors', 'rdap'), 1, 'one resolution told');
  assert.equal(mailsTo(OPS, /rdap/).length, 2);
  const rows = await sys.db
    .selectFrom('alerts')
    .select(['open_notice', 'resolve_notice'])
    .where('rule', '=', 'provider_errors')
    .where('subject', '=', 'rdap')
    .orderBy('id')
    .execute();
  assert.ok(rows.length >= 2, 'it did reopen');
  assert.deepEqual(
    rows.slice(1).map((r) => [r.open_notice, r.resolve_notice]),
    rows.slice(1).map(() => ['none', 'none']),
    'the reopenings were never told',
  );
});
