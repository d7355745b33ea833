// The real NamecheapRegistrar against the sandbox Namecheap server on loopback: checks, purchases, host records, errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startNamecheapServer, type NamecheapSandbox } from '../../src/sandbox/namecheap/server.ts';
import { NamecheapRegistrar, parseDecimalCents, splitDomain } from '../../src/providers/registrar/namecheap/client.ts';
import type { Contact } from '../../src/providers/registrar/index.ts';

const API_USER = 'conciergerie';
const API_KEY = 'sandbox-key-0123456789';

const contact: Contact = {
  firstName: 'Camille',
  lastName: 'Durand',
  address1: '12 rue des Lilas',
  city: 'Lyon',
  stateProvince: 'Rhône',
  postalCode: '69003',
  country: 'FR',
  phone: '+33.612345678',
  email: 'camille@example.org',
};

function registrarFor(server: SandboxServer, overrides: Partial<ConstructorParameters<typeof NamecheapRegistrar>[0]> = {}) {
  return new NamecheapRegistrar({
    baseUrl: `${server.url}/xml.response`,
    apiUser: API_USER,
    apiKey: API_KEY,
    userName: API_USER,
    clientIp: '127.0.0.1',
    timeoutMs: 2_000,
    ...overrides,
  });
}

async function rejectsWith(promise: Promise<unknown>, code: string, retryable: boolean): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail(`expected ProviderError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
  assert.equal(err.provider, 'namecheap');
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, retryable);
  return err;
}

/** A raw form POST, for what the adapter deliberately never sends. */
async function rawCall(server: SandboxServer, params: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams({ ApiUser: API_USER, ApiKey: API_KEY, UserName: API_USER, ClientIp: '127.0.0.1', ...params });
  const res = await fetch(`${server.url}/xml.response`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  assert.equal(res.status, 200, 'Namecheap answers 200 whatever the outcome');
  return res.text();
}

function contactParams(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const role of ['Registrant', 'Tech', 'Admin', 'AuxBilling']) {
    Object.assign(out, {
      [`${role}FirstName`]: contact.firstName,
      [`${role}LastName`]: contact.lastName,
      [`${role}Address1`]: contact.address1,
      [`${role}City`]: contact.city,
      [`${role}StateProvince`]: contact.stateProvince,
      [`${role}PostalCode`]: contact.postalCode,
      [`${role}Country`]: contact.country,
      [`${role}Phone`]: contact.phone,
      [`${role}EmailAddress`]: contact.email,
    });
  }
  return out;
}

async function registrations(server: SandboxServer): Promise<{ domain: string; domainId: number }[]> {
  const res = await fetch(`${server.url}/__sandbox/registrations`);
  return ((await res.json()) as { registrations: { domain: string; domainId: number }[] }).registrations;
}

describe('Namecheap registrar against the sandbox', () => {
  const faults = new FaultInjector();
  let registry: SandboxRegistry;
  let server: NamecheapSandbox;
  let registrar: NamecheapRegistrar;

  before(async () => {
    registry = new SandboxRegistry();
    server = await startNamecheapServer({ registry, apiUser: API_USER, apiKey: API_KEY, faults });
    registrar = registrarFor(server);
  });
  after(() => server.close());

  test('one check call answers a batch: free, taken, seeded, reserved, premium with its price, unsupported TLD', async () => {
    const calls: string[] = [];
    const counting = registrarFor(server, {
      fetchImpl: (input, init) => {
        calls.push(String(init?.body));
        return fetch(input, init);
      },
    });
    const names = ['boulangerie-dupont.fr', 'taken-fleurs.com', 'google.fr', 'reserved-atelier.fr', 'premium-cafe.com', 'atelier.xyz'];
    const results = await counting.check(names);
    assert.equal(calls.length, 1);
    assert.deepEqual(
      results.map((r) => r.domain),
      names,
    );
    const [free, taken, seeded, reserved, premium, unsupported] = results;
    assert.deepEqual(free, { domain: 'boulangerie-dupont.fr', available: true, premium: false });
    assert.equal(taken.available, false);
    assert.equal(seeded.available, false);
    assert.equal(reserved.available, false);
    assert.equal(reserved.errorCode, undefined);
    assert.deepEqual(premium, {
      domain: 'premium-cafe.com',
      available: true,
      premium: true,
      premiumPriceCents: 250_000,
      premiumRenewalCents: 250_000,
    });
    assert.equal(unsupported.available, false);
    assert.equal(unsupported.errorCode, 'unsupported_tld');
  });

  test('more than 50 names go out as several calls of at most 50', async () => {
    const bodies: string[] = [];
    const counting = registrarFor(server, {
      fetchImpl: (input, init) => {
        bodies.push(String(init?.body));
        return fetch(input, init);
      },
    });
    const names = Array.from({ length: 120 }, (_, i) => `boutique-${i}.fr`);
    const results = await counting.check(names);
    assert.equal(results.length, 120);
    assert.ok(results.every((r) => r.available));
    const sizes = bodies.map((b) => (new URLSearchParams(b).get('DomainList') ?? '').split(',').length);
    assert.deepEqual(sizes, [50, 50, 20]);
  });

  test('the server refuses a DomainList of more than 50 names, as Namecheap does', async () => {
    const xml = await rawCall(server, {
      Command: 'namecheap.domains.check',
      DomainList: Array.from({ length: 51 }, (_, i) => `n${i}.com`).join(','),
    });
    assert.match(xml, /Status="ERROR"/);
    assert.match(xml, /<Error Number="2\d{6}">/);
  });

  test('a wrong API key is auth_failed, not retryable, and carries the real error number', async () => {
    const err = await rejectsWith(registrarFor(server, { apiKey: 'wrong' }).check(['x.fr']), 'auth_failed', false);
    assert.match(err.message, /1011102/);
    await rejectsWith(registrarFor(server, { clientIp: 'not-an-ip' }).check(['x.fr']), 'ip_not_whitelisted', false);
  });

  test('a call from an address the account has not whitelisted is refused with global error 1011150, whatever the command', async () => {
    const elsewhere = registrarFor(server, { clientIp: '203.0.113.9' });
    const err = await rejectsWith(elsewhere.getBalances(), 'ip_not_whitelisted', false);
    assert.match(err.message, /1011150 Invalid request IP: 203\.0\.113\.9/);
    await rejectsWith(elsewhere.check(['x.fr']), 'ip_not_whitelisted', false);
    server.account.whitelist.add('203.0.113.9');
    try {
      assert.equal((await elsewhere.check(['whitelisted-now.fr']))[0].available, true);
    } finally {
      server.account.whitelist.delete('203.0.113.9');
    }
  });

  test("users.getBalances reports the account's balance in US dollars, as Namecheap's answer writes it", async () => {
    const xml = await rawCall(server, { Command: 'namecheap.users.getBalances' });
    assert.match(
      xml,
      /<CommandResponse Type="namecheap\.users\.getBalances"><UserGetBalancesResult Currency="USD" AvailableBalance="1000\.00" AccountBalance="1000\.00" EarnedAmount="0\.00" WithdrawableAmount="0\.00" FundsRequiredForAutoRenew="0\.00" \/><\/CommandResponse>/,
    );
    const before = server.account.balanceCents;
    server.account.balanceCents = 1234;
    try {
      assert.deepEqual(await registrar.getBalances(), { currency: 'USD', availableCents: 1234, accountCents: 1234 });
    } finally {
      server.account.balanceCents = before;
    }
  });

  test('create buys the name; the check then says taken; getInfo reports its dates', async () => {
    const reg = await registrar.create({ domain: 'fleuriste-martin.fr', years: 2, contact, idempotencyKey: 'order-1:buy' });
    assert.equal(reg.registered, true);
    assert.equal(reg.domain, 'fleuriste-martin.fr');
    assert.match(reg.domainId, /^\d+$/);
    assert.equal(reg.chargedAmountCents, 2 * 1098);
    assert.ok(reg.orderId && reg.transactionId);

    const [after] = await registrar.check(['fleuriste-martin.fr']);
    assert.equal(after.available, false);

    const info = await registrar.getInfo('fleuriste-martin.fr');
    const today = new Date();
    const ymd = (d: Date) => d.toISOString().slice(0, 10);
    const inTwoYears = new Date(today);
    inTwoYears.setUTCFullYear(today.getUTCFullYear() + 2);
    assert.equal(info.domain, 'fleuriste-martin.fr');
    assert.equal(info.status, 'Ok');
    assert.equal(info.createdAt, ymd(today));
    assert.equal(info.expiresAt, ymd(inTwoYears));
    assert.equal(info.dnsProvider, 'FREE');
  });

  test('create twice with the same idempotency key: the same DomainID and one registration', async () => {
    const input = { domain: 'menuiserie-petit.com', years: 1, contact, idempotencyKey: 'order-2:buy' };
    const first = await registrar.create(input);
    const second = await registrar.create(input);
    assert.equal(second.domainId, first.domainId);
    assert.equal((await registrations(server)).filter((r) => r.domain === 'menuiserie-petit.com').length, 1);
  });

  test('sandbox extension: a create replayed with the same X-Idempotency-Key answers the first result', async () => {
    const params = { Command: 'namecheap.domains.create', DomainName: 'garage-leroy.fr', Years: '1', ...contactParams() };
    const first = await rawCall(server, params, { 'x-idempotency-key': 'order-3:buy' });
    const replay = await rawCall(server, params, { 'x-idempotency-key': 'order-3:buy' });
    const id = (xml: string) => /DomainID="(\d+)"/.exec(xml)?.[1];
    assert.ok(id(first));
    assert.equal(id(replay), id(first));
    // Without the key it is what the live API always says for a name already bought.
    const other = await rawCall(server, params, { 'x-idempotency-key': 'order-4:buy' });
    assert.match(other, /<Error Number="3019166">Domain not available<\/Error>/);
  });

  test('create of a taken name is domain_unavailable, not retryable, and buys nothing', async () => {
    const before = (await registrations(server)).length;
    await rejectsWith(registrar.create({ domain: 'taken-bistro.fr', years: 1, contact, idempotencyKey: 'order-5:buy' }), 'domain_unavailable', false);
    await rejectsWith(registrar.create({ domain: 'reserved-bistro.fr', years: 1, contact, idempotencyKey: 'order-6:buy' }), 'domain_unavailable', false);
    assert.equal((await registrations(server)).length, before);
  });

  test('a premium name is bought with IsPremiumDomain and its PremiumPrice, which Namecheap requires', async () => {
    const reg = await registrar.create({ domain: 'premium-boulangerie.fr', years: 1, contact, idempotencyKey: 'order-7:buy' });
    assert.equal(reg.chargedAmountCents, 250_000);
    const without = await rawCall(server, {
      Command: 'namecheap.domains.create',
      DomainName: 'premium-patisserie.fr',
      Years: '1',
      ...contactParams(),
    });
    assert.match(without, /Status="ERROR"/);
  });

  test('setHosts replaces the whole set: two records, then one, leaves one', async () => {
    await registrar.create({ domain: 'coiffure-alice.fr', years: 1, contact, idempotencyKey: 'order-8:buy' });
    await registrar.setHosts('coiffure-alice.fr', [
      { name: '@', type: 'A', address: '127.0.0.1', ttl: 300 },
      { name: 'www', type: 'CNAME', address: 'coiffure-alice.netlify.app.', ttl: 300 },
    ]);
    assert.equal((await registrar.getHosts('coiffure-alice.fr')).length, 2);
    await registrar.setHosts('coiffure-alice.fr', [{ name: '@', type: 'A', address: '127.0.0.2', ttl: 600 }]);
    assert.deepEqual(await registrar.getHosts('coiffure-alice.fr'), [{ name: '@', type: 'A', address: '127.0.0.2', ttl: 600 }]);
  });

  test('MX records are kept because the adapter sends EmailType=MX', async () => {
    await registrar.create({ domain: 'plomberie-roux.com', years: 1, contact, idempotencyKey: 'order-9:buy' });
    await registrar.setHosts('plomberie-roux.com', [
      { name: '@', type: 'A', address: '127.0.0.1' },
      { name: '@', type: 'MX', address: 'mx.example.net.', mxPref: 20 },
    ]);
    const hosts = await registrar.getHosts('plomberie-roux.com');
    assert.deepEqual(
      hosts.find((h) => h.type === 'MX'),
      { name: '@', type: 'MX', address: 'mx.example.net.', ttl: 1800, mxPref: 20 },
    );
  });

  test('a co.uk name is split as SLD + co.uk', async () => {
    assert.deepEqual(splitDomain('atelier.co.uk'), { sld: 'atelier', tld: 'co.uk' });
    await registrar.create({ domain: 'atelier-smith.co.uk', years: 1, contact, idempotencyKey: 'order-10:buy' });
    await registrar.setHosts('atelier-smith.co.uk', [{ name: '@', type: 'A', address: '127.0.0.3' }]);
    assert.equal((await registrar.getHosts('atelier-smith.co.uk'))[0].address, '127.0.0.3');
  });

  test('records of a name not in the account: domain_not_found or not_owner', async () => {
    await rejectsWith(registrar.setHosts('jamais-achete.fr', [{ name: '@', type: 'A', address: '127.0.0.1' }]), 'domain_not_found', false);
    await rejectsWith(registrar.setHosts('google.fr', [{ name: '@', type: 'A', address: '127.0.0.1' }]), 'not_owner', false);
    await rejectsWith(registrar.getInfo('google.fr'), 'not_owner', false);
  });

  test('a purchase whose answer was lost is recovered on retry through ownership, as on the live API', async () => {
    // The first attempt went through (its answer lost); the retry comes with another key,
    // which is what the live API amounts to: it has no idempotency key at all.
    const first = await registrar.create({ domain: 'epicerie-fine.fr', years: 1, contact, idempotencyKey: 'order-11:buy' });
    const retry = await registrar.create({ domain: 'epicerie-fine.fr', years: 1, contact, idempotencyKey: 'lost-key' });
    assert.equal(retry.domainId, first.domainId);
    assert.equal((await registrations(server)).filter((r) => r.domain === 'epicerie-fine.fr').length, 1);
  });

  test('an injected server error is a retryable server_error (HTTP 200, Status="ERROR")', async () => {
    faults.set({ errorRate: 1 });
    try {
      const err = await rejectsWith(registrar.check(['x.fr']), 'server_error', true);
      assert.equal(err.status, 200);
    } finally {
      faults.reset();
    }
  });

  test('an HTTP 429 in front of the API is rate_limited with its Retry-After', async () => {
    faults.set({ rateLimitRate: 1 });
    try {
      const err = await rejectsWith(registrar.check(['x.fr']), 'rate_limited', true);
      assert.equal(err.retryAfterMs, 1_000);
    } finally {
      faults.reset();
    }
  });

  test('a hung call is a retryable timeout', async () => {
    faults.set({ timeoutRate: 1 });
    try {
      await rejectsWith(registrarFor(server, { timeoutMs: 200 }).check(['x.fr']), 'timeout', true);
    } finally {
      faults.reset();
    }
  });

  test('decimal prices become exact integer cents', () => {
    assert.equal(parseDecimalCents('2500.00'), 250_000);
    assert.equal(parseDecimalCents('13000.0000'), 1_300_000);
    assert.equal(parseDecimalCents('206.7'), 20_670);
    assert.equal(parseDecimalCents('0.29'), 29);
    assert.equal(parseDecimalCents('1.005'), 101);
    assert.equal(parseDecimalCents('0'), 0);
    assert.equal(parseDecimalCents('abc'), undefined);
  });
});

describe('Namecheap throttling', () => {
  test('past the per-minute limit the answer is error 500000, read as rate_limited', async () => {
    const server = await startNamecheapServer({
      registry: new SandboxRegistry(),
      apiUser: API_USER,
      apiKey: API_KEY,
      faults: new FaultInjector(),
      rateLimitPerMinute: 2,
    });
    try {
      const registrar = registrarFor(server);
      await registrar.check(['a.fr']);
      await registrar.check(['b.fr']);
      const err = await rejectsWith(registrar.check(['c.fr']), 'rate_limited', true);
      assert.match(err.message, /500000/);
      assert.ok((err.retryAfterMs ?? 0) > 0);
    } finally {
      await server.close();
    }
  });
});
