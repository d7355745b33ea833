// Each order-side alert rule fired by a fault in the sandbox and resolved when the fault ends, with the alert evaluation, the sweeper and the notices all on their own schedule (no direct evaluation): revoked credentials, a failing SMTP server, a deadline missed, a refund that cannot go through.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { startAlertHook, type AlertHook } from '../support/alert-hook.ts';
import { Circuits } from '../../src/providers/circuit.ts';
import { HOLDER } from '../support/holder.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
const OPS = 'ops-faults@example.org';

let sys: TestSystem;
let hook: AlertHook;

before(async () => {
  hook = await startAlertHook();
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    ALERT_WEBHOOK_URL: hook.url,
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '400',
    STEP_MAX_ATTEMPTS: '3',
    // everything on its schedule, every second
    ALERT_EVALUATE_SECONDS: '1',
    SWEEP_SECONDS: '1',
    ALERT_PROVIDER_WINDOW_SECONDS: '5',
    ALERT_PROVIDER_MIN_CALLS: '3',
    ALERT_ORDERS_FAILING_WINDOW_SECONDS: '8',
    ALERT_ORDERS_FAILING_MIN: '2',
    ALERT_ORDERS_FAILING_RATE: '0.5',
    ALERT_OUTBOX_MINUTES: '0.05',
    ALERT_STUCK_MINUTES: '0.1',
    ALERT_RETRIES_WINDOW_SECONDS: '5',
    // hysteresis on, short: an alert resolves once its condition has been clear for 2 s
    ALERT_RESOLVE_AFTER_SECONDS: '2',
    ALERT_REOPEN_COOLDOWN_SECONDS: '0',
    ALERT_NOTIFY_MAX_PER_HOUR: '100',
    // the sites of this file's orders are not what it is about
    MONITOR_TICK_SECONDS: '3600',
  });
  // a circuit breaker that cools down in 2 s rather than 30, so a test does not wait half a minute for SMTP to be tried again
  sys.deps.circuits = new Circuits({ failureThreshold: 5, coolDownMs: 2000 });
});
after(async () => {
  await sys?.stop();
  await hook?.close();
});

async function demo(domainHint?: string) {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', locale: 'en', timeoutSeconds: 60 } });
  assert.equal(r.status, 200, `${domainHint ?? ''} ${JSON.stringify(r.body)}`);
  return r.body as { orderId: string; state: string; domain: string };
}

async function order(domain: string, tier: 'express' | 'standard') {
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName: 'Atelier Faute', email: `${domain}@example.org`, domain, tier, locale: 'en' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string };
}

async function pay(orderId: string) {
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
}

const state = async (orderId: string) => (await sys.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state;
const opsMail = (pattern: RegExp) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(OPS) && pattern.test(m.subject));
const metricsText = async () => (await sys.api('/metrics', { headers: ADMIN })).body as string;
const heard = (event: string, rule: string, subject: string, ms = 30_000) => eventually(async () => hook.find(event, rule, subject), ms, 100);

test('credentials revoked at the host: every order fails and is refunded; provider_errors (credentials refused, critical) and orders_failing open; restored, both resolve', async () => {
  sys.sandbox!.netlify.faults.set({ revokedCredentials: true });
  try {
    for (let i = 0; i < 2; i++) assert.equal((await demo()).state, 'refunded');
    const provider = await heard('alert.opened', 'provider_errors', 'netlify');
    assert.equal(provider.body.alert.severity, 'critical');
    assert.ok(provider.body.alert.details.credentialsRefused >= 1, JSON.stringify(provider.body.alert.details));
    assert.deepEqual(provider.body.alert.details.errorCodes, ['auth_failed']);
    assert.match(provider.body.alert.summary, /our credentials were refused/);
    // the payload says the notice it is, as sent
    assert.equal(provider.body.alert.notices.opened, 'sent');
    assert.equal(provider.body.title, 'Provider errors');
    const failing = await heard('alert.opened', 'orders_failing', 'orders');
    assert.ok(failing.body.alert.details.failed >= 2);
    assert.equal(failing.body.alert.severity, 'critical', 'none delivered');
    assert.match(failing.body.alert.summary, /create_site auth_failed ×[2-9]/);
    await eventually(async () => opsMail(/^\[CRITICAL\] netlify: .*our credentials were refused/).length === 1);
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
  // the token works again: orders are delivered, and once the failures are out of the windows both alerts resolve
  assert.equal((await demo()).state, 'delivered');
  await heard('alert.resolved', 'provider_errors', 'netlify');
  await heard('alert.resolved', 'orders_failing', 'orders');
  await eventually(async () => opsMail(/^\[RESOLVED\] Orders failing: orders — lasted \d+ min$/).length === 1);
  assert.equal(hook.count('alert.opened', 'provider_errors', 'netlify'), 1);
});

test('SMTP refuses every send: provider_errors (smtp) and outbox_backlog reach the webhook while every email waits, theirs included; SMTP back, the emails go out and both resolve', async () => {
  const before = await metricsText();
  assert.match(
    before,
    /^conciergerie_provider_calls_total\{provider="smtp",operation="send",outcome="retryable_error"\} 0$/m,
    'the series exists before the first failure',
  );
  sys.sandbox!.smtp.faults.set({ errorRate: 1 });
  let delivered: { orderId: string; state: string };
  try {
    // the order is delivered, its emails cannot leave
    delivered = await demo();
    assert.equal(delivered.state, 'delivered');
    const backlog = await heard('alert.opened', 'outbox_backlog', 'outbox');
    assert.equal(backlog.body.alert.severity, 'critical');
    assert.ok(backlog.body.alert.details.toCustomers >= 1, JSON.stringify(backlog.body.alert.details));
    const smtp = await heard('alert.opened', 'provider_errors', 'smtp');
    assert.ok(smtp.body.alert.details.errorRate >= 0.5 && smtp.body.alert.details.errorCodes.includes('temporary'), JSON.stringify(smtp.body.alert.details));
    // the JSON webhook is out; the operators' email of the same alert is queued and cannot leave either
    const alertEmail = await sys.db
      .selectFrom('outbox_emails')
      .select(['state', 'subject'])
      .where('kind', '=', 'alert')
      .where('subject', 'like', '%still unsent%')
      .executeTakeFirstOrThrow();
    assert.notEqual(alertEmail.state, 'sent');
    assert.equal(opsMail(/still unsent/).length, 0);
    // SMTP is a provider like the others: calls, health, metrics
    const health = await sys.api('/api/admin/providers/health', { headers: ADMIN });
    const row = health.body.providers.find((p: { provider: string }) => p.provider === 'smtp');
    assert.ok(row.errors >= 2, JSON.stringify(row));
    assert.match(await metricsText(), /^conciergerie_provider_calls_total\{provider="smtp",operation="send",outcome="retryable_error"\} [1-9]\d*$/m);
  } finally {
    sys.sandbox!.smtp.faults.reset();
  }
  // new traffic: the first email that goes through shows SMTP is back, and the sweeper sends the ones that waited
  await order('atelier-faute-smtp-back.fr', 'standard');
  await eventually(
    async () => {
      const unsent = await sys.db.selectFrom('outbox_emails').select('id').where('order_id', '=', delivered!.orderId).where('state', '<>', 'sent').execute();
      return unsent.length === 0;
    },
    40_000,
    200,
  );
  await eventually(async () => opsMail(/^\[CRITICAL\] \d+ emails \(\d+ to customers\) still unsent/).length === 1, 40_000, 200);
  await heard('alert.resolved', 'outbox_backlog', 'outbox', 40_000);
  await heard('alert.resolved', 'provider_errors', 'smtp', 40_000);
  assert.equal(hook.count('alert.opened', 'outbox_backlog'), 1);
});

test('a deadline at risk and then missed, by a host that keeps answering 429 to an order with an 18-second deadline: warned at 75 %, escalated once when overdue, resolved once delivered', async () => {
  const config = sys.deps.config;
  config.EXPRESS_HOURS = 0.005; // 18 s
  config.STEP_MAX_ATTEMPTS = 100;
  const o = await order('atelier-faute-deadline.fr', 'express');
  config.EXPRESS_HOURS = 4;
  sys.sandbox!.netlify.faults.set({ rateLimitRate: 1 });
  try {
    await pay(o.orderId);
    const opened = await heard('alert.opened', 'deadline_at_risk', o.orderId);
    assert.equal(opened.body.alert.severity, 'warning');
    assert.match(opened.body.alert.summary, /atelier-faute-deadline\.fr \(express\) has used [789]\d %/);
    assert.equal(opened.body.alert.details.step, 'create_site');
    const escalated = await heard('alert.escalated', 'deadline_at_risk', o.orderId);
    assert.equal(escalated.body.alert.severity, 'critical');
    assert.match(escalated.body.alert.summary, /missed its deadline/);
    await eventually(async () => opsMail(/^\[ESCALATED\] Order for atelier-faute-deadline\.fr \(express\) missed its deadline/).length === 1);
    await new Promise((r) => setTimeout(r, 2500)); // more evaluations: still one escalation
    assert.equal(hook.count('alert.escalated', 'deadline_at_risk', o.orderId), 1);
  } finally {
    sys.sandbox!.netlify.faults.reset();
    config.STEP_MAX_ATTEMPTS = 3;
  }
  await eventually(async () => (await state(o.orderId)) === 'delivered', 30_000);
  const resolved = await heard('alert.resolved', 'deadline_at_risk', o.orderId);
  assert.equal(resolved.body.alert.state, 'resolved');
  assert.deepEqual(resolved.body.alert.notices, { opened: 'sent', escalated: 'sent', resolved: 'sent' });
  assert.equal(hook.count('alert.opened', 'deadline_at_risk', o.orderId), 1);
  await eventually(async () => opsMail(/^\[RESOLVED\] Deadline at risk: atelier-faute-deadline\.fr \([0-9a-f]{8}\) — lasted /).length === 1);
});

test('a stuck order: its refund keeps failing (the payment provider refuses our key) with no progress; order_stuck opens, on schedule; the key restored, the refund goes through and it resolves', async () => {
  const o = await order('atelier-faute-stuck.fr', 'standard');
  // the host holds the order at create_site (429s) until the faults are in place
  sys.sandbox!.netlify.faults.set({ rateLimitRate: 1 });
  try {
    await pay(o.orderId);
    await eventually(async () => (await state(o.orderId)) === 'creating_site', 20_000);
    sys.sandbox!.stripe.faults.set({ revokedCredentials: true });
    sys.sandbox!.netlify.faults.set({ rateLimitRate: 0, revokedCredentials: true });
    await eventually(async () => (await state(o.orderId)) === 'refunding', 20_000);
    const stuck = await heard('alert.opened', 'order_stuck', o.orderId, 40_000);
    assert.equal(stuck.body.alert.severity, 'critical');
    assert.match(
      stuck.body.alert.summary,
      /stuck in refunding: no progress for \d+ s\+ and its job keeps failing \(\d+ attempts\): stripe: authentication_failed/,
    );
    assert.equal(await state(o.orderId), 'refunding', 'the sweeper has nothing to bring back: the job is there');
  } finally {
    sys.sandbox!.stripe.faults.reset();
    sys.sandbox!.netlify.faults.reset();
  }
  // the refund job's next attempt (graphile-worker's backoff) goes through
  await eventually(async () => (await state(o.orderId)) === 'refunded', 60_000, 200);
  await heard('alert.resolved', 'order_stuck', o.orderId);
});

test('duplicate payment webhooks are counted; the series exists at 0 before the first', async () => {
  assert.match(await metricsText(), /^conciergerie_webhooks_duplicate_total\{provider="paypal"\} 0$/m);
  const before = Number(/^conciergerie_webhooks_duplicate_total\{provider="stripe"\} (\d+)$/m.exec(await metricsText())?.[1]);
  sys.sandbox!.stripe.faults.set({ duplicateWebhookRate: 1 });
  try {
    assert.equal((await demo()).state, 'delivered');
  } finally {
    sys.sandbox!.stripe.faults.reset();
  }
  await eventually(async () => {
    const after = Number(/^conciergerie_webhooks_duplicate_total\{provider="stripe"\} (\d+)$/m.exec(await metricsText())?.[1]);
    return after > before;
  });
});
