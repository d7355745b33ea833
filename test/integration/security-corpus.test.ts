// More than 200 bad inputs over every public endpoint: each refused with a 4xx and {code, message}, never a 5xx, and nothing stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, corpus, send, type Target } from '../security/corpus.ts';

let sys: TestSystem;
let target: Target;
const inputs = corpus();

before(async () => {
  // no workers: nothing runs in the background, so any row that appears came from a request
  sys = await startTestSystem({ RUN_WORKER: 'false' });
  const r = await sys.api('/api/request-concierge-service', {
    body: { businessName: 'Boulangerie Témoin', email: 'temoin@example.org', domain: 'boulangerie-temoin.fr', tier: 'standard', locale: 'fr' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  target = { token: r.body.trackingToken, adminToken: sys.adminToken, stripeSecret: sys.sandbox!.credentials.stripeWebhookSecret };
});
after(async () => sys?.stop());

const TABLES = ['orders', 'order_events', 'payment_links', 'outbox_emails', 'webhook_events', 'order_steps', 'admin_sessions', 'provider_calls'] as const;

async function snapshot() {
  // lookups (RDAP, whois) are written in batches: what is still waiting belongs to the moment before
  await sys.flushLookups();
  const rows: Record<string, number> = {};
  for (const t of TABLES) rows[t] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(sys.db)).rows[0]!.n);
  rows.jobs = Number((await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where task_identifier not in ('sweep')`.execute(sys.db)).rows[0]!.n);
  rows.emails = sys.sandbox!.smtp.messages().length;
  rows.registrations = sys.sandbox!.registry.all().length;
  rows.checkouts = sys.sandbox!.stripe.sessions().length + sys.sandbox!.paypal.orders().length;
  return rows;
}

test('the corpus holds at least 200 bad inputs, over every public endpoint', () => {
  assert.ok(inputs.length >= 200, `${inputs.length} inputs`);
  const endpoints = new Set(inputs.map((i) => i.endpoint));
  for (const e of [
    'GET /api/domains/check',
    'POST /api/request-concierge-service',
    'GET /api/concierge/status/{token}',
    'GET /api/concierge/status/{token}/events',
    'POST /api/concierge/status/{token}/payment-link',
    'POST /api/concierge/status/{token}/domain',
    'GET /pay/{token}',
    'POST /api/concierge/webhook/payment',
    'POST /api/concierge/webhook/payment/paypal',
    'GET /api/admin/*',
    'POST /api/admin/*',
    'POST /api/test/concierge/demo',
  ]) {
    assert.ok(endpoints.has(e), `no input for ${e}`);
  }
});

test('every bad input is refused: a 4xx with {code, message}, security headers, and nothing stored', async () => {
  const before = await snapshot();
  const problems: string[] = [];
  let i = 0;
  // a few at a time, each from its own address, so that per-client rate limits do not stand in for validation
  const queue = inputs.map((input) => ({ input, n: i++ }));
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { input, n } = next;
        const label = `${input.endpoint} — ${input.name}`;
        let r;
        try {
          r = await send(sys.url!, { method: input.method, path: input.path(target), headers: input.headers?.(target), body: typeof input.body === 'function' ? input.body(target) : input.body }, clientAddress(n));
        } catch (err) {
          problems.push(`${label}: no answer (${(err as Error).message})`);
          continue;
        }
        const ok = input.statuses ? input.statuses.includes(r.status) : r.status >= 400 && r.status < 500;
        if (!ok) problems.push(`${label}: answered ${r.status} ${r.text.slice(0, 160)}`);
        else if (typeof r.json?.code !== 'string' || typeof r.json?.message !== 'string' || !r.json.message) problems.push(`${label}: ${r.status} without {code, message}: ${r.text.slice(0, 160)}`);
        if (!r.headers['content-security-policy'] || r.headers['x-content-type-options'] !== 'nosniff') problems.push(`${label}: security headers missing`);
      }
    }),
  );
  assert.deepEqual(problems, [], `${problems.length} of ${inputs.length} inputs not refused properly:\n${problems.join('\n')}`);
  assert.deepEqual(await snapshot(), before, 'a refused request stored something');
  // nothing in the logs at error level either: a refusal is not an incident
  const errors = sys.logLines.filter((l) => JSON.parse(l).level >= 50);
  assert.deepEqual(errors, []);
});
