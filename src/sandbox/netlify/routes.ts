// The Netlify API the sandbox answers (base path /api/v1), route by route with its operationId in @netlify/open-api's
// swagger.yml. What every call shares (the token, the rate limits, error bodies) is requests.ts; the account's sites,
// deploys and files are state.ts.
import type { NameResolver } from '../../providers/dns/resolver.ts';
import { Router } from '../http/router.ts';
import type { SlidingWindow, WindowAnswer } from '../http/rate-window.ts';
import type { SandboxRegistry } from '../registry-state.ts';
import type { IssuedCertificate } from './certificates.ts';
import { hostName } from './files.ts';
import type { NetlifyObjects } from './objects.ts';
import { ApiError, defaultDomain, notFound, unprocessable, type CertificateRecord, type NetlifyAccount, type SiteRecord } from './state.ts';

export interface NetlifyCall {
  /** the path's {parameters}, percent-decoded */
  params: Record<string, string>;
  query: URLSearchParams;
  /** the body as a JSON object ({} when blank); 400 otherwise */
  json(): Promise<Record<string, unknown>>;
  /** the raw body, up to the upload limit */
  bytes(): Promise<Buffer>;
  now: number;
  /** the request's path under /api/v1 */
  path: string;
}

export interface NetlifyRoute {
  /** set on calls that create or upload (Netlify takes no idempotency key): faults may lose their answer once made */
  creates?: string;
  run(call: NetlifyCall): Promise<RouteAnswer> | RouteAnswer;
}

export type RouteAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A refusal by a rate limit; requests.ts answers it 429 with the window's headers. */
export class RateLimited extends Error {
  constructor(readonly window: WindowAnswer) {
    super('Rate limit exceeded');
  }
}

export interface NetlifyDeps {
  account: NetlifyAccount;
  objects: NetlifyObjects;
  token: string;
  registry: SandboxRegistry;
  resolver: NameResolver;
  loadBalancerIp: string;
  issue: (names: string[]) => IssuedCertificate;
  /** how long the CA takes to validate a certificate's names once asked (ms), drawn per request */
  certificateDelayMs: () => number;
  /** the API's origin, for the Link headers of listings */
  apiUrl: () => string;
  deployLimits: { perMinute: SlidingWindow; perDay: SlidingWindow };
}

/**
 * One page of a listing (`page`, `per_page`: at most 100) with Netlify's pagination headers: `Link` with rel="next" /
 * "prev" / "last" / "first" URLs, as its API documents ("Pagination": "Requests that return multiple items will be
 * paginated to 100 items by default... The Link header includes pagination information").
 */
function paged<T>(c: NetlifyCall, list: T[], apiUrl: string): { items: T[]; headers: Record<string, string> } {
  const n = Math.max(1, Number(c.query.get('page') ?? '1') || 1);
  const perPage = Math.min(100, Math.max(1, Number(c.query.get('per_page') ?? '100') || 100));
  const last = Math.max(1, Math.ceil(list.length / perPage));
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(c.query);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `<${apiUrl}/api/v1${c.path}?${q}>; rel="${rel}"`;
  };
  const links = [...(n < last ? [link(n + 1, 'next')] : []), ...(n > 1 ? [link(n - 1, 'prev')] : []), link(last, 'last'), link(1, 'first')];
  return { items: list.slice((n - 1) * perPage, n * perPage), headers: { link: links.join(', ') } };
}
const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => b.createdAt.localeCompare(a.createdAt);

export function netlifyRoutes(d: NetlifyDeps): Router<NetlifyRoute> {
  const { account, objects } = d;
  const ok = (body: unknown) => ({ status: 200, body });
  return (
    new Router<NetlifyRoute>(decodeURIComponent)
      // getCurrentUser: the token's owner
      .add('GET', '/user', { run: () => ok(objects.userJson(d.token)) })
      // listSites: `name` filters by substring; page / per_page (at most 100), newest first
      .add('GET', '/sites', {
        run: (c) => {
          const q = c.query.get('name')?.toLowerCase();
          const found = [...account.sites.values()].filter((s) => !q || s.name.includes(q)).sort(newestFirst);
          const { items, headers } = paged(c, found, d.apiUrl());
          return { status: 200, body: items.map(objects.siteJson), headers };
        },
      })
      // createSite → 201; a name taken anywhere on Netlify is 422 {"errors":{"subdomain":["must be unique"]}}
      .add('POST', '/sites', {
        creates: 'createSite',
        run: async (c) => {
          const body = await c.json();
          // every creation that reaches the account, made or refused, in its books (deleted sites stay there)
          const site = account.ledger.track({ operation: 'createSite', target: String(body.name ?? '').toLowerCase() }, netlifyCode, () =>
            account.createSite(body),
          );
          return { status: 201, body: objects.siteJson(site) };
        },
      })
      // getSite: a site id or one of the site's domains
      .add('GET', '/sites/{site_id}', { run: ({ params }) => ok(objects.siteJson(account.siteOf(params.site_id))) })
      // updateSite (PATCH; PUT is taken the same way)
      .add('PATCH', '/sites/{site_id}', { run: (c) => updateSite(c) })
      .add('PUT', '/sites/{site_id}', { run: (c) => updateSite(c) })
      // deleteSite → 204, its deploys with it
      .add('DELETE', '/sites/{site_id}', {
        run: ({ params }) => {
          account.deleteSite(account.siteOf(params.site_id));
          return { status: 204 };
        },
      })
      // provisionSiteTLSCertificate: Let's Encrypt for the custom domain and aliases, once their DNS points at Netlify
      .add('POST', '/sites/{site_id}/ssl', {
        run: async ({ params, query }) => ok(objects.certificateJson(await provision(account.siteOf(params.site_id), query))),
      })
      // showSiteTLSCertificate: pending until the CA has validated the names, then issued
      .add('GET', '/sites/{site_id}/ssl', {
        run: async ({ params }) => {
          const site = account.siteOf(params.site_id);
          if (!site.certificate) throw notFound();
          return ok(objects.certificateJson(await settleCertificate(site)));
        },
      })
      // listSiteDeploys: newest first, page / per_page, with Link headers
      .add('GET', '/sites/{site_id}/deploys', {
        run: (c) => {
          const { items, headers } = paged(c, account.siteDeploys(account.siteOf(c.params.site_id)).sort(newestFirst), d.apiUrl());
          return { status: 200, body: items.map(objects.deployJson), headers };
        },
      })
      // createSiteDeploy (the file digest method): files {path: sha1} → the deploy and the SHA1s it still `required`
      .add('POST', '/sites/{site_id}/deploys', {
        creates: 'createDeploy',
        run: async (c) => {
          const site = account.siteOf(c.params.site_id);
          const body = await c.json();
          takeDeploy(`${d.token}:${site.id}`, c.now);
          return ok(objects.deployJson(account.createDeploy(site, body, c.query.get('title'))));
        },
      })
      // getSiteDeploy
      .add('GET', '/sites/{site_id}/deploys/{deploy_id}', {
        run: ({ params }) => {
          const site = account.siteOf(params.site_id);
          const deploy = account.deploys.get(params.deploy_id);
          if (!deploy || deploy.siteId !== site.id) throw notFound();
          return ok(objects.deployJson(deploy));
        },
      })
      // getDeploy
      .add('GET', '/deploys/{deploy_id}', { run: ({ params }) => ok(objects.deployJson(deploy(params.deploy_id))) })
      // uploadDeployFile: the content must hash to the SHA1 the manifest named for that path
      .add('PUT', '/deploys/{deploy_id}/files/{path*}', {
        creates: 'uploadDeployFile',
        run: async (c) => {
          const target = deploy(c.params.deploy_id);
          const content = await c.bytes();
          return ok(objects.fileJson(account.uploadFile(target, `/${c.params.path}`, content), content.length));
        },
      })
  );

  function netlifyCode(err: unknown): string | undefined {
    if (!(err instanceof ApiError)) return undefined;
    return typeof err.body.message === 'string' ? err.body.message : JSON.stringify(err.body.errors ?? err.status);
  }

  function deploy(id: string) {
    const found = account.deploys.get(id);
    if (!found) throw notFound();
    return found;
  }

  async function updateSite(c: NetlifyCall) {
    const site = account.siteOf(c.params.site_id);
    return ok(objects.siteJson(account.updateSite(site, await c.json())));
  }

  /** Deploy creations are limited per site (a few a minute, 100 a day); API requests per token. */
  function takeDeploy(key: string, now: number): void {
    const perMinute = d.deployLimits.perMinute.peek(key, now);
    const perDay = d.deployLimits.perDay.peek(key, now);
    const blocked = !perMinute.allowed ? perMinute : !perDay.allowed ? perDay : undefined;
    if (blocked) throw new RateLimited(blocked);
    d.deployLimits.perMinute.take(key, now);
    d.deployLimits.perDay.take(key, now);
  }

  /**
   * provisionSiteTLSCertificate as the document describes it (@netlify/open-api 2.60.0, its description and its 422s):
   * without certificate parameters it starts Let's Encrypt provisioning, which Netlify runs asynchronously (the answer
   * is the pending certificate); a site that already has a certificate needs certificate, key and ca_certificates
   * ("certificate parameter is required when updating an existing certificate"); "No custom domain configured"; and
   * "bad dns for custom domain" while the custom domain or an alias does not point at Netlify.
   */
  async function provision(site: SiteRecord, query: URLSearchParams): Promise<CertificateRecord> {
    if (query.get('certificate') || query.get('key') || query.get('ca_certificates')) {
      throw unprocessable('The sandbox issues certificates itself; uploading a custom certificate is not supported');
    }
    if (!site.customDomain) throw unprocessable('No custom domain configured');
    if (site.certificate) throw unprocessable('certificate parameter is required when updating an existing certificate');
    const names = [site.customDomain, ...site.domainAliases];
    const problems = await dnsProblems(site, names);
    if (problems.length) throw unprocessable(`bad dns for custom domain: ${site.customDomain} doesn't appear to be served by Netlify (${problems.join('; ')})`);
    const now = new Date().toISOString();
    return account.setCertificate(site, { state: 'pending', domains: names, createdAt: now, updatedAt: now, issueAt: Date.now() + d.certificateDelayMs() });
  }

  /**
   * A pending certificate whose validation time has come is issued when its names still point here; otherwise it stays
   * pending and validation is tried again later, as Netlify retries until it succeeds.
   */
  async function settleCertificate(site: SiteRecord): Promise<CertificateRecord> {
    const cert = site.certificate!;
    if (cert.state !== 'pending' || Date.now() < (cert.issueAt ?? 0)) return cert;
    if ((await dnsProblems(site, cert.domains)).length) {
      cert.issueAt = Date.now() + Math.max(1_000, d.certificateDelayMs());
      return cert;
    }
    // the site may have changed while DNS was asked
    if (site.certificate !== cert) return site.certificate ?? cert;
    const now = new Date().toISOString();
    return account.setCertificate(site, { state: 'issued', domains: cert.domains, createdAt: cert.createdAt, updatedAt: now, ...d.issue(cert.domains) });
  }

  async function dnsProblems(site: SiteRecord, names: string[]): Promise<string[]> {
    const problems: string[] = [];
    if (!d.registry.isRegistered(site.customDomain!)) problems.push(`${site.customDomain} is not registered in the sandbox`);
    for (const n of names) {
      const p = await dnsProblem(n, site, n === site.customDomain);
      if (p) problems.push(p);
    }
    return problems;
  }

  /** Why `name` does not point at this edge yet, or undefined when it does. */
  async function dnsProblem(name: string, site: SiteRecord, apex: boolean): Promise<string | undefined> {
    try {
      if (!apex) {
        const targets = await d.resolver.resolveCname(name);
        if (targets.map((t) => hostName(t)).includes(defaultDomain(site))) return undefined;
      }
      const addresses = await d.resolver.resolve4(name);
      if (addresses.length === 0) return `${name} has no A record`;
      const stray = addresses.filter((a) => a !== d.loadBalancerIp);
      if (stray.length) return `${name} resolves to ${stray.join(', ')}, not ${d.loadBalancerIp}`;
      return undefined;
    } catch (err) {
      return `${name}: DNS lookup failed (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    }
  }
}
