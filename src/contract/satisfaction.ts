// What "Are you satisfied?" takes and answers: a score from 1 to 5 and an optional comment, and the question as its
// customer and the operators see it.
import { z } from 'zod';
import { OUTCOMES, SCORES } from '../domain/satisfaction.ts';
import { instant, locale } from './common.ts';

export { OUTCOMES, SCORES, type Outcome } from '../domain/satisfaction.ts';

export const SATISFACTION_COMMENT_MAX = 1000;

const score = z.literal(SCORES).describe('from 1 (not at all satisfied) to 5 (very satisfied)');
/** Free text with its line breaks; no other control character, nor the invisible marks that reorder text on screen. */
const comment = z
  .string()
  .trim()
  .max(SATISFACTION_COMMENT_MAX)
  .regex(/^(?:[^\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r?\n)*$/u, 'no control characters')
  .describe('optional; shown to the operators with the order, never published. Absent: a comment already given stays; empty: it is removed');

export const satisfactionAnswer = z.strictObject({ score, comment: comment.optional() });

/** The answer page's form, as a browser posts it (application/x-www-form-urlencoded; the score read as a number). */
export const satisfactionForm = satisfactionAnswer.extend({ lang: locale.optional() });

/** The answer page's address: the score a link in the email chose (what a mail system may add to a link is left aside). */
export const satisfactionPageQuery = z.object({
  score: z.enum(SCORES.map(String) as ['1', '2', '3', '4', '5']).optional(),
  lang: locale.optional(),
});

/** The page asking not to be contacted again, and its form. */
export const stopQuery = z.object({ lang: locale.optional() });

/** The question as its customer sees it (the order's status), null until the order is delivered or refunded. */
export const satisfactionStatus = z.object({
  score: z.number().int().nullable().describe('the last answer, which is the one that counts; null before any'),
  comment: z.string().nullable(),
  answeredAt: instant.nullable(),
  closesAt: instant.describe('answers are taken, and may be changed, until then'),
  open: z.boolean(),
});

/** And as the operators see it with the order. */
export const satisfactionDetail = satisfactionStatus.extend({
  outcome: z.enum(OUTCOMES).describe('on_time, late (delivered after the deadline) or refunded'),
  askedAt: instant,
  answers: z.number().int().describe('times answered: a change counts one more'),
  remindedAt: instant.nullable().describe('when the one reminder went, if it did'),
});

const share = z.number().nullable();
/** Satisfaction over a window, and each split: answers, satisfied (4 or 5), their share; asked, answered, response rate. */
export const satisfactionSplit = z.object({
  answers: z.number().int().describe('answers given in the window (each order’s last one)'),
  satisfied: z.number().int().describe('of those, at 4 or 5'),
  share: share.describe('satisfied / answers; null without answers'),
  asked: z.number().int().describe('orders asked in the window (delivered or refunded in it)'),
  responded: z.number().int().describe('of those, how many have answered so far'),
  responseRate: share.describe('responded / asked; null when none was asked'),
});

export const satisfactionFigures = satisfactionSplit.extend({
  byTier: z.object({ express: satisfactionSplit, standard: satisfactionSplit }),
  byOutcome: z.object({ on_time: satisfactionSplit, late: satisfactionSplit, refunded: satisfactionSplit }),
  byScore: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
});

export type SatisfactionStatus = z.input<typeof satisfactionStatus>;
export type SatisfactionDetail = z.input<typeof satisfactionDetail>;
export type SatisfactionFigures = z.input<typeof satisfactionFigures>;
export type SatisfactionAnswer = z.input<typeof satisfactionAnswer>;
