// The Netlify REST API adapter behind the Hosting interface: sites, file-digest deploys, custom domain, certificate.
import crypto from 'node:crypto';
import { ProviderError } from '../../../errors.ts';
import { type HttpClientOptions, ProviderHttp, readJson } from '../../http.ts';
import type { CertificateState, DeployPhase, DeployProgress, DeployResult, DeployStart, DnsTargets, Hosting, HostingSite, RateLimiter } from '../index.ts';

/** timeoutMs: per request, default 30 s */
export interface NetlifyHostingOptions extends HttpClientOptions {
  /** https://api.netlify.com, or a sandbox's origin; the adapter adds /api/v1 */
  baseUrl: string;
  /** a personal access token (Authorization: Bearer) */
  token: string;
  /** shared across worker processes; when absent, only the host's own 429s pace us */
  limiter?: RateLimiter;
  /** where the customer's apex must point; Netlify's load balancer by default */
  loadBalancerIp?: string;
  /** between two reads of a deploy's state; default 1 s */
  pollIntervalMs?: number;
  /** how long a deploy may take to become ready before deploy() gives up (retryably); default 120 s */
  deployTimeoutMs?: number;
}

/** Netlify's published external-DNS target for apex domains. */
export const NETLIFY_LOAD_BALANCER_IP = '75.2.60.5';

/** Netlify's published limits: 500 API requests a minute per token; deploys about 3 a minute. */
const API_PER_MINUTE = 500;
const DEPLOYS_PER_MINUTE = 3;

/** When a 429 carries neither Retry-After nor X-RateLimit-Reset, wait out the whole window. */
const RATE_LIMIT_BACKOFF_MS = 60_000;

/** Certificate issuance waits on DNS, which the pipeline changes minutes before; ask again soon. */
const DNS_NOT_READY_RETRY_MS = 30_000;

/** listings: the most a page holds (swagger.yml's per_page; Netlify's default is 100 for sites, 20 for deploys) */
const PER_PAGE = 100;
/** a bound on a listing's pages, so that a host answering full pages for ever cannot keep a step */
const MAX_PAGES = 50;
/** files uploaded at once; Netlify's own CLI uploads 5 at a time (DEFAULT_CONCURRENT_UPLOAD) */
const PARALLEL_UPLOADS = 5;

// biome-ignore lint/suspicious/noExplicitAny: Netlify's answers, read field by field where they are used
type Json = Record<string, any>;

type CallExtra = { json?: unknown; body?: Buffer; contentType?: string; query?: Record<string, string> };

export class NetlifyHosting implements Hosting {
  readonly name = 'netlify';
  private readonly api: string;
  private readonly http: ProviderHttp;
  private readonly loadBalancerIp: string;
  private readonly pollIntervalMs: number;
  private readonly deployTimeoutMs: number;

  constructor(private readonly opts: NetlifyHostingOptions) {
    this.api = `${opts.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.http = new ProviderHttp('netlify', opts, {
      defaultTimeoutMs: 30_000,
      secrets: () => [opts.token],
      dialect: {
        message: (answer) => messageOf(readJson(answer.text)),
        rateLimitWait: (answer) => resetInMs(answer.headers.get('x-ratelimit-reset')) ?? RATE_LIMIT_BACKOFF_MS,
      },
    });
    this.loadBalancerIp = opts.loadBalancerIp ?? NETLIFY_LOAD_BALANCER_IP;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000;
    this.deployTimeoutMs = opts.deployTimeoutMs ?? 120_000;
  }

  async createSite(input: { name: string; idempotencyKey: string }): Promise<HostingSite> {
    const name = input.name.trim().toLowerCase();
    try {
      return toSite(await this.call('POST', '/sites', { json: { name } }));
    } catch (err) {
      if (!(err instanceof ProviderError && err.code === 'unprocessable')) throw err;
      // Site names are unique across all of Netlify. Taken and listed among our own sites: it
      // is our earlier attempt, whose answer was lost. Taken and not ours: someone else's.
      const mine = await this.findSiteByName(name);
      if (mine) {
        this.opts.logger?.warn({ site: mine.siteId, name, key: input.idempotencyKey }, 'netlify: site name already ours; reusing it');
        return mine;
      }
      // Other 422s (an invalid name) stay what they are.
      if (!/unique|taken|exist/i.test(err.message)) throw err;
      throw new ProviderError('netlify', 'name_taken', `${name}: ${err.message}`, false, undefined, err.status);
    }
  }

  async findSiteByName(name: string): Promise<HostingSite | undefined> {
    const wanted = name.trim().toLowerCase();
    // listSites' name parameter is a search, not an exact match: pick the exact one, on whichever page it is.
    const match = await this.findInPages('/sites', { name: wanted, filter: 'all' }, (s) => String(s.name).toLowerCase() === wanted);
    return match ? toSite(match) : undefined;
  }

  async deleteSite(siteId: string): Promise<void> {
    try {
      await this.call('DELETE', `/sites/${enc(siteId)}`);
    } catch (err) {
      if (!(err instanceof ProviderError && err.code === 'not_found')) throw err;
    }
  }

  /** GET /user: whose token this is (`npm run doctor` checks the token with it). A read. */
  async currentUser(): Promise<{ email: string; fullName: string; siteCount: number }> {
    const user = await this.call('GET', '/user');
    return { email: String(user.email ?? ''), fullName: String(user.full_name ?? ''), siteCount: Number(user.site_count ?? 0) };
  }

  async getSite(siteId: string): Promise<HostingSite> {
    return toSite(await this.call('GET', `/sites/${enc(siteId)}`));
  }

  async deploy(siteId: string, files: Map<string, Buffer>, opts: { idempotencyKey?: string; firstTry?: boolean } = {}): Promise<DeployResult> {
    const started = await this.startDeploy(siteId, files, opts);
    if (started.phase === 'ready') return { ...started, pausedMs: 0 };
    const ready = await this.waitUntilReady(started.deployId);
    return { deployId: started.deployId, state: String(ready.deploy.state), uploaded: started.uploaded, total: started.total, pausedMs: ready.pausedMs };
  }

  async startDeploy(siteId: string, files: Map<string, Buffer>, opts: { idempotencyKey?: string; firstTry?: boolean } = {}): Promise<DeployStart> {
    // The file-digest deploy: send the manifest (path → SHA1), upload only what the host lacks.
    const byPath = new Map<string, Buffer>();
    for (const [p, content] of files) byPath.set(normalizePath(p), content);
    const digests: Record<string, string> = {};
    const bySha = new Map<string, { path: string; content: Buffer }>();
    for (const [p, content] of byPath) {
      const sha = crypto.createHash('sha1').update(content).digest('hex');
      digests[p] = sha;
      if (!bySha.has(sha)) bySha.set(sha, { path: p, content });
    }
    const total = byPath.size;
    if (total === 0) throw new ProviderError('netlify', 'invalid_request', 'a deploy needs at least one file', false);

    // Netlify has no idempotency key: the title carries ours plus the manifest's digest, so a
    // retry of the same content finds the deploy its interrupted attempt created. A first try has none to find.
    const title = opts.idempotencyKey ? `${opts.idempotencyKey} ${manifestDigest(digests)}` : undefined;
    let deploy = title && !opts.firstTry ? await this.findDeployByTitle(siteId, title) : undefined;
    if (deploy && phaseOf(deploy.state) === 'ready') return { deployId: String(deploy.id), state: String(deploy.state), phase: 'ready', uploaded: 0, total };
    if (!deploy || phaseOf(deploy.state) === 'failed') {
      // Netlify limits deploy creations per site (3 a minute), requests per token (500 a minute)
      await this.opts.limiter?.take(`netlify:deploy:${siteId}`, { perMinute: DEPLOYS_PER_MINUTE });
      deploy = await this.call('POST', `/sites/${enc(siteId)}/deploys`, {
        json: { files: digests, async: false },
        query: title ? { title } : undefined,
      });
    }
    const deployId = String(deploy.id);
    // a deploy found past its uploads holds every file already: it only has to finish
    if (phaseOf(deploy.state) !== 'uploading') return { deployId, state: String(deploy.state), phase: phaseOf(deploy.state), uploaded: 0, total };
    const uploaded = await this.upload(deployId, asStrings(deploy.required), bySha);
    // one look after the uploads: a small deploy is often ready by then
    return { ...(await this.getDeploy(deployId)), uploaded, total };
  }

  async getDeploy(deployId: string): Promise<DeployProgress> {
    const deploy = await this.call('GET', `/deploys/${enc(deployId)}`);
    return {
      deployId,
      state: String(deploy.state),
      phase: phaseOf(deploy.state),
      errorMessage: deploy.error_message ? String(deploy.error_message) : undefined,
    };
  }

  /**
   * Sends the files whose SHA1 the deploy lists as `required` (several paths may share one content: one upload covers
   * them; files we did not list are not ours to send), a few at a time; returns how many the host took. A resumed deploy
   * sends again files it may already hold, since `required` does not shrink as they arrive.
   */
  private async upload(deployId: string, required: string[], bySha: Map<string, { path: string; content: Buffer }>): Promise<number> {
    const files = required.flatMap((sha) => bySha.get(sha) ?? []);
    let next = 0;
    let sent = 0;
    let stop = false;
    const uploader = async () => {
      // after a failure the others stop: the step's retry uploads what is still required
      for (let file = files[next++]; file && !stop; file = files[next++]) {
        try {
          await this.call('PUT', `/deploys/${enc(deployId)}/files/${encodePath(file.path)}`, { body: file.content, contentType: 'application/octet-stream' });
          sent++;
        } catch (err) {
          stop = true;
          if (!(err instanceof ProviderError && err.code === 'unprocessable')) throw err;
          await this.afterRefusedUpload(deployId, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, uploader));
    return sent;
  }

  /**
   * An upload refused 422 is ambiguous: the deploy may have finished with the file sent by an earlier try (or by the
   * same request, its answer lost), and a finished deploy takes no more. Netlify's own client retries such refusals
   * (open-api go/porcelain/deploy.go: uploadFile treats 400 and 422 as permanent only with SkipRetry), so the deploy's
   * state decides: past its uploads it holds every file (returns, the deploy finishes); failed, a new deploy is the
   * next try's (retryable); still taking files, the refusal is about this file's bytes, which no retry changes.
   */
  private async afterRefusedUpload(deployId: string, refusal: ProviderError): Promise<void> {
    const deploy = await this.call('GET', `/deploys/${enc(deployId)}`);
    const phase = phaseOf(deploy.state);
    if (phase === 'ready' || phase === 'processing') return;
    if (phase === 'failed') throw deployFailed(deployId, deploy);
    throw refusal;
  }

  /** listSiteDeploys, every page (newest first): the deploy an interrupted attempt made under this title. */
  private async findDeployByTitle(siteId: string, title: string): Promise<Json | undefined> {
    return this.findInPages(`/sites/${enc(siteId)}/deploys`, {}, (d) => d.title === title);
  }

  /**
   * A listing read page by page (`page`, `per_page` at most 100, swagger.yml) until `wanted` matches or a page comes back
   * short: Netlify pages every listing, so an account's 101st site or a site's 21st deploy is on a later page.
   */
  private async findInPages(path: string, query: Record<string, string>, wanted: (item: Json) => boolean): Promise<Json | undefined> {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const items = (await this.call('GET', path, { query: { ...query, page: String(page), per_page: String(PER_PAGE) } })) as unknown;
      const list = Array.isArray(items) ? (items as Json[]) : [];
      const found = list.find(wanted);
      if (found || list.length < PER_PAGE) return found;
    }
    return undefined;
  }

  /**
   * Bounded polling: a deploy normally turns ready within seconds once its files are in. Returns the deploy and the time
   * spent pausing between looks (waiting, not the host's work).
   */
  private async waitUntilReady(deployId: string): Promise<{ deploy: Json; pausedMs: number }> {
    const deadline = Date.now() + this.deployTimeoutMs;
    // A small site is often ready within a fraction of a second: look again after 100 ms, then back off to the
    // steady interval, so a worker slot is not held a whole interval for a deploy already done.
    let pause = Math.min(100, this.pollIntervalMs);
    let pausedMs = 0;
    for (;;) {
      const deploy = await this.call('GET', `/deploys/${enc(deployId)}`);
      const phase = phaseOf(deploy.state);
      if (phase === 'ready') return { deploy, pausedMs };
      if (phase === 'failed') throw deployFailed(deployId, deploy);
      if (Date.now() + pause > deadline) {
        throw new ProviderError('netlify', 'deploy_timeout', `deploy ${deployId} still "${deploy.state}" after ${this.deployTimeoutMs} ms`, true);
      }
      const from = performance.now();
      await new Promise((r) => setTimeout(r, pause));
      pausedMs += performance.now() - from;
      pause = Math.min(this.pollIntervalMs, pause * 2);
    }
  }

  async setCustomDomain(siteId: string, domain: string): Promise<HostingSite> {
    const apex = domain.trim().toLowerCase().replace(/\.$/, '');
    return toSite(
      await this.call('PATCH', `/sites/${enc(siteId)}`, {
        json: { custom_domain: apex, domain_aliases: [`www.${apex}`], force_ssl: true },
      }),
    );
  }

  /**
   * Starts Let's Encrypt provisioning (POST without certificate parameters); Netlify issues asynchronously, so the answer
   * is usually pending. Its 422s (swagger.yml, provisionSiteTLSCertificate): "certificate parameter is required when
   * updating an existing certificate" means the site has one already (an earlier request whose answer was lost): that
   * one is read and returned; "bad dns for custom domain" is a wait (`dns_not_ready`); "No custom domain configured" is a
   * refusal no retry cures.
   */
  async provisionCertificate(siteId: string): Promise<CertificateState> {
    try {
      return toCertificate(await this.call('POST', `/sites/${enc(siteId)}/ssl`));
    } catch (err) {
      if (!(err instanceof ProviderError && err.code === 'unprocessable')) throw err;
      if (/existing certificate|already has/i.test(err.message)) {
        const existing = await this.getCertificate(siteId);
        if (existing.state !== 'not_requested') return existing;
      }
      // the host refuses to ask its CA while the names do not resolve to it: a wait, not a failure
      if (/dns|served by netlify|point/i.test(err.message)) {
        throw new ProviderError('netlify', 'dns_not_ready', err.message, true, DNS_NOT_READY_RETRY_MS, err.status);
      }
      throw err;
    }
  }

  async getCertificate(siteId: string): Promise<CertificateState> {
    try {
      return toCertificate(await this.call('GET', `/sites/${enc(siteId)}/ssl`));
    } catch (err) {
      if (!(err instanceof ProviderError && err.code === 'not_found')) throw err;
      // No certificate is a 404 too: tell it apart from "no such site".
      await this.getSite(siteId);
      return { state: 'not_requested', domains: [] };
    }
  }

  dnsTargets(site: HostingSite): DnsTargets {
    return { apexA: [this.loadBalancerIp], wwwCname: site.defaultDomain };
  }

  /**
   * One API request. A read, a file upload (the same bytes at the same path) or a settings change is tried again at
   * once, twice at most, when it fails for a passing reason: a deploy is dozens of requests, and one of them failing
   * must not send the whole deploy back to the step, nor count towards opening the circuit breaker. Creations (POST)
   * are the step's to retry, after a look for what the first try made. A 429 is not retried here: the step waits as told.
   */
  private async call(method: string, path: string, extra: CallExtra = {}): Promise<Json> {
    const repeatable = method === 'GET' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(method, path, extra);
      } catch (err) {
        const passing = err instanceof ProviderError && err.retryable && err.code !== 'rate_limited';
        if (!repeatable || !passing || attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 100));
      }
    }
  }

  /** One HTTP request: the shared limiter first, then Netlify's answer as a value or a ProviderError. */
  private async request(method: string, path: string, extra: CallExtra): Promise<Json> {
    await this.opts.limiter?.take('netlify:api', { perMinute: API_PER_MINUTE });
    const url = new URL(`${this.api}${path}`);
    for (const [k, v] of Object.entries(extra.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}`, accept: 'application/json' };
    let body: BodyInit | undefined;
    if (extra.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(extra.json);
    } else if (extra.body) {
      headers['content-type'] = extra.contentType ?? 'application/octet-stream';
      body = new Uint8Array(extra.body);
    }
    return this.http.json<Json>({ method, url, operation: `${method} ${path}`, headers, body });
  }
}

// ---- helpers ---------------------------------------------------------------------------

/**
 * Where a deploy stands, from its `state` (swagger.yml lists new, pending_review, accepted, rejected, enqueued, building,
 * uploading, uploaded, preparing, prepared, processing, processed, ready, error, retrying; go/porcelain/deploy.go waits
 * for "prepared" before uploading, "processed" and "ready" after, and stops on "error"): taking files, past its uploads
 * (every required file arrived, the host is finishing), ready (published), failed for good (error, rejected), or any
 * other state, which is the host's to move on from: the caller waits.
 */
function phaseOf(state: unknown): DeployPhase {
  const s = String(state);
  if (s === 'ready' || s === 'current') return 'ready';
  if (s === 'error' || s === 'failed' || s === 'rejected') return 'failed';
  if (s === 'uploaded' || s === 'processing' || s === 'processed') return 'processing';
  if (s === 'prepared' || s === 'uploading') return 'uploading';
  return 'pending';
}

/** The host gave up on this deploy (its processing failed); the next try makes a new one, within the step's attempts. */
function deployFailed(deployId: string, deploy: Json): ProviderError {
  return new ProviderError('netlify', 'deploy_failed', `deploy ${deployId}: ${deploy.error_message ?? deploy.state}`, true);
}

/**
 * Netlify answers errors as `{code, message}` (its spec), but validation failures come as
 * `{"errors": {"subdomain": ["must be unique"]}}` (netlify/open-api#377): read both.
 */
function messageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Json;
  if (typeof b.message === 'string' && b.message) return b.message;
  if (typeof b.errors === 'string') return b.errors;
  if (b.errors && typeof b.errors === 'object') {
    return Object.entries(b.errors as Record<string, unknown>)
      .map(([field, msgs]) => `${field} ${Array.isArray(msgs) ? msgs.join(', ') : String(msgs)}`)
      .join('; ');
  }
  if (typeof b.error === 'string') return b.error;
  return undefined;
}

function toSite(s: Json): HostingSite {
  const name = String(s.name);
  return {
    siteId: String(s.id ?? s.site_id),
    name,
    defaultDomain: String(s.default_domain ?? `${name}.netlify.app`),
    customDomain: s.custom_domain ? String(s.custom_domain) : undefined,
    domainAliases: asStrings(s.domain_aliases),
    sslUrl: s.ssl_url ? String(s.ssl_url) : undefined,
  };
}

function toCertificate(c: Json): CertificateState {
  const raw = String(c.state ?? '');
  // "custom" is a certificate the owner uploaded; it serves like an issued one.
  const state: CertificateState['state'] = ['issued', 'custom'].includes(raw)
    ? 'issued'
    : ['failed', 'error', 'revoked', 'expired'].includes(raw)
      ? 'failed'
      : raw === '' || raw === 'not_requested'
        ? 'not_requested'
        : 'pending';
  return { state, expiresAt: c.expires_at ? String(c.expires_at) : undefined, domains: asStrings(c.domains) };
}

/** "index.html", "/index.html", "a\\b.css" → "/index.html", "/a/b.css"; refuses to climb out of the site. */
function normalizePath(p: string): string {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new ProviderError('netlify', 'invalid_request', `not a file path inside the site: "${p}"`, false);
  }
  return `/${parts.join('/')}`;
}

/** The upload path goes in the URL without its leading slash, each segment escaped. */
function encodePath(p: string): string {
  return p.slice(1).split('/').map(encodeURIComponent).join('/');
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function manifestDigest(digests: Record<string, string>): string {
  const lines = Object.keys(digests)
    .sort()
    .map((p) => `${p} ${digests[p]}`);
  return crypto.createHash('sha1').update(lines.join('\n')).digest('hex').slice(0, 12);
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** X-RateLimit-Reset is a Unix time in seconds (Netlify's docs); a small number reads as seconds from now. */
function resetInMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const n = Number(header);
  if (!Number.isFinite(n)) return undefined;
  return n > 1_000_000_000 ? Math.max(0, n * 1000 - Date.now()) : Math.max(0, n * 1000);
}
