// RDAP availability source: asks the registry's RDAP server named by the IANA bootstrap file (RFC 9224); 404 means free.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
import { type HttpClientOptions, ProviderHttp } from '../../http.ts';
import type { AvailabilityAnswer, AvailabilitySource } from '../index.ts';

/** The shape of https://data.iana.org/rdap/dns.json: each service is [[tlds...], [base URLs...]]. */
export const rdapBootstrapSchema = z.object({
  version: z.string(),
  publication: z.string(),
  description: z.string().optional(),
  services: z.array(z.tuple([z.array(z.string().min(1)).min(1), z.array(z.url()).min(1)])),
});

export type RdapBootstrap = z.infer<typeof rdapBootstrapSchema>;

/** The copy of the IANA file shipped with the code (`npm run rdap:refresh` updates it). */
export const SHIPPED_BOOTSTRAP_FILE = fileURLToPath(new URL('./bootstrap-dns.json', import.meta.url));

export function loadBootstrap(file: string = SHIPPED_BOOTSTRAP_FILE): RdapBootstrap {
  return rdapBootstrapSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/**
 * The same bootstrap with every server replaced by the sandbox RDAP server, so that a TLD without
 * RDAP in the real world (.eu, .io) has none in the sandbox either and still exercises the whois fallback.
 */
export function sandboxBootstrap(shipped: RdapBootstrap, sandboxRdapBaseUrl: string): RdapBootstrap {
  const url = sandboxRdapBaseUrl.endsWith('/') ? sandboxRdapBaseUrl : `${sandboxRdapBaseUrl}/`;
  return { ...shipped, services: shipped.services.map(([tlds]) => [[...tlds], [url]]) };
}

export interface RdapSourceOptions extends HttpClientOptions {
  bootstrap: RdapBootstrap;
  timeoutMs: number;
  userAgent: string;
}

export class RdapSource implements AvailabilitySource {
  readonly name = 'rdap' as const;
  private readonly servers = new Map<string, string>();
  private readonly http: ProviderHttp;

  constructor(private readonly opts: RdapSourceOptions) {
    this.http = new ProviderHttp('rdap', opts, {
      defaultTimeoutMs: opts.timeoutMs,
      // a status other than "taken", "free" or a passing failure is one we cannot read
      dialect: { refine: (_answer, base) => (base.retryable ? undefined : { code: 'unexpected_status' }) },
    });
    for (const [tlds, urls] of opts.bootstrap.services) {
      // RFC 9224 §3: prefer https when a service lists several base URLs
      const url = urls.find((u) => u.startsWith('https:')) ?? urls[0];
      for (const tld of tlds) this.servers.set(tld.toLowerCase(), url.endsWith('/') ? url : `${url}/`);
    }
  }

  supports(tld: string): boolean {
    return this.serverFor(tld) !== undefined;
  }

  /** Base URL for a TLD or a whole name: the longest matching entry wins ("co.uk" before "uk"). */
  serverFor(name: string): string | undefined {
    const labels = name.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length; i++) {
      const url = this.servers.get(labels.slice(i).join('.'));
      if (url) return url;
    }
    return undefined;
  }

  async check(domain: string, signal?: AbortSignal): Promise<AvailabilityAnswer> {
    const base = this.serverFor(domain);
    if (!base) throw new ProviderError('rdap', 'unsupported_tld', `no RDAP server for ${domain}`, false);
    const url = `${base}domain/${encodeURIComponent(domain)}`;
    // The answer is in the status; the body (a whole domain object) is not needed.
    const answer = await this.http.send({
      method: 'GET',
      url,
      operation: url,
      headers: { accept: 'application/rdap+json', 'user-agent': this.opts.userAgent },
      signal,
      read: false,
    });
    // RFC 7480 §5.3: a server with no such object answers 404, i.e. the name is not registered
    if (answer.status === 200) return { domain, available: false, source: 'rdap' };
    if (answer.status === 404) return { domain, available: true, source: 'rdap' };
    throw this.http.failure(answer);
  }
}
