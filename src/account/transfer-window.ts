// The waiting period before a name may leave (src/domain/transfer-rules.ts): 60 days from its registration and from the
// last change of its registrant for a gTLD, none for the ccTLDs whose registries set none. A request inside it is
// refused before anything is unlocked, with the date from which it becomes possible; the space shows that date instead.
import type { Deps } from '../deps.ts';
import type { Database, Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import { transferableFrom, transferWaitRule } from '../domain/transfer-rules.ts';
import { AppError } from '../errors.ts';
import { call } from './dns.ts';

const tldOf = (domain: string) => domain.split('.').slice(1).join('.');

/** Our own registration date of the order's name: when its register_domain step was done. */
async function ourRegistration(db: Database | Tx, orderId: string): Promise<Date | null> {
  const step = await db
    .selectFrom('order_steps')
    .select('finished_at')
    .where('order_id', '=', orderId)
    .where('step', '=', 'register_domain')
    .where('state', '=', 'done')
    .executeTakeFirst();
  return step?.finished_at ?? null;
}

/** The dates the window counts from, as known here: the registrar's creation date once read (ours before), the last change of registrant. */
export async function windowDates(db: Database | Tx, orderId: string): Promise<{ registeredAt: Date | null; registrantChangedAt: Date | null }> {
  const row = await db.selectFrom('transfer_windows').select(['registered_at', 'registrant_changed_at']).where('order_id', '=', orderId).executeTakeFirst();
  return { registeredAt: row?.registered_at ?? (await ourRegistration(db, orderId)), registrantChangedAt: row?.registrant_changed_at ?? null };
}

/** From when the space may offer the transfer (null: now), without asking the registrar. */
export async function transferableFromKnown(db: Database | Tx, order: Pick<Order, 'id' | 'domain'>, now = new Date()): Promise<Date | null> {
  if (!transferWaitRule(tldOf(order.domain))) return null;
  return transferableFrom(tldOf(order.domain), await windowDates(db, order.id), now);
}

/**
 * Refuses a transfer asked inside the window (409 transfer_too_soon, with the date it becomes possible), before any
 * lock is touched. The registration date is the registrar's (domains.getInfo's Created), ours when it gives none; the
 * registrar's is kept so the space shows the same date afterwards.
 */
export async function refuseInsideWindow(deps: Deps, order: Order): Promise<void> {
  const tld = tldOf(order.domain);
  if (!transferWaitRule(tld)) return;
  const info = await call(deps, order, 'domains.getInfo', (r) => r.getInfo(order.domain));
  const created = info.createdAt ? new Date(`${info.createdAt}T00:00:00Z`) : null;
  const registeredAt = created && !Number.isNaN(created.getTime()) ? created : null;
  if (registeredAt) {
    await deps.db
      .insertInto('transfer_windows')
      .values({ order_id: order.id, registered_at: registeredAt })
      .onConflict((oc) => oc.column('order_id').doUpdateSet({ registered_at: registeredAt, updated_at: new Date() }))
      .execute();
  }
  const known = await windowDates(deps.db, order.id);
  const from = transferableFrom(tld, known);
  if (from) throw new AppError('transfer_too_soon', 409, { date: from.toISOString(), tld }, { transferableFrom: from.toISOString() });
}

/** A material change of the registrant (ICANN's Change of Registrant) made now: the window counts from it, in the caller's transaction. */
export async function recordRegistrantChange(tx: Tx, orderId: string, at: Date): Promise<void> {
  await tx
    .insertInto('transfer_windows')
    .values({ order_id: orderId, registrant_changed_at: at })
    .onConflict((oc) => oc.column('order_id').doUpdateSet({ registrant_changed_at: at, updated_at: at }))
    .execute();
}
