// "Are you satisfied?": put to the customer of every delivered or refunded order, answered by its tracking token (the
// last answer counts while the question is open), reminded once by email, never to an address that asked for quiet.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Database, Tx } from '../db/database.ts';
import { findOrderById } from '../db/orders.ts';
import type { Order } from '../db/schema.ts';
import { isTrackingToken } from '../domain/order-state.ts';
import { answersCloseAt, type Outcome, type Score } from '../domain/satisfaction.ts';
import { queueEmail } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import { AppError } from '../errors.ts';
import { enqueue } from './jobs/enqueue.ts';
import { customerLinks } from './links.ts';

/** What the customer (tracking page) and the operators (the order's page) see of the question. */
export interface SatisfactionView {
  outcome: Outcome;
  askedAt: Date;
  score: number | null;
  /** the customer's own words: shown to them and to operators, never published */
  comment: string | null;
  answeredAt: Date | null;
  /** times answered (a change counts one more) */
  answers: number;
  remindedAt: Date | null;
  /** until when an answer is taken */
  closesAt: Date;
  open: boolean;
}

/** Put the question, in the transaction that delivers or refunds the order (once: a second call changes nothing). */
export async function askSatisfaction(tx: Tx, orderId: string, outcome: Outcome): Promise<void> {
  await tx
    .insertInto('satisfaction')
    .values({ order_id: orderId, outcome })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute();
}

export async function satisfactionOf(deps: Deps, orderId: string, now = new Date()): Promise<SatisfactionView | null> {
  const row = await deps.db.selectFrom('satisfaction').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  if (!row) return null;
  const closesAt = answersCloseAt(row.asked_at, row.first_answered_at, deps.config.SATISFACTION_ANSWER_DAYS);
  return {
    outcome: row.outcome,
    askedAt: row.asked_at,
    score: row.score,
    comment: row.comment,
    answeredAt: row.answered_at,
    answers: row.answers,
    remindedAt: row.reminded_at,
    closesAt,
    open: now < closesAt,
  };
}

export interface Answer {
  score: Score;
  /** absent: the comment already given stays; empty: it is removed */
  comment?: string;
}

/**
 * Record an answer, in one statement (the row's lock orders two answers at once, and an answer against the reminder).
 * An unknown token and a question that is closed or was never put get the same refusal, so an answer cannot tell one
 * from the other.
 */
export async function recordAnswer(deps: Deps, token: string, answer: Answer): Promise<SatisfactionView> {
  const days = deps.config.SATISFACTION_ANSWER_DAYS;
  const closed = new AppError('satisfaction_not_open', 404, { days });
  if (!isTrackingToken(token)) throw closed;
  const keep = answer.comment === undefined;
  const { rows } = await sql<{ order_id: string; score: number }>`
    update satisfaction s set score = ${answer.score},
      comment = case when ${keep} then s.comment else nullif(${answer.comment ?? ''}, '') end,
      answered_at = now(), first_answered_at = coalesce(s.first_answered_at, now()), answers = s.answers + 1
    from orders o
    where o.id = s.order_id and o.tracking_token = ${token}
      and now() < greatest(s.asked_at, coalesce(s.first_answered_at, s.asked_at)) + make_interval(secs => ${days * 86_400})
    returning s.order_id, s.score`.execute(deps.db);
  const row = rows[0];
  if (!row) throw closed;
  // the score, never the comment: a customer's words stay out of the logs
  deps.log.info({ event: 'satisfaction_answered', orderId: row.order_id, score: row.score }, 'satisfaction answered');
  return (await satisfactionOf(deps, row.order_id))!;
}

/**
 * The customer of this order asks not to be contacted again: kept by address, so it holds for all their orders. An
 * unknown token stores nothing and is answered the same, so the link cannot tell whether an order exists.
 */
export async function stopContacting(deps: Deps, token: string): Promise<void> {
  if (!isTrackingToken(token)) return;
  const { rows } = await sql<{ order_id: string }>`
    insert into contact_opt_outs (email, order_id)
    select lower(email), id from orders where tracking_token = ${token}
    on conflict (email) do nothing
    returning order_id`.execute(deps.db);
  if (rows[0]) deps.log.info({ event: 'contact_opt_out', orderId: rows[0].order_id }, 'customer asked not to be contacted');
}

/** Whether the customer of an order asked not to be contacted (by any of their orders' links). */
export async function optedOut(db: Database | Tx, email: string): Promise<boolean> {
  return !!(await db.selectFrom('contact_opt_outs').select('email').where('email', '=', email.toLowerCase()).executeTakeFirst());
}

/** Orders looked at per round of the reminder job; a full round is followed at once by another. */
const REMINDER_BATCH = 100;

/**
 * The satisfaction_reminders job: one email to each customer still silent SATISFACTION_REMINDER_DAYS after being asked,
 * while the question is open, unless they asked not to be contacted. The row marked reminded and the email queued are one
 * transaction under the row's lock, and the outbox keys the email by order: one reminder at most, never after an answer.
 */
export async function sendSatisfactionReminders(deps: Deps, now = new Date()): Promise<number> {
  const { db, config } = deps;
  const dueBefore = new Date(now.getTime() - config.SATISFACTION_REMINDER_DAYS * 86_400_000);
  const openAfter = new Date(now.getTime() - config.SATISFACTION_ANSWER_DAYS * 86_400_000);
  let sent = 0;
  for (;;) {
    const due = await db
      .selectFrom('satisfaction as s')
      .innerJoin('orders as o', 'o.id', 's.order_id')
      .select('s.order_id')
      .where('s.answered_at', 'is', null)
      .where('s.reminded_at', 'is', null)
      .where('s.asked_at', '<=', dueBefore)
      .where('s.asked_at', '>', openAfter)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('contact_opt_outs as c').select('c.email').whereRef('c.email', '=', sql`lower(o.email)`))))
      .orderBy('s.asked_at')
      .limit(REMINDER_BATCH)
      .execute();
    for (const { order_id } of due) if (await remind(deps, order_id, now)) sent++;
    if (due.length < REMINDER_BATCH) return sent;
  }
}

async function remind(deps: Deps, orderId: string, now: Date): Promise<boolean> {
  const order = await findOrderById(deps.db, orderId);
  if (!order) return false;
  const done = await deps.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('satisfaction').selectAll().where('order_id', '=', orderId).forUpdate().executeTakeFirst();
    // answered, or reminded, since the scan; or the customer asked for quiet meanwhile
    if (!row || row.answered_at || row.reminded_at || (await optedOut(tx, order.email))) return false;
    await tx.updateTable('satisfaction').set({ reminded_at: now }).where('order_id', '=', orderId).execute();
    await queueEmail(tx, reminderEmail(deps, order, row.asked_at));
    return true;
  });
  if (done) deps.log.info({ event: 'satisfaction_reminded', orderId }, 'satisfaction reminder queued');
  return done;
}

function reminderEmail(deps: Deps, order: Order, askedAt: Date) {
  return {
    orderId: order.id,
    kind: 'satisfaction_reminder',
    dedupeKey: `satisfaction-reminder:${order.id}`,
    to: order.email,
    locale: order.locale,
    rendered: renderOrderEmail('satisfaction_reminder', order, customerLinks(deps.config, order, { finishedAt: askedAt })),
  };
}

/** The reminder job exists once across all workers (unsafe_dedupe leaves a queued or running one alone). */
export async function ensureSatisfactionReminders(deps: Deps): Promise<void> {
  await enqueue(
    deps.db,
    'satisfaction_reminders',
    {},
    { mode: 'unsafe_dedupe', runAt: new Date(Date.now() + deps.config.SATISFACTION_REMINDER_SCAN_SECONDS * 1000) },
  );
}
