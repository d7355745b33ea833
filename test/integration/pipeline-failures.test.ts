// When a step cannot succeed: a domain taken between check and purchase offers other names; anything else is refunded, once, and the customer told.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { refundOrder } from '../../src/workflow/failure.ts';
import { sweep } from '../../src/workflow/recovery.ts';
import { processWebhookEvent } from '../../src/workflow/payment-events.ts';
import { startWorker } from '../../src/workflow/runner.ts';
import { sql } from 'kysely';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '3' });
});
after(async () => sys?.stop());

async function orderAndPay(domain: string, email: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName: 'Garage Martin', email, domain, tier: 'express', locale: 'en', city: 'Nantes' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string };
}
async function pay(orderId: string) {
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
}
const status = async (token: string) => (await sys.api(`/api/concierge/status/${token}`)).body;

test('the domain is taken between check and purchase: the customer picks another name and the order resumes', async () => {
  const o = await orderAndPay('garage-martin-nantes.fr', 'taken-late@example.org');
  // someone else registers the name before our purchase
  sys.sandbox!.registry.register('garage-martin-nantes.fr', 1);
  await pay(o.orderId);
  const waiting = await eventually(async () => {
    const s = await status(o.trackingToken);
    return s.state === 'domain_unavailable' ? s : undefined;
  }, 15_000);
  assert.ok(waiting.alternatives.length >= 1);
  const mail = await eventually(async () =>
    sys.sandbox!.smtp.messages().find((m) => m.to.includes('taken-late@example.org') && /no longer available/.test(m.subject)),
  );
  assert.ok(mail.text.includes(waiting.alternatives[0].domain));
  assert.ok(mail.text.includes(`/track/${o.trackingToken}`));

  const refused = await sys.api(`/api/concierge/status/${o.trackingToken}/domain`, { body: { domain: 'not-offered.fr' } });
  assert.equal(refused.status, 422);
  const choice = waiting.alternatives[0].domain;
  const ok = await sys.api(`/api/concierge/status/${o.trackingToken}/domain`, { body: { domain: choice } });
  assert.equal(ok.status, 200);
  const done = await eventually(async () => {
    const s = await status(o.trackingToken);
    return s.state === 'delivered' ? s : undefined;
  }, 20_000);
  assert.equal(done.domain, choice);
  assert.ok(done.timeline.some((e: { type: string }) => e.type === 'domain_changed'));
  assert.equal(sys.sandbox!.registry.all().filter((r) => r.domain === choice).length, 1);
});

test('a step that keeps failing: the order is refunded through the payment provider, once, and the customer told', async () => {
  const email = 'refund-me@example.org';
  const o = await orderAndPay('garage-martin-refund.fr', email);
  // the host is down for good
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  try {
    await pay(o.orderId);
    const refunded = await eventually(async () => {
      const s = await status(o.trackingToken);
      return s.state === 'refunded' ? s : undefined;
    }, 20_000);
    const types = refunded.timeline.map((e: { type: string }) => e.type);
    assert.ok(types.includes('step_retry'));
    assert.ok(types.includes('order_failed'));
    assert.ok(types.includes('refunded'));
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
  const order = await sys.db.selectFrom('orders').selectAll().where('id', '=', o.orderId).executeTakeFirstOrThrow();
  assert.ok(order.refund_id);
  const refundEvents = () =>
    sys.sandbox!.stripe.events().filter((e) => e.event.type === 'charge.refunded' && JSON.stringify(e.event.data).includes(order.payment_ref!));
  await eventually(async () => refundEvents().length === 1);
  await eventually(async () => sys.sandbox!.smtp.messages().some((m) => m.to.includes(email) && /^Order refunded/.test(m.subject)));

  // the refund job runs again (a retry, a duplicate): no second refund, no second email
  await sys.db.updateTable('orders').set({ state: 'refunding' }).where('id', '=', o.orderId).execute();
  await refundOrder(sys.deps, o.orderId);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(refundEvents().length, 1);
  assert.equal(sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email) && /^Order refunded/.test(m.subject)).length, 1);
});

test('the sweeper re-enqueues an order whose job went missing', async () => {
  await sys.worker!.stop(); // nobody works for a moment
  const o = await orderAndPay('garage-martin-sweep.fr', 'sweep@example.org');
  await pay(o.orderId);
  const webhook = await eventually(async () => {
    const rows = await sys.db.selectFrom('webhook_events').select(['id', 'payload']).where('type', '=', 'checkout.session.completed').execute();
    const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
    return rows.find((r) => JSON.stringify(r.payload).includes(link.provider_ref!));
  });
  await processWebhookEvent(sys.deps, webhook.id);
  assert.equal((await status(o.trackingToken)).state, 'paid');
  // the step's job is lost (deleted by hand, a bad restore...)
  await sql`delete from graphile_worker._private_jobs where key like ${`step:${o.orderId}:%`}`.execute(sys.db);
  await sys.db
    .updateTable('orders')
    .set({ updated_at: new Date(Date.now() - 60_000) })
    .where('id', '=', o.orderId)
    .execute();
  const result = await sweep(sys.deps);
  assert.ok(result.requeued.includes(o.orderId));
  const worker = await startWorker(sys.deps, sys.pool, { concurrency: 5 });
  try {
    const done = await eventually(async () => {
      const s = await status(o.trackingToken);
      return s.state === 'delivered' ? s : undefined;
    }, 20_000);
    assert.ok(done.timeline.some((e: { type: string }) => e.type === 'step_requeued'));
  } finally {
    await worker.stop();
  }
});

test('compensation: a refunded order that had a site gets it removed from the host', async (t) => {
  const worker = await startWorker(sys.deps, sys.pool, { concurrency: 5 }); // the sweeper test stopped the system's worker
  t.after(() => worker.stop());
  const d = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 30 } });
  assert.equal(d.body.state, 'delivered');
  const order = await sys.db.selectFrom('orders').selectAll().where('id', '=', d.body.orderId).executeTakeFirstOrThrow();
  assert.ok(sys.sandbox!.netlify.sites().some((s) => s.id === order.site_id));
  // as if a late failure had moved it to refunding
  await sys.db.updateTable('orders').set({ state: 'refunding', failure_code: 'verify_site:verification_failed' }).where('id', '=', order.id).execute();
  await refundOrder(sys.deps, order.id);
  assert.ok(!sys.sandbox!.netlify.sites().some((s) => s.id === order.site_id), 'the site is gone');
  const after = await sys.db.selectFrom('orders').select(['state', 'refund_id']).where('id', '=', order.id).executeTakeFirstOrThrow();
  assert.equal(after.state, 'refunded');
  assert.ok(after.refund_id);
  const steps = await sys.db.selectFrom('order_steps').select(['step', 'state']).where('order_id', '=', order.id).execute();
  assert.equal(steps.find((s) => s.step === 'create_site')?.state, 'compensated');
});
