// RDAP availability source: asks the registry's RDAP server named by the IANA bootstrap file (RFC 9224); 404 means free.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
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

export interface RdapSourceOptions {
  bootstrap: RdapBootstrap;
  fetchImpl?: typeof fetch;
  timeoutMs: number;
  userAgent: string;
}

export class RdapSource implements AvailabilitySource {
  readonly name = 'rdap' as const;
  private readonly servers = new Map<string, string>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: RdapSourceOptions) {
    this.fetchImpl = opts.fetchImpl ?? fetch;
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
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        headers: { accept: 'application/rdap+json', 'user-agent': this.opts.userAgent },
        signal: combined,
      });
      // The answer is in the status; the body (a whole domain object) is not needed.
      await res.body?.cancel();
    } catch (err) {
      if (signal?.aborted) throw new ProviderError('rdap', 'aborted', `${url}: check abandoned`, true);
      if (timeout.aborted) throw new ProviderError('rdap', 'timeout', `${url}: no answer within ${this.opts.timeoutMs} ms`, true);
      throw new ProviderError('rdap', 'network', `${url}: ${(err as Error).message}`, true);
    }

    if (res.status === 200) return { domain, available: false, source: 'rdap' };
    if (res.status === 404) return { domain, available: true, source: 'rdap' };
    if (res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      throw new ProviderError('rdap', 'rate_limited', `${url}: 429`, true, retryAfterMs, 429);
    }
    if (res.status >= 500) throw new ProviderError('rdap', 'server_error', `${url}: ${res.status}`, true, undefined, res.status);
    throw new ProviderError('rdap', 'unexpected_status', `${url}: ${res.status}`, false, undefined, res.status);
  }
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
