// Phase 3: wait until DNS answers with the host's records, through the configured resolver; the job reschedules itself, it never sleeps.
import type { Step } from '../step.ts';

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

export const waitDns: Step = {
  name: 'wait_dns',
  state: 'configuring_dns',
  async action({ deps, order, startedAt }) {
    const targets = deps.hosting.dnsTargets({ siteId: order.site_id!, name: order.site_name!, defaultDomain: order.site_domain! });
    let apex: string[] = [];
    let www: string[] = [];
    try {
      [apex, www] = await Promise.all([deps.resolver.resolve4(order.domain), deps.resolver.resolveCname(`www.${order.domain}`)]);
    } catch {
      // a resolver error is one more reason to look again later
    }
    const ready = targets.apexA.every((ip) => apex.includes(ip)) && www.map(bare).includes(bare(targets.wwwCname));
    if (ready) return { outcome: 'done', output: { apex, www } };
    if (Date.now() - startedAt.getTime() > deps.config.WAIT_MAX_MINUTES * 60_000) return { outcome: 'fail', code: 'dns_timeout' };
    return { outcome: 'wait', retryInMs: deps.config.DNS_POLL_MS, reason: 'dns_not_propagated' };
  },
};
