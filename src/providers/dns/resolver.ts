// How the pipeline and the verifier look names up: the system's resolvers, or the sandbox's authoritative DNS server when one is given.
import { Resolver } from 'node:dns/promises';

export interface NameResolver {
  /** IPv4 addresses of `name`, CNAMEs followed; [] while the name has none (or does not exist yet) */
  resolve4(name: string): Promise<string[]>;
  /** the CNAME target(s) of `name`; [] while it has none */
  resolveCname(name: string): Promise<string[]>;
  /**
   * The records of one type at `name`, as text comparable with the customer's records: addresses as written, host
   * names lower-case without their final dot, MX as "<priority> <host>", TXT with its strings joined; [] when none.
   */
  records(name: string, type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT'): Promise<string[]>;
}

/** Answers that mean "not there (yet)"; anything else (timeout, SERVFAIL, REFUSED) is thrown, so the caller can retry. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

export function createResolver(opts: { server?: { host: string; port: number }; timeoutMs?: number; tries?: number } = {}): NameResolver {
  // One resolver serves every poll: node runs c-ares without its answer cache, so each lookup
  // sees the latest records (test/integration/sandbox-dns.test.ts holds this).
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2_000, tries: opts.tries ?? 2 });
  if (opts.server) resolver.setServers([serverAddress(opts.server.host, opts.server.port)]);

  const lookup = async (run: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await run();
    } catch (err) {
      if (ABSENT.has((err as NodeJS.ErrnoException).code ?? '')) return [];
      throw err;
    }
  };

  return {
    resolve4: (name) => lookup(() => resolver.resolve4(name)),
    resolveCname: (name) => lookup(() => resolver.resolveCname(name)),
    records: (name, type) => {
      const host = (h: string) => h.toLowerCase().replace(/\.$/, '');
      switch (type) {
        case 'A':
          return lookup(() => resolver.resolve4(name));
        case 'AAAA':
          return lookup(() => resolver.resolve6(name));
        case 'CNAME':
          return lookup(async () => (await resolver.resolveCname(name)).map(host));
        case 'MX':
          return lookup(async () => (await resolver.resolveMx(name)).map((m) => `${m.priority} ${host(m.exchange)}`));
        case 'TXT':
          return lookup(async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')));
      }
    },
  };
}

/** "127.0.0.1:5353", or "[::1]:5353" for an IPv6 server. */
function serverAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
