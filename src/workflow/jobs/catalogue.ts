// Every graphile-worker task, declared once: its payload (zod), job key, queue, priority, attempts and retry policy.
// Producers queue through src/workflow/jobs/enqueue.ts (TypeScript) or enqueue_job (SQL, from the job_catalogue table
// written from this list at every start); handlers are wrapped by src/workflow/jobs/run.ts, which applies the policy.
import { z } from 'zod';
import { STEP_NAMES } from '../../domain/steps.ts';
import type { JobPolicy, RetryPolicy } from './retry.ts';

/** graphile-worker runs lower numbers first. */
export const PRIORITY = {
  /** a verified payment webhook starts an order (and its deadline), and its customer is often waiting on the return page */
  webhook: -10,
  /** express orders' steps, emails, alerts and their webhooks (an overloaded queue is when a deadline at risk must be told) */
  normal: 0,
  /** standard orders' steps come after express ones */
  standard: 10,
  /** site checks, domain lookups and reports: watching never delays what it watches */
  background: 20,
} as const;

/** Runs a recurring or fire-and-forget job may take before graphile-worker gives up on it (a worker dying mid-run each time). */
const RECURRING_RUNS = 1000;
const ONCE_RUNS = 25;

const id = z.guid();
/** a deploy a renewal job started: the host's id and when it started (ms since epoch) */
const graceDeploy = z.object({ id: z.string().min(1), since: z.number().int() });
const retry = (quick: number, slow: number): RetryPolicy => ({ kind: 'retry', quick, slow });

/** The placeholders of a key template: 'step:{orderId}:{step}' → 'orderId' | 'step'. */
type Placeholders<T extends string> = T extends `${string}{${infer F}}${infer Rest}` ? F | Placeholders<Rest> : never;
/** A template whose placeholders are all fields of the payload. */
type TemplateOf<T extends string, P> = Placeholders<T> extends keyof P & string ? T : `unknown field: ${Exclude<Placeholders<T>, keyof P & string>}`;

export interface TaskDefinition<S extends z.ZodObject = z.ZodObject> {
  payload: S;
  /** the job key, '{field}' standing for the payload's field: one job per key at a time (a second enqueue meets the first) */
  key: string;
  /** graphile-worker's named queue, if any: its jobs run one at a time, in order */
  queue?: string;
  priority: number;
  policy: JobPolicy;
}

function task<S extends z.ZodObject, K extends string, Q extends string = never>(def: {
  payload: S;
  key: K & TemplateOf<K, z.output<S>>;
  queue?: Q & TemplateOf<Q, z.output<S>>;
  priority?: number;
  policy: JobPolicy;
}): TaskDefinition<S> {
  return { priority: PRIORITY.normal, ...def };
}

export const catalogue = {
  // the pipeline: one job per order and step (src/workflow/step-runner.ts); a step's own failures follow its policy in
  // src/workflow/pipeline.ts, this one covers a run that fails outside the step (the database lost). Express runs at
  // PRIORITY.normal (src/workflow/schedule.ts).
  run_step: task({
    payload: z.object({ orderId: id, step: z.enum(STEP_NAMES) }),
    key: 'step:{orderId}:{step}',
    priority: PRIORITY.standard,
    policy: retry(0, 25),
  }),
  // a payment's processing (a PayPal capture among it) rides out a provider's blips at the pipeline's pace, then an outage
  process_webhook: task({ payload: z.object({ id: z.string().regex(/^\d+$/) }), key: 'webhook:{id}', priority: PRIORITY.webhook, policy: retry(8, 17) }),
  capture_paypal: task({ payload: z.object({ orderId: id, paypalOrderId: z.string().min(1) }), key: 'capture:{paypalOrderId}', policy: retry(8, 17) }),
  create_payment_link: task({
    payload: z.object({ orderId: id, seq: z.number().int().min(1) }),
    key: 'payment-link-create:{orderId}:{seq}',
    policy: retry(0, 20),
  }),
  check_payment_link: task({ payload: z.object({ linkId: id }), key: 'payment-link:{linkId}', policy: retry(0, 25) }),
  refund_payment: task({
    payload: z.object({
      orderId: id,
      provider: z.enum(['stripe', 'paypal']),
      paymentRef: z.string().min(1),
      amountCents: z.number().int(),
      currency: z.string().length(3).optional(),
    }),
    key: 'refund-payment:{paymentRef}',
    policy: retry(0, 25),
  }),
  // a refund first rides out a provider's blip at the pipeline's pace, then an outage (or credentials to fix) for days
  refund_order: task({ payload: z.object({ orderId: id }), key: 'refund:{orderId}', policy: retry(12, 25) }),
  // an operator's refund or a consumer's withdrawal, and its credit note (src/billing/refunds.ts)
  refund_part: task({ payload: z.object({ refundId: id }), key: 'refund-part:{refundId}', policy: retry(12, 25) }),
  remove_unrecorded_site: task({ payload: z.object({ orderId: id }), key: 'site-cleanup:{orderId}', policy: retry(0, 25) }),
  // the search for other names tried again when no source could answer (src/workflow/failure.ts bounds the tries itself)
  offer_other_names: task({ payload: z.object({ orderId: id, attempt: z.number().int().min(1) }), key: 'offer-names:{orderId}', policy: retry(0, 25) }),
  domain_choice_timeout: task({ payload: z.object({ orderId: id, domain: z.string().min(1) }), key: 'domain-choice:{orderId}', policy: retry(0, 25) }),
  // emails: the SMTP server's blips at the pipeline's pace, then its outages (the sweeper sends them as soon as it answers)
  send_email: task({ payload: z.object({ emailId: id }), key: 'email:{emailId}', policy: retry(12, 12) }),
  // an invoice's or credit note's PDF, then its email: seconds of CPU each, so after everything an order waits for, one
  // at a time (its own queue), never on the payment's transaction (src/billing/issue.ts)
  render_document: task({
    payload: z.object({ invoiceId: id }),
    key: 'document:{invoiceId}',
    queue: 'documents',
    priority: PRIORITY.background,
    policy: retry(2, 10),
  }),
  // publishing from the editor after delivery: one order's publishes one at a time, a newer request replacing a waiting one
  // (a run that started a deploy comes back with it in `deploy` to read its state, holding no worker meanwhile)
  publish_site: task({
    payload: z.object({
      orderId: id,
      deploy: z
        .object({
          id: z.string().min(1),
          version: z.number().int(),
          since: z.number(),
          uploaded: z.number().int(),
          files: z.number().int(),
          /** deploys of this publish the host failed so far */
          rejected: z.number().int().default(0),
        })
        .optional(),
    }),
    key: 'site-publish:{orderId}',
    queue: 'site:{orderId}',
    policy: retry(0, 6),
  }),
  verify_publish: task({
    payload: z.object({ orderId: id, version: z.number().int(), uploaded: z.number().int(), files: z.number().int(), deployedAt: z.iso.datetime() }),
    key: 'site-verify:{orderId}',
    policy: retry(0, 6),
  }),
  // a sign-in link to the customer's space, for an address that has orders (src/account/sessions.ts); the key is a
  // digest of the address, so a second request while one waits adds nothing
  account_sign_in: task({
    payload: z.object({ email: z.email().max(254), addressKey: z.string().regex(/^[0-9a-f]{32}$/) }),
    key: 'account-sign-in:{addressKey}',
    policy: retry(0, 5),
  }),
  sweep: task({ payload: z.object({}), key: 'sweeper', policy: { kind: 'recurring', everySeconds: (c) => c.SWEEP_SECONDS } }),
  // "Are you satisfied?" asked again, once, of the customers still silent (src/workflow/satisfaction.ts)
  satisfaction_reminders: task({
    payload: z.object({}),
    key: 'satisfaction-reminders',
    priority: PRIORITY.background,
    policy: { kind: 'recurring', everySeconds: (c) => c.SATISFACTION_REMINDER_SCAN_SECONDS },
  }),
  // personal data past its retention period: unpaid orders' erased, old opt-outs dropped (src/legal/erasure.ts)
  erase_expired_data: task({
    payload: z.object({}),
    key: 'erase-expired-data',
    priority: PRIORITY.background,
    policy: { kind: 'recurring', everySeconds: (c) => c.RETENTION_SCAN_SECONDS },
  }),
  // monitoring (src/monitoring/jobs.ts)
  evaluate_alerts: task({ payload: z.object({}), key: 'alerts', policy: { kind: 'recurring', everySeconds: (c) => c.ALERT_EVALUATE_SECONDS } }),
  alert_webhook: task({ payload: z.object({ notificationId: z.string().regex(/^\d+$/) }), key: 'alert-webhook:{notificationId}', policy: retry(0, 8) }),
  schedule_site_checks: task({
    payload: z.object({}),
    key: 'site-checks',
    priority: PRIORITY.background,
    policy: { kind: 'recurring', everySeconds: (c) => c.MONITOR_TICK_SECONDS },
  }),
  // a batch's job must end: a failed one would keep its key and block its slot (the next round hands the batch out again)
  check_sites: task({
    payload: z.object({ batch: z.number().int().min(0) }),
    key: 'check-sites:{batch}',
    priority: PRIORITY.background,
    policy: { kind: 'once' },
  }),
  check_domains: task({ payload: z.object({}), key: 'domain-checks', priority: PRIORITY.background, policy: { kind: 'once' } }),
  // renewals (src/workflow/renewals): the scan, then one job per attempt and step, each keyed so it runs once at a time;
  // a renewal of a paid order is as urgent as a purchase
  renewal_scan: task({
    payload: z.object({}),
    key: 'renewal-scan',
    priority: PRIORITY.background,
    policy: { kind: 'recurring', everySeconds: (c) => c.RENEWAL_SCAN_SECONDS },
  }),
  renewal_setup: task({ payload: z.object({ orderId: id }), key: 'renewal-setup:{orderId}', priority: PRIORITY.background, policy: retry(0, 25) }),
  // the customer withdrew their consent to automatic renewal: the saved method is deleted at the provider
  renewal_forget: task({ payload: z.object({ orderId: id }), key: 'renewal-forget:{orderId}', priority: PRIORITY.background, policy: retry(12, 25) }),
  renewal_charge: task({ payload: z.object({ attemptId: id }), key: 'renewal-charge:{attemptId}', policy: retry(12, 25) }),
  renewal_link: task({
    payload: z.object({ attemptId: id, seq: z.number().int().min(1) }),
    key: 'renewal-link:{attemptId}:{seq}',
    policy: retry(12, 25),
  }),
  renewal_register: task({ payload: z.object({ attemptId: id }), key: 'renewal-register:{attemptId}', policy: retry(12, 25) }),
  // `deploy`: the deploy a run started, looked at again by the next (the host's processing never holds a worker)
  renewal_grace: task({ payload: z.object({ orderId: id, deploy: graceDeploy.optional() }), key: 'renewal-grace:{orderId}', policy: retry(12, 25) }),
  renewal_restore: task({ payload: z.object({ orderId: id, deploy: graceDeploy.optional() }), key: 'renewal-restore:{orderId}', policy: retry(12, 25) }),
  renewal_lost: task({ payload: z.object({ orderId: id }), key: 'renewal-lost:{orderId}', policy: retry(12, 25) }),
  // a renewal paid for a name that had left us goes back (src/workflow/renewals/departed.ts)
  renewal_refund: task({ payload: z.object({ attemptId: id }), key: 'renewal-refund:{attemptId}', policy: retry(12, 25) }),
  daily_report: task({ payload: z.object({ day: z.iso.date() }), key: 'daily-report:{day}', priority: PRIORITY.background, policy: retry(0, 10) }),
};

export type TaskName = keyof typeof catalogue;
/** A task's payload as its producers write it. */
export type Payload<K extends TaskName> = z.output<(typeof catalogue)[K]['payload']>;

export const TASK_NAMES = Object.keys(catalogue) as TaskName[];

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(catalogue, name);
}

/** How many runs graphile-worker allows a task's job: its policy's tries, or a guard against a worker dying mid-run. */
export function maxAttemptsOf(task: TaskName): number {
  const { policy } = catalogue[task];
  if (policy.kind === 'recurring') return RECURRING_RUNS;
  if (policy.kind === 'once') return ONCE_RUNS;
  if (policy.quick === 'STEP_MAX_ATTEMPTS') throw new Error(`${task}: a task's attempts are a number`);
  return policy.quick + policy.slow;
}

/** The catalogue as the job_catalogue table holds it (migration 012), for the SQL that queues and finds jobs. */
export function catalogueRows(): { task: TaskName; key_template: string; queue_template: string | null; max_attempts: number; priority: number }[] {
  return TASK_NAMES.map((task) => {
    const def: TaskDefinition = catalogue[task];
    return { task, key_template: def.key, queue_template: def.queue ?? null, max_attempts: maxAttemptsOf(task), priority: def.priority };
  });
}

declare global {
  namespace GraphileWorker {
    // graphile-worker types addJob and task handlers from this interface
    interface Tasks extends CataloguePayloads {}
  }
}
type CataloguePayloads = { [K in TaskName]: z.input<(typeof catalogue)[K]['payload']> };
