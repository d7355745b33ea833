// The dead-man's switch: with every worker stopped nothing evaluates the alert rules, so the API process itself tells the operators (webhook and email), once, and again when the workers are back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { startAlertHook, type AlertHook } from '../support/alert-hook.ts';
import { startWorker, type Worker } from '../../src/workflow/runner.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
const OPS = 'ops-watchdog@example.org';

let sys: TestSystem;
let hook: AlertHook;
let restarted: Worker | undefined;

before(async () => {
  hook = await startAlertHook();
  sys = await startTestSystem({
    OPERATOR_EMAIL: OPS,
    ALERT_WEBHOOK_URL: hook.url,
    ALERT_EVALUATE_SECONDS: '1',
    // no evaluation for 6 s is a silence worth telling
    ALERT_EVALUATION_STALE_SECONDS: '6',
    ALERT_RESOLVE_AFTER_SECONDS: '0',
    HEARTBEAT_SECONDS: '1',
  });
});
after(async () => {
  await restarted?.stop();
  await sys?.stop();
  await hook?.close();
});

const gauge = async (name: string) => {
  const text = (await sys.api('/metrics', { headers: ADMIN })).body as string;
  const m = new RegExp(`^conciergerie_${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};
const opsMail = (pattern: RegExp) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(OPS) && pattern.test(m.subject));

test('workers stopped: /metrics shows the evaluation growing old and no live worker; the API sends workers_silent by webhook and email, once; workers back, it resolves', async () => {
  // running: evaluations every second, one live worker process
  await eventually(async () => ((await gauge('alerts_last_evaluation_timestamp_seconds')) ?? 0) > Date.now() / 1000 - 3, 15_000, 200);
  assert.equal(await gauge('workers_live'), 1);
  // a start slow enough (a loaded machine) to be taken for silence has been told and cleared: count from here
  await eventually(async () => (await sys.api('/api/admin/alerts?rule=workers_silent&state=open', { headers: ADMIN })).body.items.length === 0, 15_000, 200);
  hook.calls.length = 0;
  const mailsBefore = opsMail(/^\[CRITICAL\] No alert evaluation for/).length;

  await sys.worker!.stop();
  assert.equal(await gauge('workers_live'), 0);
  const opened = await eventually(async () => hook.find('alert.opened', 'workers_silent', 'alert-evaluation'), 20_000, 100);
  assert.equal(opened.body.alert.severity, 'critical');
  assert.match(opened.body.alert.summary, /^No alert evaluation for \d+ s \(last at .*\); live worker processes: 0$/);
  assert.equal(opened.body.title, 'Alert evaluation stale');
  // no worker sends emails now: the API process did
  await eventually(async () => opsMail(/^\[CRITICAL\] No alert evaluation for/).length === mailsBefore + 1, 10_000, 100);
  const last = await gauge('alerts_last_evaluation_timestamp_seconds');
  assert.ok(last! < Date.now() / 1000 - 6, 'Prometheus sees the same silence');
  // the API keeps looking: still one alert, one notice
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(hook.count('alert.opened', 'workers_silent'), 1);
  const listed = (await sys.api('/api/admin/alerts?rule=workers_silent&state=open', { headers: ADMIN })).body;
  assert.equal(listed.items.length, 1);

  restarted = await startWorker(sys.deps, sys.pool, { concurrency: 2 });
  const resolved = await eventually(async () => hook.find('alert.resolved', 'workers_silent', 'alert-evaluation'), 20_000, 100);
  assert.equal(resolved.body.alert.state, 'resolved');
  await eventually(
    async () => opsMail(/^\[RESOLVED\] Alert evaluation stale: alert-evaluation — lasted /).length >= 1 && hook.count('alert.resolved', 'workers_silent') === 1,
    10_000,
    100,
  );
  assert.ok((await gauge('workers_live'))! >= 1);
  assert.equal(hook.count('alert.opened', 'workers_silent'), 1);
});
