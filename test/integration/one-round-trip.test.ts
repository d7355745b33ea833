// The one-call writes of migration 010 on the real database: a step's run opened and closed, a payment link opened,
// an email queued — each atomic, each writing nothing twice when it is repeated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { completeStep, openStepRun, type StepCompletion } from '../../src/db/steps.ts';
import { recordProviderCalls } from '../../src/db/provider-calls.ts';
import { jobSpec } from '../../src/db/database.ts';
import { statesInto, WORKING_STATES } from '../../src/domain/order-state.ts';
import { stepJob } from '../../src/workflow/schedule.ts';
import { emailRow, queueEmail } from '../../src/emails/outbox.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  // no worker: the jobs these writes enqueue stay where the test can see them
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

async function paidOrder(over: Record<string, unknown> = {}) {
  const id = crypto.randomUUID();
  await sys.db
    .insertInto('orders')
    .values({
      id,
      tracking_token: crypto.randomBytes(24).toString('base64url'),
      business_name: 'Atelier Test',
      email: 'test@example.org',
      locale: 'en',
      domain: `atelier-${id.slice(0, 8)}.fr`,
      domain_unicode: `atelier-${id.slice(0, 8)}.fr`,
      tier: 'express',
      state: 'paid',
      currency: 'EUR',
      price_items: '[]',
      total_cents: 5000,
      payment_provider: 'stripe',
      deadline_hours: 4,
      current_step: 'register_domain',
      ...over,
    })
    .execute();
  return id;
}

const events = async (orderId: string) =>
  (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute()).map((e) => e.type);
const jobs = async (key: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where key = ${key}`.execute(sys.db)).rows[0]!.n);
const order = (id: string) => sys.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const step = (id: string, name: string) => sys.db.selectFrom('order_steps').selectAll().where('order_id', '=', id).where('step', '=', name).executeTakeFirst();
const open = (orderId: string, name: string, state: 'registering_domain' | 'creating_site') =>
  openStepRun(sys.db, { orderId, step: name, workingStates: WORKING_STATES, stepState: state, movableFrom: statesInto(state) });

const completion = (orderId: string, over: Partial<StepCompletion> = {}): StepCompletion => ({
  orderId,
  step: 'register_domain',
  nextStep: 'create_site',
  replay: false,
  record: { registrar_domain_id: 'dom-1' },
  output: { registered: true },
  compensation: { domain: 'x.fr' },
  events: [{ type: 'step_done', data: { step: 'register_domain' } }],
  nextJob: stepJob({ id: orderId, tier: 'express' }, 'create_site'),
  deliveredFrom: statesInto('delivered'),
  calls: [{ order_id: orderId, provider: 'namecheap', operation: 'domains.create', outcome: 'ok', error_code: null, duration_ms: 12, at: new Date() }],
  ...over,
});

test("a step's run opens once per run: counted, the order moved to the step's state and step_started written on the first run only", async () => {
  const id = await paidOrder();
  const first = await open(id, 'register_domain', 'registering_domain');
  assert.ok(first);
  assert.equal(first.moved, true);
  assert.equal(first.progress.attempts, 1);
  assert.equal(first.order.id, id);
  assert.equal((await order(id)).state, 'registering_domain');
  const second = await open(id, 'register_domain', 'registering_domain');
  assert.equal(second!.progress.attempts, 2);
  assert.equal(second!.moved, false);
  assert.deepEqual(await events(id), ['step_started']);
  // a job for a step the order is not at changes nothing
  assert.equal(await open(id, 'create_site', 'creating_site'), undefined);
  assert.equal(await step(id, 'create_site'), undefined);
  // nor for an order no longer in a working state
  await sys.db.updateTable('orders').set({ state: 'refunding' }).where('id', '=', id).execute();
  assert.equal(await open(id, 'register_domain', 'registering_domain'), undefined);
  assert.equal((await step(id, 'register_domain'))!.attempts, 2);
});

test("a step's completion writes its result, the order's next step, the next job and its provider calls together; a duplicate adds nothing", async () => {
  const id = await paidOrder();
  await open(id, 'register_domain', 'registering_domain');
  assert.equal(await completeStep(sys.db, completion(id)), 'done');
  const o = await order(id);
  assert.equal(o.current_step, 'create_site');
  assert.equal(o.registrar_domain_id, 'dom-1');
  assert.equal(o.site_id, null, 'columns the step does not record keep their value');
  const s = await step(id, 'register_domain');
  assert.equal(s!.state, 'done');
  assert.deepEqual(s!.output, { registered: true });
  assert.deepEqual(s!.compensation, { domain: 'x.fr' });
  assert.equal(await jobs(`step:${id}:create_site`), 1);
  assert.deepEqual(await events(id), ['step_started', 'step_done']);
  const calls = await sys.db.selectFrom('provider_calls').select(['operation', 'duration_ms']).where('order_id', '=', id).execute();
  assert.deepEqual(calls, [{ operation: 'domains.create', duration_ms: 12 }]);

  // the same completion again (a duplicate job whose order has moved on): nothing twice
  assert.equal(await completeStep(sys.db, completion(id, { calls: [] })), 'left');
  assert.equal(await jobs(`step:${id}:create_site`), 1);
  assert.deepEqual(await events(id), ['step_started', 'step_done']);
  assert.equal((await order(id)).current_step, 'create_site');
});

test('a completion that fails half-way writes nothing at all', async () => {
  const id = await paidOrder();
  await open(id, 'register_domain', 'registering_domain');
  // a next job graphile-worker refuses (no identifier): the whole call is rolled back
  const bad = completion(id, { nextJob: { ...jobSpec('run_step', { orderId: id, step: 'create_site' }), identifier: null } });
  await assert.rejects(completeStep(sys.db, bad));
  const o = await order(id);
  assert.equal(o.current_step, 'register_domain');
  assert.equal(o.registrar_domain_id, null);
  assert.equal((await step(id, 'register_domain'))!.state, 'running');
  assert.deepEqual(await events(id), ['step_started']);
  assert.equal((await sys.db.selectFrom('provider_calls').select('id').where('order_id', '=', id).execute()).length, 0);
  assert.equal(await jobs(`step:${id}:create_site`), 0);
});

test('a step done while its order moved on keeps its result without moving the order', async () => {
  const id = await paidOrder();
  await open(id, 'register_domain', 'registering_domain');
  // an operator refunds the order while the step runs
  await sys.db.updateTable('orders').set({ state: 'refunding', current_step: null }).where('id', '=', id).execute();
  assert.equal(await completeStep(sys.db, completion(id)), 'left');
  const o = await order(id);
  assert.equal(o.state, 'refunding');
  assert.equal(o.current_step, null);
  assert.equal(o.registrar_domain_id, 'dom-1', 'the domain bought belongs to its order');
  assert.equal((await step(id, 'register_domain'))!.state, 'done');
  assert.deepEqual((await step(id, 'register_domain'))!.compensation, { domain: 'x.fr' });
  assert.deepEqual(await events(id), ['step_started']);
  assert.equal(await jobs(`step:${id}:create_site`), 0);
});

test('the last step delivers the order only from a state the rules allow', async () => {
  const last = (id: string) =>
    completion(id, {
      step: 'deliver',
      nextStep: null,
      nextJob: undefined,
      record: { delivered_at: new Date('2026-01-02T03:04:05Z'), report: { deadlineMet: true } },
      events: [
        { type: 'step_done', data: {} },
        { type: 'phase_done', data: { phase: 4 } },
        { type: 'delivered', data: {} },
      ],
      calls: [],
    });
  const a = await paidOrder({ state: 'verifying', current_step: 'deliver' });
  assert.equal(await completeStep(sys.db, last(a)), 'done');
  const o = await order(a);
  assert.equal(o.state, 'delivered');
  assert.equal(o.current_step, null);
  assert.equal(o.delivered_at?.toISOString(), '2026-01-02T03:04:05.000Z');
  assert.deepEqual(o.report, { deadlineMet: true });
  assert.deepEqual(await events(a), ['step_done', 'phase_done', 'delivered']);
  // an order in a state the rules do not deliver from is not delivered
  const b = await paidOrder({ state: 'securing', current_step: 'deliver' });
  await completeStep(sys.db, last(b));
  assert.equal((await order(b)).state, 'securing');
});

test('a payment link opened twice (two processes) is opened once: one event, one email, one expiry check', async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Lien',
      email: 'lien@example.org',
      domain: 'atelier-lien-deux.fr',
      tier: 'standard',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201);
  const orderId = r.body.orderId as string;
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  assert.equal(link.state, 'open');
  // a second process gets the same answer from the provider (same idempotency key) and opens the link too: the link
  // comes back as the first one opened it, and nothing is written twice
  const email = emailRow({
    orderId,
    kind: 'confirmation',
    dedupeKey: `confirmation:${orderId}:1`,
    to: 'lien@example.org',
    locale: 'en',
    rendered: { subject: 's', text: 't', html: 'h' },
  });
  const check = jobSpec('check_payment_link', { linkId: link.id }, { jobKey: `payment-link:${link.id}`, runAt: new Date(Date.now() + 3_600_000) });
  const { rows } = await sql<{ id: string; url: string; state: string }>`
    select * from open_payment_link(${link.id}, ${'cs_other'}, ${'https://other.example/'}, ${new Date()}, 'payment_link_created', '{}'::jsonb,
      ${JSON.stringify(email)}::jsonb, ${JSON.stringify(check)}::jsonb, '[]'::jsonb)`.execute(sys.db);
  assert.equal(rows[0]!.id, link.id);
  assert.equal(rows[0]!.url, link.url);
  assert.equal(rows[0]!.state, 'open');
  assert.deepEqual(await events(orderId), ['order_created', 'domain_checked', 'payment_link_created']);
  assert.equal((await sys.db.selectFrom('outbox_emails').select('id').where('order_id', '=', orderId).execute()).length, 1);
  assert.equal(await jobs(`payment-link:${link.id}`), 1);
  // the provider call is on record once
  const calls = await sys.db.selectFrom('provider_calls').select('operation').where('order_id', '=', orderId).execute();
  assert.deepEqual(calls, [{ operation: 'create_payment_link' }]);
});

test('an email queued twice for one purpose is one row and one send job; provider calls kept are written as given', async () => {
  const rendered = { subject: 's', text: 't', html: '<p>h</p>' };
  const email = { orderId: null, kind: 'test', dedupeKey: `test:${crypto.randomUUID()}`, to: 'x@example.org', locale: 'en' as const, rendered };
  const a = await queueEmail(sys.db, email);
  assert.ok(a);
  assert.equal(await queueEmail(sys.db, email), undefined);
  assert.equal(await jobs(`email:${a}`), 1);
  assert.equal(emailRow(email).message_id.endsWith('@conciergerie.example>'), true);
  const at = new Date('2026-03-04T05:06:07Z');
  await recordProviderCalls(sys.db, [
    { order_id: null, provider: 'test', operation: 'kept', outcome: 'retryable_error', error_code: 'timeout', duration_ms: 7, at },
  ]);
  const row = await sys.db.selectFrom('provider_calls').selectAll().where('operation', '=', 'kept').executeTakeFirstOrThrow();
  assert.equal(row.at.toISOString(), at.toISOString());
  assert.equal(row.error_code, 'timeout');
});
