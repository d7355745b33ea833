// The satisfaction question: its scale, which answers count as satisfied, and the outcomes answers are split by.

/** "Are you satisfied?", from 1 (not at all) to 5 (entirely). */
export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];

/** The figure counts answers at 4 or 5 of 5 as satisfied. */
export const isSatisfied = (score: number): boolean => score >= 4;

/** What the customer got: the site delivered by its deadline, after it, or a refund. */
export const OUTCOMES = ['on_time', 'late', 'refunded'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A delivery's outcome: on time when it came by the deadline (an order without one counts as on time). */
export function deliveryOutcome(deliveredAt: Date, deadlineAt: Date | null): Outcome {
  return deadlineAt && deliveredAt.getTime() > deadlineAt.getTime() ? 'late' : 'on_time';
}

/**
 * Until when the question takes answers: `days` after it was asked, or `days` after the first answer when that is
 * later, so an answer can always be changed for `days` after it was given; the last one counts.
 */
export function answersCloseAt(askedAt: Date, firstAnsweredAt: Date | null, days: number): Date {
  const from = Math.max(askedAt.getTime(), firstAnsweredAt?.getTime() ?? 0);
  return new Date(from + days * 86_400_000);
}
