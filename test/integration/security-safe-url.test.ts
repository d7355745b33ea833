// What the server fetches on a customer's behalf stays on the public internet outside the sandbox: no loopback, private, link-local or metadata address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress, resolvePublicUrl, UnsafeUrlError } from '../../src/providers/safe-url.ts';
import { verifySite } from '../../src/workflow/steps/verify-site.ts';
import { checkSite } from '../../src/monitoring/sites.ts';
import type { StepContext } from '../../src/workflow/step.ts';
import type { Deps } from '../../src/deps.ts';
import type { Order } from '../../src/db/schema.ts';

test('addresses: loopback, private, link-local, metadata and special ranges are not public, in every spelling', () => {
  const notPublic = [
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '::',
    '::1',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '2002:7f00:1::1',
    '2001:0:4136:e378::1',
    '64:ff9b:1::a00:1',
    'localhost',
    'not an address',
    '',
  ];
  for (const a of notPublic) assert.equal(isPublicAddress(a), false, a);
  for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4007::64'])
    assert.equal(isPublicAddress(a), true, a);
});

test('URLs: only http(s) without credentials, and every address of the host must be public', async () => {
  const lookup = (answers: Record<string, string[]>) => async (host: string) => answers[host] ?? [];
  const refused: [string, Record<string, string[]>][] = [
    ['http://127.0.0.1/', {}],
    ['http://[::1]:8080/', {}],
    ['http://169.254.169.254/latest/meta-data/', {}],
    ['http://localhost/', { localhost: ['127.0.0.1'] }],
    ['http://rebind.example/', { 'rebind.example': ['93.184.216.34', '10.0.0.7'] }],
    ['http://mapped.example/', { 'mapped.example': ['::ffff:127.0.0.1'] }],
    ['http://nowhere.example/', {}],
    ['file:///etc/passwd', {}],
    ['gopher://93.184.216.34/', {}],
    ['ftp://93.184.216.34/', {}],
    ['http://user:secret@93.184.216.34/', {}],
    ['not a url', {}],
  ];
  for (const [url, answers] of refused) {
    await assert.rejects(
      resolvePublicUrl(url, { lookup: lookup(answers) }),
      (err: unknown) => err instanceof UnsafeUrlError && err.code === 'url_not_public',
      url,
    );
  }
  const ok = await resolvePublicUrl('https://boulangerie.example/menu', { lookup: lookup({ 'boulangerie.example': ['93.184.216.34', '2606:2800:220:1::1'] }) });
  assert.equal(ok.address, '93.184.216.34');
  assert.equal(ok.url.hostname, 'boulangerie.example');
  // the sandbox world runs on loopback: allowed there, and only when asked
  assert.equal((await resolvePublicUrl('http://127.0.0.1:8080/', { allowPrivate: true })).address, '127.0.0.1');
});

test('verify_site outside the sandbox never connects to a private address the customer’s DNS points at; in the sandbox it does', async () => {
  let hits = 0;
  const server = http.createServer((_req, res) => res.end('internal admin page'));
  // any connection counts, TLS attempts included
  server.on('connection', () => hits++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const ctxFor = (sandboxHosting: boolean): StepContext => {
    const deps = {
      config: { sandbox: { hosting: sandboxHosting }, WAIT_MAX_MINUTES: 120, DNS_POLL_MS: 1000 },
      // the customer's name now resolves to loopback (a DNS rebinding, or a record changed after delivery)
      resolver: { resolve4: async () => ['127.0.0.1'], resolveCname: async () => [] },
      edge: { httpPort: port, httpsPort: port },
    } as unknown as Deps;
    return { deps, order: { id: 'o', domain: 'client.example' } as Order, attempt: 1, idempotencyKey: 'k', startedAt: new Date(), call: (_p, _o, fn) => fn() };
  };
  try {
    const real = await verifySite.action(ctxFor(false));
    assert.equal(real.outcome, 'wait');
    assert.match((real as { reason: string }).reason, /127\.0\.0\.1 is not a public address/);
    assert.equal(hits, 0, 'no request reached the private address');
    await verifySite.action(ctxFor(true));
    assert.ok(hits > 0, 'in the sandbox, loopback is where the sites are');
  } finally {
    server.close();
  }
});

/** A plain HTTP server on 127.0.0.1 counting every connection (a TLS attempt included), for the checks below to aim at. */
async function listener() {
  let hits = 0;
  const server = http.createServer((_req, res) => res.end('internal admin page'));
  server.on('connection', () => hits++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, hits: () => hits, close: () => server.close() };
}

test('site monitoring outside the sandbox never connects to a private address a customer’s DNS points at; in the sandbox it does', async () => {
  const target = await listener();
  const depsFor = (sandboxHosting: boolean) =>
    ({
      config: { sandbox: { hosting: sandboxHosting }, MONITOR_TIMEOUT_MS: 2000 },
      resolver: { resolve4: async () => ['127.0.0.1'], resolveCname: async () => [] },
      edge: { httpPort: target.port, httpsPort: target.port },
    }) as unknown as Deps;
  try {
    const real = await checkSite(depsFor(false), 'client.example');
    assert.equal(real.up, false);
    assert.match(real.problems.join('; '), /127\.0\.0\.1 is not a public address/);
    assert.equal(target.hits(), 0, 'no request reached the private address');
    await checkSite(depsFor(true), 'client.example');
    assert.ok(target.hits() > 0, 'in the sandbox, loopback is where the sites are');
  } finally {
    target.close();
  }
});

test('one lookup per check, and the connection goes to the address that was checked: a DNS answer that changes in between (rebinding) is never used', async () => {
  const target = await listener();
  let lookups = 0;
  // the first answer is where the test server listens; any later one points elsewhere (127.0.0.2: nothing listens there)
  const resolver = { resolve4: async () => (++lookups === 1 ? ['127.0.0.1'] : ['127.0.0.2']), resolveCname: async () => [] };
  const deps = {
    config: { sandbox: { hosting: true }, MONITOR_TIMEOUT_MS: 2000, WAIT_MAX_MINUTES: 120, DNS_POLL_MS: 1000 },
    resolver,
    edge: { httpPort: target.port, httpsPort: target.port },
  } as unknown as Deps;
  try {
    await checkSite(deps, 'client.example');
    assert.equal(lookups, 1, 'the monitor looked the name up once');
    assert.equal(target.hits(), 1, 'and connected to the address it checked');
    lookups = 0;
    const before = target.hits();
    const ctx: StepContext = {
      deps,
      order: { id: 'o', domain: 'client.example' } as Order,
      attempt: 1,
      idempotencyKey: 'k',
      startedAt: new Date(),
      call: (_p, _o, fn) => fn(),
    };
    await verifySite.action(ctx);
    assert.equal(lookups, 1, 'the verifier looked the name up once');
    assert.ok(target.hits() > before, 'and connected to the address it checked');
  } finally {
    target.close();
  }
});
