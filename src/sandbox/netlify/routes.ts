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
}

export interface NetlifyRoute {
  /** set on calls that create or upload (Netlify takes no idempotency key): faults may lose their answer once made */
  creates?: string;
  run(call: NetlifyCall): Promise<{ status: number; body?: unknown }> | { status: number; body?: unknown };
}

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
  deployLimits: { perMinute: SlidingWindow; perDay: SlidingWindow };
}

const page = (q: URLSearchParams) => {
  const n = Math.max(1, Number(q.get('page') ?? '1') || 1);
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? '100') || 100));
  return <T>(list: T[]) => list.slice((n - 1) * perPage, n * perPage);
};
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
        run: ({ query }) => {
          const q = query.get('name')?.toLowerCase();
          const found = [...account.sites.values()].filter((s) => !q || s.name.includes(q)).sort(newestFirst);
          return ok(page(query)(found).map(objects.siteJson));
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
      // showSiteTLSCertificate
      .add('GET', '/sites/{site_id}/ssl', {
        run: ({ params }) => {
          const site = account.siteOf(params.site_id);
          if (!site.certificate) throw notFound();
          return ok(objects.certificateJson(site.certificate));
        },
      })
      // listSiteDeploys: newest first, page / per_page
      .add('GET', '/sites/{site_id}/deploys', {
        run: ({ params, query }) => ok(page(query)(account.siteDeploys(account.siteOf(params.site_id)).sort(newestFirst)).map(objects.deployJson)),
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
   * The 422s swagger.yml lists for provisionSiteTLSCertificate: "No custom domain configured", and a custom domain whose
   * DNS does not reach Netlify (apex A to the load balancer, www CNAME to <name>.netlify.app) in Netlify's own words.
   */
  async function provision(site: SiteRecord, query: URLSearchParams): Promise<CertificateRecord> {
    if (query.get('certificate') || query.get('key')) {
      throw unprocessable('The sandbox issues certificates itself; uploading a custom certificate is not supported');
    }
    if (!site.customDomain) throw unprocessable('No custom domain configured');
    const names = [site.customDomain, ...site.domainAliases];
    if (site.certificate && names.every((n) => site.certificate!.domains.includes(n))) return site.certificate;
    const problems: string[] = [];
    if (!d.registry.isRegistered(site.customDomain)) problems.push(`${site.customDomain} is not registered in the sandbox`);
    for (const n of names) {
      const p = await dnsProblem(n, site, n === site.customDomain);
      if (p) problems.push(p);
    }
    if (problems.length) {
      throw unprocessable(`DNS verification failed: ${site.customDomain} doesn't appear to be served by Netlify`, { sandbox_detail: problems });
    }
    const issued = d.issue(names);
    const now = new Date().toISOString();
    return account.setCertificate(site, { state: 'issued', domains: names, createdAt: now, updatedAt: now, ...issued });
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
