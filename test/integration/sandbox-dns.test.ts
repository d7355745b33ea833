// The sandbox authoritative DNS server, queried over UDP by node's own resolver (c-ares), as the pipeline and the verifier query it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { PARKING_ADDRESS, startDnsServer } from '../../src/sandbox/dns/server.ts';
import { createResolver } from '../../src/providers/dns/resolver.ts';

describe('sandbox DNS', () => {
  const faults = new FaultInjector();
  let registry: SandboxRegistry;
  let server: SandboxServer & { port: number };

  /** node's own resolver, pointed at the sandbox server only */
  const nodeResolver = () => {
    const r = new Resolver({ timeout: 500, tries: 1 });
    r.setServers([`127.0.0.1:${server.port}`]);
    return r;
  };

  async function rejectsCode(promise: Promise<unknown>, code: string) {
    await assert.rejects(promise, (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, code);
      return true;
    });
  }

  before(async () => {
    registry = new SandboxRegistry();
    server = await startDnsServer({ registry, faults });
    registry.register('salon-julie.fr', 1);
    registry.setHosts('salon-julie.fr', [
      { name: '@', type: 'A', address: '127.0.0.1', ttl: 300 },
      { name: 'www', type: 'CNAME', address: 'salon-julie.netlify.app.', ttl: 300 },
      { name: '@', type: 'TXT', address: 'v=spf1 -all', ttl: 300 },
      { name: '@', type: 'MX', address: 'mx.example.net.', ttl: 300, mxPref: 10 },
    ]);
  });
  after(() => server.close());

  test('A at the apex and CNAME at www, through node Resolver pointed at the sandbox', async () => {
    const r = nodeResolver();
    assert.deepEqual(await r.resolve4('salon-julie.fr'), ['127.0.0.1']);
    assert.deepEqual(await r.resolveCname('www.salon-julie.fr'), ['salon-julie.netlify.app']);
    assert.deepEqual(await r.resolveTxt('salon-julie.fr'), [['v=spf1 -all']]);
    assert.deepEqual(await r.resolveMx('salon-julie.fr'), [{ exchange: 'mx.example.net', priority: 10 }]);
    assert.deepEqual((await r.resolveNs('salon-julie.fr')).sort(), ['dns1.registrar-servers.com', 'dns2.registrar-servers.com']);
    assert.equal((await r.resolveSoa('salon-julie.fr')).nsname, 'dns1.registrar-servers.com');
  });

  test('the CNAME target is followed when it lives in a sandbox zone, as a resolver expects', async () => {
    // The target's zone does not exist yet: the CNAME alone, so no address.
    assert.deepEqual(await nodeResolver().resolve4('www.salon-julie.fr'), []);
    registry.register('hebergement-sandbox.app', 1);
    registry.setHosts('hebergement-sandbox.app', [{ name: '*', type: 'A', address: '127.0.0.42', ttl: 60 }]);
    registry.setHosts('salon-julie.fr', [
      { name: '@', type: 'A', address: '127.0.0.1', ttl: 300 },
      { name: 'www', type: 'CNAME', address: 'salon-julie.hebergement-sandbox.app.', ttl: 300 },
    ]);
    assert.deepEqual(await nodeResolver().resolve4('www.salon-julie.fr'), ['127.0.0.42']);
  });

  test('changes in the registry are answered at once', async () => {
    registry.setHosts('salon-julie.fr', [{ name: '@', type: 'A', address: '127.0.0.9', ttl: 300 }]);
    assert.deepEqual(await nodeResolver().resolve4('salon-julie.fr'), ['127.0.0.9']);
    await rejectsCode(nodeResolver().resolveCname('www.salon-julie.fr'), 'ENOTFOUND');
  });

  test('a newly bought domain answers its parking records', async () => {
    registry.register('fromagerie-paul.fr', 1);
    assert.deepEqual(await nodeResolver().resolve4('fromagerie-paul.fr'), [PARKING_ADDRESS]);
    assert.deepEqual(await nodeResolver().resolve4('www.fromagerie-paul.fr'), [PARKING_ADDRESS]);
  });

  test('NXDOMAIN for an unregistered name, REFUSED outside the sandbox TLDs', async () => {
    await rejectsCode(nodeResolver().resolve4('pas-encore-achete.fr'), 'ENOTFOUND');
    await rejectsCode(nodeResolver().resolve4('www.pas-encore-achete.co.uk'), 'ENOTFOUND');
    await rejectsCode(nodeResolver().resolve4('example.xyz'), 'EREFUSED');
  });

  test('an injected fault answers SERVFAIL', async () => {
    faults.set({ errorRate: 1 });
    try {
      await rejectsCode(nodeResolver().resolve4('salon-julie.fr'), 'ESERVFAIL');
    } finally {
      faults.reset();
    }
  });

  test('createResolver: addresses when there, [] while absent, errors thrown', async () => {
    const resolver = createResolver({ server: { host: '127.0.0.1', port: server.port }, timeoutMs: 500, tries: 1 });
    registry.setHosts('salon-julie.fr', [
      { name: '@', type: 'A', address: '127.0.0.1', ttl: 300 },
      { name: 'www', type: 'CNAME', address: 'salon-julie.hebergement-sandbox.app.', ttl: 300 },
    ]);
    assert.deepEqual(await resolver.resolve4('salon-julie.fr'), ['127.0.0.1']);
    assert.deepEqual(await resolver.resolveCname('www.salon-julie.fr'), ['salon-julie.hebergement-sandbox.app']);
    assert.deepEqual(await resolver.resolve4('pas-encore-achete.fr'), []);
    assert.deepEqual(await resolver.resolveCname('salon-julie.fr'), []);
    // Resolvers in a pipeline poll: each lookup must see the latest records, not a cached answer.
    registry.setHosts('salon-julie.fr', [{ name: '@', type: 'A', address: '127.0.0.7', ttl: 3600 }]);
    assert.deepEqual(await resolver.resolve4('salon-julie.fr'), ['127.0.0.7']);
    await rejectsCode(resolver.resolve4('example.xyz'), 'EREFUSED');
  });
  test('propagation: with a delay set, new records reach resolvers only after it; the registrar has them at once', async () => {
    registry.register('lente-propagation.fr', 1);
    registry.setHosts('lente-propagation.fr', [{ name: '@', type: 'A', address: '127.0.0.11', ttl: 60 }]);
    registry.propagationMsOf.set('lente-propagation.fr', 1_500);
    try {
      registry.setHosts('lente-propagation.fr', [{ name: '@', type: 'A', address: '127.0.0.12', ttl: 60 }]);
      assert.equal(registry.get('lente-propagation.fr')!.hosts[0]!.address, '127.0.0.12', 'the registrar knows the new records');
      assert.deepEqual(await nodeResolver().resolve4('lente-propagation.fr'), ['127.0.0.11'], 'resolvers still get the old ones');
      await new Promise((r) => setTimeout(r, 1_600));
      assert.deepEqual(await nodeResolver().resolve4('lente-propagation.fr'), ['127.0.0.12']);
    } finally {
      registry.propagationMsOf.clear();
    }
  });
  test('propagation for one name: only that name waits; the others answer their new records at once', async () => {
    for (const d of ['lente-seule.fr', 'rapide-voisine.fr']) {
      registry.register(d, 1);
      registry.setHosts(d, [{ name: '@', type: 'A', address: '127.0.0.21', ttl: 60 }]);
    }
    registry.propagationMsOf.set('lente-seule.fr', 1_500);
    try {
      for (const d of ['lente-seule.fr', 'rapide-voisine.fr']) registry.setHosts(d, [{ name: '@', type: 'A', address: '127.0.0.22', ttl: 60 }]);
      assert.deepEqual(await nodeResolver().resolve4('lente-seule.fr'), ['127.0.0.21'], 'the slow name: still the old records');
      assert.deepEqual(await nodeResolver().resolve4('rapide-voisine.fr'), ['127.0.0.22'], 'its neighbour: the new ones');
      await new Promise((r) => setTimeout(r, 1_600));
      assert.deepEqual(await nodeResolver().resolve4('lente-seule.fr'), ['127.0.0.22']);
    } finally {
      registry.propagationMsOf.clear();
    }
  });
});
