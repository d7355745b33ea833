// Netlify's edge: serves deployed sites over HTTP and HTTPS, choosing the site by Host header and its certificate by SNI.
//  - <name>.netlify.app serves the published deploy, <deploy>--<name>.netlify.app that very deploy, custom domains and
//    aliases the published deploy; an unknown host gets "Not Found - Request ID: …";
//  - with force_ssl and a certificate covering the host, HTTP answers 301 to HTTPS; www redirects to the apex when the
//    apex is the primary domain;
//  - a path resolves to itself, then .html, then /index.html; /404.html answers what matches nothing;
//  - the deploy's _headers apply over the edge's defaults (headers.ts); _headers and _redirects are never served.
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import { CONFIG_FILES, headersFor, parseHeadersFile, type HeaderRule } from './headers.ts';
import { hostName, mimeType, NETLIFY_APP, normalizePath, requestIdOf } from './files.ts';
import type { CertificateRecord, DeployRecord, NetlifyAccount, SiteRecord } from './state.ts';

export interface EdgeTarget {
  site: SiteRecord;
  /** the deploy a permalink names; otherwise the site's published one */
  deploy?: DeployRecord;
  kind: 'default' | 'permalink' | 'custom' | 'alias';
}

export function netlifyEdge(account: NetlifyAccount, ports: () => { http: number; https: number }) {
  function target(host: string): EdgeTarget | undefined {
    if (host.endsWith(`.${NETLIFY_APP}`)) {
      const label = host.slice(0, -(NETLIFY_APP.length + 1));
      if (label.includes('.')) return undefined;
      const permalink = /^([0-9a-f]{24})--(.+)$/.exec(label);
      if (permalink) {
        const site = account.siteByName(permalink[2]);
        const deploy = account.deploys.get(permalink[1]);
        return site && deploy?.siteId === site.id ? { site, deploy, kind: 'permalink' } : undefined;
      }
      const site = account.siteByName(label);
      return site ? { site, kind: 'default' } : undefined;
    }
    for (const site of account.sites.values()) {
      if (site.customDomain === host) return { site, kind: 'custom' };
      if (site.domainAliases.includes(host)) return { site, kind: 'alias' };
    }
    return undefined;
  }

  // only an issued certificate is served; a pending one has no PEMs yet
  const covered = (site: SiteRecord, host: string) => site.certificate?.state === 'issued' && site.certificate.domains.includes(host);

  // a deploy's _headers, read once per content (deploys sharing the file share the parse)
  const parsedHeaders = new Map<string, HeaderRule[]>();
  function headerRules(deploy: DeployRecord): HeaderRule[] {
    const sha = deploy.files['/_headers'];
    if (!sha) return [];
    let rules = parsedHeaders.get(sha);
    if (!rules) {
      rules = parseHeadersFile((account.blobs.get(sha) ?? Buffer.alloc(0)).toString('utf8'));
      parsedHeaders.set(sha, rules);
    }
    return rules;
  }

  function serve(req: IncomingMessage, res: ServerResponse, secure: boolean) {
    account.settle();
    const requestId = requestIdOf();
    const base = { server: 'Netlify', 'x-nf-request-id': requestId };
    const host = hostName(
      String(req.headers.host ?? '')
        .replace(/:\d+$/, '')
        .replace(/^\[|\]$/g, ''),
    );
    const found = target(host);
    const notFoundPage = () => {
      res.writeHead(404, { ...base, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : `Not Found - Request ID: ${requestId}`);
    };
    if (!found) return notFoundPage();
    const { site } = found;
    const url = new URL(req.url ?? '/', 'http://edge.invalid');
    const redirect = (to: string) => {
      res.writeHead(301, { ...base, location: to, 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `Redirecting to ${to}`);
    };
    const origin = (scheme: 'http' | 'https', name: string) => {
      const port = scheme === 'https' ? ports().https : ports().http;
      const standard = scheme === 'https' ? 443 : 80;
      return `${scheme}://${name}${port === standard ? '' : `:${port}`}`;
    };
    const onCustom = found.kind === 'custom' || found.kind === 'alias';
    const httpsReady = onCustom && site.forceSsl && covered(site, host);
    const wwwOfApex = found.kind === 'alias' && site.customDomain !== null && host === `www.${site.customDomain}`;
    if (wwwOfApex) {
      const scheme = secure || (site.forceSsl && covered(site, site.customDomain!)) ? 'https' : 'http';
      return redirect(`${origin(scheme, site.customDomain!)}${url.pathname}${url.search}`);
    }
    if (!secure && httpsReady) return redirect(`${origin('https', host)}${url.pathname}${url.search}`);

    let deploy = found.deploy;
    if (!deploy && site.publishedDeployId) deploy = account.deploys.get(site.publishedDeployId);
    if (deploy?.state !== 'ready') return notFoundPage();

    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = url.pathname;
    }
    const candidates = pathname.endsWith('/') ? [`${pathname}index.html`] : [pathname, `${pathname}.html`, `${pathname}/index.html`];
    let status = 200;
    let file = candidates.map(normalizePath).find((p) => p && deploy!.files[p] && !CONFIG_FILES.has(p));
    if (!file && deploy.files['/404.html']) {
      file = '/404.html';
      status = 404;
    }
    const headers: Record<string, string> = { ...base, 'cache-control': 'public,max-age=0,must-revalidate', age: '0' };
    if (secure) headers['strict-transport-security'] = 'max-age=31536000';
    Object.assign(headers, headersFor(headerRules(deploy), pathname));
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Page not found</title><h1>Page not found</h1>');
      return;
    }
    const sha = deploy.files[file];
    const content = account.blobs.get(sha) ?? Buffer.alloc(0);
    res.writeHead(status, {
      ...headers,
      'content-type': mimeType(file),
      'content-length': String(content.length),
      etag: `"${sha}${secure ? '-ssl' : ''}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  }

  // one TLS context per certificate, made once
  const contexts = new Map<string, tls.SecureContext>();
  const contextOf = (cert: CertificateRecord) => {
    let ctx = contexts.get(cert.certPem!);
    if (!ctx) contexts.set(cert.certPem!, (ctx = tls.createSecureContext({ key: cert.keyPem, cert: cert.certPem })));
    return ctx;
  };

  /** SNI: the site's own certificate when it covers the name, else the default (*.netlify.app) one. */
  function contextFor(servername: string, fallback: tls.SecureContext): tls.SecureContext {
    const name = hostName(servername);
    const cert = target(name)?.site.certificate;
    return cert?.state === 'issued' && cert.domains.includes(name) ? contextOf(cert) : fallback;
  }

  return { serve, target, contextFor };
}
