// Satisfaction in tests: a day's figures as the report holds them (to render the daily report), and orders asked and
// answered at chosen times.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import type { SatisfactionFigures, SatisfactionSplit } from '../../src/monitoring/satisfaction.ts';

/** A split from its four counts, its two shares worked out (null where there is nothing to divide by). */
export const split = (answers: number, satisfied: number, asked: number, responded: number): SatisfactionSplit => ({
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

export interface AskedOrder {
  /** asked this long ago (the delivery, or the refund); hours win over days */
  askedDaysAgo?: number;
  askedHoursAgo?: number;
  answeredDaysAgo?: number;
  answeredHoursAgo?: number;
  score?: number;
  email?: string;
  tier?: 'express' | 'standard';
  outcome?: 'on_time' | 'late' | 'refunded';
}

/**
 * An order delivered (or refunded) some time ago and asked then, answered or not: the rows the pipeline and an answer
 * would have left, written directly so a test can place them in time.
 */
export async function insertAskedOrder(db: Database, o: AskedOrder): Promise<{ orderId: string; token: string }> {
  const id = crypto.randomUUID();
  const token = crypto.randomBytes(24).toString('base64url');
  const ago = (days: number | undefined, hours: number | undefined) => sql`now() - make_interval(days => ${days ?? 0}, hours => ${hours ?? 0})`;
  const asked = ago(o.askedDaysAgo, o.askedHoursAgo);
  const answered = o.score ? ago(o.answeredDaysAgo, o.answeredHoursAgo) : null;
  const outcome = o.outcome ?? 'on_time';
  const deadline = outcome === 'late' ? sql`${asked} - interval '1 hour'` : sql`${asked} + interval '1 hour'`;
  await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
      total_cents, payment_provider, deadline_hours, paid_at, deadline_at, delivered_at)
    values (${id}, ${token}, 'Atelier Témoin', ${o.email ?? `${id}@example.org`}, 'en', ${`${id}.fr`}, ${`${id}.fr`}, ${o.tier ?? 'standard'},
      ${outcome === 'refunded' ? 'refunded' : 'delivered'}, 'EUR', '[]', 16300, 'stripe', 24, ${asked} - interval '3 hours', ${deadline},
      ${outcome === 'refunded' ? null : asked})`.execute(db);
  await sql`insert into satisfaction (order_id, asked_at, outcome, score, answered_at, first_answered_at, answers)
    values (${id}, ${asked}, ${outcome}, ${o.score ?? null}, ${answered}, ${answered}, ${o.score ? 1 : 0})`.execute(db);
  return { orderId: id, token };
}
