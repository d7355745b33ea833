// A paid order whose purchase our shared registrar budget holds back: the step retries when the budget allows, and its next run
// buys without first asking the registrar whether an earlier try bought the name (none was sent), so a spent budget
// does not cost a domains.getInfo per wait. A run that may have sent the purchase still looks first (lost-answers,
// sigkill tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ NAMECHEAP_BUDGET: '10/min,700/h,8000/d', RETRY_BASE_MS: '100', RETRY_MAX_MS: '400' });
});
after(async () => sys?.stop());

test('a purchase held back by our budget waits, then buys once, without a look for an earlier purchase', { timeout: 90_000 }, async () => {
  const placed = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Patient',
      email: 'patient@example.org',
      domain: 'atelier-patient.fr',
      tier: 'express',
      locale: 'fr',
      paymentProvider: 'stripe',
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.orderId as string;
  const link = await eventually(
    () => sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).where('provider_ref', 'is not', null).executeTakeFirst(),
    15_000,
  );
  // the minute's budget spent by other calls
  for (let i = 0; i < 20; i++) {
    const refused = await sys.deps.registrar
      .at('order', 0)
      .getList(1, 10)
      .then(
        () => false,
        () => true,
      );
    if (refused) break;
  }
  sys.sandbox!.stripe.pay(link.provider_ref!);
  const waiting = await eventually(
    () =>
      sys.db
        .selectFrom('order_steps')
        .select(['output', 'last_error'])
        .where('order_id', '=', orderId)
        .where('step', '=', 'register_domain')
        .where(sql<boolean>`output->>'createNotSent' = 'true'`)
        .where('state', '=', 'waiting')
        .executeTakeFirst(),
    30_000,
  );
  assert.ok(waiting);
  // the minute over: the budget free again, and the step's return brought forward to now
  await sql`delete from registrar_calls; update registrar_budget set throttled_until = null, throttles = 0, wanted_until = array[null, null, null, null]::timestamptz[]`.execute(
    sys.db,
  );
  // (the step's return is re-queued just after its wait is written: brought forward until it has run)
  await eventually(
    async () => {
      await sql`update graphile_worker._private_jobs set run_at = now() where payload->>'orderId' = ${orderId} and run_at > now()`.execute(sys.db);
      return (await sys.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow()).state === 'delivered';
    },
    45_000,
    200,
  );
  const calls = await sys.db.selectFrom('provider_calls').select('operation').where('order_id', '=', orderId).where('provider', '=', 'namecheap').execute();
  const ops = calls.map((c) => c.operation);
  assert.equal(ops.filter((o) => o === 'domains.create').length, 1, ops.join(', '));
  assert.equal(ops.filter((o) => o === 'domains.getInfo').length, 0, `no look for an earlier purchase: ${ops.join(', ')}`);
  assert.equal(sys.sandbox!.registry.all().filter((r) => r.domain === 'atelier-patient.fr').length, 1);
});
