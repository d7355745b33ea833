// The sandbox's per-domain clock for renewals: a delivered order's registration moved to expire some days from now
// (in the sandbox registrar and in our plan alike), so a demo or a test lives the year after delivery in seconds.
import type { Deps } from '../../deps.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { AppError } from '../../errors.ts';
import type { SandboxRegistry } from '../../sandbox/registry-state.ts';
import { chargeDate } from '../../domain/renewal.ts';

/** The registration of `orderId` now expires `days` from now (negative: it expired that long ago). */
export async function moveExpiry(deps: Deps, registry: SandboxRegistry, orderId: string, days: number): Promise<Date> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || !registry.get(order.domain)) throw new AppError('order_not_found', 404);
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  registry.setExpiry(order.domain, expiresAt);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('renewals')
      .set({ expires_at: expiresAt, charge_at: chargeDate(expiresAt, deps.config.RENEWAL_CHARGE_DAYS_BEFORE), reminded_days: null, updated_at: new Date() })
      .where('order_id', '=', orderId)
      .execute();
    await tx.updateTable('monitors').set({ domain_expires_at: expiresAt }).where('order_id', '=', orderId).execute();
    await addEvent(tx, orderId, 'admin_action', { action: `sandbox clock: expires in ${days} days` });
  });
  return expiresAt;
}
