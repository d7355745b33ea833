// The pipeline on one page: the steps from payment to a delivered site, their phase, timeout, retry policy and ETA, and
// what a failure for good does. Each step's action, compensation and recovery live together in steps/<step>.ts.
import type { StepName } from '../domain/steps.ts';
import type { RefundReason } from '../emails/refunded.ts';
import type { RetryPolicy } from './jobs/retry.ts';
import type { Step } from './step.ts';
import { registerDomain } from './steps/register-domain.ts';
import { createSite } from './steps/create-site.ts';
import { deploySite } from './steps/deploy-site.ts';
import { pointDns } from './steps/point-dns.ts';
import { waitDns } from './steps/wait-dns.ts';
import { secureSite } from './steps/secure-site.ts';
import { verifySite } from './steps/verify-site.ts';
import { deliver } from './steps/deliver.ts';

export interface PipelineStep {
  step: Step;
  /** the customer's phase: 2 after payment, 3 deployment, 4 finalisation */
  phase: 2 | 3 | 4;
  /** what one run may take before it counts as a failed attempt */
  timeoutMs: number;
  /** how its failures are retried (src/workflow/jobs/retry.ts); a wait for the outside world (DNS, certificate) never counts */
  retry: RetryPolicy;
  /** typical duration in seconds, for the ETA shown to the customer */
  etaSeconds: number;
  /** when it fails for good, the reason the refund email gives the customer */
  refundReason: RefundReason;
}

/**
 * A step's failures are retried at the pipeline's pace (RETRY_BASE_MS doubling up to RETRY_MAX_MS, Retry-After
 * honoured) up to STEP_MAX_ATTEMPTS; a provider's 429 is waited out without counting, up to WAIT_MAX_MINUTES; a
 * failure no retry can cure (a refusal, bad input) is final at once.
 */
const STEP_RETRY: RetryPolicy = { kind: 'retry', quick: 'STEP_MAX_ATTEMPTS', slow: 0, stopOnPermanent: true, rateLimitWaits: true };

/**
 * A failure for good moves the order to refunding (src/workflow/failure.ts): first each step's `recover` puts on the
 * order's record what it did that the order missed (a purchase or a site whose answer was lost), then the done steps'
 * `compensate` run in reverse (create_site deletes the site; a registration cannot be undone, the name is released),
 * the payment is refunded once and the customer is told `refundReason`. A name taken between our check and our
 * purchase first offers the customer other names (DOMAIN_CHOICE_HOURS to choose) and refunds only without a choice.
 */
export const pipeline: PipelineStep[] = [
  // beside a step, what its own file (steps/<step>.ts) adds to a failure: compensation, recovery, waits for the outside world
  { step: registerDomain, phase: 2, timeoutMs: 60_000, retry: STEP_RETRY, etaSeconds: 30, refundReason: 'domain_registration_failed' }, // name taken: other names first; recover: a purchase the order missed
  { step: createSite, phase: 2, timeoutMs: 30_000, retry: STEP_RETRY, etaSeconds: 10, refundReason: 'hosting_failed' }, // compensate: delete the site; recover: a site the order missed
  { step: deploySite, phase: 3, timeoutMs: 120_000, retry: STEP_RETRY, etaSeconds: 30, refundReason: 'hosting_failed' },
  { step: pointDns, phase: 3, timeoutMs: 30_000, retry: STEP_RETRY, etaSeconds: 10, refundReason: 'hosting_failed' },
  { step: waitDns, phase: 3, timeoutMs: 30_000, retry: STEP_RETRY, etaSeconds: 300, refundReason: 'hosting_failed' }, // waits up to WAIT_MAX_MINUTES
  { step: secureSite, phase: 3, timeoutMs: 60_000, retry: STEP_RETRY, etaSeconds: 300, refundReason: 'certificate_failed' }, // waits up to WAIT_MAX_MINUTES
  { step: verifySite, phase: 4, timeoutMs: 60_000, retry: STEP_RETRY, etaSeconds: 20, refundReason: 'hosting_failed' }, // waits up to WAIT_MAX_MINUTES
  { step: deliver, phase: 4, timeoutMs: 30_000, retry: STEP_RETRY, etaSeconds: 5, refundReason: 'other' },
];

export function stepIndex(name: string): number {
  return pipeline.findIndex((p) => p.step.name === name);
}

export function pipelineStep(name: StepName): PipelineStep {
  const def = pipeline[stepIndex(name)];
  if (!def) throw new Error(`${name} is not in the pipeline`);
  return def;
}

export function nextStep(name: string): PipelineStep | undefined {
  const i = stepIndex(name);
  return i >= 0 ? pipeline[i + 1] : undefined;
}

/** Seconds the remaining steps usually take, from `name` (included) on. */
export function remainingEtaSeconds(name: string | null): number {
  const i = name ? stepIndex(name) : 0;
  return pipeline.slice(Math.max(0, i)).reduce((s, p) => s + p.etaSeconds, 0);
}
