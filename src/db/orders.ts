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

/** Lock the order row for the rest of the transaction (one writer per order at a time). */
export async function lockOrder(tx: Tx, id: string): Promise<Order | undefined> {
  return tx.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function addEvent(
  db: Database | Tx,
  orderId: string,
  type: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  // add_order_event (migration 008) inserts and notifies live views (SSE) on 'order_events'; the payload is the
  // order's id only, no personal data. One statement, one round trip.
  await sql`select add_order_event(${orderId}, ${type}, ${JSON.stringify(data)}::jsonb)`.execute(db);
}

/** The order's timeline, or its events after `afterId` only (a live view sends what is new). */
export async function timeline(db: Database, orderId: string, afterId = 0) {
  return db
    .selectFrom('order_events')
    .select(['id', 'type', 'data', 'at'])
    .where('order_id', '=', orderId)
    .where('id', '>', String(afterId))
    .orderBy('id')
    .execute();
}

/** Move the order to `to` if the state rules allow it; returns false (and changes nothing) otherwise. */
export async function transition(tx: Tx, order: Pick<Order, 'id' | 'state'>, to: OrderState): Promise<boolean> {
  if (!canTransition(order.state as OrderState, to)) return false;
  const res = await tx
    .updateTable('orders')
    .set({ state: to, updated_at: new Date() })
    .where('id', '=', order.id)
    .where('state', '=', order.state)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function latestPaymentLink(db: Database | Tx, orderId: string): Promise<PaymentLinkRow | undefined> {
  return db
    .selectFrom('payment_links')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}
