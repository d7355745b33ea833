// Each alert rule fired by a fault in the sandbox and resolved when the fault ends; one open alert per rule and subject; notices by email and JSON webhook, rate-limited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';
import { sweep } from '../../src/workflow/recovery.ts';
import { HOLDER } from '../support/holder.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
const OPS = 'ops-alerts@example.org';
const HOOK_SECRET = 'alert-hook-secret';

let sys: TestSystem;
let hookServer: http.Server;
const hooks: { event: string; body: any; signatureOk: boolean }[] = [];

before(async () => {
  hookServer = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const m = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(req.headers['x-conciergerie-signature'] ?? ''));
      const expected = m ? crypto.createHmac('sha256', HOOK_SECRET).update(`${m[1]}.${raw}`).digest('hex') : '';
      const body = JSON.parse(raw);
      hooks.push({ event: body.event, body, signatureOk: !!m && m[2] === expected });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '400',
    STEP_MAX_ATTEMPTS: '3',
    // the recurring jobs wait an hour: the tests evaluate when they choose
    ALERT_EVALUATE_SECONDS: '3600',
    MONITOR_TICK_SECONDS: '3600',
    SWEEP_SECONDS: '3600',
    ALERT_PROVIDER_WINDOW_SECONDS: '8',
    ALERT_PROVIDER_MIN_CALLS: '3',
    ALERT_RETRIES_WINDOW_SECONDS: '8',
    ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS: '3',
    ALERT_WEBHOOK_REJECTED_THRESHOLD: '5',
    ALERT_STUCK_MINUTES: '1',
    ALERT_NOTIFY_MAX_PER_HOUR: '50',
    // these tests resolve on the first clear evaluation; hysteresis and the reopen cooldown have their own test
    ALERT_RESOLVE_AFTER_SECONDS: '0',
    ALERT_REOPEN_COOLDOWN_SECONDS: '0',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
    ALERT_WEBHOOK_SECRET: HOOK_SECRET,
  });
});
after(async () => {
  await sys?.stop();
  hookServer?.close();
});

async function order(domain: string, tier: 'express' | 'standard' = 'express') {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Fleuriste Rose',
      email: `${domain}@example.org`,
      domain,
      tier,
      locale: 'fr',
      city: 'Rennes',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string };
}

async function pay(orderId: string) {
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
}

const state = async (orderId: string) => (await sys.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state;

/** A rule's open alerts, and all of its alerts newest first (each on one page). */
async function alerts(rule: string) {
  const list = async (filter: string) => {
    const r = await sys.api(`/api/admin/alerts?rule=${rule}&limit=100${filter}`, { headers: ADMIN });
    assert.equal(r.status, 200);
    assert.equal(r.body.nextCursor, null, 'one page holds them all');
    return r.body.items as any[];
  };
  const [open, recent] = await Promise.all([list('&state=open'), list('')]);
  return { open, recent };
}

const has = (list: { rule: string; subject: string }[], rule: string, subject: string) => list.some((a) => a.rule === rule && a.subject === subject);
const opsMail = (pattern: RegExp) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(OPS) && pattern.test(m.subject));
const metricsText = async () => (await sys.api('/metrics', { headers: ADMIN })).body as string;

test('deadline at risk: an order held up by a rate-limited host passes 75 % of its time; it clears once delivered', async () => {
  sys.deps.config.STEP_MAX_ATTEMPTS = 100; // 429s count as failures; let it wait them out
  const o = await order('fleuriste-rose-risk.fr');
  sys.sandbox!.netlify.faults.set({ rateLimitRate: 1 });
  try {
    await pay(o.orderId);
    await eventually(async () => {
      const events = await sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', o.orderId).execute();
      return events.some((e) => e.type === 'step_retry' && (e.data as { step?: string }).step === 'create_site');
    }, 20_000);
    // the order was paid 3 h 30 ago and is due in 30 min: 87.5 % of its 4 hours are gone
    await sql`update orders set paid_at = now() - interval '210 minutes', deadline_at = now() + interval '30 minutes' where id = ${o.orderId}`.execute(sys.db);
    const first = await evaluateAlerts(sys.deps, { rules: ['deadline_at_risk'] });
    assert.ok(has(first.opened, 'deadline_at_risk', o.orderId), JSON.stringify(first));
    const listed = await alerts('deadline_at_risk');
    const alert = listed.open.find((a) => a.subject === o.orderId);
    assert.equal(alert.severity, 'warning');
    assert.match(alert.summary, /fleuriste-rose-risk\.fr \(express\) has used 8\d %/);
    assert.equal(alert.details.step, 'create_site');
    assert.match(await metricsText(), /conciergerie_orders_at_risk\{tier="express"\} 1/);
    const atRisk = await sys.api('/api/admin/orders?atRisk=true', { headers: ADMIN });
    assert.ok(
      atRisk.body.items.some((x: { id: string }) => x.id === o.orderId),
      'the admin list agrees',
    );
    // evaluated again: still the same single alert
    const again = await evaluateAlerts(sys.deps, { rules: ['deadline_at_risk'] });
    assert.equal(again.opened.length, 0);
    assert.equal((await alerts('deadline_at_risk')).open.filter((a) => a.subject === o.orderId).length, 1);
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
  await eventually(async () => (await state(o.orderId)) === 'delivered', 30_000);
  const cleared = await evaluateAlerts(sys.deps, { rules: ['deadline_at_risk'] });
  assert.ok(has(cleared.resolved, 'deadline_at_risk', o.orderId));
  assert.equal((await alerts('deadline_at_risk')).open.length, 0);
  await eventually(
    async () =>
      opsMail(/^\[ALERT\] Order for fleuriste-rose-risk\.fr/).length === 1 &&
      opsMail(/^\[RESOLVED\] Deadline at risk: fleuriste-rose-risk\.fr \([0-9a-f]{8}\) — lasted \d+ min$/).length === 1,
  );
  sys.deps.config.STEP_MAX_ATTEMPTS = 3;
});

test('stuck order: no progress and no job; the sweeper re-enqueues it and the alert resolves', async () => {
  const o = await order('fleuriste-rose-stuck.fr', 'standard');
  // its confirmation email goes out by itself and adds an event (email_sent) now: let it, before the clock is moved back
  await eventually(async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from outbox_emails where order_id = ${o.orderId} and sent_at is null`.execute(sys.db);
    return Number(rows[0]!.n) === 0;
  });
  // as if paid long ago, at create_site, and its job lost (deleted by hand, a bad restore...)
  await sql`update orders set state = 'creating_site', current_step = 'create_site', paid_at = now() - interval '10 minutes',
    deadline_at = now() + interval '23 hours', updated_at = now() - interval '10 minutes' where id = ${o.orderId}`.execute(sys.db);
  await sql`update order_events set at = now() - interval '10 minutes' where order_id = ${o.orderId}`.execute(sys.db);
  await sql`delete from graphile_worker._private_jobs where key like ${`step:${o.orderId}:%`}`.execute(sys.db);
  const first = await evaluateAlerts(sys.deps, { rules: ['order_stuck'] });
  assert.ok(has(first.opened, 'order_stuck', o.orderId), JSON.stringify(first));
  const alert = (await alerts('order_stuck')).open.find((a) => a.subject === o.orderId);
  assert.equal(alert.severity, 'critical');
  assert.match(alert.summary, /stuck in creating_site at create_site/);

  const swept = await sweep(sys.deps);
  assert.ok(swept.requeued.includes(o.orderId));
  const cleared = await evaluateAlerts(sys.deps, { rules: ['order_stuck'] });
  assert.ok(has(cleared.resolved, 'order_stuck', o.orderId), JSON.stringify(cleared));
});

test('an order waiting for the customer to pick another name whose timeout job went missing: the sweeper puts it back, at the same deadline', async () => {
  const o = await order('fleuriste-rose-choice.fr', 'standard');
  await sql`update orders set state = 'domain_unavailable', paid_at = now() - interval '2 hours', updated_at = now() - interval '1 hour' where id = ${o.orderId}`.execute(
    sys.db,
  );
  const swept = await sweep(sys.deps);
  assert.ok(swept.requeued.includes(o.orderId));
  const { rows } = await sql<{ run_at: Date; payload: { orderId: string; domain: string } }>`
    select run_at, payload from graphile_worker._private_jobs where key = ${`domain-choice:${o.orderId}`}`.execute(sys.db);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]!.payload, { orderId: o.orderId, domain: 'fleuriste-rose-choice.fr' });
  // DOMAIN_CHOICE_HOURS (24) from when it started waiting, an hour ago
  assert.ok(Math.abs(rows[0]!.run_at.getTime() - (Date.now() + 23 * 3_600_000)) < 60_000, rows[0]!.run_at.toISOString());
  assert.ok(!(await sweep(sys.deps)).requeued.includes(o.orderId), 'once');
  await sql`update orders set state = 'cancelled' where id = ${o.orderId}`.execute(sys.db);
});

test('rejected webhooks: a burst of forged payment webhooks opens the alert; it resolves once the window has passed', async () => {
  const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'checkout.session.completed', data: { object: {} } });
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${sys.url}/api/concierge/webhook/payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, 'whsec_forged') },
      body,
    });
    assert.equal(res.status, 400);
  }
  const first = await evaluateAlerts(sys.deps, { rules: ['webhooks_rejected'] });
  assert.ok(has(first.opened, 'webhooks_rejected', 'stripe'), JSON.stringify(first));
  const alert = (await alerts('webhooks_rejected')).open.find((a) => a.subject === 'stripe');
  assert.equal(alert.details.rejected, 6);
  assert.deepEqual(alert.details.reasons, { webhook_signature_invalid: 6 });
  const text = await metricsText();
  assert.match(text, /conciergerie_webhooks_rejected_total\{provider="stripe",reason="webhook_signature_invalid"\} 6/);
  assert.match(text, /conciergerie_webhooks_received_total\{provider="stripe"\} \d+/);
  // the forgeries stop: once they are older than the window, the alert resolves
  const cleared = await eventually(
    async () => {
      const r = await evaluateAlerts(sys.deps, { rules: ['webhooks_rejected'] });
      return has(r.resolved, 'webhooks_rejected', 'stripe') ? r : undefined;
    },
    10_000,
    500,
  );
  assert.ok(cleared);
});

test('no storm: one alert per rule and subject even when evaluated concurrently; past the hourly budget, one digest', async () => {
  const rule = 'deadline_at_risk';
  const used = Number(
    (await sql<{ n: string }>`select count(*) as n from alert_notifications where rule = ${rule} and kind in ('opened', 'resolved')`.execute(sys.db)).rows[0]!
      .n,
  );
  sys.deps.config.ALERT_NOTIFY_MAX_PER_HOUR = used + 2;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const o = await order(`fleuriste-rose-storm-${i}.fr`);
    ids.push(o.orderId);
  }
  // five orders in trouble at once (no job: the pipeline does not touch them)
  await sql`update orders set state = 'creating_site', paid_at = now() - interval '230 minutes', deadline_at = now() + interval '10 minutes'
    where id = any(${ids}::uuid[])`.execute(sys.db);
  try {
    const [a, b] = await Promise.all([evaluateAlerts(sys.deps, { rules: [rule] }), evaluateAlerts(sys.deps, { rules: [rule] })]);
    assert.equal(a.opened.length + b.opened.length, 5, 'each subject opened once, by one of the two');
    await evaluateAlerts(sys.deps, { rules: [rule] });
    const open = (await alerts(rule)).open.filter((x) => ids.includes(x.subject));
    assert.equal(open.length, 5);
    const { rows } = await sql<{ kind: string; n: string }>`
      select kind, count(*) as n from alert_notifications where rule = ${rule} and alert_id is distinct from null and alert_id in (select id from alerts where subject = any(${ids}::text[]))
      group by kind`.execute(sys.db);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])), { opened: 2 });
    const digests = await sql<{ payload: any }>`select payload from alert_notifications where rule = ${rule} and kind = 'digest'`.execute(sys.db);
    assert.equal(digests.rows.length, 1, 'one digest an hour');
    assert.equal(digests.rows[0]!.payload.digest.opened, 3);
    await eventually(async () => opsMail(/^\[ALERTS\] deadline_at_risk: 3 notices held back/).length === 1);
    assert.equal(open.filter((x) => x.notices.opened === 'digested').length, 3);
  } finally {
    await sql`update orders set state = 'delivered', delivered_at = now() where id = any(${ids}::uuid[])`.execute(sys.db);
    sys.deps.config.ALERT_NOTIFY_MAX_PER_HOUR = 50;
  }
  const cleared = await evaluateAlerts(sys.deps, { rules: [rule] });
  assert.equal(cleared.resolved.filter((r) => ids.includes(r.subject)).length, 5);
});

test('provider errors: the host fails every call; error rate, open circuit and exhausted retries alert, by email and webhook; all resolve when it recovers', async () => {
  const a = await order('fleuriste-rose-down-1.fr');
  const b = await order('fleuriste-rose-down-2.fr');
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  try {
    // three failed attempts each, one order after the other: the fifth failure opens the circuit, which refuses the sixth call
    await pay(a.orderId);
    await eventually(async () => (await state(a.orderId)) === 'refunded', 30_000);
    await pay(b.orderId);
    await eventually(async () => (await state(b.orderId)) === 'refunded', 30_000);
    const first = await evaluateAlerts(sys.deps);
    assert.ok(has(first.opened, 'provider_errors', 'netlify'), JSON.stringify(first));
    assert.ok(has(first.opened, 'retries_exhausted', 'step:create_site'), JSON.stringify(first));
    const alert = (await alerts('provider_errors')).open.find((x) => x.subject === 'netlify');
    assert.ok(alert.details.errors >= 5, JSON.stringify(alert.details));
    assert.ok(alert.details.refusedCalls >= 1, JSON.stringify(alert.details));
    assert.equal(alert.details.circuitOpen, true);
    assert.equal(alert.severity, 'critical');
    const retries = (await alerts('retries_exhausted')).open.find((x) => x.subject === 'step:create_site');
    assert.deepEqual([...retries.details.orders].sort(), [a.orderId, b.orderId].sort());
    assert.match(await metricsText(), /conciergerie_provider_calls_total\{provider="netlify",operation="createSite",outcome="retryable_error"\} [1-9]/);
    assert.match(await metricsText(), /conciergerie_circuit_open\{provider="netlify"\} 1/);
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
  // both channels said so, the webhook signed
  await eventually(async () => opsMail(/^\[CRITICAL\] netlify: /).length === 1);
  const opened = await eventually(async () => hooks.find((h) => h.event === 'alert.opened' && h.body.alert.rule === 'provider_errors'));
  assert.equal(opened.signatureOk, true);
  assert.equal(opened.body.alert.subject, 'netlify');
  assert.equal(opened.body.alert.state, 'open');

  // the fault has ended: no failure within the windows any more
  await eventually(
    async () => {
      await evaluateAlerts(sys.deps);
      const [p, r] = await Promise.all([alerts('provider_errors'), alerts('retries_exhausted')]);
      return !p.open.some((x) => x.subject === 'netlify') && !r.open.some((x) => x.subject === 'step:create_site');
    },
    20_000,
    500,
  );
  const resolved = await eventually(async () => hooks.find((h) => h.event === 'alert.resolved' && h.body.alert.rule === 'provider_errors'));
  assert.equal(resolved.body.alert.state, 'resolved');
  assert.ok(resolved.body.alert.resolvedAt);
  await eventually(async () => opsMail(/^\[RESOLVED\] Provider errors: netlify — lasted /).length === 1);
  const recent = (await alerts('provider_errors')).recent.find((x) => x.subject === 'netlify');
  assert.deepEqual(recent.notices, { opened: 'sent', escalated: null, resolved: 'sent' });
});

test('provider error rate alone: past the threshold with enough calls it fires (warning); enough good calls bring it under and it resolves', async () => {
  const call = (outcome: string, error_code: string | null) => ({ provider: 'rdap', operation: 'lookup', outcome, error_code, duration_ms: 5 });
  await sys.db
    .insertInto('provider_calls')
    .values([...Array(6)].map(() => call('retryable_error', 'timeout')))
    .execute();
  await sys.db
    .insertInto('provider_calls')
    .values([...Array(4)].map(() => call('ok', null)))
    .execute();
  const first = await evaluateAlerts(sys.deps, { rules: ['provider_errors'] });
  assert.ok(has(first.opened, 'provider_errors', 'rdap'), JSON.stringify(first));
  const alert = (await alerts('provider_errors')).open.find((x) => x.subject === 'rdap');
  assert.deepEqual([alert.severity, alert.details.errorRate, alert.details.circuitOpen], ['warning', 0.6, false]);
  // good answers, and 429s (the provider pacing us, not failing: they are not errors), bring the rate to 6 of 20
  await sys.db
    .insertInto('provider_calls')
    .values([...Array(5)].map(() => call('ok', null)))
    .execute();
  await sys.db
    .insertInto('provider_calls')
    .values([...Array(5)].map(() => call('retryable_error', 'rate_limited')))
    .execute();
  const cleared = await evaluateAlerts(sys.deps, { rules: ['provider_errors'] });
  assert.ok(has(cleared.resolved, 'provider_errors', 'rdap'), JSON.stringify(cleared));
});
