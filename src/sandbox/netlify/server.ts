// The sandbox Netlify: its REST API (sites, file-digest deploys, custom domains, certificates) and the edge that serves
// deployed sites over HTTP and HTTPS. This file starts both; the API's routes are routes.ts (what every call goes
// through: requests.ts), the account state.ts, the edge edge.ts, the certificate authority certificates.ts.
//
// What it teaches about the real thing (docs.netlify.com/api-and-cli-guides/api-guides/get-started-with-api):
//  - a deploy is a manifest of path → SHA1; the answer's `required` lists only the contents the account does not hold
//    yet, so a redeploy uploads only what changed ("File digest method");
//  - site names are unique across all of Netlify: a taken name is a 422 whose body is
//    `{"errors":{"subdomain":["must be unique"]}}`, not the `{code, message}` of other errors;
//  - a certificate is asked for once the custom domain's DNS points at Netlify (before that the API answers 422 "bad dns
//    for custom domain"), stays pending while Let's Encrypt validates the names, then is issued; asking again for a site
//    that has one is a 422 (provisionSiteTLSCertificate in @netlify/open-api);
//  - limits are per token: 500 API requests a minute, a few deploys a minute, with X-RateLimit-* on every answer
//    ("Rate limiting").
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { NameResolver } from '../../providers/dns/resolver.ts';
import { sendJson, sendText } from '../http/answer.ts';
import { listenHttp, type HttpListener } from '../http/server.ts';
import { SlidingWindow } from '../http/rate-window.ts';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import type { Ledger } from '../ledger.ts';
import type { SandboxRegistry } from '../registry-state.ts';
import { CERT_VALIDITY_DAYS, issueCertificate, loadOrCreateCa } from './certificates.ts';
import { netlifyEdge } from './edge.ts';
import { hostName, NETLIFY_APP } from './files.ts';
import { netlifyObjects, type SandboxSiteSummary } from './objects.ts';
import { NETLIFY_JSON, netlifyApi } from './requests.ts';
import { netlifyRoutes } from './routes.ts';
import { NetlifyAccount } from './state.ts';

export { NETLIFY_APP } from './files.ts';
export type { SandboxSiteSummary } from './objects.ts';

/** TTL of the <name>.netlify.app A records (Netlify answers with short TTLs). */
const DEFAULT_DOMAIN_TTL = 20;

export interface NetlifySandboxOptions {
  token: string;
  registry: SandboxRegistry;
  /** resolves through the sandbox DNS: how certificate issuance checks that a domain points here */
  resolver: NameResolver;
  faults: FaultInjector;
  /** where ca.pem (and ca-key.pem) live; reused when present so a CA trusted once stays trusted */
  caDir?: string;
  /** where sites, deploys, file contents and certificates persist across restarts; none keeps them in memory */
  stateFile?: string;
  host?: string;
  port?: number;
  /** the edge's ports (default: any free one) */
  httpPort?: number;
  httpsPort?: number;
  rateLimit?: { apiPerMinute?: number; deploysPerMinute?: number; deploysPerDay?: number };
  /** the edge's address as DNS must show it; 127.0.0.1 in the sandbox (Netlify's is 75.2.60.5) */
  loadBalancerIp?: string;
  /** how long a deploy stays "processing" once its files are in (ms), drawn per deploy; default 25 */
  processingMs?: number | (() => number);
  /** how long a certificate stays pending once asked for (ms), drawn per request; default 3 s (SANDBOX_CERT_DELAY_SECONDS) */
  certificateDelayMs?: number | (() => number);
}

export interface NetlifySandboxServer extends SandboxServer {
  /** the API's origin (the adapter's baseUrl); the API lives under /api/v1 */
  apiUrl: string;
  /** the edge's plain-HTTP port */
  httpPort: number;
  /** the edge's HTTPS port */
  httpsPort: number;
  caCertPath: string;
  caCertPem: string;
  loadBalancerIp: string;
  sites(): SandboxSiteSummary[];
  /** for the sandbox DNS: A records of an existing site's default domain; undefined for any other name */
  dnsRecords(name: string): { type: 'A'; address: string; ttl: number }[] | undefined;
  /** sandbox knob: the lifetime of the certificates issued from now on (default 90 days, Let's Encrypt's) */
  setCertificateLifetime(ms: number): void;
  /** sandbox knob: renew the certificate of the site serving `domain` now, as Netlify does ahead of expiry; returns its new expiry */
  renewCertificate(domain: string): string;
  /** sandbox knob: the host fails the deploy `deployId` (state "error", or "rejected"), as when its processing fails */
  failDeploy(deployId: string, message: string, state?: 'error' | 'rejected'): void;
  /** sandbox knob: how long certificates asked for from now on stay pending (ms) */
  setCertificateDelay(ms: number | (() => number)): void;
  /** sandbox knob: how long deploys whose files are all in from now on stay processing (ms) */
  setProcessingTime(ms: number | (() => number)): void;
  /** the account's books: every site creation that reached it, made or refused (createSite, by name), deleted sites included */
  ledger: Ledger;
}

export async function startNetlifyServer(opts: NetlifySandboxOptions): Promise<NetlifySandboxServer> {
  const { faults } = opts;
  const loadBalancerIp = opts.loadBalancerIp ?? '127.0.0.1';
  const ownCaDir = !opts.caDir;
  const caDir = opts.caDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'netlify-sandbox-ca-'));
  const ca = loadOrCreateCa(caDir);
  let certificateLifetimeMs = CERT_VALIDITY_DAYS * 86_400_000;
  // Every *.netlify.app name is served with one wildcard certificate, as on the real edge;
  // it is also what a name without its own certificate gets (and fails to verify with).
  const wildcard = issueCertificate(ca, [`*.${NETLIFY_APP}`, NETLIFY_APP]);
  const defaultContext = tls.createSecureContext({ key: wildcard.keyPem, cert: wildcard.certPem });

  const sampler = (v: number | (() => number)) => (typeof v === 'number' ? () => v : v);
  let processingMs = sampler(opts.processingMs ?? 25);
  let certificateDelayMs = sampler(opts.certificateDelayMs ?? 3_000);
  const account = new NetlifyAccount({ stateFile: opts.stateFile, processingMs: () => processingMs() });
  let apiUrl = '';
  const objects = netlifyObjects(account, () => apiUrl);
  const router = netlifyRoutes({
    account,
    objects,
    token: opts.token,
    registry: opts.registry,
    resolver: opts.resolver,
    loadBalancerIp,
    issue: (names) => issueCertificate(ca, names, certificateLifetimeMs),
    certificateDelayMs: () => certificateDelayMs(),
    apiUrl: () => apiUrl,
    deployLimits: {
      perMinute: new SlidingWindow(opts.rateLimit?.deploysPerMinute ?? 3, 60_000),
      perDay: new SlidingWindow(opts.rateLimit?.deploysPerDay ?? 100, 86_400_000),
    },
  });
  const api = netlifyApi({ router, faults, token: opts.token, apiLimit: new SlidingWindow(opts.rateLimit?.apiPerMinute ?? 500, 60_000) });
  const listeners: HttpListener[] = [];
  const ports = { http: 0, https: 0 };
  const edge = netlifyEdge(account, () => ports);

  const host = opts.host ?? '127.0.0.1';
  const edgeFailure = (res: ServerResponse) => sendText(res, 500, 'Internal Server Error', { server: 'Netlify' });
  try {
    const apiListener = await listenHttp(
      (req, res) => {
        const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
        account.settle();
        // a look inside, for tests and the admin: no auth, no faults
        if (req.method === 'GET' && url.pathname === '/__sandbox/sites')
          return sendJson(res, 200, { sites: [...account.sites.values()].map(objects.summary) }, NETLIFY_JSON);
        const one = /^\/__sandbox\/sites\/([^/]+)$/.exec(url.pathname);
        if (req.method === 'GET' && one) {
          const site = account.sites.get(decodeURIComponent(one[1]));
          return site ? sendJson(res, 200, objects.summary(site), NETLIFY_JSON) : sendJson(res, 404, { code: 404, message: 'Not Found' }, NETLIFY_JSON);
        }
        if (!url.pathname.startsWith('/api/v1/'))
          return sendJson(res, 404, { code: 404, message: 'Not Found: the Netlify API lives under /api/v1' }, NETLIFY_JSON);
        return api(req, res, url.pathname.slice('/api/v1'.length), url.searchParams);
      },
      { host, port: opts.port, failure: (res) => sendJson(res, 500, { code: 500, message: 'Internal Server Error' }, NETLIFY_JSON) },
    );
    listeners.push(apiListener);
    const httpEdge = await listenHttp((req, res) => edge.serve(req, res, false), { host, port: opts.httpPort, failure: edgeFailure });
    listeners.push(httpEdge);
    const httpsEdge = await listenHttp((req, res) => edge.serve(req, res, true), {
      host,
      port: opts.httpsPort,
      failure: edgeFailure,
      tls: { key: wildcard.keyPem, cert: wildcard.certPem, SNICallback: (servername, cb) => cb(null, edge.contextFor(servername, defaultContext)) },
    });
    listeners.push(httpsEdge);
    ports.http = httpEdge.port;
    ports.https = httpsEdge.port;
    apiUrl = apiListener.url;
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }

  return {
    name: 'netlify',
    url: apiUrl,
    apiUrl,
    httpPort: ports.http,
    httpsPort: ports.https,
    caCertPath: ca.certPath,
    caCertPem: ca.certPem,
    loadBalancerIp,
    faults,
    sites: () => {
      account.settle();
      return [...account.sites.values()].map(objects.summary);
    },
    setCertificateLifetime: (ms) => {
      certificateLifetimeMs = ms;
    },
    renewCertificate: (domain) => {
      const site = account.siteOfCustomDomain(hostName(domain));
      if (site?.certificate?.state !== 'issued') throw new Error(`no issued certificate for ${domain}`);
      const issued = issueCertificate(ca, site.certificate.domains, certificateLifetimeMs);
      site.certificate = { ...site.certificate, updatedAt: new Date().toISOString(), ...issued };
      account.save();
      return issued.expiresAt;
    },
    failDeploy: (deployId, message, state) => {
      const deploy = account.deploys.get(deployId);
      if (!deploy) throw new Error(`no deploy ${deployId}`);
      account.failDeploy(deploy, message, state);
    },
    setCertificateDelay: (ms) => {
      certificateDelayMs = sampler(ms);
    },
    setProcessingTime: (ms) => {
      processingMs = sampler(ms);
    },
    ledger: account.ledger,
    dnsRecords: (name) => {
      const n = hostName(name);
      if (!n.endsWith(`.${NETLIFY_APP}`)) return undefined;
      return edge.target(n) ? [{ type: 'A', address: loadBalancerIp, ttl: DEFAULT_DOMAIN_TTL }] : undefined;
    },
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
      if (ownCaDir) fs.rmSync(caDir, { recursive: true, force: true });
    },
  };
}
