// The domain holder an order was placed with (order_holders, migration 014): personal data, read only where needed.
import type { Database, Tx } from './database.ts';
import type { StoredHolder } from '../domain/holder.ts';

export async function holderOf(db: Database | Tx, orderId: string): Promise<StoredHolder | undefined> {
  const row = await db.selectFrom('order_holders').select('holder').where('order_id', '=', orderId).executeTakeFirst();
  return (row?.holder as StoredHolder | undefined) ?? undefined;
}
