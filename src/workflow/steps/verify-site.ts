// Phase 4: check over real HTTP(S), as a visitor would, that the site answers 200 with its own content and HTTP redirects to HTTPS.
import { siteMarker } from '../../site/render.ts';
import { probeSite, type ProbeWorld, type SiteProbe } from '../../providers/site-probe.ts';
import type { Step } from '../step.ts';

/**
 * Is the customer's site live as a visitor sees it? HTTPS must answer 200 with `marker` in the home page (our deploy,
 * not a parking page; a version when publishing), and plain HTTP must redirect to HTTPS. The pipeline's verify step
 * and the check after a publish both ask this.
 */
export function checkSiteLive(world: ProbeWorld, domain: string, marker: string): Promise<SiteProbe> {
  return probeSite(world, domain, { marker, redirect: true, timeoutMs: 10_000 });
}

export const verifySite: Step = {
  name: 'verify_site',
  state: 'verifying',
  async action({ deps, order, startedAt }) {
    const check = await checkSiteLive(deps, order.domain, siteMarker(order.domain));
    const { problems, address, httpsStatus, httpStatus, httpsMs } = check;
    if (!problems.length) return { outcome: 'done', output: { address, httpsStatus, httpStatus, httpsMs } };
    if (Date.now() - startedAt.getTime() > deps.config.WAIT_MAX_MINUTES * 60_000) return { outcome: 'fail', code: 'verification_failed', data: { problems } };
    return { outcome: 'wait', retryInMs: Math.min(deps.config.DNS_POLL_MS, 15_000), reason: problems.join('; ') };
  },
};
