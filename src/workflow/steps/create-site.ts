// Phase 2: create the site at the host, under a name derived from the order (the host takes no idempotency key); a refund deletes it.
import type { Deps } from '../../deps.ts';
import type { Order } from '../../db/schema.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { stepState } from '../../db/steps.ts';
import { enqueue } from '../jobs/enqueue.ts';
import type { Step } from '../step.ts';

/** "boulangerie-dupont-3f2a9c1b": readable, unique to the order, valid as a host label. */
export function siteNameFor(order: { id: string; domain: string }): string {
  const label = order.domain
    .split('.')[0]!
    .replace(/^xn--/, '')
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${label}-${order.id.replace(/-/g, '').slice(0, 8)}`;
}

export const createSite: Step = {
  name: 'create_site',
  state: 'creating_site',
  async action({ deps, order, idempotencyKey, call }) {
    if (order.site_id) return { outcome: 'done', output: { siteId: order.site_id, already: true } };
    const site = await call(deps.hosting.name, 'createSite', () => deps.hosting.createSite({ name: siteNameFor(order), idempotencyKey }));
    return {
      outcome: 'done',
      record: { site_id: site.siteId, site_name: site.name, site_domain: site.defaultDomain },
      output: { siteId: site.siteId, defaultDomain: site.defaultDomain },
      compensation: { siteId: site.siteId },
    };
  },
  // a refunded order's site is removed, so nothing of it stays online
  async compensate({ deps, call }, { siteId }) {
    await call(deps.hosting.name, 'deleteSite', () => deps.hosting.deleteSite(String(siteId)));
  },
  recover: keepUnrecordedSite,
};

/**
 * A site the host made whose answer the order never got (lost, while the step waited to retry) would stay online after
 * the refund. Its name is the order's own (siteNameFor), so the host is asked for it; found, it goes on the order's
 * record and create_site is marked done with its compensation, so the refund removes it with the rest.
 */
async function keepUnrecordedSite(deps: Deps, order: Order): Promise<void> {
  if (order.site_id) return;
  const state = await stepState(deps.db, order.id, 'create_site');
  if (!state || state === 'done' || state === 'compensated') return;
  let site;
  try {
    site = await findOrderSite(deps, order);
  } catch (err) {
    // the host not answering must not hold the customer's refund: the lookup is left to its own job (removeUnrecordedSite)
    await enqueue(deps.db, 'remove_unrecorded_site', { orderId: order.id });
    deps.log.warn(
      { event: 'site_lookup_deferred', orderId: order.id, err: (err as Error).message },
      'the host did not answer; its lookup for an unrecorded site is left to a job',
    );
    return;
  }
  if (!site) return;
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('orders')
      .set({ site_id: site.siteId, site_name: site.name, site_domain: site.defaultDomain })
      .where('id', '=', order.id)
      .where('site_id', 'is', null)
      .execute();
    await tx
      .updateTable('order_steps')
      .set({ state: 'done', compensation: JSON.stringify({ siteId: site.siteId }) })
      .where('order_id', '=', order.id)
      .where('step', '=', 'create_site')
      .execute();
    await addEvent(tx, order.id, 'site_found', { siteName: site.name });
  });
  deps.log.warn({ event: 'site_found', orderId: order.id, siteId: site.siteId }, 'the host holds a site the order had not recorded; removed with the refund');
}

/** The order's site at the host, looked up by the name this step gives it. */
const findOrderSite = (deps: Deps, order: Order) =>
  recordProviderCall(deps.db, { orderId: order.id, provider: deps.hosting.name, operation: 'findSiteByName' }, () =>
    deps.hosting.findSiteByName(siteNameFor(order)),
  );

/** The remove_unrecorded_site job: the lookup keepUnrecordedSite could not make, made once the host answers; a site found is deleted. */
export async function removeUnrecordedSite(deps: Deps, orderId: string): Promise<void> {
  const order = await findOrderById(deps.db, orderId);
  if (!order || order.site_id) return; // recorded meanwhile: the refund's compensation removed it
  const site = await findOrderSite(deps, order);
  if (!site) return;
  await recordProviderCall(deps.db, { orderId, provider: deps.hosting.name, operation: 'deleteSite' }, () => deps.hosting.deleteSite(site.siteId));
  await addEvent(deps.db, orderId, 'site_found', { siteName: site.name });
  deps.log.warn({ event: 'site_found', orderId, siteId: site.siteId }, 'the host held a site the order had not recorded; removed');
}
