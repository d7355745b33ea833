// Phase 3: get the HTTPS certificate, asked for once DNS points at the host. Netlify issues it asynchronously: the step
// looks first (so a retry never asks twice), asks once, then comes back later (run_at) until it is issued.
import { ProviderError } from '../../errors.ts';
import type { CertificateState } from '../../providers/hosting/index.ts';
import { hostPollMs, type Step } from '../step.ts';

export const secureSite: Step = {
  name: 'secure_site',
  state: 'securing',
  async action({ deps, order, startedAt, attempt, call }) {
    const hosting = deps.hosting;
    const siteId = order.site_id!;
    // a retry looks first, so that it never asks twice; on the step's first run nothing can have been asked yet
    let cert: CertificateState =
      attempt === 1 ? { state: 'not_requested', domains: [] } : await call(hosting.name, 'getCertificate', () => hosting.getCertificate(siteId));
    let reason = 'certificate_pending';
    if (cert.state === 'not_requested') {
      try {
        cert = await call(hosting.name, 'provisionCertificate', () => hosting.provisionCertificate(siteId));
      } catch (err) {
        // DNS not seen by the host yet is a wait; any other refusal ("No custom domain configured") is definite
        if (!(err instanceof ProviderError && err.code === 'dns_not_ready')) throw err;
        reason = 'certificate_dns_not_ready';
      }
    }
    if (cert.state === 'issued') return { outcome: 'done', output: { expiresAt: cert.expiresAt ?? null, domains: cert.domains } };
    if (cert.state === 'failed') return { outcome: 'fail', code: 'certificate_failed' };
    if (Date.now() - startedAt.getTime() > deps.config.WAIT_MAX_MINUTES * 60_000) return { outcome: 'fail', code: 'certificate_timeout' };
    // pending: the host's CA is validating the names; DNS not ready: the host refuses to ask until it sees it
    return {
      outcome: 'wait',
      retryInMs: reason === 'certificate_pending' ? hostPollMs(deps.config, Date.now() - startedAt.getTime()) : deps.config.DNS_POLL_MS,
      reason,
    };
  },
};
