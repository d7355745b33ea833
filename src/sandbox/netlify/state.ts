// The Netlify sandbox's account: sites, deploys, the file store every deploy shares, and certificates, kept in memory
// and (when given a file) across restarts. Invariants: a site name is unique across Netlify and a custom domain or
// alias belongs to one site; a deploy's files are path → SHA1 and a content is stored only when its SHA1 matches; a
// deploy is ready once *its* required files arrived and processing ended, and the newest ready deploy is the published
// one; a certificate that no longer covers the site's names is dropped.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ledger } from '../ledger.ts';
import { hostName, NETLIFY_APP, normalizePath, randomName } from './files.ts';

/**
 * A site's certificate. Netlify provisions Let's Encrypt certificates asynchronously: a request that passes the DNS check
 * leaves a `pending` certificate, issued once the CA has validated the names (Netlify retries validation until it
 * succeeds); only an issued one has its PEMs and expiry, and only an issued one is served.
 */
export interface CertificateRecord {
  state: 'pending' | 'issued';
  domains: string[];
  createdAt: string;
  updatedAt: string;
  /** ms since epoch from which a pending certificate may be issued */
  issueAt?: number;
  expiresAt?: string;
  certPem?: string;
  keyPem?: string;
}

export interface SiteRecord {
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

/** A subset of the deploy states the document lists (listSiteDeploys' `state` enum): the ones a file-digest deploy goes through. */
type DeployState = 'prepared' | 'uploading' | 'processing' | 'ready' | 'error' | 'rejected';

export interface DeployRecord {
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
  /** why the host failed it (state "error") */
  errorMessage?: string | null;
}

interface Snapshot {
  sites: SiteRecord[];
  deploys: DeployRecord[];
  /** SHA1 → base64 content: the account's file store, shared by every deploy */
  blobs: Record<string, string>;
}

/** A refusal, answered with its status and body as Netlify answers it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? status));
  }
}

export const notFound = () => new ApiError(404, { code: 404, message: 'Not Found' });
export const unprocessable = (message: string, extra: Record<string, unknown> = {}) => new ApiError(422, { code: 422, message, ...extra });
/**
 * Rails-style validation failure, the shape Netlify answers for site attributes (`{"errors":{"subdomain":["must be
 * unique"]}}`, netlify/open-api#377), unlike the `{code, message}` of its other errors.
 */
const invalidField = (field: string, message: string) => new ApiError(422, { errors: { [field]: [message] } });

export const defaultDomain = (s: SiteRecord) => `${s.name}.${NETLIFY_APP}`;
export const primaryDomain = (s: SiteRecord) => s.customDomain ?? defaultDomain(s);

export class NetlifyAccount {
  readonly sites = new Map<string, SiteRecord>();
  readonly deploys = new Map<string, DeployRecord>();
  readonly blobs = new Map<string, Buffer>();
  /** every site creation that reached the account (routes.ts), made or refused; deleted sites stay in it */
  readonly ledger = new Ledger();
  /** what each deploy has received itself, whatever another deploy uploaded meanwhile */
  private readonly receivedByDeploy = new Map<string, Set<string>>();

  constructor(
    private readonly o: {
      /** where the account persists; none keeps it in memory */
      stateFile?: string;
      /** how long a deploy stays "processing" once its files are in (ms), drawn per deploy */
      processingMs: () => number;
    },
  ) {
    if (o.stateFile && fs.existsSync(o.stateFile)) {
      const snap = JSON.parse(fs.readFileSync(o.stateFile, 'utf8')) as Snapshot;
      for (const s of snap.sites) this.sites.set(s.id, s);
      for (const d of snap.deploys) this.deploys.set(d.id, d);
      for (const [sha, b64] of Object.entries(snap.blobs)) this.blobs.set(sha, Buffer.from(b64, 'base64'));
    }
  }

  save(): void {
    const file = this.o.stateFile;
    if (!file) return;
    const snap: Snapshot = {
      sites: [...this.sites.values()],
      deploys: [...this.deploys.values()],
      blobs: Object.fromEntries([...this.blobs].map(([sha, b]) => [sha, b.toString('base64')])),
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(snap));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Deploys finish processing in the background; state is brought up to date whenever it is read. */
  settle(): void {
    const now = Date.now();
    let changed = false;
    for (const d of this.deploys.values()) {
      if (d.state !== 'processing' || d.readyAt === null || now < d.readyAt) continue;
      d.state = 'ready';
      d.updatedAt = d.publishedAt = new Date(now).toISOString();
      const site = this.sites.get(d.siteId);
      const current = site?.publishedDeployId ? this.deploys.get(site.publishedDeployId) : undefined;
      if (site && !d.draft && (!current || current.createdAt <= d.createdAt)) site.publishedDeployId = d.id;
      changed = true;
    }
    if (changed) this.save();
  }

  // ---- sites ---------------------------------------------------------------------------------

  siteByName(name: string): SiteRecord | undefined {
    return [...this.sites.values()].find((s) => s.name === name);
  }

  /** Netlify accepts a site's id or one of its domains wherever a site_id goes. */
  siteOf(idOrDomain: string): SiteRecord {
    const key = idOrDomain.toLowerCase();
    const site =
      this.sites.get(idOrDomain) ?? [...this.sites.values()].find((s) => defaultDomain(s) === key || s.customDomain === key || s.domainAliases.includes(key));
    if (!site) throw notFound();
    return site;
  }

  /** The site serving `host` as its custom domain or an alias. */
  siteOfCustomDomain(host: string): SiteRecord | undefined {
    return [...this.sites.values()].find((s) => s.customDomain === host || s.domainAliases.includes(host));
  }

  createSite(body: Record<string, unknown>): SiteRecord {
    const name = body.name === undefined || body.name === null || body.name === '' ? randomName() : String(body.name).toLowerCase();
    this.checkName(name);
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
    this.sites.set(site.id, site);
    if (body.custom_domain || body.domain_aliases || body.force_ssl !== undefined) {
      try {
        this.updateSite(site, body);
      } catch (err) {
        this.sites.delete(site.id);
        throw err;
      }
    }
    this.save();
    return site;
  }

  updateSite(site: SiteRecord, body: Record<string, unknown>): SiteRecord {
    const next = { ...site };
    if (typeof body.name === 'string' && body.name.toLowerCase() !== site.name) {
      this.checkName(body.name.toLowerCase(), site);
      next.name = body.name.toLowerCase();
    }
    if ('custom_domain' in body) {
      const d = body.custom_domain ? hostName(String(body.custom_domain)) : null;
      if (d) this.checkDomain(d, site);
      next.customDomain = d;
    }
    if (Array.isArray(body.domain_aliases)) {
      const aliases = [...new Set(body.domain_aliases.map((a) => hostName(String(a))).filter(Boolean))];
      for (const a of aliases) this.checkDomain(a, site);
      next.domainAliases = aliases;
    }
    if (typeof body.force_ssl === 'boolean') next.forceSsl = body.force_ssl;
    const names = next.customDomain ? [next.customDomain, ...next.domainAliases] : [];
    if (next.certificate && !names.every((n) => next.certificate!.domains.includes(n))) next.certificate = null;
    next.updatedAt = new Date().toISOString();
    Object.assign(site, next);
    this.save();
    return site;
  }

  deleteSite(site: SiteRecord): void {
    this.sites.delete(site.id);
    for (const d of [...this.deploys.values()]) if (d.siteId === site.id) this.deploys.delete(d.id);
    this.save();
  }

  setCertificate(site: SiteRecord, certificate: CertificateRecord): CertificateRecord {
    site.certificate = certificate;
    site.updatedAt = certificate.updatedAt;
    this.save();
    return certificate;
  }

  private checkName(name: string, self?: SiteRecord): void {
    // "--" separates a deploy id from the site name in permalinks (<deploy>--<name>.netlify.app).
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) || name.includes('--')) throw invalidField('subdomain', 'is invalid');
    // "taken-*" names belong to another Netlify account, as "taken-*" domains do in the registry.
    const other = this.siteByName(name);
    if ((other && other !== self) || name.startsWith('taken-')) throw invalidField('subdomain', 'must be unique');
  }

  private checkDomain(domain: string, self: SiteRecord): void {
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/.test(domain) || domain.endsWith(`.${NETLIFY_APP}`)) {
      throw invalidField('custom_domain', 'is invalid');
    }
    const owner = [...this.sites.values()].find((s) => s !== self && (s.customDomain === domain || s.domainAliases.includes(domain)));
    if (owner) throw invalidField('custom_domain', 'must be unique');
  }

  // ---- deploys ---------------------------------------------------------------------------------

  siteDeploys(site: SiteRecord): DeployRecord[] {
    return [...this.deploys.values()].filter((d) => d.siteId === site.id);
  }

  /** A manifest of path → SHA1; `required` lists the contents the account does not hold yet, so a redeploy uploads only what changed. */
  createDeploy(site: SiteRecord, body: Record<string, unknown>, title: string | null): DeployRecord {
    const files = body.files;
    if (!files || typeof files !== 'object' || Array.isArray(files)) throw unprocessable('files must be an object of path → SHA1');
    const manifest: Record<string, string> = {};
    for (const [p, sha] of Object.entries(files as Record<string, unknown>)) {
      const normalized = normalizePath(p);
      if (!normalized || typeof sha !== 'string' || !/^[0-9a-f]{40}$/i.test(sha)) throw unprocessable(`Invalid file entry: ${p}`);
      manifest[normalized] = sha.toLowerCase();
    }
    const required = [...new Set(Object.values(manifest))].filter((sha) => !this.blobs.has(sha));
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
    if (required.length === 0) this.startProcessing(deploy);
    this.deploys.set(deploy.id, deploy);
    this.save();
    return deploy;
  }

  /** One file of the manifest; its content must hash to the SHA1 the manifest named (the refusals' wording is the sandbox's). */
  uploadFile(deploy: DeployRecord, filePath: string, content: Buffer): { path: string; sha: string } {
    const p = normalizePath(filePath);
    const expected = p ? deploy.files[p] : undefined;
    if (!p || !expected) throw notFound();
    if (deploy.state === 'ready' || deploy.state === 'error' || deploy.state === 'rejected') throw unprocessable(`Deploy is already ${deploy.state}`);
    const sha = crypto.createHash('sha1').update(content).digest('hex');
    if (sha !== expected) throw unprocessable(`Checksum mismatch for ${p}: expected ${expected}, got ${sha}`);
    this.blobs.set(sha, content);
    let received = this.receivedByDeploy.get(deploy.id);
    if (!received) this.receivedByDeploy.set(deploy.id, (received = new Set()));
    received.add(sha);
    if (deploy.state === 'prepared') deploy.state = 'uploading';
    deploy.updatedAt = new Date().toISOString();
    if (deploy.state === 'uploading' && deploy.required.every((s) => received!.has(s))) this.startProcessing(deploy);
    this.save();
    return { path: p, sha };
  }

  /** The host gives up on a deploy (state "error" with its error_message, or "rejected"), as Netlify does when processing fails. */
  failDeploy(d: DeployRecord, message: string, state: 'error' | 'rejected' = 'error'): void {
    d.state = state;
    d.errorMessage = message;
    d.readyAt = null;
    d.updatedAt = new Date().toISOString();
    this.save();
  }

  private startProcessing(d: DeployRecord): void {
    d.state = 'processing';
    d.readyAt = Date.now() + this.o.processingMs();
    d.updatedAt = new Date().toISOString();
  }
}
