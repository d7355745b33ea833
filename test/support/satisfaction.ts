// A day's satisfaction figures as the report holds them, for the tests that render the daily report.
import type { SatisfactionFigures, SatisfactionSplit } from '../../src/monitoring/satisfaction.ts';

const split = (answers: number, satisfied: number, asked: number, responded: number): SatisfactionSplit => ({
  answers,
  satisfied,
  share: answers ? satisfied / answers : null,
  asked,
  responded,
  responseRate: asked ? responded / asked : null,
});

/** 12 answers, 10 at 4 or 5; 20 asked, 9 answered; the refunded and the late ones pull it down. */
export const daySatisfaction: SatisfactionFigures = {
  ...split(12, 10, 20, 9),
  byTier: { express: split(5, 4, 8, 4), standard: split(7, 6, 12, 5) },
  byOutcome: { on_time: split(9, 9, 16, 7), late: split(2, 1, 3, 1), refunded: split(1, 0, 1, 1) },
  byScore: { 1: 1, 2: 0, 3: 1, 4: 3, 5: 7 },
};

/** A day without answers nor orders asked. */
export const noSatisfaction: SatisfactionFigures = {
  ...split(0, 0, 0, 0),
  byTier: { express: split(0, 0, 0, 0), standard: split(0, 0, 0, 0) },
  byOutcome: { on_time: split(0, 0, 0, 0), late: split(0, 0, 0, 0), refunded: split(0, 0, 0, 0) },
  byScore: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
};
