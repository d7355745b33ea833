// Queries on orders, their timeline and payment links, shared by the API and the workers.
import { sql } from 'kysely';
import type { Database, Tx } from './database.ts';
import type { Order, PaymentLinkRow } from './schema.ts';
import type { OrderState } from '../domain/order-state.ts';
import { canTransition } from '../domain/order-state.ts';

export async function findOrderByToken(db: Database, token: string): Promise<Order | undefined> {
  return db.selectFrom('orders').selectAll().where('tracking_token', '=', token).executeTakeFirst();
}

export async function findOrderById(db: Database | Tx, id: string): Promise<Order | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Lock the order row for the rest of the transaction (one writer per order at a time). NO KEY UPDATE: lockers still
 * wait for each other, but a transaction inserting the order's events or emails (whose foreign key takes KEY SHARE)
 * does not wait for it, so neither can end up waiting on the other. No one changes an order's id.
 */
export async function lockOrder(tx: Tx, id: string): Promise<Order | undefined> {
  return tx.selectFrom('orders').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
}

export async function addEvent(db: Database | Tx, orderId: string, type: string, data: Record<string, unknown> = {}): Promise<void> {
  // add_order_event (migration 010) inserts and notifies live views (SSE) on 'order_events'; the payload is the
  // order's id only, no personal data. One statement, one round trip.
  await sql`select add_order_event(${orderId}, ${type}, ${JSON.stringify(data)}::jsonb)`.execute(db);
}

export async function timeline(db: Database, orderId: string) {
  return db.selectFrom('order_events').select(['id', 'type', 'data', 'at']).where('order_id', '=', orderId).orderBy('id').execute();
}

/** Where a reader of an order's timeline stands: the highest event id it has, and the horizon of the read that gave it. */
export interface TimelineCursor {
  after: number;
  /** pg_snapshot_xmin of that read: every transaction older than it had ended */
  horizon?: string;
}

/**
 * The order's events a reader at `cursor` may lack: those after its last id, and — since ids are taken when a row is
 * inserted, not when it commits — those written by transactions that had not ended at its last read, which may carry
 * smaller ids. Comes with this read's own horizon, for the next one. (The reader drops the ones it has.)
 */
export async function timelineSince(db: Database, orderId: string, cursor: TimelineCursor) {
  const { rows } = await sql<{ id: string | null; type: string; data: Record<string, unknown>; at: Date; horizon: string }>`
    with read as (select pg_snapshot_xmin(pg_current_snapshot())::text as horizon)
    select e.id, e.type, e.data, e.at, read.horizon
      from read left join order_events e on e.order_id = ${orderId}
       and (e.id > ${cursor.after} or (${cursor.horizon ?? null}::xid8 is not null and age(e.xmin) <= age(${cursor.horizon ?? null}::xid8::xid)))
     order by e.id`.execute(db);
  return { horizon: rows[0]!.horizon, events: rows.filter((r) => r.id !== null) as { id: string; type: string; data: Record<string, unknown>; at: Date }[] };
}

/** Move the order to `to` if the state rules allow it; returns false (and changes nothing) otherwise. */
export async function transition(tx: Tx, order: Pick<Order, 'id' | 'state'>, to: OrderState): Promise<boolean> {
  if (!canTransition(order.state, to)) return false;
  const res = await tx
    .updateTable('orders')
    .set({ state: to, updated_at: new Date() })
    .where('id', '=', order.id)
    .where('state', '=', order.state)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function latestPaymentLink(db: Database | Tx, orderId: string): Promise<PaymentLinkRow | undefined> {
  return db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}
