// Phase 2: create the site at the host, under a name derived from the order (the host takes no idempotency key).
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
};
