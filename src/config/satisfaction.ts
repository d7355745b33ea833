// Settings of asking customers what they thought: how long the question stays open, and when its one reminder goes.
import { z } from 'zod';
import { group } from './parse.ts';

export const satisfaction = group(
  'Customer satisfaction',
  'The delivery and refund emails and the tracking page ask “Are you satisfied?” on a scale of 1 to 5, with an optional comment; one reminder follows by email when there is no answer. Satisfaction is the share of answers at 4 or 5 (the daily report, the console’s overview, `/metrics` and the `satisfaction_low` alert).',
  {
    SATISFACTION_ANSWER_DAYS: z.coerce
      .number()
      .positive()
      .max(365)
      .default(30)
      .describe('the question stays open this long after it is asked, and an answer may be changed this long after it was first given (the last one counts)'),
    SATISFACTION_REMINDER_DAYS: z.coerce
      .number()
      .positive()
      .max(365)
      .default(7)
      .describe(
        'one reminder by email this long after the question was asked, only when it is still unanswered and the customer has not asked not to be contacted',
      ),
    SATISFACTION_REMINDER_SCAN_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(900)
      .describe('how often the reminders due are looked for (one job for all workers)'),
  },
);
