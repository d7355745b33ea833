// The real NamecheapRegistrar against the sandbox Namecheap server on loopback: checks, purchases, host records, errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startNamecheapServer, type NamecheapSandbox } from '../../src/sandbox/namecheap/server.ts';
import { NamecheapRegistrar, parseDecimalCents, splitDomain } from '../../src/providers/registrar/namecheap/client.ts';
import type { Contact, CreateInput } from '../../src/providers/registrar/index.ts';
import { contact, operator } from '../support/namecheap.ts';

const API_USER = 'conciergerie';
const API_KEY = 'sandbox-key-0123456789';

/** The .fr extended attributes of a person (Namecheap's .FR attributes: FRLegalType=Individual, birth date and place). */
const FR_PERSON = { FRLegalType: 'Individual', FRRegistrantBirthDate: '1984-05-17', FRRegistrantBirthplace: '69003 Lyon' };

/** A purchase as the register step makes it: the customer registrant, the operator the other three, the TLD's attributes. */
function purchase(domain: string, idempotencyKey: string, years = 1, more: Partial<CreateInput> = {}): CreateInput {
  const attributes = domain.endsWith('.fr') ? FR_PERSON : undefined;
  return { domain, years, registrant: contact, operator, attributes, privacy: true, idempotencyKey, ...more };
}

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

/** The four contacts as a raw create sends them, and a .fr name's attributes. */
function contactParams(): Record<string, string> {
  const out: Record<string, string> = { ...FR_PERSON };
  for (const role of ['Registrant', 'Tech', 'Admin', 'AuxBilling']) {
    const c = role === 'Registrant' ? contact : operator;
    Object.assign(out, {
      [`${role}FirstName`]: c.firstName,
      [`${role}LastName`]: c.lastName,
      ...(c.organization ? { [`${role}OrganizationName`]: c.organization } : {}),
      [`${role}Address1`]: c.address1,
      [`${role}City`]: c.city,
      [`${role}StateProvince`]: c.stateProvince,
      [`${role}PostalCode`]: c.postalCode,
      [`${role}Country`]: c.country,
      [`${role}Phone`]: c.phone,
      [`${role}EmailAddress`]: c.email,
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
    assert.deepEqual(free, { domain: 'boulangerie-dupont.fr', available: true, premium: false, currency: 'USD' });
    assert.equal(taken.available, false);
    assert.equal(seeded.available, false);
    assert.equal(reserved.available, false);
    assert.equal(reserved.errorCode, undefined);
    assert.deepEqual(premium, {
      domain: 'premium-cafe.com',
      available: true,
      premium: true,
      currency: 'USD',
      premiumPriceCents: 250_000,
      premiumRenewalCents: 200_000,
      premiumRestoreCents: 6_500,
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
    const reg = await registrar.create(purchase('fleuriste-martin.com', 'order-1:buy', 2));
    assert.equal(reg.registered, true);
    assert.equal(reg.domain, 'fleuriste-martin.com');
    assert.match(reg.domainId, /^\d+$/);
    assert.equal(reg.chargedAmountCents, 2 * 1098);
    assert.ok(reg.orderId && reg.transactionId);

    const [after] = await registrar.check(['fleuriste-martin.com']);
    assert.equal(after.available, false);

    const info = await registrar.getInfo('fleuriste-martin.com');
    const today = new Date();
    const ymd = (d: Date) => d.toISOString().slice(0, 10);
    const inTwoYears = new Date(today);
    inTwoYears.setUTCFullYear(today.getUTCFullYear() + 2);
    assert.equal(info.domain, 'fleuriste-martin.com');
    assert.equal(info.status, 'Ok');
    assert.equal(info.createdAt, ymd(today));
    assert.equal(info.expiresAt, ymd(inTwoYears));
    assert.equal(info.dnsProvider, 'FREE');
  });

  test('create twice with the same idempotency key: the same DomainID and one registration', async () => {
    const input = purchase('menuiserie-petit.com', 'order-2:buy');
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
    await rejectsWith(registrar.create(purchase('taken-bistro.fr', 'order-5:buy')), 'domain_unavailable', false);
    await rejectsWith(registrar.create(purchase('reserved-bistro.fr', 'order-6:buy')), 'domain_unavailable', false);
    assert.equal((await registrations(server)).length, before);
  });

  test('a premium name is bought with IsPremiumDomain and its PremiumPrice, which Namecheap requires', async () => {
    const reg = await registrar.create(purchase('premium-boulangerie.fr', 'order-7:buy'));
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
    await registrar.create(purchase('coiffure-alice.fr', 'order-8:buy'));
    await registrar.setHosts('coiffure-alice.fr', [
      { name: '@', type: 'A', address: '127.0.0.1', ttl: 300 },
      { name: 'www', type: 'CNAME', address: 'coiffure-alice.netlify.app.', ttl: 300 },
    ]);
    assert.equal((await registrar.getHosts('coiffure-alice.fr')).length, 2);
    await registrar.setHosts('coiffure-alice.fr', [{ name: '@', type: 'A', address: '127.0.0.2', ttl: 600 }]);
    assert.deepEqual(await registrar.getHosts('coiffure-alice.fr'), [{ name: '@', type: 'A', address: '127.0.0.2', ttl: 600 }]);
  });

  test('MX records are kept because the adapter sends EmailType=MX', async () => {
    await registrar.create(purchase('plomberie-roux.com', 'order-9:buy'));
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
    await registrar.create(purchase('atelier-smith.co.uk', 'order-10:buy'));
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
    const first = await registrar.create(purchase('epicerie-fine.fr', 'order-11:buy'));
    const retry = await registrar.create(purchase('epicerie-fine.fr', 'lost-key'));
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

  test('a throttle is HTTP 405, as Namecheap answers it: rate_limited, retryable, first retried after 1 s', async () => {
    faults.set({ rateLimitRate: 1 });
    try {
      const err = await rejectsWith(registrar.check(['x.fr']), 'rate_limited', true);
      assert.equal(err.status, 405);
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
  test('past the per-minute budget the API answers HTTP 405, read as a retryable rate_limited, and the refused call is not counted', async () => {
    const server = await startNamecheapServer({
      registry: new SandboxRegistry(),
      apiUser: API_USER,
      apiKey: API_KEY,
      faults: new FaultInjector(),
      budget: { perMinute: 2, perHour: 700, perDay: 8000 },
    });
    try {
      const registrar = registrarFor(server);
      await registrar.check(['a.fr']);
      await registrar.check(['b.fr']);
      const err = await rejectsWith(registrar.check(['c.fr']), 'rate_limited', true);
      assert.equal(err.status, 405);
      assert.equal(err.retryAfterMs, 1_000, 'the SDK waits 1 s before its first retry');
      const raw = await fetch(`${server.url}/xml.response`, {
        method: 'POST',
        body: new URLSearchParams({ ApiUser: API_USER, Command: 'namecheap.domains.check' }),
      });
      assert.equal(raw.status, 405);
    } finally {
      await server.close();
    }
  });

  test('the hour and the day have their own budgets', async () => {
    const server = await startNamecheapServer({
      registry: new SandboxRegistry(),
      apiUser: API_USER,
      apiKey: API_KEY,
      faults: new FaultInjector(),
      budget: { perMinute: 10, perHour: 3, perDay: 3 },
    });
    try {
      const registrar = registrarFor(server);
      for (const n of ['a', 'b', 'c']) await registrar.check([`${n}.fr`]);
      assert.equal((await rejectsWith(registrar.check(['d.fr']), 'rate_limited', true)).status, 405);
    } finally {
      await server.close();
    }
  });
});

describe('Namecheap sandbox: registries, IDN, the account’s list and contacts', () => {
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

  const refused = async (input: CreateInput, number: RegExp) => {
    const err = await rejectsWith(registrar.create(input), 'invalid_request', false);
    assert.match(err.message, number);
    assert.equal(registry.get(input.domain), undefined, 'nothing registered');
  };
  const us: Contact = { ...contact, country: 'US', city: 'Phoenix', stateProvince: 'AZ', postalCode: '85284', phone: '+1.6613102107' };

  test('.fr: without its extended attributes, for an ineligible registrant, or with a tech contact twin of it, nothing is registered', async () => {
    await refused(purchase('sans-attributs.fr', 'fr-1', 1, { attributes: {} }), /2011500 FRLegalType/);
    await refused(purchase('sans-naissance.fr', 'fr-2', 1, { attributes: { FRLegalType: 'Individual' } }), /2011500 FRRegistrantBirthDate/);
    await refused(purchase('americain.fr', 'fr-3', 1, { registrant: us }), /2011510 \.fr: a registrant in US/);
    await refused(purchase('jumeau.fr', 'fr-4', 1, { operator: { ...contact, organization: 'Durand' } }), /2011530/);
    await refused(purchase('deux-ans.fr', 'fr-5', 2), /2015167/);
    const company = { FRLegalType: 'Company', FRRegistrantLegalId: '73282932000075' };
    await refused(
      purchase('mauvais-siret.fr', 'fr-6', 1, { attributes: company, registrant: { ...contact, organization: 'Durand SA' } }),
      /2011500 FRRegistrantLegalId/,
    );
  });

  test('.fr: a person with birth date and place, a company with its SIRET: registered with what was sent', async () => {
    await registrar.create(purchase('personne-physique.fr', 'fr-7'));
    const company = { FRLegalType: 'Company', FRRegistrantLegalId: '73282932000074' };
    await registrar.create(purchase('societe-durand.fr', 'fr-8', 1, { attributes: company, registrant: { ...contact, organization: 'Durand SA' } }));
    assert.deepEqual(registry.get('societe-durand.fr')!.attributes, company);
    assert.equal(registry.get('personne-physique.fr')!.privacy, true);
  });

  test('.eu: the policies agreed to and a registrant in the EU or the EEA; no privacy service', async () => {
    await refused(purchase('sans-accord.eu', 'eu-1'), /2011500 EUAgreeWhoisPolicy/);
    const agreed = { EUAgreeWhoisPolicy: 'YES', EUAgreeDeletePolicy: 'YES' };
    await refused(purchase('americain.eu', 'eu-2', 1, { attributes: agreed, registrant: us }), /2011510 \.eu/);
    await registrar.create(purchase('europeen.eu', 'eu-3', 1, { attributes: agreed }));
    assert.equal(registry.get('europeen.eu')!.privacy, false);
  });

  test('an IDN goes in punycode with its IdnCode: native code, or punycode without the code, is refused', async () => {
    await refused(purchase('xn--caf-dma.com', 'idn-1'), /2011520 xn--caf-dma\.com is an IDN: send IdnCode/);
    await refused(purchase('café.com', 'idn-2', 1, { idnCode: 'fre' }), /2011520 DomainName must be in Punycode/);
    const reg = await registrar.create(purchase('xn--caf-dma.com', 'idn-3', 1, { idnCode: 'fre' }));
    assert.equal(reg.domain, 'xn--caf-dma.com');
    assert.equal(registry.get('xn--caf-dma.com')!.idnCode, 'fre');
  });

  test('getContacts answers the contacts the purchase gave: the customer registrant, the operator the other three', async () => {
    await registrar.create(purchase('contacts-durand.com', 'contacts-1'));
    const got = await registrar.getContacts('contacts-durand.com');
    assert.deepEqual(got.registrant, contact);
    assert.deepEqual(got.tech, operator);
    assert.deepEqual(got.admin, operator);
    assert.deepEqual(got.billing, operator);
    await rejectsWith(registrar.getContacts('google.fr'), 'not_owner', false);
  });

  test('getList pages the account’s names, oldest first, 10 to 100 a page', async () => {
    const mine = new Set(
      registry
        .all()
        .filter((r) => r.owner === API_USER)
        .map((r) => r.domain),
    );
    for (let i = 0; i < 23; i++) {
      const domain = `liste-${i}.com`;
      await registrar.create(purchase(domain, `list-${i}`));
      mine.add(domain);
    }
    const first = await registrar.getList(1, 10);
    assert.equal(first.total, mine.size);
    assert.equal(first.domains.length, 10);
    const seen: string[] = [];
    for (let page = 1; (page - 1) * 10 < first.total; page++) seen.push(...(await registrar.getList(page, 10)).domains.map((d) => d.domain));
    assert.deepEqual(new Set(seen), mine, 'every name once');
    assert.equal(seen.length, mine.size);
    assert.ok(seen.indexOf('liste-3.com') < seen.indexOf('liste-4.com'), 'oldest first');
    const page = (await registrar.getList(1, 100)).domains.find((d) => d.domain === 'liste-0.com')!;
    assert.equal(page.expiresAt, registry.get('liste-0.com')!.expiresAt.slice(0, 10));
    for (const size of ['9', '101']) {
      const xml = await rawCall(server, { Command: 'namecheap.domains.getList', PageSize: size });
      assert.match(xml, /Status="ERROR"/);
    }
  });

  test('a name in early access: the check reports its EapFee, create takes it back, and refuses a purchase without it', async () => {
    const [quote] = await registrar.check(['eap-boulangerie.com']);
    assert.equal(quote.premium, true);
    assert.equal(quote.eapFeeCents, 15_000);
    assert.equal(quote.currency, 'USD');
    const without = await rawCall(server, {
      Command: 'namecheap.domains.create',
      DomainName: 'eap-patisserie.com',
      Years: '1',
      IsPremiumDomain: 'true',
      PremiumPrice: '2500.00',
      ...contactParams(),
    });
    assert.match(without, /"2011400">.*EapFee=150\.00/);
    const reg = await registrar.create(purchase('eap-boulangerie.com', 'eap-1', 1, { quote }));
    assert.equal(reg.registered, true);
  });
});
