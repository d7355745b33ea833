// The real NamecheapRegistrar against the sandbox Namecheap on loopback: the registrar lock, the contacts replaced and
// read back, what Namecheap refuses, and a transfer out (the name leaves the account).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startNamecheapServer, type NamecheapSandbox } from '../../src/sandbox/namecheap/server.ts';
import { NamecheapRegistrar } from '../../src/providers/registrar/namecheap/client.ts';
import type { DomainContacts } from '../../src/providers/registrar/index.ts';
import { contact, operator } from '../support/namecheap.ts';

const API_USER = 'conciergerie';
const API_KEY = 'sandbox-key-transfer-0123';

const holder = contact;

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, String(err));
  return err;
}

describe('Namecheap registrar lock, contacts and transfer out against the sandbox', () => {
  let registry: SandboxRegistry;
  let server: NamecheapSandbox;
  let registrar: NamecheapRegistrar;

  const raw = async (params: Record<string, string>) => {
    const body = new URLSearchParams({ ApiUser: API_USER, ApiKey: API_KEY, UserName: API_USER, ClientIp: '127.0.0.1', ...params });
    const res = await fetch(`${server.url}/xml.response`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(res.status, 200);
    return res.text();
  };
  const buy = (domain: string) =>
    registrar.create({ domain, years: 1, registrant: holder, operator, privacy: false, idempotencyKey: `buy-${domain}`, attributes: undefined });

  before(async () => {
    registry = new SandboxRegistry();
    server = await startNamecheapServer({ registry, apiUser: API_USER, apiKey: API_KEY, faults: new FaultInjector() });
    registrar = new NamecheapRegistrar({
      baseUrl: `${server.url}/xml.response`,
      apiUser: API_USER,
      apiKey: API_KEY,
      userName: API_USER,
      clientIp: '127.0.0.1',
      timeoutMs: 2_000,
    });
  });
  after(() => server.close());

  test('a name bought is locked; UNLOCK removes the lock, getRegistrarLock and getList then say unlocked', async () => {
    await buy('lock-me.com');
    assert.equal(await registrar.getRegistrarLock('lock-me.com'), true);
    await registrar.setRegistrarLock('lock-me.com', false);
    assert.equal(await registrar.getRegistrarLock('lock-me.com'), false);
    const listed = await raw({ Command: 'namecheap.domains.getList' });
    assert.match(listed, /Name="lock-me\.com"[^>]*IsLocked="false"/);
    await registrar.setRegistrarLock('lock-me.com', true);
    assert.equal(await registrar.getRegistrarLock('lock-me.com'), true);
  });

  test('setRegistrarLock refuses a LockAction other than LOCK or UNLOCK with 2015278', async () => {
    await buy('lock-action.com');
    const xml = await raw({ Command: 'namecheap.domains.setRegistrarLock', DomainName: 'lock-action.com', LockAction: 'OPEN' });
    assert.match(xml, /Status="ERROR"/);
    assert.match(xml, /Number="2015278">Invalid data specified for LockAction/);
    assert.equal(await registrar.getRegistrarLock('lock-action.com'), true, 'nothing changed');
  });

  test('a .eu name has no registrar lock: it reads unlocked, its lock cannot be edited (2030166), and it may leave at once', async () => {
    const eu = { ...holder };
    await registrar.create({
      domain: 'sans-verrou.eu',
      years: 1,
      registrant: eu,
      operator,
      privacy: false,
      idempotencyKey: 'buy-eu',
      attributes: { EUAgreeWhoisPolicy: 'YES', EUAgreeDeletePolicy: 'YES' },
    });
    assert.equal(await registrar.getRegistrarLock('sans-verrou.eu'), false);
    const err = await failure(registrar.setRegistrarLock('sans-verrou.eu', false));
    assert.match(err.message, /2030166/);
    // EURid sets no waiting period: the name may leave the day it was registered
    server.transferOut('sans-verrou.eu');
    assert.equal(await registrar.findOwn('sans-verrou.eu'), undefined);
  });

  test('setContacts replaces the four contacts; getContacts reads the new registrant back, the others kept', async () => {
    await buy('contacts.com');
    const before = await registrar.getContacts('contacts.com');
    const moved: DomainContacts = {
      ...before,
      registrant: { ...before.registrant, address1: '3 place Bellecour', postalCode: '69002', phone: '+33.700000000' },
    };
    await registrar.setContacts('contacts.com', moved);
    const after = await registrar.getContacts('contacts.com');
    assert.equal(after.registrant.address1, '3 place Bellecour');
    assert.equal(after.registrant.postalCode, '69002');
    assert.equal(after.registrant.phone, '+33.700000000');
    assert.equal(after.registrant.firstName, 'Camille');
    assert.deepEqual(after.tech, before.tech);
    assert.deepEqual(after.admin, before.admin);
    assert.deepEqual(after.billing, before.billing);
  });

  test('setContacts without a required field, or with a phone not written +NNN.NNNN, is refused and nothing changes', async () => {
    await buy('contacts-refused.com');
    const before = await registrar.getContacts('contacts-refused.com');
    const missing = await failure(registrar.setContacts('contacts-refused.com', { ...before, admin: { ...before.admin, city: '' } }));
    assert.match(missing.message, /2010323 .*AdminCity is missing/);
    const phone = await failure(registrar.setContacts('contacts-refused.com', { ...before, registrant: { ...before.registrant, phone: '0612345678' } }));
    assert.match(phone.message, /2015182/);
    assert.deepEqual(await registrar.getContacts('contacts-refused.com'), before);
  });

  test('a name not in the account: the lock and contacts commands answer not_owner or domain_not_found', async () => {
    assert.equal((await failure(registrar.getRegistrarLock('taken-elsewhere.com'))).code, 'not_owner');
    assert.equal((await failure(registrar.setRegistrarLock('never-registered-here.com', false))).code, 'domain_not_found');
  });

  test('a transfer out is refused while the lock is on, and within 60 days of the registration; unlocked and older, the name leaves', async () => {
    await buy('leaving.com');
    assert.throws(() => server.transferOut('leaving.com'), /locked/);
    assert.ok(await registrar.findOwn('leaving.com'), 'still ours');
    await registrar.setRegistrarLock('leaving.com', false);
    assert.throws(() => server.transferOut('leaving.com'), /less than 60 days/, 'Namecheap cancels a transfer of a name not yet 60 days old');
    registry.setCreated('leaving.com', new Date(Date.now() - 61 * 86_400_000));
    assert.equal((await registrar.getInfo('leaving.com')).createdAt, new Date(Date.now() - 61 * 86_400_000).toISOString().slice(0, 10));
    const res = await fetch(`${server.url}/__sandbox/transfer-out?domain=leaving.com`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(await registrar.findOwn('leaving.com'), undefined);
    const err = await failure(registrar.getContacts('leaving.com'));
    assert.equal(err.code, 'not_owner');
    const page = await registrar.getList(1, 100);
    assert.ok(!page.domains.some((d) => d.domain === 'leaving.com'));
  });
});
