// The job catalogue and its retry model, without a database: keys made and read back, payloads checked, and when a
// failure's next try comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue, catalogueRows, isTaskName, maxAttemptsOf, TASK_NAMES } from '../../src/workflow/jobs/catalogue.ts';
import { jobSpecOf, keyFields, keyOf } from '../../src/workflow/jobs/enqueue.ts';
import { failureOf, nextTry, PayloadError, retryDelayMs, type RetryPolicy } from '../../src/workflow/jobs/retry.ts';
import { failedJob } from '../../src/monitoring/operations.ts';
import { pipeline } from '../../src/workflow/pipeline.ts';
import { STEP_NAMES } from '../../src/domain/steps.ts';
import { AppError, ProviderError } from '../../src/errors.ts';
import { jobSamples } from '../support/job-samples.ts';

const config = { STEP_MAX_ATTEMPTS: 12, RETRY_BASE_MS: 1000, RETRY_MAX_MS: 60_000, WAIT_MAX_MINUTES: 120 };
const ORDER = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

test('every task has a sample payload its schema accepts, and its key is made from it and read back from it', () => {
  assert.deepEqual(Object.keys(jobSamples).sort(), [...TASK_NAMES].sort(), 'one sample per task');
  for (const task of TASK_NAMES) {
    const sample = jobSamples[task];
    assert.ok(catalogue[task].payload.safeParse(sample).success, task);
    const key = keyOf(task, sample);
    assert.ok(!key.includes('{'), `${task}: ${key}`);
    const fields = keyFields(task, key);
    assert.ok(fields, `${task}: ${key} reads back`);
    for (const [field, value] of Object.entries(fields)) assert.equal(value, String((sample as Record<string, unknown>)[field]), `${task}.${field}`);
  }
});

test('the catalogue as SQL reads it: one row per task, attempts from its policy', () => {
  const rows = catalogueRows();
  assert.deepEqual(
    rows.map((r) => r.task),
    TASK_NAMES,
  );
  const by = Object.fromEntries(rows.map((r) => [r.task, r]));
  // the attempts of each job as they were before the one retry model: a quick phase and graphile-worker's own
  assert.equal(by.send_email!.max_attempts, 12 + 12);
  assert.equal(by.refund_order!.max_attempts, 12 + 25);
  assert.equal(by.run_step!.max_attempts, 25);
  assert.equal(by.process_webhook!.max_attempts, 25);
  assert.equal(by.create_payment_link!.max_attempts, 20);
  assert.equal(by.publish_site!.max_attempts, 6);
  assert.equal(by.alert_webhook!.max_attempts, 8);
  assert.equal(by.daily_report!.max_attempts, 10);
  assert.equal(by.sweep!.max_attempts, 1000);
  assert.equal(by.process_webhook!.priority < by.run_step!.priority, true, 'a webhook before any step');
  assert.equal(by.publish_site!.queue_template, 'site:{orderId}');
  assert.equal(maxAttemptsOf('check_sites'), 25);
  assert.ok(isTaskName('send_email') && !isTaskName('noop') && !isTaskName('toString'));
});

test('a payload that does not match its schema is refused before anything is queued', () => {
  assert.throws(() => jobSpecOf('refund_order', { orderId: 'not-an-order' }), PayloadError);
  // @ts-expect-error: a step that is not one
  assert.throws(() => jobSpecOf('run_step', { orderId: ORDER, step: 'make_coffee' }), /run_step: payload_invalid/);
  const spec = jobSpecOf('run_step', { orderId: ORDER, step: 'deploy_site' }, { priority: 0, mode: 'replace' });
  assert.deepEqual(
    { key: spec.job_key, max: spec.max_attempts, priority: spec.priority, mode: spec.job_key_mode },
    { key: `step:${ORDER}:deploy_site`, max: 25, priority: 0, mode: 'replace' },
  );
});

test("a failed job's order is read from its key, whatever the task's key shape", () => {
  const row = (task: string, key: string | null) =>
    failedJob({ id: '1', task, key, attempts: 3, max_attempts: 3, last_error: 'x', updated_at: new Date(), created_at: new Date() }).orderId;
  assert.equal(row('run_step', `step:${ORDER}:create_site`), ORDER);
  assert.equal(row('refund_order', `refund:${ORDER}`), ORDER);
  assert.equal(row('publish_site', `site-publish:${ORDER}`), ORDER);
  assert.equal(row('create_payment_link', `payment-link-create:${ORDER}:2`), ORDER);
  assert.equal(row('remove_unrecorded_site', `site-cleanup:${ORDER}`), ORDER);
  assert.equal(row('refund_order', 'refund:broken'), null, 'not an order id');
  assert.equal(row('send_email', `email:${ORDER}`), null, 'an email key names an email');
  assert.equal(row('run_step', null), null);
  assert.equal(row('noop', `step:${ORDER}:create_site`), null, 'a task outside the catalogue');
});

test('the pipeline names every step once, in order, and each has a retry policy', () => {
  assert.deepEqual(
    pipeline.map((p) => p.step.name),
    [...STEP_NAMES],
  );
  for (const p of pipeline) assert.equal(p.retry.kind, 'retry');
});

const transient = failureOf(new ProviderError('smtp', 'temporary', 'no answer', true));
const refused = failureOf(new ProviderError('stripe', 'authentication_failed', 'bad key', false));
const slowDown = failureOf(new ProviderError('netlify', 'rate_limited', 'slow down', true, 20_000));
const EMAIL: RetryPolicy = catalogue.send_email.policy as RetryPolicy;
const STEP: RetryPolicy = pipeline[0]!.retry;
const none = () => 0;

test('failures are classified: a provider says whether a retry may cure it; our own refusals and bad payloads never', () => {
  assert.deepEqual([transient.permanent, refused.permanent, slowDown.rateLimited, slowDown.retryAfterMs], [false, true, true, 20_000]);
  assert.equal(failureOf(new AppError('order_not_found', 404)).permanent, true);
  assert.equal(failureOf(new PayloadError('send_email', 'emailId: required')).code, 'payload_invalid');
  const unexpected = failureOf(new Error('connection terminated'));
  assert.deepEqual([unexpected.code, unexpected.permanent, unexpected.provider], ['unexpected_error', false, null]);
});

test('the quick failures come at the pipeline pace, the later ones as graphile-worker spaces them, never before Retry-After', () => {
  const delays = Array.from({ length: 24 }, (_, i) => retryDelayMs(EMAIL, config, i + 1, 0, () => 1));
  assert.deepEqual(delays.slice(0, 8), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  assert.equal(delays[11], 60_000, 'the twelfth still at the pipeline pace');
  assert.deepEqual(delays.slice(12, 15), [Math.round(Math.E * 1000), Math.round(Math.E ** 2 * 1000), Math.round(Math.E ** 3 * 1000)]);
  assert.equal(delays[23], Math.round(Math.E ** 10 * 1000), 'at most e^10 s');
  assert.equal(retryDelayMs(EMAIL, config, 1, 45_000, none), 45_000, 'Retry-After');
  // a task with no quick phase starts where graphile-worker would
  assert.equal(retryDelayMs(catalogue.refund_payment.policy as RetryPolicy, config, 1, 0, none), Math.round(Math.E * 1000));
  // a payment's processing: its first eight failures at the pipeline pace, then graphile-worker's spacing
  const webhook = (n: number) => retryDelayMs(catalogue.process_webhook.policy as RetryPolicy, config, n, 0, () => 1);
  assert.deepEqual([1, 4, 8, 9].map(webhook), [1000, 8000, 60_000, Math.round(Math.E * 1000)]);
});

test('a job retries until its attempts are used, whatever the failure; a step stops at once on a refusal', () => {
  const at = (failuresBefore: number, attempts: number) => ({ failuresBefore, attempts });
  assert.deepEqual(nextTry(EMAIL, config, transient, at(0, 24), none), { retry: true, failures: 1, inMs: 500 });
  assert.equal(nextTry(EMAIL, config, refused, at(5, 24), none).retry, true, 'a job may outlive a cause a person fixes');
  assert.deepEqual(nextTry(EMAIL, config, transient, at(23, 24), none), { retry: false, failures: 24, permanent: false });
  assert.deepEqual(nextTry(STEP, config, refused, at(0, 12), none), { retry: false, failures: 1, permanent: true });
  assert.deepEqual(nextTry(STEP, config, transient, at(11, 12), none), { retry: false, failures: 12, permanent: false });
});

test("a step's 429 is waited out as asked without counting, until WAIT_MAX_MINUTES have passed since it started", () => {
  const started = new Date(Date.now() - 60_000);
  assert.deepEqual(nextTry(STEP, config, slowDown, { failuresBefore: 3, attempts: 12, since: started }, none), { retry: true, failures: 3, inMs: 20_000 });
  const long = new Date(Date.now() - 121 * 60_000);
  assert.deepEqual(nextTry(STEP, config, slowDown, { failuresBefore: 3, attempts: 12, since: long }, none), { retry: false, failures: 3, permanent: false });
  // a job without the rule counts a 429 like any failure
  assert.equal(nextTry(EMAIL, config, slowDown, { failuresBefore: 3, attempts: 24 }, none).failures, 4);
});
