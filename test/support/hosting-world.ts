// The sandbox Netlify with what it needs around it (a registry and the sandbox DNS that certificate issuance resolves
// through), on loopback, for the tests that drive the real Netlify adapter.
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startDnsServer } from '../../src/sandbox/dns/server.ts';
import { startNetlifyServer, type NetlifySandboxOptions, type NetlifySandboxServer } from '../../src/sandbox/netlify/server.ts';
import { createResolver } from '../../src/providers/dns/resolver.ts';

export interface HostingWorld {
  registry: SandboxRegistry;
  dns: SandboxServer & { port: number };
  netlify: NetlifySandboxServer;
  close(): Promise<void>;
}

export async function startHostingWorld(
  opts: Omit<NetlifySandboxOptions, 'registry' | 'resolver' | 'faults'> & { faults?: FaultInjector },
): Promise<HostingWorld> {
  const registry = new SandboxRegistry();
  let netlify: NetlifySandboxServer | undefined;
  // the DNS answers <name>.netlify.app from the hosting, which starts after it
  const dns = await startDnsServer({ registry, faults: new FaultInjector(), extraRecords: (name) => netlify?.dnsRecords(name) });
  const resolver = createResolver({ server: { host: '127.0.0.1', port: dns.port }, timeoutMs: 1_000, tries: 1 });
  netlify = await startNetlifyServer({ ...opts, registry, resolver, faults: opts.faults ?? new FaultInjector() });
  const started = netlify;
  return {
    registry,
    dns,
    netlify: started,
    close: async () => {
      await started.close();
      await dns.close();
    },
  };
}
