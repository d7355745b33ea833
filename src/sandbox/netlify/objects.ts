// The Netlify objects the API answers with, in their wire shape (definitions `site`, `deploy`, `sniCertificate`, `file`
// and `user` of @netlify/open-api's swagger.yml): the real API's field names, the fields the sandbox models.
import crypto from 'node:crypto';
import { mimeType, NETLIFY_APP } from './files.ts';
import { defaultDomain, primaryDomain, type CertificateRecord, type DeployRecord, type NetlifyAccount, type SiteRecord } from './state.ts';

/** What the sandbox's own /__sandbox/sites shows of a site, for tests and the admin. */
export interface SandboxSiteSummary {
  id: string;
  name: string;
  default_domain: string;
  custom_domain: string | null;
  domain_aliases: string[];
  force_ssl: boolean;
  published_deploy_id: string | null;
  certificate: { state: string; domains: string[]; expires_at: string | null } | null;
  deploys: { id: string; state: string; title: string | null; files: number; created_at: string }[];
}

export function netlifyObjects(account: NetlifyAccount, apiUrl: () => string) {
  function certificateJson(c: CertificateRecord) {
    // a pending certificate has no expiry yet
    return { state: c.state, domains: c.domains, created_at: c.createdAt, updated_at: c.updatedAt, ...(c.expiresAt ? { expires_at: c.expiresAt } : {}) };
  }

  function deployJson(d: DeployRecord) {
    const site = account.sites.get(d.siteId)!;
    const permalink = `${d.id}--${site.name}.${NETLIFY_APP}`;
    return {
      id: d.id,
      site_id: d.siteId,
      build_id: null,
      state: d.state,
      name: site.name,
      url: `http://${primaryDomain(site)}`,
      ssl_url: `https://${primaryDomain(site)}`,
      admin_url: `${apiUrl()}/__sandbox/sites/${site.id}`,
      deploy_url: `http://${permalink}`,
      deploy_ssl_url: `https://${permalink}`,
      required: d.required,
      required_functions: [],
      error_message: d.errorMessage ?? null,
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
    const published = s.publishedDeployId ? account.deploys.get(s.publishedDeployId) : undefined;
    return {
      id: s.id,
      name: s.name,
      state: 'current',
      plan: 'nf_team_dev',
      url: `http://${primaryDomain(s)}`,
      ssl_url: `https://${primaryDomain(s)}`,
      admin_url: `${apiUrl()}/__sandbox/sites/${s.id}`,
      default_domain: defaultDomain(s),
      custom_domain: s.customDomain,
      domain_aliases: s.domainAliases,
      ssl: !!s.certificate,
      force_ssl: s.forceSsl,
      managed_dns: false,
      deploy_url: published ? `http://${published.id}--${s.name}.${NETLIFY_APP}` : null,
      published_deploy: published ? deployJson(published) : null,
      account_name: 'Conciergerie (sandbox)',
      account_slug: 'conciergerie-sandbox',
      capabilities: {},
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  }

  function fileJson(f: { path: string; sha: string }, size: number) {
    return { id: f.path, path: f.path, sha: f.sha, mime_type: mimeType(f.path), size };
  }

  const accountCreatedAt = new Date().toISOString();
  function userJson(token: string) {
    return {
      id: crypto.createHash('sha1').update(token).digest('hex').slice(0, 24),
      uid: null,
      full_name: 'Sandbox Account',
      avatar_url: null,
      email: 'sandbox-owner@conciergerie.test',
      affiliate_id: '',
      site_count: account.sites.size,
      created_at: accountCreatedAt,
      last_login: new Date().toISOString(),
      login_providers: ['email'],
      onboarding_progress: { slides: 'done' },
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
      certificate: s.certificate ? { state: s.certificate.state, domains: s.certificate.domains, expires_at: s.certificate.expiresAt ?? null } : null,
      deploys: account.siteDeploys(s).map((d) => ({ id: d.id, state: d.state, title: d.title, files: Object.keys(d.files).length, created_at: d.createdAt })),
    };
  }

  return { certificateJson, deployJson, siteJson, fileJson, userJson, summary };
}

export type NetlifyObjects = ReturnType<typeof netlifyObjects>;
