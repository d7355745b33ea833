// The job catalogue on the real database and a real worker: SQL and TypeScript queue a task the same way, and every job
// follows one retry model (graphile-worker counts the runs, the policy times the next, the last failure stays for an
// operator), the sweeper deciding from the failures noted, never from error text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { jobSamples } from '../support/job-samples.ts';
import { addJob } from '../../src/db/database.ts';
import { catalogueRows, TASK_NAMES } from '../../src/workflow/jobs/catalogue.ts';
import { enqueue, keyOf } from '../../src/workflow/jobs/enqueue.ts';
import { sweep } from '../../src/workflow/recovery.ts';
import { Circuits } from '../../src/providers/circuit.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '50', RETRY_MAX_MS: '100', SWEEP_SECONDS: '3600' });
});
after(async () => sys?.stop());

type JobRow = {
  id: string;
  task: string;
  key: string;
  queue: string | null;
  max_attempts: number;
  attempts: number;
  priority: number;
  last_error: string | null;
};
const job = async (key: string) =>
  (
    await sql<JobRow>`select id::text, task_identifier as task, key, queue_name as queue, max_attempts, attempts, priority, last_error
      from graphile_worker.jobs where key = ${key}`.execute(sys.db)
  ).rows[0];
const note = async (id: string) =>
  (
    await sql<{ code: string; retryable: boolean; message: string }>`select code, retryable, message from job_failures where job_id = ${id}::bigint`.execute(
      sys.db,
    )
  ).rows[0];
const later = () => new Date(Date.now() + 3_600_000);

test('job_catalogue holds the catalogue of the code running, as migrate wrote it', async () => {
  const { rows } = await sql<
    Record<string, unknown>
  >`select task, key_template, queue_template, max_attempts, priority from job_catalogue order by task`.execute(sys.db);
  assert.deepEqual(
    rows,
    [...catalogueRows()].sort((a, b) => a.task.localeCompare(b.task)),
  );
});

test('SQL and TypeScript queue every task alike: same key, attempts, priority and queue', async () => {
  for (const task of TASK_NAMES) {
    const sample = jobSamples[task];
    const key = keyOf(task, sample);
    const { rows } = await sql<{ key: string }>`select job_key(${task}, ${JSON.stringify(sample)}::jsonb) as key`.execute(sys.db);
    assert.equal(rows[0]!.key, key, task);
    // queued from SQL, far enough ahead that no worker takes it
    await sql`select enqueue_job(${task}, ${JSON.stringify(sample)}::jsonb, ${later()})`.execute(sys.db);
    const fromSql = await job(key);
    await sql`select graphile_worker.remove_job(${key})`.execute(sys.db);
    await enqueue(sys.db, task, sample, { runAt: later() });
    const fromTs = await job(key);
    await sql`select graphile_worker.remove_job(${key})`.execute(sys.db);
    assert.ok(fromSql && fromTs, task);
    const { id: _a, ...a } = fromSql;
    const { id: _b, ...b } = fromTs;
    assert.deepEqual(a, b, task);
  }
  await assert.rejects(sql`select enqueue_job('make_coffee', '{}'::jsonb)`.execute(sys.db), /make_coffee is not in the job catalogue/);
  await assert.rejects(sql`select job_key('send_email', '{}'::jsonb)`.execute(sys.db), /the payload has no emailId/);
});

async function outboxEmail(to: string): Promise<string> {
  const id = crypto.randomUUID();
  await sys.db
    .insertInto('outbox_emails')
    .values({
      id,
      order_id: null,
      dedupe_key: `jobs-test:${id}`,
      kind: 'test',
      to_address: to,
      locale: 'en',
      subject: 'a test',
      text_body: 't',
      html_body: '<p>t</p>',
      message_id: `<${id}@conciergerie.example>`,
    })
    .execute();
  return id;
}

test("a failing job comes back on its policy's schedule with its runs counted; the last failure leaves it failed, in place, for an operator", async () => {
  sys.deps.circuits = new Circuits({ failureThreshold: 100, coolDownMs: 1000 });
  sys.sandbox!.smtp.faults.set({ errorRate: 1 });
  try {
    const emailId = await outboxEmail('retried@example.org');
    const key = keyOf('send_email', { emailId });
    await addJob(sys.db, 'send_email', { emailId }, { jobKey: key, maxAttempts: 3 });
    const failed = await eventually(async () => {
      const j = await job(key);
      return j && j.attempts >= j.max_attempts && j.last_error ? j : undefined;
    }, 15_000);
    assert.equal(failed.attempts, 3);
    assert.match(failed.last_error!, /smtp: temporary/);
    const email = await sys.db.selectFrom('outbox_emails').select(['attempts', 'state']).where('id', '=', emailId).executeTakeFirstOrThrow();
    assert.deepEqual(email, { attempts: 3, state: 'failed' }, 'three tries in all, none more');
    // the failure its last retry followed is noted as the provider's own
    const noted = await note(failed.id);
    assert.deepEqual([noted?.code, noted?.retryable], ['temporary', true]);
    assert.match(noted!.message, /^smtp: temporary/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await job(key))!.id, failed.id, 'no further copy');
  } finally {
    sys.sandbox!.smtp.faults.reset();
  }
});

test('a payload its schema refuses fails the job clearly, never reaching the handler', async () => {
  const key = 'email:not-an-email';
  await addJob(sys.db, 'send_email', { emailId: 'not-an-email' }, { jobKey: key, maxAttempts: 2 });
  const failed = await eventually(async () => {
    const j = await job(key);
    return j && j.attempts >= j.max_attempts && j.last_error ? j : undefined;
  }, 15_000);
  assert.match(failed.last_error!, /send_email: payload_invalid: .*emailId/s);
  assert.equal((await note(failed.id))?.retryable, false);
});

test('the sweeper sends at once the emails that wait after a failure of the SMTP server itself, by the failure noted, not by its text', async () => {
  const resumable = await outboxEmail('resumable@example.org');
  const refused = await outboxEmail('refused@example.org');
  const waiting = { runAt: later(), attempts: 1, maxAttempts: 24 };
  await addJob(
    sys.db,
    'send_email',
    { emailId: resumable },
    {
      ...waiting,
      jobKey: keyOf('send_email', { emailId: resumable }),
      failure: { code: 'temporary', provider: 'smtp', retryable: true, message: 'smtp: 421' },
    },
  );
  // a refusal whose words look like a server failure's
  const text = 'smtp: rejected: temporary circuit_open all_routes_failed';
  await addJob(
    sys.db,
    'send_email',
    { emailId: refused },
    { ...waiting, jobKey: keyOf('send_email', { emailId: refused }), failure: { code: 'rejected', provider: 'smtp', retryable: false, message: text } },
  );
  await sys.db
    .insertInto('provider_calls')
    .values({ order_id: null, provider: 'smtp', operation: 'send', outcome: 'ok', duration_ms: 5, at: new Date(Date.now() + 1000) })
    .execute();
  const resumed = (await job(keyOf('send_email', { emailId: resumable })))!;
  const swept = await sweep(sys.deps);
  assert.equal(swept.emailsResumed, 1);
  await eventually(
    async () => (await sys.db.selectFrom('outbox_emails').select('state').where('id', '=', resumable).executeTakeFirstOrThrow()).state === 'sent',
  );
  const left = (await job(keyOf('send_email', { emailId: refused })))!;
  assert.ok(left.attempts === 1 && (await note(left.id)), 'the refused email waits its turn');
  // the note of a job that has ended goes with a sweep; a waiting job's stays
  await eventually(async () => (await sweep(sys.deps)) && !(await note(resumed.id)));
  assert.ok(await note(left.id));
});

test('a job that must look again later (a payment link still open) comes back without a failure counted', async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Jobs',
      email: 'jobs@example.org',
      domain: 'atelier-jobs.fr',
      tier: 'standard',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').select('id').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  const key = keyOf('check_payment_link', { linkId: link.id });
  await enqueue(sys.db, 'check_payment_link', { linkId: link.id }, { mode: 'replace' });
  const again = await eventually(async () => {
    const { rows } = await sql<{ run_at: Date; attempts: number; revision: number }>`
      select run_at, attempts, revision from graphile_worker.jobs
      where key = ${key} and run_at between now() + interval '30 seconds' and now() + interval '90 seconds'`.execute(sys.db);
    return rows[0];
  }, 10_000);
  assert.equal(again.attempts, 0);
  assert.equal((await sys.db.selectFrom('payment_links').select('state').where('id', '=', link.id).executeTakeFirstOrThrow()).state, 'open');
});
