// The fourth figure: customer satisfaction over a window (share of answers at 4 or 5, with the count and the response
// rate, split by tier and outcome), and the alert when it falls below its target. Its series for Prometheus: gauges.ts.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { isSatisfied, OUTCOMES, SCORES, type Outcome } from '../domain/satisfaction.ts';
import type { Tier } from '../domain/pricing.ts';
import type { Rule } from './rule.ts';

export const TIERS: readonly Tier[] = ['express', 'standard'];

export interface SatisfactionSplit {
  /** answers given in the window: each order's last answer, by when it was given */
  answers: number;
  /** of those, at 4 or 5 */
  satisfied: number;
  /** satisfied / answers; null without answers */
  share: number | null;
  /** orders asked in the window (delivered or refunded in it) */
  asked: number;
  /** of those, how many have answered so far */
  responded: number;
  /** responded / asked; null when none was asked */
  responseRate: number | null;
}

export interface SatisfactionFigures extends SatisfactionSplit {
  byTier: Record<Tier, SatisfactionSplit>;
  byOutcome: Record<Outcome, SatisfactionSplit>;
  byScore: Record<(typeof SCORES)[number], number>;
}

type Counts = { answers: number; satisfied: number; asked: number; responded: number };
const zero = (): Counts => ({ answers: 0, satisfied: 0, asked: 0, responded: 0 });
const split = (c: Counts): SatisfactionSplit => ({
  ...c,
  share: c.answers ? c.satisfied / c.answers : null,
  responseRate: c.asked ? c.responded / c.asked : null,
});

/**
 * Satisfaction over [from, to). Two views of one question, each on its own clock: the answers given in the window (a
 * changed answer counts once, at its last change) make the share; the orders asked in the window, answered since or
 * not, make the response rate.
 */
export async function satisfactionStats(db: Database, from: Date, to: Date): Promise<SatisfactionFigures> {
  const [answered, asked] = await Promise.all([
    sql<{ tier: Tier; outcome: Outcome; score: number; n: string }>`
      select o.tier, s.outcome, s.score, count(*) as n from satisfaction s join orders o on o.id = s.order_id
      where s.answered_at >= ${from} and s.answered_at < ${to} group by 1, 2, 3`.execute(db),
    sql<{ tier: Tier; outcome: Outcome; asked: string; responded: string }>`
      select o.tier, s.outcome, count(*) as asked, count(s.answered_at) as responded from satisfaction s join orders o on o.id = s.order_id
      where s.asked_at >= ${from} and s.asked_at < ${to} group by 1, 2`.execute(db),
  ]);
  const total = zero();
  const byTier = Object.fromEntries(TIERS.map((t) => [t, zero()])) as Record<Tier, Counts>;
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, zero()])) as Record<Outcome, Counts>;
  const byScore = Object.fromEntries(SCORES.map((s) => [s, 0])) as SatisfactionFigures['byScore'];
  for (const r of answered.rows) {
    const n = Number(r.n);
    const satisfied = isSatisfied(r.score) ? n : 0;
    for (const c of [total, byTier[r.tier], byOutcome[r.outcome]]) {
      c.answers += n;
      c.satisfied += satisfied;
    }
    byScore[r.score as keyof typeof byScore] += n;
  }
  for (const r of asked.rows) {
    for (const c of [total, byTier[r.tier], byOutcome[r.outcome]]) {
      c.asked += Number(r.asked);
      c.responded += Number(r.responded);
    }
  }
  return {
    ...split(total),
    byTier: { express: split(byTier.express), standard: split(byTier.standard) },
    byOutcome: { on_time: split(byOutcome.on_time), late: split(byOutcome.late), refunded: split(byOutcome.refunded) },
    byScore,
  };
}

const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;

export const satisfactionLow: Rule = {
  name: 'satisfaction_low',
  title: 'Customer satisfaction low',
  description:
    'customer satisfaction (answers at 4 or 5 of 5) over the last ALERT_SATISFACTION_WINDOW_DAYS (30) under ALERT_SATISFACTION_TARGET (98 %), with at least ALERT_SATISFACTION_MIN_ANSWERS (20) answers; names the outcomes (on time, late, refunded) below the target, which pull it down',
  async evaluate({ db, config }) {
    const to = new Date();
    const days = config.ALERT_SATISFACTION_WINDOW_DAYS;
    const target = config.ALERT_SATISFACTION_TARGET;
    const s = await satisfactionStats(db, new Date(to.getTime() - days * 86_400_000), to);
    if (s.answers < config.ALERT_SATISFACTION_MIN_ANSWERS || s.share === null || s.share >= target) return [];
    // the outcomes below the target, the one that loses the most satisfied answers first
    const pulling = OUTCOMES.map((outcome) => ({ outcome, ...s.byOutcome[outcome] }))
      .filter((o) => o.share !== null && o.share < target)
      .sort((a, b) => b.answers - b.satisfied - (a.answers - a.satisfied));
    return [
      {
        subject: 'satisfaction',
        severity: 'warning',
        summary: `Customer satisfaction ${pct(s.share)} over the last ${days} days (${s.satisfied} of ${s.answers} answers at 4 or 5; target ${pct(target)}), pulled down by ${pulling
          .map((o) => `${o.outcome.replace('_', ' ')} ${pct(o.share!)} (${o.answers} answers)`)
          .join(', ')}`,
        details: {
          share: Math.round(s.share * 1000) / 1000,
          answers: s.answers,
          satisfied: s.satisfied,
          responseRate: s.responseRate === null ? null : Math.round(s.responseRate * 1000) / 1000,
          target,
          windowDays: days,
          pullingDown: pulling.map((o) => ({
            outcome: o.outcome,
            share: Math.round(o.share! * 1000) / 1000,
            answers: o.answers,
            unsatisfied: o.answers - o.satisfied,
          })),
          byTier: Object.fromEntries(TIERS.map((t) => [t, { answers: s.byTier[t].answers, share: s.byTier[t].share }])),
        },
      },
    ];
  },
};
