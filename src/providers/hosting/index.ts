// Hosting: create a site, deploy files, attach the custom domain and its certificate (Netlify adapter in ./netlify).

/** A site on the host, as the workflow needs it. */
export interface HostingSite {
  siteId: string;
  /** the host's own name for the site; also the first label of `defaultDomain` */
  name: string;
  /** the host's name for the site, e.g. "salon-julie-3f2a.netlify.app"; the `www` CNAME points here */
  defaultDomain: string;
  /** the customer's apex domain, once attached */
  customDomain?: string;
  /** names that serve the same site besides the custom domain ("www.<domain>") */
  domainAliases?: string[];
  /** the site's HTTPS address (the custom domain's once attached) */
  sslUrl?: string;
}

export interface DeployResult {
  deployId: string;
  /** the host's deploy state; "ready" once deploy() returns normally */
  state: string;
  /** files sent this time: only those whose content the host did not hold yet */
  uploaded: number;
  /** files in the deploy */
  total: number;
  /** milliseconds deploy() spent pausing between two looks at the deploy's state: waiting, not the host's work */
  pausedMs: number;
}

/**
 * Where a deploy stands: taking files, past its uploads (the host finishing), ready (published), failed for good
 * (`error`, `rejected`), or pending: any other state, the host's to move on from.
 */
export type DeployPhase = 'uploading' | 'processing' | 'ready' | 'failed' | 'pending';

/** A deploy created (or found again) with its files sent, not waited for. */
export interface DeployStart {
  deployId: string;
  /** the host's word */
  state: string;
  phase: DeployPhase;
  uploaded: number;
  total: number;
}

export interface DeployProgress {
  deployId: string;
  state: string;
  phase: DeployPhase;
  /** why the host failed it */
  errorMessage?: string;
}

export interface CertificateState {
  /** not_requested: no certificate asked for yet (or the domain changed since) */
  state: 'issued' | 'pending' | 'not_requested' | 'failed';
  expiresAt?: string;
  domains: string[];
}

/** The records the customer's zone needs so that the host serves it. */
export interface DnsTargets {
  /** A records for the apex (the host's load balancer) */
  apexA: string[];
  /** the CNAME target for `www` (the site's default domain) */
  wwwCname: string;
}

/**
 * A hosting provider.
 *
 * Idempotency: Netlify takes no idempotency keys. `createSite` is made idempotent by the
 * caller passing a site name derived from the order (deterministic, unique to the order):
 * when the host answers 422 "name already taken", the adapter looks the name up among the
 * account's own sites and returns that site, which is our earlier attempt. A name taken by
 * someone else's account stays an error (`name_taken`). `deploy` uses its key the same way,
 * as the deploy title, so a retry resumes or reuses the earlier deploy instead of spending
 * one of the few deploys allowed per minute.
 */
export interface Hosting {
  readonly name: string;
  createSite(input: { name: string; idempotencyKey: string }): Promise<HostingSite>;
  /** one of this account's sites with exactly this name */
  findSiteByName(name: string): Promise<HostingSite | undefined>;
  getSite(siteId: string): Promise<HostingSite>;
  /**
   * publish exactly these files (path → content; "index.html" or "/index.html"); resolves once live. `firstTry`: the
   * caller knows no earlier try under this key ever started (a step's first run), so there is no deploy to look up.
   */
  deploy(siteId: string, files: Map<string, Buffer>, opts?: { idempotencyKey?: string; firstTry?: boolean }): Promise<DeployResult>;
  /**
   * the first half of deploy(): create the deploy (or find the one an earlier try under this key made) and send the
   * files the host lacks, without waiting for it to be live; the caller looks again with getDeploy()
   */
  startDeploy(siteId: string, files: Map<string, Buffer>, opts?: { idempotencyKey?: string; firstTry?: boolean }): Promise<DeployStart>;
  getDeploy(deployId: string): Promise<DeployProgress>;
  /** attach the apex `domain`, with "www.<domain>" as alias and HTTPS forced once a certificate exists */
  setCustomDomain(siteId: string, domain: string): Promise<HostingSite>;
  /**
   * ask for the custom domain's certificate (issued asynchronously: usually answers pending; a site that has one already
   * answers that one); fails with code `dns_not_ready` (retryable) until DNS points at the host
   */
  provisionCertificate(siteId: string): Promise<CertificateState>;
  getCertificate(siteId: string): Promise<CertificateState>;
  /** remove a site (a refunded order's); a site already gone is not an error */
  deleteSite(siteId: string): Promise<void>;
  /** what the customer's zone must hold for this site */
  dnsTargets(site: HostingSite): DnsTargets;
}

/** The limiter shared by every worker process (kept in PostgreSQL): see src/providers/limiter.ts. */
export type { RateLimiter } from '../limiter.ts';
