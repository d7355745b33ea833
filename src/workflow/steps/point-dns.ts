// Phase 3: attach the domain at the host and point DNS at it: apex A to the load balancer, www CNAME to the site's own name.
import type { HostRecord } from '../../providers/registrar/index.ts';
import type { Step } from '../step.ts';

export const pointDns: Step = {
  name: 'point_dns',
  state: 'configuring_dns',
  async action({ deps, order, call }) {
    const site = await call(deps.hosting.name, 'setCustomDomain', () => deps.hosting.setCustomDomain(order.site_id!, order.domain));
    const targets = deps.hosting.dnsTargets(site);
    // setHosts replaces the whole record set: send every record the domain must keep
    const records: HostRecord[] = [
      ...targets.apexA.map((ip) => ({ name: '@', type: 'A' as const, address: ip, ttl: 300 })),
      { name: 'www', type: 'CNAME', address: targets.wwwCname, ttl: 300 },
    ];
    await call(deps.registrar.name, 'dns.setHosts', () => deps.registrar.setHosts(order.domain, records));
    return { outcome: 'done', output: { records: records.map((r) => `${r.name} ${r.type} ${r.address}`) } };
  },
};
