// A verified payment webhook is processed before a backlog of pipeline steps and emails: it starts an order and its
// deadline. The API alone runs here (no worker), so the queue stays as the requests left it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import { scheduleStep } from '../../src/workflow/schedule.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({}, { role: 'api' });
});
after(async () => sys?.stop());

async function newOrder(domain: string, tier: 'express' | 'standard') {
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName: 'Atelier Prio', email: `${domain}@example.org`, domain, tier, locale: 'fr' },
  });
  assert.equal(r.status, 201);
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  return { id: r.body.orderId as string, sessionId: link.provider_ref!, amount: link.amount_cents };
}

test('a payment webhook is the next job a worker takes, ahead of express steps and emails queued before it', async () => {
  // a backlog: express orders with their confirmation emails and a step each, all due now
  for (let i = 0; i < 3; i++) {
    const o = await newOrder(`atelier-prio-${i}.fr`, 'express');
    await scheduleStep(sys.db, { id: o.id, tier: 'express' }, 'register_domain');
  }
  const paid = await newOrder('atelier-prio-paye.fr', 'standard');
  const session = {
    id: paid.sessionId,
    object: 'checkout.session',
    payment_status: 'paid',
    status: 'complete',
    payment_intent: 'pi_prio',
    amount_total: paid.amount,
    currency: 'eur',
  };
  const body = JSON.stringify({
    id: 'evt_prio_1',
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2025-01-27',
    data: { object: session },
  });
  const res = await fetch(`${sys.url}/api/concierge/webhook/payment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, sys.sandbox!.credentials.stripeWebhookSecret) },
    body,
  });
  assert.equal(res.status, 200);
  // graphile-worker's get_job takes the due job with the lowest priority, then the earliest run_at
  const { rows } = await sql<{ task_identifier: string; priority: number }>`
    select task_identifier, priority from graphile_worker.jobs
     where run_at <= now() and locked_at is null
     order by priority, run_at, id`.execute(sys.db);
  const tasks = rows.map((r) => r.task_identifier);
  assert.ok(
    tasks.includes('run_step') && tasks.some((t) => t !== 'run_step' && t !== 'process_webhook'),
    `a backlog of steps and other jobs: ${tasks.join(', ')}`,
  );
  assert.equal(tasks[0], 'process_webhook', `first in line: ${tasks.join(', ')}`);
  assert.ok(rows[0]!.priority < Math.min(...rows.slice(1).map((r) => r.priority)), 'strictly ahead of every other job');
});
