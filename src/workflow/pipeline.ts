// The pipeline, read top to bottom: the steps from payment to a delivered site, their phase, retry policy, timeout and ETA.
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
  /** transient failures tolerated before the step fails for good (waits do not count) */
  maxAttempts?: number;
  /** typical duration in seconds, for the ETA shown to the customer */
  etaSeconds: number;
}

export const pipeline: PipelineStep[] = [
  { step: registerDomain, phase: 2, timeoutMs: 60_000, etaSeconds: 30 },
  { step: createSite, phase: 2, timeoutMs: 30_000, etaSeconds: 10 },
  { step: deploySite, phase: 3, timeoutMs: 120_000, etaSeconds: 30 },
  { step: pointDns, phase: 3, timeoutMs: 30_000, etaSeconds: 10 },
  { step: waitDns, phase: 3, timeoutMs: 30_000, etaSeconds: 300 },
  { step: secureSite, phase: 3, timeoutMs: 60_000, etaSeconds: 300 },
  { step: verifySite, phase: 4, timeoutMs: 60_000, etaSeconds: 20 },
  { step: deliver, phase: 4, timeoutMs: 30_000, etaSeconds: 5 },
];

export function stepIndex(name: string): number {
  return pipeline.findIndex((p) => p.step.name === name);
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
