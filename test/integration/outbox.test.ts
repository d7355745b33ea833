// The email outbox: a crash between the commit and the send loses nothing; a retried send sends nothing twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { startWorker } from '../../src/workflow/runner.ts';
import { queueEmail, sendQueuedEmail } from '../../src/emails/outbox.ts';
import { addJob } from '../../src/db/database.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  // the API alone: emails are committed to the outbox but no worker sends them, as if the process died right after the commit
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

const body = (email: string, domain: string) => ({
  holder: HOLDER,
  acceptTerms: true,
  earlyStart: true,
  businessName: 'Atelier Martin',
  email,
  domain,
  tier: 'standard',
  locale: 'en',
});

test('an email committed before a crash is sent once when a worker comes back, and a retried send sends nothing twice', async () => {
  const r = await sys.api('/api/request-concierge-service', { body: body('crash@example.org', 'atelier-crash.fr') });
  assert.equal(r.status, 201);
  const rows = await sys.db.selectFrom('outbox_emails').selectAll().where('order_id', '=', r.body.orderId).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.state, 'pending');
  assert.equal(sys.sandbox!.smtp.messages().length, 0, 'nothing sent without a worker');

  const worker = await startWorker(sys.deps, sys.pool, { concurrency: 2 });
  try {
    await eventually(async () => sys.sandbox!.smtp.messages().length === 1);
    // the row is marked just after the SMTP server took the message
    const sent = await eventually(async () => {
      const row = await sys.db.selectFrom('outbox_emails').selectAll().where('id', '=', rows[0]!.id).executeTakeFirstOrThrow();
      return row.state === 'sent' ? row : undefined;
    });
    assert.ok(sent.sent_at);

    // the job runs again (a retry after a lost acknowledgement): nothing is sent twice
    assert.equal(await sendQueuedEmail(sys.deps, rows[0]!.id), 'already_sent');
    await addJob(sys.db, 'send_email', { emailId: rows[0]!.id });
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(sys.sandbox!.smtp.messages().length, 1);
    assert.equal(sys.sandbox!.smtp.messages()[0]!.messageId, sent.message_id);
  } finally {
    await worker.stop();
  }
});

test('queueing the same purpose twice keeps one email', async () => {
  const rendered = { subject: 's', text: 't', html: '<p>h</p>' };
  const a = await queueEmail(sys.db, { orderId: null, kind: 'test', dedupeKey: 'test:once', to: 'once@example.org', locale: 'en', rendered });
  const b = await queueEmail(sys.db, { orderId: null, kind: 'test', dedupeKey: 'test:once', to: 'once@example.org', locale: 'en', rendered });
  assert.ok(a);
  assert.equal(b, undefined);
  const rows = await sys.db.selectFrom('outbox_emails').select('id').where('dedupe_key', '=', 'test:once').execute();
  assert.equal(rows.length, 1);
});

test('an SMTP failure keeps the email and a later attempt delivers it', async () => {
  sys.sandbox!.smtp.clear();
  const r = await sys.api('/api/request-concierge-service', { body: body('smtp-down@example.org', 'atelier-smtp.fr') });
  const row = await sys.db.selectFrom('outbox_emails').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.smtp.faults.set({ errorRate: 1 });
  await assert.rejects(sendQueuedEmail(sys.deps, row.id));
  const failed = await sys.db.selectFrom('outbox_emails').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.equal(failed.state, 'failed');
  assert.ok(failed.last_error);
  sys.sandbox!.smtp.faults.reset();
  assert.equal(await sendQueuedEmail(sys.deps, row.id), 'sent');
  assert.equal(await sendQueuedEmail(sys.deps, row.id), 'already_sent');
  assert.equal(sys.sandbox!.smtp.messages().filter((m) => m.to.includes('smtp-down@example.org')).length, 1);
});

test('two runs of one send at once (a worker taken for dead while it sent): the timeline says it once, and the send is a provider call like any other', async () => {
  const r = await sys.api('/api/request-concierge-service', { body: body('twice@example.org', 'atelier-twice.fr') });
  assert.equal(r.status, 201);
  const email = await sys.db.selectFrom('outbox_emails').select('id').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  // both claim the row before either has marked it sent
  await sys.db.updateTable('outbox_emails').set({ state: 'sending' }).where('id', '=', email.id).execute();
  const outcomes = await Promise.all([sendQueuedEmail(sys.deps, email.id), sendQueuedEmail(sys.deps, email.id)]);
  assert.ok(outcomes.includes('sent'));
  const events = await sys.db.selectFrom('order_events').select('type').where('order_id', '=', r.body.orderId).where('type', '=', 'email_sent').execute();
  assert.equal(events.length, 1);
  const calls = await sys.db
    .selectFrom('provider_calls')
    .select(['provider', 'operation', 'outcome'])
    .where('order_id', '=', r.body.orderId)
    .where('provider', '=', 'smtp')
    .execute();
  assert.ok(calls.length >= 1 && calls.every((c) => c.operation === 'send' && c.outcome === 'ok'), JSON.stringify(calls));
});
