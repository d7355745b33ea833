// Leaving with the domain: the customer asks for a transfer out from the space, the registrar lock comes off (read
// first, so a retry removes nothing twice), automatic renewal goes off, and the transfer code reaches the holder as
// Namecheap provides it: only from its dashboard, by email to the registrant (knowledgebase 258; no API command
// returns it, methods/domains lists none). When the name leaves our account the order records it, its monitor stops,
// nothing renews and the customer is told.
import { forgetSavedMethodLater } from '../workflow/renewals/plan.ts';
import type { Deps } from '../deps.ts';
import type { Tx } from '../db/database.ts';
import { addEvent, findOrderById } from '../db/orders.ts';
import { holderOf } from '../db/holders.ts';
import type { DomainTransfer, Order } from '../db/schema.ts';
import { defineTimelineTexts } from '../domain/timeline.ts';
import { hasRegistrarLock } from '../domain/transfer-rules.ts';
import { queueEmail } from '../emails/outbox.ts';
import { transferCodeRequestEmail, transferredOutEmail, transferRequestedEmail } from '../emails/transfer.ts';
import { disableMonitor } from '../monitoring/sites.ts';
import { call, withDomainLock } from './dns.ts';
import { refuseInsideWindow } from './transfer-window.ts';

defineTimelineTexts({
  transfer_requested: {
    fr: (d) =>
      d.lock === 'none'
        ? 'Transfert vers un autre registraire demandé (extension sans verrou de transfert) ; renouvellement automatique désactivé.'
        : 'Transfert vers un autre registraire demandé : verrou de transfert retiré, renouvellement automatique désactivé.',
    en: (d) =>
      d.lock === 'none'
        ? 'Transfer to another registrar requested (the extension has no transfer lock); automatic renewal off.'
        : 'Transfer to another registrar requested: transfer lock removed, automatic renewal off.',
  },
  transferred_out: {
    fr: () => 'Le domaine a quitté notre registraire : transfert terminé, surveillance et renouvellements arrêtés.',
    en: () => 'The domain left our registrar: transfer complete, monitoring and renewals stopped.',
  },
});

export interface TransferOutView {
  state: 'requested' | 'completed';
  /** removed: the lock was taken off; none: the TLD has none */
  lock: 'removed' | 'none' | null;
  requestedAt: string | null;
  completedAt: string | null;
  /** where the registrar sends the transfer code: the registrant's email */
  codeSentTo: string | null;
}

const tldOf = (domain: string) => domain.split('.').slice(1).join('.');

export function transferView(row: DomainTransfer | undefined, holderEmail: string | null): TransferOutView | null {
  if (!row) return null;
  return {
    state: row.state,
    lock: row.lock,
    requestedAt: row.requested_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    codeSentTo: holderEmail,
  };
}

async function currentView(deps: Deps, order: Order): Promise<TransferOutView> {
  const row = await deps.db.selectFrom('domain_transfers').selectAll().where('order_id', '=', order.id).executeTakeFirst();
  return transferView(row, (await holderOf(deps.db, order.id))?.email ?? order.email)!;
}

/**
 * The customer's transfer out, refused inside the registry's waiting period (transfer-window.ts). Safe to send again: the lock is read before it is removed, and the request, the
 * automatic renewal turned off and the emails are recorded once (requested_at set in the same transaction).
 */
export async function requestTransferOut(deps: Deps, order: Order): Promise<TransferOutView> {
  const done = await deps.db.selectFrom('domain_transfers').select('requested_at').where('order_id', '=', order.id).executeTakeFirst();
  if (done?.requested_at) return currentView(deps, order);
  return withDomainLock(deps, order.domain, async () => {
    // a request sent twice at once: the second, in its turn, finds the first recorded and asks the registrar nothing
    const recorded = await deps.db.selectFrom('domain_transfers').select('requested_at').where('order_id', '=', order.id).executeTakeFirst();
    if (recorded?.requested_at) return currentView(deps, order);
    // inside the registry's waiting period nothing is unlocked: refused with the date it becomes possible
    await refuseInsideWindow(deps, order);
    let lock: 'removed' | 'none' = 'none';
    if (hasRegistrarLock(tldOf(order.domain))) {
      const locked = await call(deps, order, 'domains.getRegistrarLock', (r) => r.getRegistrarLock(order.domain));
      if (locked) await call(deps, order, 'domains.setRegistrarLock', (r) => r.setRegistrarLock(order.domain, false));
      lock = 'removed';
    }
    const holderEmail = (await holderOf(deps.db, order.id))?.email ?? order.email;
    await deps.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('domain_transfers')
        .values({ order_id: order.id })
        .onConflict((oc) => oc.column('order_id').doNothing())
        .execute();
      const first = await tx
        .updateTable('domain_transfers')
        .set({ lock, requested_at: new Date() })
        .where('order_id', '=', order.id)
        .where('requested_at', 'is', null)
        .executeTakeFirst();
      if (Number(first.numUpdatedRows) === 0) return;
      await addEvent(tx, order.id, 'transfer_requested', { lock });
      await renewalsOff(tx, order.id);
      const view = {
        businessName: order.business_name,
        domain: order.domain_unicode,
        supportEmail: deps.config.SUPPORT_EMAIL,
        publicUrl: deps.config.publicUrl,
      };
      await queueEmail(tx, {
        orderId: order.id,
        kind: 'transfer_requested',
        dedupeKey: `transfer-requested:${order.id}`,
        to: order.email,
        locale: order.locale,
        rendered: transferRequestedEmail({ ...view, holderEmail, noLock: lock === 'none' }, order.locale),
      });
      if (deps.config.OPERATOR_EMAIL) {
        await queueEmail(tx, {
          orderId: order.id,
          kind: 'transfer_code_request',
          dedupeKey: `transfer-code:${order.id}`,
          to: deps.config.OPERATOR_EMAIL,
          locale: 'en',
          rendered: transferCodeRequestEmail({ domain: order.domain, holderEmail, orderId: order.id, supportEmail: deps.config.SUPPORT_EMAIL }),
        });
      }
    });
    deps.log.info({ event: 'transfer_requested', orderId: order.id, lock }, 'transfer out requested');
    return currentView(deps, order);
  });
}

/** Automatic renewal off (nothing is charged again): the plan stays until the name leaves or expires. */
async function renewalsOff(tx: Tx, orderId: string): Promise<void> {
  const off = await tx
    .updateTable('renewals')
    .set({ auto_renew: false, updated_at: new Date() })
    .where('order_id', '=', orderId)
    .where('auto_renew', '=', true)
    .where('state', 'in', ['pending', 'scheduled'])
    .returning(['expires_at', 'provider', 'payment_method_ref'])
    .executeTakeFirst();
  if (!off) return;
  await addEvent(tx, orderId, 'renewal_auto_off', { expiresAt: off.expires_at?.toISOString() ?? null });
  await forgetSavedMethodLater(tx, orderId, off);
}

/**
 * The name has left our registrar account (the expiry walk no longer lists it): the order records transferred_out
 * once, its renewal is over (gone: no reminder, charge, link or grace), its monitor stops, and the customer is told.
 */
export async function recordTransferredOut(deps: Deps, orderId: string): Promise<boolean> {
  const order = await findOrderById(deps.db, orderId);
  if (!order) return false;
  const recorded = await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('domain_transfers')
      .values({ order_id: orderId, state: 'completed', completed_at: new Date() })
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet({ state: 'completed', completed_at: new Date() }).where('domain_transfers.state', '<>', 'completed'),
      )
      .returning('requested_at')
      .executeTakeFirst();
    if (!row) return false;
    const plan = await tx
      .updateTable('renewals')
      .set({ state: 'gone', auto_renew: false, dunning_next_at: null, updated_at: new Date() })
      .where('order_id', '=', orderId)
      .returning(['provider', 'payment_method_ref'])
      .executeTakeFirst();
    // nothing will be charged again
    if (plan) await forgetSavedMethodLater(tx, orderId, plan);
    await tx.updateTable('renewal_attempts').set({ state: 'lost' }).where('order_id', '=', orderId).where('state', 'in', ['charging', 'declined']).execute();
    await addEvent(tx, orderId, 'transferred_out', { requested: row.requested_at !== null });
    await queueEmail(tx, {
      orderId,
      kind: 'transferred_out',
      dedupeKey: `transferred-out:${orderId}`,
      to: order.email,
      locale: order.locale,
      rendered: transferredOutEmail(
        { businessName: order.business_name, domain: order.domain_unicode, supportEmail: deps.config.SUPPORT_EMAIL, publicUrl: deps.config.publicUrl },
        order.locale,
      ),
    });
    return true;
  });
  await disableMonitor(deps, orderId, 'domain_left');
  if (recorded) deps.log.info({ event: 'transferred_out', orderId, domain: order.domain }, 'domain left the registrar account');
  return recorded;
}
