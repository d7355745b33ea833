// Phase 4: check over real HTTP(S), as a visitor would, that the site answers 200 with its own content and HTTP redirects to HTTPS.
import http from 'node:http';
import https from 'node:https';
import { siteMarker } from '../../site/render.ts';
import { isPublicAddress } from '../../providers/safe-url.ts';
import { trusting } from '../../providers/trust.ts';
import type { Deps } from '../../deps.ts';
import type { Step } from '../step.ts';

interface Answer {
  status: number;
  location?: string;
  body: string;
}

/** One GET to `address` (from our resolver) for `host`, on the edge's port; TLS checks the name against the trusted CAs. */
export function fetchVia(opts: { tls: boolean; address: string; port: number; host: string; ca?: string; timeoutMs?: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const lib = opts.tls ? https : http;
    const req = lib.request(
      {
        host: opts.address,
        port: opts.port,
        path: '/',
        method: 'GET',
        headers: { host: opts.host, 'user-agent': 'Conciergerie-Verifier/1.0' },
        servername: opts.tls ? opts.host : undefined,
        // the trusted CAs' context, built once (tls.connect takes it; node's types for a request do not list it); `ca`
        // stays too, so that a kept-alive socket is only reused for a request trusting the same CA (an agent's key)
        ca: opts.tls ? opts.ca : undefined,
        secureContext: opts.tls ? trusting(opts.ca) : undefined,
        timeout: opts.timeoutMs ?? 10_000,
      } as https.RequestOptions,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 1_000_000) body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export interface LiveCheck {
  /** what is wrong, in words for the logs and the timeline's data; empty when the site is live */
  problems: string[];
  address?: string;
  httpsStatus?: number;
  httpStatus?: number;
  httpsMs?: number;
}

/**
 * Is the customer's site live as a visitor sees it? Through our resolver to the address DNS gives,
 * HTTPS must answer 200 with `marker` in the home page (our deploy, not a parking page; a version
 * when publishing), and plain HTTP must redirect to HTTPS. The pipeline's verify step and the check
 * after a publish both ask this.
 */
export async function checkSiteLive(deps: Deps, domain: string, marker: string): Promise<LiveCheck> {
  const { edge } = deps;
  const problems: string[] = [];
  try {
    const [address] = await deps.resolver.resolve4(domain);
    if (!address) throw new Error('no A record');
    // security: the name is the customer's and so is, in the end, its DNS: outside the sandbox never connect to a
    // loopback, private, link-local or metadata address from inside our network (the check is on the address we connect to)
    if (!deps.config.sandbox.hosting && !isPublicAddress(address)) throw new Error(`${address} is not a public address`);
    const started = performance.now();
    const secure = await fetchVia({ tls: true, address, port: edge.httpsPort, host: domain, ca: edge.ca });
    const httpsMs = Math.round(performance.now() - started);
    if (secure.status !== 200) problems.push(`https status ${secure.status}`);
    else if (!secure.body.includes(marker)) problems.push('https answers with other content');
    const plain = await fetchVia({ tls: false, address, port: edge.httpPort, host: domain });
    const redirects = [301, 302, 307, 308].includes(plain.status) && (plain.location ?? '').startsWith(`https://${domain}`);
    if (!redirects) problems.push(`http answers ${plain.status} ${plain.location ?? ''}`.trim());
    return { problems, address, httpsStatus: secure.status, httpStatus: plain.status, httpsMs };
  } catch (err) {
    problems.push((err as Error).message);
    return { problems };
  }
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
