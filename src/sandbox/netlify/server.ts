// The sandbox Netlify: its REST API (sites, file-digest deploys, custom domains, certificates) and the edge that serves deployed sites over HTTP and HTTPS.
//
// What it teaches about the real thing:
//  - a deploy is a manifest of path → SHA1; the answer's `required` lists only the contents the
//    account does not hold yet, so a redeploy uploads only what changed;
//  - site names are unique across all of Netlify: a taken name is a 422 whose body is
//    `{"errors":{"subdomain":["must be unique"]}}`, not the `{code, message}` of other errors;
//  - a certificate is issued only once the custom domain's DNS points at Netlify (apex A to the
//    load balancer, www CNAME to <name>.netlify.app); before that the API answers 422;
//  - the edge picks the site by Host header (and its certificate by SNI); an unknown host gets
//    "Not Found - Request ID: …"; with force_ssl and a certificate, HTTP answers 301 to HTTPS,
//    and www redirects to the apex when the apex is the primary domain;
//  - limits are per token: 500 API requests a minute, a few deploys a minute, with
//    X-RateLimit-Limit / -Remaining / -Reset (Unix seconds) on every answer.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import type { NameResolver } from '../../providers/dns/resolver.ts';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import type { SandboxRegistry } from '../registry-state.ts';
import { CONFIG_FILES, headersFor, parseHeadersFile, type HeaderRule } from './headers.ts';

/** The suffix of every site's default domain. */
export const NETLIFY_APP = 'netlify.app';

const CERT_VALIDITY_DAYS = 90;
const CA_VALIDITY_YEARS = 10;
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
  /** how long a deploy stays "processing" once its files are in (ms); default 25 */
  processingMs?: number;
}

export interface SandboxSiteSummary {
  id: string;
  name: string;
  default_domain: string;
  custom_domain: string | null;
  domain_aliases: string[];
  force_ssl: boolean;
  published_deploy_id: string | null;
  certificate: { state: string; domains: string[]; expires_at: string } | null;
  deploys: { id: string; state: string; title: string | null; files: number; created_at: string }[];
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
}

interface CertificateRecord {
  state: 'issued';
  domains: string[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  certPem: string;
  keyPem: string;
}

interface SiteRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  customDomain: string | null;
  domainAliases: string[];
  forceSsl: boolean;
  publishedDeployId: string | null;
  certificate: CertificateRecord | null;
}

type DeployState = 'prepared' | 'uploading' | 'processing' | 'ready' | 'error';

interface DeployRecord {
  id: string;
  siteId: string;
  title: string | null;
  draft: boolean;
  state: DeployState;
  /** path → SHA1 */
  files: Record<string, string>;
  /** SHA1s the account lacked when the deploy was created */
  required: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** ms since epoch at which "processing" turns "ready" */
  readyAt: number | null;
}

interface Snapshot {
  sites: SiteRecord[];
  deploys: DeployRecord[];
  /** SHA1 → base64 content: the account's file store, shared by every deploy */
  blobs: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? status));
  }
}

const notFound = () => new ApiError(404, { code: 404, message: 'Not Found' });
const unprocessable = (message: string, extra: Record<string, unknown> = {}) => new ApiError(422, { code: 422, message, ...extra });
/** Rails-style validation failure, the shape Netlify answers for site attributes. */
const invalidField = (field: string, message: string) => new ApiError(422, { errors: { [field]: [message] } });

export async function startNetlifyServer(opts: NetlifySandboxOptions): Promise<NetlifySandboxServer> {
  const { faults, resolver } = opts;
  const loadBalancerIp = opts.loadBalancerIp ?? '127.0.0.1';
  const processingMs = opts.processingMs ?? 25;
  const limits = {
    api: new SlidingWindow(opts.rateLimit?.apiPerMinute ?? 500, 60_000),
    deploysPerMinute: new SlidingWindow(opts.rateLimit?.deploysPerMinute ?? 3, 60_000),
    deploysPerDay: new SlidingWindow(opts.rateLimit?.deploysPerDay ?? 100, 86_400_000),
  };

  // ---- certificates ----------------------------------------------------------------------

  const ownCaDir = !opts.caDir;
  const caDir = opts.caDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'netlify-sandbox-ca-'));
  const ca = loadOrCreateCa(caDir);
  // Every *.netlify.app name is served with one wildcard certificate, as on the real edge;
  // it is also what a name without its own certificate gets (and fails to verify with).
  const wildcard = issueCertificate(ca, [`*.${NETLIFY_APP}`, NETLIFY_APP]);
  const defaultContext = tls.createSecureContext({ key: wildcard.keyPem, cert: wildcard.certPem });
  const contexts = new Map<string, tls.SecureContext>();
  let certificateLifetimeMs = CERT_VALIDITY_DAYS * 86_400_000;
  const contextOf = (cert: CertificateRecord) => {
    let ctx = contexts.get(cert.certPem);
    if (!ctx) contexts.set(cert.certPem, (ctx = tls.createSecureContext({ key: cert.keyPem, cert: cert.certPem })));
    return ctx;
  };

  // ---- state -------------------------------------------------------------------------------

  const sites = new Map<string, SiteRecord>();
  const deploys = new Map<string, DeployRecord>();
  const blobs = new Map<string, Buffer>();
  if (opts.stateFile && fs.existsSync(opts.stateFile)) {
    const snap = JSON.parse(fs.readFileSync(opts.stateFile, 'utf8')) as Snapshot;
    for (const s of snap.sites) sites.set(s.id, s);
    for (const d of snap.deploys) deploys.set(d.id, d);
    for (const [sha, b64] of Object.entries(snap.blobs)) blobs.set(sha, Buffer.from(b64, 'base64'));
  }
  function save() {
    if (!opts.stateFile) return;
    const snap: Snapshot = {
      sites: [...sites.values()],
      deploys: [...deploys.values()],
      blobs: Object.fromEntries([...blobs].map(([sha, b]) => [sha, b.toString('base64')])),
    };
    fs.mkdirSync(path.dirname(opts.stateFile), { recursive: true });
    const tmp = `${opts.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(snap));
    fs.renameSync(tmp, opts.stateFile);
  }

  const defaultDomain = (s: SiteRecord) => `${s.name}.${NETLIFY_APP}`;
  const primaryDomain = (s: SiteRecord) => s.customDomain ?? defaultDomain(s);
  const siteByName = (name: string) => [...sites.values()].find((s) => s.name === name);

  /** Netlify accepts a site's id or one of its domains wherever a site_id goes. */
  function siteOf(idOrDomain: string): SiteRecord {
    const key = idOrDomain.toLowerCase();
    const site = sites.get(idOrDomain) ?? [...sites.values()].find((s) => defaultDomain(s) === key || s.customDomain === key || s.domainAliases.includes(key));
    if (!site) throw notFound();
    return site;
  }

  /** Deploys finish processing in the background; state is brought up to date whenever it is read. */
  function settle() {
    const now = Date.now();
    let changed = false;
    for (const d of deploys.values()) {
      if (d.state !== 'processing' || d.readyAt === null || now < d.readyAt) continue;
      d.state = 'ready';
      d.updatedAt = d.publishedAt = new Date(now).toISOString();
      const site = sites.get(d.siteId);
      const current = site?.publishedDeployId ? deploys.get(site.publishedDeployId) : undefined;
      if (site && !d.draft && (!current || current.createdAt <= d.createdAt)) site.publishedDeployId = d.id;
      changed = true;
    }
    if (changed) save();
  }

  function startProcessing(d: DeployRecord) {
    d.state = 'processing';
    d.readyAt = Date.now() + processingMs;
    d.updatedAt = new Date().toISOString();
  }

  // ---- JSON shapes (the real API's field names) ------------------------------------------

  function certificateJson(c: CertificateRecord) {
    return { state: c.state, domains: c.domains, created_at: c.createdAt, updated_at: c.updatedAt, expires_at: c.expiresAt };
  }

  function deployJson(d: DeployRecord) {
    const site = sites.get(d.siteId)!;
    const permalink = `${d.id}--${site.name}.${NETLIFY_APP}`;
    return {
      id: d.id,
      site_id: d.siteId,
      build_id: null,
      state: d.state,
      name: site.name,
      url: `http://${primaryDomain(site)}`,
      ssl_url: `https://${primaryDomain(site)}`,
      admin_url: `${apiUrl}/__sandbox/sites/${site.id}`,
      deploy_url: `http://${permalink}`,
      deploy_ssl_url: `https://${permalink}`,
      required: d.required,
      required_functions: [],
      error_message: null,
      branch: null,
      commit_ref: null,
      skipped: null,
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      published_at: d.publishedAt,
      title: d.title,
      context: 'production',
      locked: false,
      draft: d.draft,
      review_id: null,
      framework: null,
    };
  }

  function siteJson(s: SiteRecord) {
    const published = s.publishedDeployId ? deploys.get(s.publishedDeployId) : undefined;
    return {
      id: s.id,
      site_id: s.id,
      name: s.name,
      state: 'current',
      plan: 'nf_team_dev',
      url: `http://${primaryDomain(s)}`,
      ssl_url: `https://${primaryDomain(s)}`,
      admin_url: `${apiUrl}/__sandbox/sites/${s.id}`,
      default_domain: defaultDomain(s),
      custom_domain: s.customDomain,
      domain_aliases: s.domainAliases,
      ssl: !!s.certificate,
      force_ssl: s.forceSsl,
      managed_dns: false,
      deploy_url: published ? `http://${published.id}--${s.name}.${NETLIFY_APP}` : null,
      deploy_id: published?.id ?? null,
      published_deploy: published ? deployJson(published) : null,
      account_name: 'Conciergerie (sandbox)',
      account_slug: 'conciergerie-sandbox',
      capabilities: {},
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  }

  function summary(s: SiteRecord): SandboxSiteSummary {
    return {
      id: s.id,
      name: s.name,
      default_domain: defaultDomain(s),
      custom_domain: s.customDomain,
      domain_aliases: s.domainAliases,
      force_ssl: s.forceSsl,
      published_deploy_id: s.publishedDeployId,
      certificate: s.certificate ? { state: s.certificate.state, domains: s.certificate.domains, expires_at: s.certificate.expiresAt } : null,
      deploys: [...deploys.values()]
        .filter((d) => d.siteId === s.id)
        .map((d) => ({ id: d.id, state: d.state, title: d.title, files: Object.keys(d.files).length, created_at: d.createdAt })),
    };
  }

  // ---- sites ---------------------------------------------------------------------------------

  function checkName(name: string, self?: SiteRecord) {
    // "--" separates a deploy id from the site name in permalinks (<deploy>--<name>.netlify.app).
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) || name.includes('--')) throw invalidField('subdomain', 'is invalid');
    // "taken-*" names belong to another Netlify account, as "taken-*" domains do in the registry.
    const other = siteByName(name);
    if ((other && other !== self) || name.startsWith('taken-')) throw invalidField('subdomain', 'must be unique');
  }

  function checkDomain(domain: string, self: SiteRecord) {
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/.test(domain) || domain.endsWith(`.${NETLIFY_APP}`)) {
      throw invalidField('custom_domain', 'is invalid');
    }
    const owner = [...sites.values()].find((s) => s !== self && (s.customDomain === domain || s.domainAliases.includes(domain)));
    if (owner) throw invalidField('custom_domain', 'must be unique');
  }

  function createSite(body: Record<string, unknown>): SiteRecord {
    const name = body.name === undefined || body.name === null || body.name === '' ? randomName() : String(body.name).toLowerCase();
    checkName(name);
    const now = new Date().toISOString();
    const site: SiteRecord = {
      id: crypto.randomUUID(),
      name,
      createdAt: now,
      updatedAt: now,
      customDomain: null,
      domainAliases: [],
      forceSsl: false,
      publishedDeployId: null,
      certificate: null,
    };
    sites.set(site.id, site);
    if (body.custom_domain || body.domain_aliases || body.force_ssl !== undefined) {
      try {
        updateSite(site, body);
      } catch (err) {
        sites.delete(site.id);
        throw err;
      }
    }
    save();
    return site;
  }

  function updateSite(site: SiteRecord, body: Record<string, unknown>): SiteRecord {
    const next = { ...site };
    if (typeof body.name === 'string' && body.name.toLowerCase() !== site.name) {
      checkName(body.name.toLowerCase(), site);
      next.name = body.name.toLowerCase();
    }
    if ('custom_domain' in body) {
      const d = body.custom_domain ? hostName(String(body.custom_domain)) : null;
      if (d) checkDomain(d, site);
      next.customDomain = d;
    }
    if (Array.isArray(body.domain_aliases)) {
      const aliases = [...new Set(body.domain_aliases.map((a) => hostName(String(a))).filter(Boolean))];
      for (const a of aliases) checkDomain(a, site);
      next.domainAliases = aliases;
    }
    if (typeof body.force_ssl === 'boolean') next.forceSsl = body.force_ssl;
    // A certificate that no longer covers the site's names is dropped, as a domain change does.
    const names = next.customDomain ? [next.customDomain, ...next.domainAliases] : [];
    if (next.certificate && !names.every((n) => next.certificate!.domains.includes(n))) next.certificate = null;
    next.updatedAt = new Date().toISOString();
    Object.assign(site, next);
    save();
    return site;
  }

  // ---- certificates -------------------------------------------------------------------------

  /** Why `name` does not point at this edge yet, or undefined when it does. */
  async function dnsProblem(name: string, site: SiteRecord, apex: boolean): Promise<string | undefined> {
    try {
      if (!apex) {
        const targets = await resolver.resolveCname(name);
        if (targets.map((t) => hostName(t)).includes(defaultDomain(site))) return undefined;
      }
      const addresses = await resolver.resolve4(name);
      if (addresses.length === 0) return `${name} has no A record`;
      const stray = addresses.filter((a) => a !== loadBalancerIp);
      if (stray.length) return `${name} resolves to ${stray.join(', ')}, not ${loadBalancerIp}`;
      return undefined;
    } catch (err) {
      return `${name}: DNS lookup failed (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    }
  }

  async function provisionCertificate(site: SiteRecord, query: URLSearchParams): Promise<CertificateRecord> {
    if (query.get('certificate') || query.get('key')) {
      throw unprocessable('The sandbox issues certificates itself; uploading a custom certificate is not supported');
    }
    if (!site.customDomain) throw unprocessable('No custom domain configured');
    const names = [site.customDomain, ...site.domainAliases];
    if (site.certificate && names.every((n) => site.certificate!.domains.includes(n))) return site.certificate;
    const problems: string[] = [];
    if (!opts.registry.isRegistered(site.customDomain)) problems.push(`${site.customDomain} is not registered in the sandbox`);
    for (const n of names) {
      const p = await dnsProblem(n, site, n === site.customDomain);
      if (p) problems.push(p);
    }
    if (problems.length) {
      // Netlify's own wording for a domain whose DNS does not reach its edge yet.
      throw unprocessable(`DNS verification failed: ${site.customDomain} doesn't appear to be served by Netlify`, {
        sandbox_detail: problems,
      });
    }
    const issued = issueCertificate(ca, names, certificateLifetimeMs);
    const now = new Date().toISOString();
    site.certificate = {
      state: 'issued',
      domains: names,
      createdAt: now,
      updatedAt: now,
      expiresAt: issued.expiresAt,
      certPem: issued.certPem,
      keyPem: issued.keyPem,
    };
    site.updatedAt = now;
    save();
    return site.certificate;
  }

  // ---- deploys ---------------------------------------------------------------------------------

  function createDeploy(site: SiteRecord, body: Record<string, unknown>, title: string | null): DeployRecord {
    const files = body.files;
    if (!files || typeof files !== 'object' || Array.isArray(files)) throw unprocessable('files must be an object of path → SHA1');
    const manifest: Record<string, string> = {};
    for (const [p, sha] of Object.entries(files as Record<string, unknown>)) {
      const normalized = normalizePath(p);
      if (!normalized || typeof sha !== 'string' || !/^[0-9a-f]{40}$/i.test(sha)) {
        throw unprocessable(`Invalid file entry: ${p}`);
      }
      manifest[normalized] = sha.toLowerCase();
    }
    const required = [...new Set(Object.values(manifest))].filter((sha) => !blobs.has(sha));
    const now = new Date().toISOString();
    const deploy: DeployRecord = {
      id: crypto.randomBytes(12).toString('hex'),
      siteId: site.id,
      title,
      draft: body.draft === true,
      state: 'prepared',
      files: manifest,
      required,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      readyAt: null,
    };
    if (required.length === 0) startProcessing(deploy);
    deploys.set(deploy.id, deploy);
    save();
    return deploy;
  }

  // what each deploy has received itself: as on Netlify, a deploy is ready once *its* required files
  // were uploaded to it, whatever another deploy uploaded meanwhile
  const receivedByDeploy = new Map<string, Set<string>>();

  function uploadFile(deploy: DeployRecord, filePath: string, content: Buffer) {
    const p = normalizePath(filePath);
    const expected = p ? deploy.files[p] : undefined;
    if (!p || !expected) throw notFound();
    if (deploy.state === 'ready' || deploy.state === 'error') throw unprocessable(`Deploy is already ${deploy.state}`);
    const sha = crypto.createHash('sha1').update(content).digest('hex');
    if (sha !== expected) throw unprocessable(`Checksum mismatch for ${p}: expected ${expected}, got ${sha}`);
    blobs.set(sha, content);
    let received = receivedByDeploy.get(deploy.id);
    if (!received) receivedByDeploy.set(deploy.id, (received = new Set()));
    received.add(sha);
    if (deploy.state === 'prepared') deploy.state = 'uploading';
    deploy.updatedAt = new Date().toISOString();
    if (deploy.state === 'uploading' && deploy.required.every((s) => received!.has(s))) startProcessing(deploy);
    save();
    return { id: p, path: p, sha, mime_type: mimeType(p), size: content.length };
  }

  const accountCreatedAt = new Date().toISOString();
  function currentUser() {
    return {
      id: crypto.createHash('sha1').update(opts.token).digest('hex').slice(0, 24),
      uid: null,
      full_name: 'Sandbox Account',
      avatar_url: null,
      email: 'sandbox-owner@conciergerie.test',
      affiliate_id: '',
      site_count: sites.size,
      created_at: accountCreatedAt,
      last_login: new Date().toISOString(),
      login_providers: ['email'],
      onboarding_progress: { slides: 'done' },
    };
  }

  // ---- the API ------------------------------------------------------------------------------

  function sendJson(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function rateHeaders(res: ServerResponse, r: WindowAnswer) {
    res.setHeader('x-ratelimit-limit', String(r.limit));
    res.setHeader('x-ratelimit-remaining', String(r.remaining));
    res.setHeader('x-ratelimit-reset', String(Math.ceil(r.resetAt / 1000)));
  }

  function tooMany(res: ServerResponse, r: WindowAnswer) {
    rateHeaders(res, r);
    res.setHeader('retry-after', String(Math.max(1, Math.ceil((r.resetAt - Date.now()) / 1000))));
    sendJson(res, 429, { code: 429, message: 'Rate limit exceeded' });
  }

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';
    settle();

    // Sandbox extensions: a look inside, for tests and the admin. No auth, no faults.
    if (url.pathname === '/__sandbox/sites' && method === 'GET') return sendJson(res, 200, { sites: [...sites.values()].map(summary) });
    const one = /^\/__sandbox\/sites\/([^/]+)$/.exec(url.pathname);
    if (one && method === 'GET') {
      const site = sites.get(decodeURIComponent(one[1]));
      return site ? sendJson(res, 200, summary(site)) : sendJson(res, 404, { code: 404, message: 'Not Found' });
    }
    if (!url.pathname.startsWith('/api/v1/')) return sendJson(res, 404, { code: 404, message: 'Not Found: the Netlify API lives under /api/v1' });

    const serverError = (r: ServerResponse) => sendJson(r, 500, { code: 500, message: 'Internal Server Error' });
    if (!(await faults.apply(req, res, serverError))) return;

    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth || auth[1].trim() !== opts.token || faults.faults.revokedCredentials) return sendJson(res, 401, { code: 401, message: 'Access Denied' });
    const now = Date.now();
    const budget = limits.api.take(opts.token, now);
    if (!budget.allowed) return tooMany(res, budget);
    rateHeaders(res, budget);

    const route = url.pathname.slice('/api/v1'.length);
    const seg = route.split('/').filter(Boolean).map(decodeURIComponent);
    // a site or a deploy: the chaos run loses the answer once it is made (Netlify takes no idempotency key)
    const creates =
      method !== 'POST'
        ? undefined
        : seg.length === 1 && seg[0] === 'sites'
          ? 'createSite'
          : seg.length === 3 && seg[0] === 'sites' && seg[2] === 'deploys'
            ? 'createDeploy'
            : undefined;
    if (creates) await faults.spending('netlify', creates, req, res, serverError);
    try {
      // /user: the token's owner (getCurrentUser in @netlify/open-api's swagger.yml, definition `user`)
      if (seg.length === 1 && seg[0] === 'user' && method === 'GET') return sendJson(res, 200, currentUser());
      // /sites
      if (seg.length === 1 && seg[0] === 'sites') {
        if (method === 'GET') {
          const q = url.searchParams.get('name')?.toLowerCase();
          const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
          const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? '100') || 100));
          const found = [...sites.values()].filter((s) => !q || s.name.includes(q)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
          return sendJson(res, 200, found.slice((page - 1) * perPage, page * perPage).map(siteJson));
        }
        if (method === 'POST') return sendJson(res, 201, siteJson(createSite(await readJson(req))));
      }
      if (seg[0] === 'sites' && seg.length >= 2) {
        const site = siteOf(seg[1]);
        if (seg.length === 2) {
          if (method === 'GET') return sendJson(res, 200, siteJson(site));
          if (method === 'PATCH' || method === 'PUT') return sendJson(res, 200, siteJson(updateSite(site, await readJson(req))));
          if (method === 'DELETE') {
            sites.delete(site.id);
            for (const d of [...deploys.values()]) if (d.siteId === site.id) deploys.delete(d.id);
            save();
            res.writeHead(204).end();
            return;
          }
        }
        if (seg.length === 3 && seg[2] === 'ssl') {
          if (method === 'POST') return sendJson(res, 200, certificateJson(await provisionCertificate(site, url.searchParams)));
          if (method === 'GET') {
            if (!site.certificate) throw notFound();
            return sendJson(res, 200, certificateJson(site.certificate));
          }
        }
        if (seg.length === 3 && seg[2] === 'deploys') {
          if (method === 'GET') {
            const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
            const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? '100') || 100));
            const list = [...deploys.values()].filter((d) => d.siteId === site.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
            return sendJson(res, 200, list.slice((page - 1) * perPage, page * perPage).map(deployJson));
          }
          if (method === 'POST') {
            const body = await readJson(req);
            // deploy creations are limited per site; API requests per token
            const deployKey = `${opts.token}:${site.id}`;
            const perMinute = limits.deploysPerMinute.peek(deployKey, now);
            const perDay = limits.deploysPerDay.peek(deployKey, now);
            const blocked = !perMinute.allowed ? perMinute : !perDay.allowed ? perDay : undefined;
            if (blocked) return tooMany(res, blocked);
            limits.deploysPerMinute.take(deployKey, now);
            limits.deploysPerDay.take(deployKey, now);
            return sendJson(res, 200, deployJson(createDeploy(site, body, url.searchParams.get('title'))));
          }
        }
        if (seg.length === 4 && seg[2] === 'deploys' && method === 'GET') {
          const d = deploys.get(seg[3]);
          if (!d || d.siteId !== site.id) throw notFound();
          return sendJson(res, 200, deployJson(d));
        }
      }
      if (seg[0] === 'deploys' && seg.length >= 2) {
        const d = deploys.get(seg[1]);
        if (!d) throw notFound();
        if (seg.length === 2 && method === 'GET') return sendJson(res, 200, deployJson(d));
        if (seg.length >= 4 && seg[2] === 'files' && method === 'PUT') {
          const content = await readBody(req, 50 * 1024 * 1024);
          return sendJson(res, 200, uploadFile(d, `/${seg.slice(3).join('/')}`, content));
        }
      }
      throw notFound();
    } catch (err) {
      if (err instanceof ApiError) return sendJson(res, err.status, err.body);
      throw err;
    }
  }

  // ---- the edge ---------------------------------------------------------------------------------

  interface EdgeTarget {
    site: SiteRecord;
    /** the deploy a permalink names; otherwise the site's published one */
    deploy?: DeployRecord;
    kind: 'default' | 'permalink' | 'custom' | 'alias';
  }

  function edgeTarget(host: string): EdgeTarget | undefined {
    if (host.endsWith(`.${NETLIFY_APP}`)) {
      const label = host.slice(0, -(NETLIFY_APP.length + 1));
      if (label.includes('.')) return undefined;
      const permalink = /^([0-9a-f]{24})--(.+)$/.exec(label);
      if (permalink) {
        const site = siteByName(permalink[2]);
        const deploy = deploys.get(permalink[1]);
        return site && deploy?.siteId === site.id ? { site, deploy, kind: 'permalink' } : undefined;
      }
      const site = siteByName(label);
      return site ? { site, kind: 'default' } : undefined;
    }
    for (const site of sites.values()) {
      if (site.customDomain === host) return { site, kind: 'custom' };
      if (site.domainAliases.includes(host)) return { site, kind: 'alias' };
    }
    return undefined;
  }

  const covered = (site: SiteRecord, host: string) => !!site.certificate?.domains.includes(host);

  // a deploy's _headers, read once per content (deploys sharing the file share the parse)
  const parsedHeaders = new Map<string, HeaderRule[]>();
  function headerRules(deploy: DeployRecord): HeaderRule[] {
    const sha = deploy.files['/_headers'];
    if (!sha) return [];
    let rules = parsedHeaders.get(sha);
    if (!rules) {
      rules = parseHeadersFile((blobs.get(sha) ?? Buffer.alloc(0)).toString('utf8'));
      parsedHeaders.set(sha, rules);
    }
    return rules;
  }

  function edge(req: IncomingMessage, res: ServerResponse, secure: boolean) {
    settle();
    const requestId = requestIdOf();
    const base = { server: 'Netlify', 'x-nf-request-id': requestId };
    const host = hostName(
      String(req.headers.host ?? '')
        .replace(/:\d+$/, '')
        .replace(/^\[|\]$/g, ''),
    );
    const target = edgeTarget(host);
    const notFoundPage = () => {
      res.writeHead(404, { ...base, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : `Not Found - Request ID: ${requestId}`);
    };
    if (!target) return notFoundPage();
    const { site } = target;
    const url = new URL(req.url ?? '/', 'http://edge.invalid');
    const redirect = (to: string) => {
      res.writeHead(301, { ...base, location: to, 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `Redirecting to ${to}`);
    };
    const origin = (scheme: 'http' | 'https', name: string) => {
      const port = scheme === 'https' ? httpsPort : httpPort;
      const standard = scheme === 'https' ? 443 : 80;
      return `${scheme}://${name}${port === standard ? '' : `:${port}`}`;
    };
    const onCustom = target.kind === 'custom' || target.kind === 'alias';
    const httpsReady = onCustom && site.forceSsl && covered(site, host);
    // www answers with a redirect to the apex when the apex is the primary domain.
    const wwwOfApex = target.kind === 'alias' && site.customDomain !== null && host === `www.${site.customDomain}`;
    if (wwwOfApex) {
      const scheme = secure || (site.forceSsl && covered(site, site.customDomain!)) ? 'https' : 'http';
      return redirect(`${origin(scheme, site.customDomain!)}${url.pathname}${url.search}`);
    }
    if (!secure && httpsReady) return redirect(`${origin('https', host)}${url.pathname}${url.search}`);

    let deploy = target.deploy;
    if (!deploy && site.publishedDeployId) deploy = deploys.get(site.publishedDeployId);
    if (deploy?.state !== 'ready') return notFoundPage();

    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      pathname = url.pathname;
    }
    const candidates = pathname.endsWith('/') ? [`${pathname}index.html`] : [pathname, `${pathname}.html`, `${pathname}/index.html`];
    let status = 200;
    // _headers and _redirects configure the edge; they are not pages
    let file = candidates.map(normalizePath).find((p) => p && deploy!.files[p] && !CONFIG_FILES.has(p));
    if (!file && deploy.files['/404.html']) {
      file = '/404.html';
      status = 404;
    }
    const headers: Record<string, string> = { ...base, 'cache-control': 'public,max-age=0,must-revalidate', age: '0' };
    if (secure) headers['strict-transport-security'] = 'max-age=31536000';
    // the site's own headers (its _headers file) for the path asked for, over the edge's defaults
    Object.assign(headers, headersFor(headerRules(deploy), pathname));
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Page not found</title><h1>Page not found</h1>');
      return;
    }
    const sha = deploy.files[file];
    const content = blobs.get(sha) ?? Buffer.alloc(0);
    res.writeHead(status, {
      ...headers,
      'content-type': mimeType(file),
      'content-length': String(content.length),
      etag: `"${sha}${secure ? '-ssl' : ''}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  }

  // ---- listeners -------------------------------------------------------------------------------

  const host = opts.host ?? '127.0.0.1';
  const apiServer = http.createServer((req, res) => {
    api(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { code: 500, message: 'Internal Server Error' });
    });
  });
  const safeEdge = (req: IncomingMessage, res: ServerResponse, secure: boolean) => {
    try {
      edge(req, res, secure);
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { server: 'Netlify', 'content-type': 'text/plain' }).end('Internal Server Error');
    }
  };
  const httpEdge = http.createServer((req, res) => safeEdge(req, res, false));
  const httpsEdge = https.createServer(
    {
      key: wildcard.keyPem,
      cert: wildcard.certPem,
      SNICallback: (servername, cb) => {
        const t = edgeTarget(hostName(servername));
        const cert = t?.site.certificate;
        cb(null, cert?.domains.includes(hostName(servername)) ? contextOf(cert) : defaultContext);
      },
    },
    (req, res) => safeEdge(req, res, true),
  );
  const listen = (server: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const servers = [apiServer, httpEdge, httpsEdge];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            // Held "timeout" faults and keep-alive sockets would otherwise keep close() waiting.
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );

  let apiUrl = '';
  let httpPort = 0;
  let httpsPort = 0;
  try {
    const apiPort = await listen(apiServer, opts.port ?? 0);
    httpPort = await listen(httpEdge, opts.httpPort ?? 0);
    httpsPort = await listen(httpsEdge, opts.httpsPort ?? 0);
    apiUrl = `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`;
  } catch (err) {
    await closeAll();
    throw err;
  }

  return {
    name: 'netlify',
    url: apiUrl,
    apiUrl,
    httpPort,
    httpsPort,
    caCertPath: ca.certPath,
    caCertPem: ca.certPem,
    loadBalancerIp,
    faults,
    sites: () => {
      settle();
      return [...sites.values()].map(summary);
    },
    setCertificateLifetime: (ms) => {
      certificateLifetimeMs = ms;
    },
    renewCertificate: (domain) => {
      const host = hostName(domain);
      const site = [...sites.values()].find((s) => s.customDomain === host || s.domainAliases.includes(host));
      if (!site?.certificate) throw new Error(`no certificate for ${domain}`);
      const issued = issueCertificate(ca, site.certificate.domains, certificateLifetimeMs);
      const now = new Date().toISOString();
      site.certificate = { ...site.certificate, updatedAt: now, expiresAt: issued.expiresAt, certPem: issued.certPem, keyPem: issued.keyPem };
      save();
      return issued.expiresAt;
    },
    dnsRecords: (name) => {
      const n = hostName(name);
      if (!n.endsWith(`.${NETLIFY_APP}`)) return undefined;
      return edgeTarget(n) ? [{ type: 'A', address: loadBalancerIp, ttl: DEFAULT_DOMAIN_TTL }] : undefined;
    },
    close: async () => {
      await closeAll();
      if (ownCaDir) fs.rmSync(caDir, { recursive: true, force: true });
    },
  };
}

// ---- the sandbox CA ---------------------------------------------------------------------------

interface CertificateAuthority {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  certPem: string;
  certPath: string;
}

/** RSA keys come from node's crypto (native, fast); forge builds and signs the certificates. */
function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    keyPem: privateKey,
  };
}

function serialNumber(): string {
  // Positive (high bit clear) and unique enough for a sandbox.
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function loadOrCreateCa(dir: string): CertificateAuthority {
  const certPath = path.join(dir, 'ca.pem');
  const keyPath = path.join(dir, 'ca-key.pem');
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) {
    const certPem = fs.readFileSync(certPath, 'utf8');
    const cert = forge.pki.certificateFromPem(certPem);
    if (cert.validity.notAfter.getTime() > Date.now() + 86_400_000) {
      return { cert, key: forge.pki.privateKeyFromPem(fs.readFileSync(keyPath, 'utf8')) as forge.pki.rsa.PrivateKey, certPem, certPath };
    }
  }
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date();
  cert.validity.notAfter.setUTCFullYear(cert.validity.notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
  const subject = [
    { name: 'commonName', value: `Conciergerie Sandbox CA (${os.hostname()})` },
    { name: 'organizationName', value: 'Conciergerie sandbox' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyPath, keys.keyPem, { mode: 0o600 });
  fs.writeFileSync(certPath, certPem);
  return { cert, key: keys.privateKey, certPem, certPath };
}

// Sandbox certificates share one key pair and are signed with node's native RSA rather than forge's JavaScript one:
// a fresh 2048-bit key (~0.4 s of CPU) and a forge signature (~0.1 s) per certificate made the sandbox, not the app,
// the bottleneck once thousands of orders run (npm run bench). Each certificate still has its own names and serial.
let leafKeys: ReturnType<typeof rsaKeyPair> | undefined;
const nativeCaKeys = new WeakMap<object, crypto.KeyObject>();
/** SHA-256's DigestInfo prefix (RFC 8017, 9.2): RSASSA-PKCS1-v1_5 signs prefix + hash. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
function nativeSigner(key: forge.pki.rsa.PrivateKey): { sign(md: forge.md.MessageDigest): string } {
  let native = nativeCaKeys.get(key);
  if (!native) nativeCaKeys.set(key, (native = crypto.createPrivateKey(forge.pki.privateKeyToPem(key))));
  return {
    sign: (md) => {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const padded = { key: native!, padding: crypto.constants.RSA_PKCS1_PADDING };
      return crypto.privateEncrypt(padded, Buffer.concat([SHA256_DIGEST_INFO, digest])).toString('binary');
    },
  };
}

function issueCertificate(
  ca: CertificateAuthority,
  names: string[],
  lifetimeMs = CERT_VALIDITY_DAYS * 86_400_000,
): { certPem: string; keyPem: string; expiresAt: string } {
  const keys = (leafKeys ??= rsaKeyPair());
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + lifetimeMs);
  cert.setSubject([{ name: 'commonName', value: names[0] }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2, value })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(nativeSigner(ca.key) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem, expiresAt: cert.validity.notAfter.toISOString() };
}

// ---- helpers ----------------------------------------------------------------------------------

interface WindowAnswer {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** ms since epoch when the oldest counted call leaves the window */
  resetAt: number;
}

/** Calls per token in a sliding window. */
class SlidingWindow {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  peek(key: string, now: number): WindowAnswer {
    const recent = (this.calls.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.calls.set(key, recent);
    const allowed = recent.length < this.limit;
    return { allowed, limit: this.limit, remaining: Math.max(0, this.limit - recent.length), resetAt: (recent[0] ?? now) + this.windowMs };
  }

  take(key: string, now: number): WindowAnswer {
    const answer = this.peek(key, now);
    if (!answer.allowed) return answer;
    const recent = this.calls.get(key)!;
    recent.push(now);
    return { ...answer, remaining: answer.remaining - 1, resetAt: recent[0] + this.windowMs };
  }
}

function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** "/a/./b.html" → "/a/b.html"; undefined for paths that climb out ("..") or name nothing. */
function normalizePath(p: string): string | undefined {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.includes('..')) return undefined;
  return `/${parts.join('/')}`;
}

const MIME: Record<string, string> = {
  html: 'text/html; charset=UTF-8',
  htm: 'text/html; charset=UTF-8',
  css: 'text/css; charset=UTF-8',
  js: 'application/javascript; charset=UTF-8',
  mjs: 'application/javascript; charset=UTF-8',
  json: 'application/json; charset=UTF-8',
  txt: 'text/plain; charset=UTF-8',
  xml: 'application/xml; charset=UTF-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  pdf: 'application/pdf',
  map: 'application/json; charset=UTF-8',
  webmanifest: 'application/manifest+json',
};

function mimeType(p: string): string {
  const ext = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? 'application/octet-stream';
}

/** Netlify's request ids look like ULIDs ("01HV…", 26 Crockford base32 characters). */
function requestIdOf(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(24);
  return `01${Array.from(bytes, (b) => alphabet[b % 32]).join('')}`;
}

function randomName(): string {
  const words = ['lucky', 'gentle', 'brave', 'quiet', 'sunny', 'clever'];
  const nouns = ['croissant', 'heron', 'lantern', 'meadow', 'harbor', 'violet'];
  const pick = (list: string[]) => list[crypto.randomInt(list.length)];
  return `${pick(words)}-${pick(nouns)}-${crypto.randomBytes(3).toString('hex')}`;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, { code: 413, message: 'Request Entity Too Large' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, 10 * 1024 * 1024)).toString('utf8');
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ApiError(400, { code: 400, message: 'Bad Request: the body is not a JSON object' });
}
