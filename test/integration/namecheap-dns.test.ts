// The real NamecheapRegistrar's host records and email forwarding against the sandbox Namecheap on loopback: what the
// set-hosts page refuses is refused, EmailType decides what becomes of MX records, and forwards round-trip.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startNamecheapServer, type NamecheapSandbox } from '../../src/sandbox/namecheap/server.ts';
import { NamecheapRegistrar } from '../../src/providers/registrar/namecheap/client.ts';

const API_USER = 'conciergerie';
const API_KEY = 'sandbox-key-0123456789';
let server: NamecheapSandbox;
let registrar: NamecheapRegistrar;
const registry = new SandboxRegistry();
const DOMAIN = 'enregistrements-dns.fr';

before(async () => {
  server = await startNamecheapServer({ registry, apiUser: API_USER, apiKey: API_KEY, faults: new FaultInjector() });
  registrar = new NamecheapRegistrar({ baseUrl: `${server.url}/xml.response`, apiUser: API_USER, apiKey: API_KEY, userName: API_USER, clientIp: '127.0.0.1' });
  registry.register(DOMAIN, 1, undefined, API_USER);
});
after(async () => server?.close());

async function refused(promise: Promise<unknown>, text: RegExp) {
  const err = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError);
  assert.equal(err.code, 'invalid_request');
  assert.equal(err.retryable, false);
  assert.match(err.message, text);
}

test('setHosts refuses what the set-hosts page does not take, and keeps the previous set', async () => {
  await registrar.writeHosts(DOMAIN, [{ name: '@', type: 'A', address: '127.0.0.9', ttl: 300 }], 'NONE');
  const before = JSON.stringify(registry.get(DOMAIN)!.hosts);
  await refused(registrar.setHosts(DOMAIN, [{ name: '@', type: 'A', address: 'example.com' }]), /Address1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: 'v6', type: 'AAAA', address: '10.0.0.1' }]), /Address1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: 'x', type: 'CNAME', address: '10.0.0.1' }]), /Address1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: 'a b', type: 'TXT', address: 'x' }]), /HostName1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: `${'a'.repeat(64)}`, type: 'TXT', address: 'x' }]), /HostName1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: '@', type: 'TXT', address: 'x', ttl: 59 }]), /TTL1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: '@', type: 'TXT', address: 'x', ttl: 60_001 }]), /TTL1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: '@', type: 'MX', address: 'mx.example.net', mxPref: 70_000 }]), /MXPref1/);
  await refused(registrar.setHosts(DOMAIN, [{ name: '@', type: 'SRV' as 'A', address: 'x' }]), /RecordType1/);
  await refused(registrar.writeHosts(DOMAIN, [{ name: '@', type: 'TXT', address: 'x' }], 'GMAIL' as 'MX'), /EmailType/);
  assert.equal(JSON.stringify(registry.get(DOMAIN)!.hosts), before);
});

test('MX records are kept only with EmailType MX; FWD is kept and read back', async () => {
  const mx = { name: '@', type: 'MX' as const, address: 'mx.example.net', ttl: 1800, mxPref: 10 };
  const txt = { name: '@', type: 'TXT' as const, address: 'v=spf1 -all', ttl: 1800 };
  await registrar.writeHosts(DOMAIN, [mx, txt], 'NONE');
  assert.deepEqual(await registrar.readHosts(DOMAIN), { records: [txt], emailType: 'NONE' });
  await registrar.setHosts(DOMAIN, [mx, txt]);
  assert.deepEqual(await registrar.readHosts(DOMAIN), { records: [mx, txt], emailType: 'MX' });
  await registrar.writeHosts(DOMAIN, [txt], 'FWD');
  assert.deepEqual(await registrar.readHosts(DOMAIN), { records: [txt], emailType: 'FWD' });
});

test('email forwards round-trip, replace the previous ones, and a bad address is refused', async () => {
  assert.deepEqual(await registrar.getEmailForwarding(DOMAIN), []);
  await registrar.setEmailForwarding(DOMAIN, [
    { mailbox: 'contact', forwardTo: 'marie@example.org' },
    { mailbox: 'info', forwardTo: 'paul@example.org' },
  ]);
  await registrar.setEmailForwarding(DOMAIN, [{ mailbox: 'contact', forwardTo: 'marie@example.org' }]);
  assert.deepEqual(await registrar.getEmailForwarding(DOMAIN), [{ mailbox: 'contact', forwardTo: 'marie@example.org' }]);
  await refused(registrar.setEmailForwarding(DOMAIN, [{ mailbox: 'contact', forwardTo: 'not an address' }]), /ForwardTo/);
  const other = await registrar.getEmailForwarding('jamais-achete.fr').catch((e: ProviderError) => e.code);
  assert.equal(other, 'domain_not_found');
});
