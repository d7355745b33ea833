// Many customers at once: first-pass answers shared across checks, lookups bounded per process with the asked name
// first, and a check answered within its budget with what is known by then (sandbox RDAP on loopback, latency knobs).
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDomainName } from '../../src/domain/domain-name.ts';
import { ProviderError } from '../../src/errors.ts';
import { DomainChecker, directConfirmations, type DomainCheckerOptions } from '../../src/providers/availability/checker.ts';
import type { AvailabilitySource } from '../../src/providers/availability/index.ts';
import { loadBootstrap, RdapSource, sandboxBootstrap } from '../../src/providers/availability/rdap/client.ts';
import type { RegistrarCheck } from '../../src/providers/registrar/index.ts';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { startRdapServer } from '../../src/sandbox/rdap/server.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

const PRICES = { fr: 1200, com: 1400, net: 1600, org: 1500, shop: 3500 };
const TLDS = Object.keys(PRICES);

const registry = new SandboxRegistry();
const rdapFaults = new FaultInjector();
let rdapServer: SandboxServer;
let rdap: RdapSource;

/** The real RDAP adapter, each lookup it is asked for counted, in the order asked. */
class CountedRdap implements AvailabilitySource {
  readonly name = 'rdap' as const;
  asked: string[] = [];
  supports(tld: string) {
    return rdap.supports(tld);
  }
  check(domain: string, signal?: AbortSignal) {
    this.asked.push(domain);
    return rdap.check(domain, signal);
  }
}

/** The sandbox registry's word on names, after `delayMs` (a registrar whose answer comes late), calls counted. */
function slowRegistrar(delayMs: number) {
  const calls: string[][] = [];
  return {
    calls,
    confirmations: directConfirmations({
      name: 'sandbox-test',
      async check(domains: string[], signal?: AbortSignal): Promise<RegistrarCheck[]> {
        calls.push(domains);
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, delayMs);
          signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new ProviderError('registrar', 'timeout', 'no answer in time', true));
          });
        });
        return domains.map((domain) => ({ domain, available: !registry.isRegistered(domain), premium: false, currency: 'USD' }));
      },
    }),
  };
}

function checker(source: AvailabilitySource, overrides: Partial<DomainCheckerOptions> = {}): DomainChecker {
  return new DomainChecker({
    sources: [source],
    prices: PRICES,
    currency: 'EUR',
    premiumMaxCents: 50_000,
    concurrency: 8,
    budgetMs: 3000,
    timeoutMs: 5000,
    ...overrides,
  });
}

before(async () => {
  rdapServer = await startRdapServer({ registry, faults: rdapFaults });
  rdap = new RdapSource({ bootstrap: sandboxBootstrap(loadBootstrap(), rdapServer.url), timeoutMs: 5000, userAgent: 'conciergerie-test' });
});
after(async () => {
  await rdapServer.close();
});
afterEach(() => {
  rdapFaults.reset();
  rdapFaults.latency = { minMs: 0, maxMs: 0 };
});

describe('first-pass answers shared by every check of the process', () => {
  test('100 customers at once asking the same taken name: one lookup per name, fewer than 10 checks ask without sharing', async () => {
    const shared = new CountedRdap();
    const alone = new CountedRdap();
    rdapFaults.latency = { minMs: 20, maxMs: 60 };
    const ctx = { businessName: 'Boulangerie Partagée', city: 'Lyon' };
    const names = Array.from({ length: 100 }, () => parseDomainName('taken-partage.fr', TLDS));

    const withCache = checker(shared, { cacheSeconds: 60 });
    const answers = await Promise.all(names.map((n) => withCache.check(n, ctx, { cached: true })));
    // without the cache, ten customers alone already ask more than the hundred together
    const without = checker(alone);
    await Promise.all(names.slice(0, 10).map((n) => without.check(n, ctx)));

    for (const a of answers) {
      assert.equal(a.available, false);
      assert.ok((a.alternatives ?? []).length >= 5, `${a.domain}: ${a.alternatives?.length} alternatives`);
    }
    assert.equal(new Set(shared.asked).size, shared.asked.length, 'no name looked up twice');
    assert.equal(withCache.cache!.lookups, shared.asked.length);
    assert.ok(shared.asked.length < alone.asked.length, `${shared.asked.length} lookups for 100 checks, ${alone.asked.length} for 10 without the cache`);
  });

  test('an answer is reused within its time (not by an order), a failure is not kept', async () => {
    const counted = new CountedRdap();
    const c = checker(counted, { cacheSeconds: 60 });
    assert.equal((await c.firstPass('taken-reuse.fr')).available, false);
    assert.equal((await c.firstPass('TAKEN-REUSE.fr')).available, false);
    assert.deepEqual(counted.asked, ['taken-reuse.fr']);

    rdapFaults.set({ errorRate: 1 });
    await assert.rejects(c.firstPass('libre-reuse.fr'), ProviderError);
    rdapFaults.reset();
    assert.equal((await c.firstPass('libre-reuse.fr')).available, true);
    assert.deepEqual(counted.asked, ['taken-reuse.fr', 'libre-reuse.fr', 'libre-reuse.fr']);

    // a customer's check may take the kept answer; an order's check of its name asks afresh
    await c.check(parseDomainName('libre-reuse.fr', TLDS), { businessName: 'Libre' }, { cached: true });
    assert.equal(counted.asked.length, 3);
    await c.check(parseDomainName('libre-reuse.fr', TLDS), { businessName: 'Libre' });
    assert.deepEqual(counted.asked.slice(3), ['libre-reuse.fr']);
  });

  test('a lookup every asker gave up on is stopped; one still awaited goes on for those who wait', async () => {
    rdapFaults.latency = { minMs: 300, maxMs: 300 };
    const counted = new CountedRdap();
    const c = checker(counted, { cacheSeconds: 60 });
    const impatient = new AbortController();
    const first = c.firstPass('libre-partage.fr', impatient.signal);
    const patient = c.firstPass('libre-partage.fr');
    impatient.abort();
    await assert.rejects(first, (err: ProviderError) => err.code === 'aborted');
    assert.equal((await patient).available, true, 'the other asker still gets the answer');
    assert.equal(counted.asked.length, 1);

    const alone = new AbortController();
    const gone = c.firstPass('libre-abandon.fr', alone.signal);
    alone.abort();
    await assert.rejects(gone, (err: ProviderError) => err.code === 'aborted');
    // nobody waits any more: the lookup was stopped, nothing kept, and the next asker asks again
    assert.equal((await c.firstPass('libre-abandon.fr')).available, true);
    assert.deepEqual(counted.asked.slice(1), ['libre-abandon.fr', 'libre-abandon.fr']);
  });
});

describe('lookups bounded per process, the asked name first', () => {
  test('with room for one lookup, a name asked while alternatives wait is looked up before all of them', async () => {
    rdapFaults.latency = { minMs: 30, maxMs: 30 };
    const counted = new CountedRdap();
    const c = checker(counted, { lookupsInFlight: 1, concurrency: 4 });
    const search = c.searchAlternatives(parseDomainName('taken-file.fr', TLDS), { businessName: 'File Attente' });
    // the search has taken the only place and queued its other candidates
    await new Promise((r) => setImmediate(r));
    const asked = c.firstPass('taken-prioritaire.fr');
    assert.equal((await asked).available, false);
    await search;
    assert.ok(counted.asked.length > 2, counted.asked.join(', '));
    assert.equal(counted.asked[1], 'taken-prioritaire.fr', `second lookup made: ${counted.asked.slice(0, 3).join(', ')}`);
  });

  test('alternatives still waiting for a place when the check answers are never looked up', async () => {
    // each lookup holds the only place for 400 ms; the customer is answered after about 600 ms
    rdapFaults.latency = { minMs: 400, maxMs: 400 };
    const counted = new CountedRdap();
    const c = checker(counted, { lookupsInFlight: 1 });
    const result = await c.check(parseDomainName('taken-borne.fr', TLDS), { businessName: 'Borne' }, { answerMs: 600 });
    // let anything still queued run, were it to
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(result.available, false);
    assert.deepEqual(result.alternatives, [], 'no alternative was known in time, none made up');
    assert.ok(counted.asked.length <= 2, `lookups made: ${counted.asked.join(', ')}`);
    assert.equal(c.gate!.waiting, 0);
  });
});

describe('a check answers within its budget with what is known, marked', () => {
  test('a free name whose registrar answers late is answered free but unconfirmed, at the catalogue price', async () => {
    const registrar = slowRegistrar(1500);
    const c = checker(new CountedRdap(), { confirmations: registrar.confirmations, confirmWaitMs: 5000 });
    const result = await c.check(parseDomainName('libre-budget.fr', TLDS), { businessName: 'Libre' }, { answerMs: 500 });
    assert.deepEqual(result, {
      domain: 'libre-budget.fr',
      available: true,
      source: 'rdap',
      confirmed: false,
      price: { amountCents: 1200, currency: 'EUR', premium: false },
    });
    // without the budget the same registrar's word is waited for
    const patient = await c.check(parseDomainName('libre-budget.fr', TLDS), { businessName: 'Libre' });
    assert.equal(patient.confirmed, true);
  });

  test('a taken name whose alternatives are slow to look up: only what was answered in time is offered', async () => {
    rdapFaults.latency = { minMs: 800, maxMs: 800 };
    const counted = new CountedRdap();
    const c = checker(counted, { cacheSeconds: 60 });
    // the asked name's answer is known already (a customer asked a moment ago)
    rdapFaults.latency = { minMs: 0, maxMs: 0 };
    await c.firstPass('taken-lent.fr');
    rdapFaults.latency = { minMs: 800, maxMs: 800 };
    const hurried = await c.check(parseDomainName('taken-lent.fr', TLDS), { businessName: 'Lent' }, { answerMs: 400, cached: true });
    assert.equal(hurried.available, false);
    assert.deepEqual(hurried.alternatives, []);
    // with the whole alternatives budget, the same lookups answer and are offered, each marked unconfirmed
    const patient = await c.check(parseDomainName('taken-lent.fr', TLDS), { businessName: 'Lent' });
    assert.ok((patient.alternatives ?? []).length >= 5, `${patient.alternatives?.length}`);
    assert.ok(patient.alternatives!.every((a) => a.confirmed === false && !registry.isRegistered(a.domain)));
  });
});

describe('GET /api/domains/check within CHECK_ANSWER_MS', () => {
  let sys: TestSystem;
  before(async () => {
    sys = await startTestSystem({ CHECK_ANSWER_MS: '400' }, { role: 'api' });
  });
  after(async () => {
    await sys?.stop();
  });

  test('RDAP and whois slower than the budget: "cannot check now" (503, retry), never a made-up answer', async () => {
    for (const server of [sys.sandbox!.rdap, sys.sandbox!.whois]) server.faults.latency = { minMs: 1500, maxMs: 1500 };
    const answer = await sys.api('/api/domains/check?name=libre-trop-lent.fr', { headers: { 'accept-language': 'fr' } });
    assert.equal(answer.status, 503, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'availability_unknown');
    assert.match(answer.body.message, /Réessayez/);
    assert.ok(Number(answer.headers.get('retry-after')) >= 1);

    for (const server of [sys.sandbox!.rdap, sys.sandbox!.whois]) server.faults.latency = { minMs: 0, maxMs: 0 };
    const again = await sys.api('/api/domains/check?name=libre-trop-lent.fr');
    assert.equal(again.status, 200);
    assert.equal(again.body.available, true);
  });
});
