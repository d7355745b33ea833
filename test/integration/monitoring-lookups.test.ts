// RDAP and whois lookups are provider calls like any other: counted in /metrics, listed in the providers' health, and an RDAP outage in the sandbox raises the provider-errors alert, which resolves once RDAP answers again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };

let sys: TestSystem;
before(async () => {
  // ALERT_RESOLVE_AFTER_SECONDS 0: the alert resolves at the first evaluation that finds RDAP well
  sys = await startTestSystem(
    { ALERT_EVALUATE_SECONDS: '3600', ALERT_PROVIDER_MIN_CALLS: '3', ALERT_PROVIDER_WINDOW_SECONDS: '300', ALERT_RESOLVE_AFTER_SECONDS: '0' },
    { role: 'api' },
  );
});
after(async () => {
  await sys?.stop();
});

/** The value of one series of /metrics, 0 when it is not there yet. */
async function series(name: string, labels: Record<string, string>): Promise<number> {
  const text = (await sys.api('/metrics', { headers: ADMIN })).body as string;
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
const check = (name: string) => sys.api(`/api/domains/check?name=${encodeURIComponent(name)}`);
const health = async () =>
  (await sys.api('/api/admin/providers/health', { headers: ADMIN })).body.providers as { provider: string; calls: number; errors: number }[];

test('each lookup counts under its source: RDAP for .fr, whois for .eu (no RDAP server in the bootstrap)', async () => {
  const fr = await check('lookup-compte-libre.fr');
  assert.equal(fr.status, 200);
  assert.equal(fr.body.source, 'rdap');
  const eu = await check('lookup-compte-libre.eu');
  assert.equal(eu.status, 200);
  assert.equal(eu.body.source, 'whois');
  assert.ok((await series('conciergerie_provider_calls_total', { provider: 'rdap', operation: 'lookup', outcome: 'ok' })) >= 1);
  assert.ok((await series('conciergerie_provider_calls_total', { provider: 'whois', operation: 'lookup', outcome: 'ok' })) >= 1);
  assert.ok((await series('conciergerie_provider_call_duration_seconds_count', { provider: 'rdap', operation: 'lookup' })) >= 1);
  // written in batches, a second later at most: then the admin's health table shows them
  const rows = await eventually(async () => {
    const h = await health();
    return h.some((p) => p.provider === 'rdap' && p.calls >= 1) && h.some((p) => p.provider === 'whois' && p.calls >= 1) && h;
  }, 5000);
  assert.equal(rows.find((p) => p.provider === 'rdap')!.errors, 0);
});

test('RDAP failing in the sandbox: checks still answer (whois takes over), RDAP errors are counted and raise the alert; it resolves when RDAP is back', async () => {
  sys.sandbox!.rdap.faults.set({ errorRate: 1 });
  try {
    for (let i = 0; i < 4; i++) {
      const r = await check(`panne-rdap-${i}.fr`);
      assert.equal(r.status, 200);
      assert.equal(r.body.source, 'whois', 'whois answered while RDAP failed');
    }
  } finally {
    sys.sandbox!.rdap.faults.reset();
  }
  assert.ok((await series('conciergerie_provider_calls_total', { provider: 'rdap', operation: 'lookup', outcome: 'retryable_error' })) >= 4);
  const opened = await eventually(async () => {
    const r = await evaluateAlerts(sys.deps, { rules: ['provider_errors'] });
    return r.opened.some((f) => f.rule === 'provider_errors' && f.subject === 'rdap') && r;
  }, 5000);
  assert.ok(opened);
  const alerts = (await sys.api('/api/admin/alerts?rule=provider_errors&state=open', { headers: ADMIN })).body;
  assert.ok(alerts.items.some((a: { subject: string }) => a.subject === 'rdap'));

  // RDAP answers again: enough good lookups bring its error rate under the threshold
  for (let i = 0; i < 6; i++) assert.equal((await check(`retour-rdap-${i}.fr`)).body.source, 'rdap');
  await eventually(async () => {
    const r = await evaluateAlerts(sys.deps, { rules: ['provider_errors'] });
    return r.resolved.some((f) => f.rule === 'provider_errors' && f.subject === 'rdap');
  }, 5000);
  const after = (await sys.api('/api/admin/alerts?rule=provider_errors&state=open', { headers: ADMIN })).body;
  assert.ok(!after.items.some((a: { subject: string }) => a.subject === 'rdap'));
});
