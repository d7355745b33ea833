// Phase 3: get the HTTPS certificate, asked for only once DNS points at the host.
import { ProviderError } from '../../errors.ts';
import type { Step } from '../step.ts';

export const secureSite: Step = {
  name: 'secure_site',
  state: 'securing',
  async action({ deps, order, startedAt, call }) {
    const siteId = order.site_id!;
    let cert = await call(deps.hosting.name, 'getCertificate', () => deps.hosting.getCertificate(siteId));
    if (cert.state !== 'issued') {
      try {
        cert = await call(deps.hosting.name, 'provisionCertificate', () => deps.hosting.provisionCertificate(siteId));
      } catch (err) {
        if (!(err instanceof ProviderError && err.code === 'dns_not_ready')) throw err;
      }
    }
    if (cert.state === 'issued') return { outcome: 'done', output: { expiresAt: cert.expiresAt ?? null, domains: cert.domains } };
    if (Date.now() - startedAt.getTime() > deps.config.WAIT_MAX_MINUTES * 60_000) return { outcome: 'fail', code: 'certificate_timeout' };
    return { outcome: 'wait', retryInMs: deps.config.DNS_POLL_MS, reason: 'certificate_pending' };
  },
};
