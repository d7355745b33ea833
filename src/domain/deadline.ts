// The deadline policy: express 4 h, standard 24 h, counted from payment.
import type { Tier } from './pricing.ts';

export interface DeadlinePolicy {
  expressHours: number;
  standardHours: number;
}

export function deadlineHours(policy: DeadlinePolicy, tier: Tier): number {
  return tier === 'express' ? policy.expressHours : policy.standardHours;
}

export function deadlineAt(paidAt: Date, hours: number): Date {
  return new Date(paidAt.getTime() + hours * 3_600_000);
}

/** Share of the deadline already spent (0 at payment, 1 at the deadline). */
export function deadlineElapsed(paidAt: Date, hours: number, now: Date = new Date()): number {
  return (now.getTime() - paidAt.getTime()) / (hours * 3_600_000);
}
