// Availability end to end on loopback: sandbox RDAP and whois servers, the real adapters, the checker and its fallbacks.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { alternativeCandidates } from '../../src/domain/alternatives.ts';
import { parseDomainName } from '../../src/domain/domain-name.ts';
import { ProviderError } from '../../src/errors.ts';
import { DomainChecker, directConfirmations, type DomainCheckerOptions } from '../../src/providers/availability/checker.ts';
import { loadBootstrap, RdapSource, SHIPPED_BOOTSTRAP_FILE, sandboxBootstrap } from '../../src/providers/availability/rdap/client.ts';
import { refreshBootstrap } from '../../src/providers/availability/rdap/refresh-bootstrap.ts';
import { WhoisSource } from '../../src/providers/availability/whois/client.ts';
import type { Registrar, RegistrarCheck } from '../../src/providers/registrar/index.ts';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { startRdapServer } from '../../src/sandbox/rdap/server.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startWhoisServer } from '../../src/sandbox/whois/server.ts';

const PRICES = { fr: 1200, com: 1400, net: 1600, org: 1500, eu: 1000, io: 4500, shop: 3500 };
const TLDS = Object.keys(PRICES);

/**
 * Stand-in for the Namecheap adapter (built in parallel): answers domains.check from the same
 * sandbox registry, the way the sandbox registrar does, and counts its calls.
 */
class RegistryBackedRegistrar implements Pick<Registrar, 'name' | 'check'> {
  readonly name = 'sandbox-test';
  calls: string[][] = [];
  failing = false;
  constructor(private readonly registry: SandboxRegistry) {}
  async check(domains: string[]): Promise<RegistrarCheck[]> {
    this.calls.push(domains);
    if (this.failing) throw new ProviderError('registrar', 'server_error', 'sandbox registrar down', true);
    return domains.map((domain) => {
      const premium = this.registry.isPremium(domain);
      return {
        domain,
        available: !this.registry.isRegistered(domain) && !this.registry.isReserved(domain),
        premium,
        currency: 'USD',
        premiumPriceCents: premium ? (domain.includes('cheap') ? 30_000 : 120_000) : undefined,
      };
    });
  }
}

const registry = new SandboxRegistry();
const rdapFaults = new FaultInjector();
const whoisFaults = new FaultInjector();
let rdapServer: SandboxServer;
let whoisServer: SandboxServer;
let rdap: RdapSource;
let whois: WhoisSource;
let registrar: RegistryBackedRegistrar;

function checker(overrides: Partial<DomainCheckerOptions> = {}): DomainChecker {
  return new DomainChecker({
    sources: [rdap, whois],
    confirmations: directConfirmations(registrar),
    prices: PRICES,
    currency: 'EUR',
    // one US dollar for one euro, no margin: the premium prices below read as they are quoted
    exchange: { currency: 'EUR', usdPerUnit: 1, marginPercent: 0 },
    premiumMaxCents: 50_000,
    concurrency: 8,
    budgetMs: 3000,
    timeoutMs: 1000,
    ...overrides,
  });
}

before(async () => {
  rdapServer = await startRdapServer({ registry, faults: rdapFaults });
  whoisServer = await startWhoisServer({ registry, faults: whoisFaults });
  rdap = new RdapSource({ bootstrap: sandboxBootstrap(loadBootstrap(), rdapServer.url), timeoutMs: 1000, userAgent: 'conciergerie-test' });
  const [host, port] = whoisServer.url.split(':');
  whois = new WhoisSource({ server: { host, port: Number(port) }, timeoutMs: 1000 });
});

after(async () => {
  await rdapServer.close();
  await whoisServer.close();
});

afterEach(() => {
  rdapFaults.reset();
  whoisFaults.reset();
  registrar = new RegistryBackedRegistrar(registry);
});
registrar = new RegistryBackedRegistrar(registry);

describe('sandbox RDAP server', () => {
  test('a registered name is a 200 RDAP domain object', async () => {
    const res = await fetch(`${rdapServer.url}/domain/google.fr`, { headers: { accept: 'application/rdap+json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/rdap+json');
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.objectClassName, 'domain');
    assert.equal(body.ldhName, 'google.fr');
    assert.deepEqual(body.status, ['active']);
    assert.deepEqual(body.events.map((e: { eventAction: string }) => e.eventAction).slice(0, 2), ['registration', 'expiration']);
    assert.ok(body.nameservers.length >= 2);
    assert.ok(body.rdapConformance.includes('rdap_level_0'));
    assert.ok(Array.isArray(body.notices));
  });

  test('a free or reserved name is a 404 RDAP error; other paths are 400', async () => {
    for (const name of ['libre-comme-l-air.fr', 'reserved-name.com']) {
      const res = await fetch(`${rdapServer.url}/domain/${name}`);
      assert.equal(res.status, 404);
      const body = (await res.json()) as { errorCode: number; title: string };
      assert.equal(body.errorCode, 404);
      assert.equal(body.title, 'Not Found');
    }
    const res = await fetch(`${rdapServer.url}/nameserver/ns1.example.fr`);
    assert.equal(res.status, 400);
    await res.body?.cancel();
  });
});

describe('sandbox whois server', () => {
  const ask = (query: string) =>
    new Promise<string>((resolve, reject) => {
      const [host, port] = whoisServer.url.split(':');
      let data = '';
      const socket = net.connect({ host, port: Number(port) }, () => socket.write(`${query}\r\n`));
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => (data += chunk));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });

  test('answers a Verisign-style record or "No match", then closes', async () => {
    const taken = await ask('taken-foo.com');
    assert.match(taken, /^\s+Domain Name: TAKEN-FOO\.COM\r$/m);
    assert.match(taken, /^\s+Registrar: Sandbox Registrar\r$/m);
    assert.match(taken, /^\s+Creation Date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\r$/m);
    assert.match(await ask('free-name.com'), /^No match for "FREE-NAME\.COM"\./);
  });

  test('an injected error is a "% Error" line', async () => {
    whoisFaults.set({ errorRate: 1 });
    assert.match(await ask('google.com'), /^% Error: server busy/);
  });
});

describe('RDAP and whois adapters', () => {
  test('RDAP: free and taken', async () => {
    assert.deepEqual(await rdap.check('taken-foo.fr'), { domain: 'taken-foo.fr', available: false, source: 'rdap' });
    assert.deepEqual(await rdap.check('google.fr'), { domain: 'google.fr', available: false, source: 'rdap' });
    assert.deepEqual(await rdap.check('libre-123.fr'), { domain: 'libre-123.fr', available: true, source: 'rdap' });
  });

  test('RDAP: 429 is retryable with Retry-After; 5xx is retryable', async () => {
    rdapFaults.set({ rateLimitRate: 1 });
    await assert.rejects(rdap.check('google.fr'), (err: ProviderError) => {
      assert.equal(err.code, 'rate_limited');
      assert.equal(err.retryable, true);
      assert.equal(err.retryAfterMs, 1000);
      return true;
    });
    rdapFaults.set({ rateLimitRate: 0, errorRate: 1 });
    await assert.rejects(rdap.check('google.fr'), (err: ProviderError) => err.code === 'server_error' && err.retryable);
  });

  test('RDAP: a dropped connection is retryable', async () => {
    rdapFaults.set({ dropRate: 1 });
    await assert.rejects(rdap.check('google.fr'), (err: ProviderError) => err.code === 'network' && err.retryable);
  });

  test('whois: free and taken, through whoiser against the sandbox server', async () => {
    assert.deepEqual(await whois.check('taken-bar.eu'), { domain: 'taken-bar.eu', available: false, source: 'whois' });
    assert.deepEqual(await whois.check('libre-456.eu'), { domain: 'libre-456.eu', available: true, source: 'whois' });
  });

  test('whois: busy, dropped and silent servers are retryable errors', async () => {
    whoisFaults.set({ errorRate: 1 });
    await assert.rejects(whois.check('google.com'), (err: ProviderError) => err.code === 'server_error' && err.retryable);
    whoisFaults.set({ errorRate: 0, dropRate: 1 });
    await assert.rejects(whois.check('google.com'), (err: ProviderError) => err.retryable);
    whoisFaults.set({ dropRate: 0, timeoutRate: 1 });
    const quick = new WhoisSource({ server: { host: '127.0.0.1', port: Number(whoisServer.url.split(':')[1]) }, timeoutMs: 200 });
    await assert.rejects(quick.check('google.com'), (err: ProviderError) => err.code === 'timeout' && err.retryable);
  });
});

describe('DomainChecker first pass', () => {
  test('RDAP answers when it can', async () => {
    assert.equal((await checker().firstPass('google.fr')).source, 'rdap');
  });

  test('RDAP down: whois answers', async () => {
    rdapFaults.set({ errorRate: 1 });
    assert.deepEqual(await checker().firstPass('taken-foo.fr'), { domain: 'taken-foo.fr', available: false, source: 'whois' });
    const result = await checker().check(parseDomainName('libre-789.fr', TLDS), { businessName: 'Libre' });
    assert.equal(result.available, true);
    assert.equal(result.source, 'whois');
  });

  test('a TLD without RDAP (.eu, .io) goes straight to whois', async () => {
    assert.equal(rdap.supports('eu'), false);
    assert.deepEqual(await checker().firstPass('google.eu'), { domain: 'google.eu', available: true, source: 'whois' });
    assert.deepEqual(await checker().firstPass('taken-x.io'), { domain: 'taken-x.io', available: false, source: 'whois' });
  });

  test('nobody answers: availability_unknown, retryable', async () => {
    rdapFaults.set({ errorRate: 1 });
    whoisFaults.set({ errorRate: 1 });
    await assert.rejects(checker().firstPass('google.fr'), (err: ProviderError) => {
      assert.equal(err.code, 'availability_unknown');
      assert.equal(err.retryable, true);
      return true;
    });
  });
});

describe('DomainChecker.check', () => {
  test('a free name: confirmed by the registrar, priced from the catalogue', async () => {
    const result = await checker().check(parseDomainName('ma-belle-boutique.fr', TLDS), { businessName: 'Ma Belle Boutique' });
    assert.deepEqual(result, {
      domain: 'ma-belle-boutique.fr',
      available: true,
      source: 'rdap',
      confirmed: true,
      price: { amountCents: 1200, currency: 'EUR', premium: false },
    });
    assert.deepEqual(registrar.calls, [['ma-belle-boutique.fr']]);
  });

  test('a premium name under the limit is sold at its premium price', async () => {
    const result = await checker().check(parseDomainName('premium-cheap.com', TLDS), { businessName: 'Cheap' });
    assert.equal(result.available, true);
    assert.deepEqual(result.price, { amountCents: 30_000, currency: 'EUR', premium: true });
  });

  test('a premium name over the limit is refused, with alternatives', async () => {
    const result = await checker().check(parseDomainName('premium-luxe.com', TLDS), { businessName: 'Luxe' });
    assert.equal(result.available, false);
    assert.equal(result.refusedReason, 'premium_too_expensive');
    assert.ok((result.alternatives ?? []).length >= 5);
  });

  test('a reserved name: free for RDAP, refused by the registrar, and so are its reserved alternatives', async () => {
    const result = await checker().check(parseDomainName('reserved-spot.fr', TLDS), { businessName: 'Spot' });
    assert.equal(result.available, false);
    assert.equal(result.source, 'rdap');
    // reserved-spot.com, .net...: free for RDAP too, but the registrar's batch check removed them
    const alternatives = result.alternatives ?? [];
    assert.ok(alternatives.length >= 5, `${alternatives.length} alternatives`);
    assert.ok(
      alternatives.every((a) => !registry.isReserved(a.domain)),
      alternatives.map((a) => a.domain).join(', '),
    );
  });

  test('no first-pass source answers: the registrar does', async () => {
    rdapFaults.set({ errorRate: 1 });
    whoisFaults.set({ errorRate: 1 });
    const result = await checker().check(parseDomainName('libre-999.fr', TLDS), { businessName: 'Libre' });
    assert.equal(result.available, true);
    assert.equal(result.source, 'registrar');
  });

  test('a taken name: at least 5 available alternatives, in rank order, confirmed in one registrar call', async () => {
    const name = parseDomainName('taken-foo.fr', TLDS);
    const ctx = { businessName: 'Taken Foo', city: 'Paris' };
    const result = await checker().check(name, ctx);
    assert.equal(result.available, false);
    assert.equal(result.source, 'rdap');
    const alternatives = result.alternatives ?? [];
    assert.ok(alternatives.length >= 5, `${alternatives.length} alternatives`);
    for (const alt of alternatives) {
      assert.equal(alt.available, true);
      assert.equal(registry.isRegistered(alt.domain), false, alt.domain);
      assert.equal(alt.price.currency, 'EUR');
    }
    const order = alternativeCandidates(name, { ...ctx, tlds: TLDS }).map((c) => c.domain);
    const positions = alternatives.map((a) => order.indexOf(a.domain));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    assert.equal(registrar.calls.length, 1, 'one batch call for the alternatives');
    assert.ok(registrar.calls[0].length <= 50);
  });

  test('without a registrar, the first pass decides and the catalogue prices', async () => {
    const result = await checker({ confirmations: undefined }).check(parseDomainName('taken-foo.com', TLDS), { businessName: 'Foo' });
    assert.equal(result.available, false);
    assert.ok((result.alternatives ?? []).length >= 5);
    assert.ok(result.alternatives!.every((a) => a.price.amountCents === PRICES[a.domain.split('.').pop() as keyof typeof PRICES]));
  });

  test('the registrar down during alternatives: first-pass free names are still offered', async () => {
    registrar.failing = true;
    const result = await checker().alternatives(parseDomainName('taken-foo.com', TLDS), { businessName: 'Foo' });
    assert.ok(result.length >= 5);
  });
});

describe('the alternatives budget', () => {
  test('RDAP never answering costs at most the budget', async () => {
    rdapFaults.set({ timeoutRate: 1 });
    const budgetMs = 600;
    // the per-call timeout is longer than the budget: only the budget can stop the wait
    const slow = checker({ budgetMs, timeoutMs: 5000 });
    const started = Date.now();
    const result = await slow.alternatives(parseDomainName('taken-foo.fr', TLDS), { businessName: 'Taken Foo' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < budgetMs * 3, `took ${elapsed} ms for a ${budgetMs} ms budget`);
    // the first pass was abandoned; the registrar, last resort, still found names
    assert.ok(result.length >= 5, `${result.length} alternatives`);
    assert.equal(registrar.calls.length, 1);
  });

  test('RDAP and whois both silent: still within the budget', async () => {
    rdapFaults.set({ timeoutRate: 1 });
    whoisFaults.set({ timeoutRate: 1 });
    const budgetMs = 500;
    const started = Date.now();
    await checker({ budgetMs, timeoutMs: 300 }).alternatives(parseDomainName('taken-foo.com', TLDS), { businessName: 'Foo' });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < budgetMs * 3, `took ${elapsed} ms for a ${budgetMs} ms budget`);
  });
});

describe('npm run rdap:refresh', () => {
  let source: http.Server;
  let url = '';
  let served = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdap-refresh-'));

  before(async () => {
    source = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(served);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/rdap/dns.json`;
  });
  after(() => {
    source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writes a valid file byte for byte', async () => {
    served = fs.readFileSync(SHIPPED_BOOTSTRAP_FILE, 'utf8');
    const file = path.join(dir, 'dns.json');
    const result = await refreshBootstrap({ url, file });
    assert.equal(fs.readFileSync(file, 'utf8'), served);
    assert.equal(result.publication, loadBootstrap().publication);
    assert.ok(result.tlds > 1000);
    assert.deepEqual(fs.readdirSync(dir), ['dns.json'], 'no temporary file left behind');
  });

  test('refuses a file of the wrong shape, and keeps the current copy', async () => {
    const file = path.join(dir, 'dns.json');
    fs.writeFileSync(file, 'previous');
    for (const bad of ['{"publication":"test"}', JSON.stringify({ version: '1.0', publication: 'x', services: [] }), 'not json']) {
      served = bad;
      await assert.rejects(refreshBootstrap({ url, file }));
      assert.equal(fs.readFileSync(file, 'utf8'), 'previous');
    }
  });
});
