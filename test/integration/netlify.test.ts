// The real NetlifyHosting against the sandbox Netlify (API + edge) and the sandbox DNS on loopback: sites, deploys, domains, certificates, limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector, type SandboxServer } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startDnsServer } from '../../src/sandbox/dns/server.ts';
import { startNetlifyServer, type NetlifySandboxServer } from '../../src/sandbox/netlify/server.ts';
import { createResolver } from '../../src/providers/dns/resolver.ts';
import { NetlifyHosting } from '../../src/providers/hosting/netlify/client.ts';
import type { HostingSite } from '../../src/providers/hosting/index.ts';
import { trusting } from '../../src/providers/trust.ts';
import { fetchVia } from '../../src/providers/site-probe.ts';
import { settled } from '../support/system.ts';
import { startHostingWorld, type HostingWorld } from '../support/hosting-world.ts';

const TOKEN = 'nfp_sandbox_test_token';

async function rejectsWith(promise: Promise<unknown>, code: string, retryable: boolean): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail(`expected ProviderError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
  assert.equal(err.provider, 'netlify');
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, retryable);
  return err;
}

interface EdgeAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to the edge on loopback, naming the site in Host (and SNI), trusting only `ca`. */
function edgeGet(opts: { port: number; host: string; path?: string; tls?: { ca: string } }): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', port: opts.port, path: opts.path ?? '/', headers: { host: opts.host }, agent: false as const };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req = opts.tls ? https.request({ ...common, servername: opts.host, ca: opts.tls.ca }, onResponse) : http.request(common, onResponse);
    req.on('error', reject);
    req.end();
  });
}

const files = (index: string) =>
  new Map<string, Buffer>([
    ['index.html', Buffer.from(index)],
    ['/style.css', Buffer.from('body { font-family: serif; }')],
    ['404.html', Buffer.from('<h1>Oups, page introuvable</h1>')],
  ]);

describe('Netlify sandbox through the real adapter', () => {
  const apiFaults = new FaultInjector();
  let registry: SandboxRegistry;
  let dns: SandboxServer & { port: number };
  let netlify: NetlifySandboxServer | undefined;
  let hosting: NetlifyHosting;
  let site: HostingSite;
  const siteName = 'boulangerie-dupont-4f2a';
  const domain = 'boulangerie-dupont.fr';

  const server = () => netlify!;

  let world: HostingWorld;
  before(async () => {
    world = await startHostingWorld({ token: TOKEN, faults: apiFaults, rateLimit: { apiPerMinute: 500, deploysPerMinute: 100 }, certificateDelayMs: 300 });
    ({ registry, dns, netlify } = world);
    hosting = new NetlifyHosting({ baseUrl: netlify.apiUrl, token: TOKEN, loadBalancerIp: netlify.loadBalancerIp, pollIntervalMs: 20, timeoutMs: 5_000 });
  });
  after(async () => world?.close());

  test('createSite answers the site; a second create with the same name finds it instead of failing', async () => {
    site = await hosting.createSite({ name: siteName, idempotencyKey: 'order-1:create-site' });
    assert.equal(site.name, siteName);
    assert.equal(site.defaultDomain, `${siteName}.netlify.app`);
    assert.equal(site.customDomain, undefined);
    assert.match(site.siteId, /^[0-9a-f-]{36}$/);

    const again = await hosting.createSite({ name: siteName, idempotencyKey: 'order-1:create-site' });
    assert.equal(again.siteId, site.siteId);
    assert.equal(server().sites().length, 1);
    assert.equal((await hosting.findSiteByName(siteName))?.siteId, site.siteId);
    assert.equal(await hosting.findSiteByName('boulangerie'), undefined, 'the name search is a substring search; only an exact name counts');
  });

  test('a name taken by another account is name_taken, an invalid one unprocessable; neither retryable', async () => {
    await rejectsWith(hosting.createSite({ name: 'taken-fleuriste', idempotencyKey: 'order-2:create-site' }), 'name_taken', false);
    await rejectsWith(hosting.createSite({ name: 'pas_de_soulignés', idempotencyKey: 'order-2:create-site' }), 'unprocessable', false);
    const raw = await fetch(`${server().apiUrl}/api/v1/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: siteName }),
    });
    assert.equal(raw.status, 422);
    assert.deepEqual(await raw.json(), { errors: { subdomain: ['must be unique'] } });
  });

  test('deploy uploads every file first, then only the changed one; the edge serves it by Host', async () => {
    const first = await hosting.deploy(site.siteId, files('<h1>Bienvenue</h1>'));
    assert.deepEqual({ state: first.state, uploaded: first.uploaded, total: first.total }, { state: 'ready', uploaded: 3, total: 3 });

    const second = await hosting.deploy(site.siteId, files('<h1>Bienvenue chez Dupont</h1>'));
    assert.notEqual(second.deployId, first.deployId);
    assert.deepEqual({ state: second.state, uploaded: second.uploaded, total: second.total }, { state: 'ready', uploaded: 1, total: 3 });

    const page = await edgeGet({ port: server().httpPort, host: site.defaultDomain });
    assert.equal(page.status, 200);
    assert.equal(page.body, '<h1>Bienvenue chez Dupont</h1>');
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers.server, 'Netlify');

    const css = await edgeGet({ port: server().httpPort, host: site.defaultDomain, path: '/style.css' });
    assert.equal(css.status, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);

    const missing = await edgeGet({ port: server().httpPort, host: site.defaultDomain, path: '/nulle-part' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body, '<h1>Oups, page introuvable</h1>');

    const permalink = await edgeGet({ port: server().httpPort, host: `${first.deployId}--${siteName}.netlify.app` });
    assert.equal(permalink.body, '<h1>Bienvenue</h1>', 'a deploy permalink keeps serving that deploy');

    const unknown = await edgeGet({ port: server().httpPort, host: 'personne.netlify.app' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /^Not Found - Request ID: 01[0-9A-Z]{24}$/);
  });

  test('a deploy retried with the same idempotency key reuses the earlier deploy', async () => {
    const content = files('<h1>Horaires</h1>');
    const first = await hosting.deploy(site.siteId, content, { idempotencyKey: 'order-1:deploy' });
    const deploysBefore = server().sites()[0].deploys.length;
    const retry = await hosting.deploy(site.siteId, content, { idempotencyKey: 'order-1:deploy' });
    assert.equal(retry.deployId, first.deployId);
    assert.equal(retry.uploaded, 0);
    assert.equal(server().sites()[0].deploys.length, deploysBefore, 'no second deploy was created');
  });

  test('a first try creates its deploy without looking for an earlier one, and uploads the files a few at a time', async () => {
    // the real fetch, with a note of each request (the sandbox answers them all)
    const requests: string[] = [];
    let inFlight = 0;
    let mostAtOnce = 0;
    const noted = new NetlifyHosting({
      baseUrl: server().apiUrl,
      token: TOKEN,
      loadBalancerIp: server().loadBalancerIp,
      pollIntervalMs: 20,
      timeoutMs: 5_000,
      fetchImpl: async (url, init) => {
        requests.push(
          `${init?.method ?? 'GET'} ${new URL(String(url)).pathname.replace(/[0-9a-f-]{36}|[0-9a-f]{24}/g, ':id').replace(/files\/.*/, 'files/…')}`,
        );
        mostAtOnce = Math.max(mostAtOnce, ++inFlight);
        try {
          return await fetch(url, init);
        } finally {
          inFlight--;
        }
      },
    });
    // a site of its own: the other tests look at the first site's live content
    const own = await hosting.createSite({ name: 'deploy-en-parallele', idempotencyKey: 'order-9:create-site' });
    const many = new Map([...Array(12)].map((_, i) => [`page-${i}.html`, Buffer.from(`<h1>Page ${i}</h1>`)]));
    const first = await noted.deploy(own.siteId, many, { idempotencyKey: 'order-9:deploy', firstTry: true });
    assert.equal(first.uploaded, 12);
    assert.ok(!requests.includes('GET /api/v1/sites/:id/deploys'), `no lookup on a first try: ${requests.join(', ')}`);
    assert.ok(mostAtOnce > 1 && mostAtOnce <= 5, `uploads at once: ${mostAtOnce}`);
    // a retry (its first try may have created the deploy before the answer was lost) looks it up and reuses it
    requests.length = 0;
    const retry = await noted.deploy(own.siteId, many, { idempotencyKey: 'order-9:deploy' });
    assert.equal(retry.deployId, first.deployId);
    assert.deepEqual(requests, ['GET /api/v1/sites/:id/deploys']);
    await hosting.deleteSite(own.siteId);
  });

  test("the sandbox DNS answers an existing site's default domain with the load balancer", async () => {
    const resolver = createResolver({ server: { host: '127.0.0.1', port: dns.port }, timeoutMs: 1_000, tries: 1 });
    assert.deepEqual(await resolver.resolve4(site.defaultDomain), [server().loadBalancerIp]);
    assert.deepEqual(await resolver.resolve4('personne.netlify.app'), []);
  });

  test('custom domain: the certificate waits for DNS (dns_not_ready), then is issued once DNS points here', async () => {
    const updated = await hosting.setCustomDomain(site.siteId, domain);
    assert.equal(updated.customDomain, domain);
    assert.deepEqual(updated.domainAliases, [`www.${domain}`]);
    assert.equal(updated.sslUrl, `https://${domain}`);
    assert.deepEqual(await hosting.getCertificate(site.siteId), { state: 'not_requested', domains: [] });

    const early = await rejectsWith(hosting.provisionCertificate(site.siteId), 'dns_not_ready', true);
    assert.ok((early.retryAfterMs ?? 0) > 0);
    assert.equal(early.status, 422);

    // Bought and parked: DNS still points at the registrar's parking, not at the host.
    registry.register(domain, 1);
    await rejectsWith(hosting.provisionCertificate(site.siteId), 'dns_not_ready', true);

    const targets = hosting.dnsTargets(updated);
    assert.deepEqual(targets, { apexA: [server().loadBalancerIp], wwwCname: site.defaultDomain });
    registry.setHosts(domain, [
      ...targets.apexA.map((address) => ({ name: '@', type: 'A', address, ttl: 300 })),
      { name: 'www', type: 'CNAME', address: `${targets.wwwCname}.`, ttl: 300 },
    ]);
    // Netlify issues asynchronously: the request leaves a pending certificate
    const asked = await hosting.provisionCertificate(site.siteId);
    assert.equal(asked.state, 'pending');
    assert.deepEqual(asked.domains, [domain, `www.${domain}`]);
    // a second request for a site that has a certificate is Netlify's 422, in its words; the adapter reads the one there
    const again = await fetch(`${server().apiUrl}/api/v1/sites/${site.siteId}/ssl`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(again.status, 422);
    assert.match(((await again.json()) as { message: string }).message, /certificate parameter is required when updating an existing certificate/);
    const again2 = await hosting.provisionCertificate(site.siteId);
    assert.ok(['pending', 'issued'].includes(again2.state), `asking again answers the certificate there (${again2.state}), no failure`);
    assert.deepEqual(again2.domains, asked.domains);
    const cert = await settled(
      () => hosting.getCertificate(site.siteId),
      (c) => c.state === 'issued',
    );
    assert.deepEqual(cert.domains, [domain, `www.${domain}`]);
    const days = (Date.parse(cert.expiresAt!) - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days <= 90, `valid for 90 days, got ${days}`);
    assert.deepEqual(await hosting.provisionCertificate(site.siteId), cert, 'asking again answers the same certificate');
  });

  test('HTTPS on the custom domain verifies against the sandbox CA; HTTP and www redirect', async () => {
    const { httpsPort, httpPort, caCertPem } = server();
    const secure = await edgeGet({ port: httpsPort, host: domain, tls: { ca: caCertPem } });
    assert.equal(secure.status, 200);
    assert.equal(secure.body, '<h1>Horaires</h1>');

    const plain = await edgeGet({ port: httpPort, host: domain, path: '/style.css?v=2' });
    assert.equal(plain.status, 301);
    assert.equal(plain.headers.location, `https://${domain}:${httpsPort}/style.css?v=2`);

    const www = await edgeGet({ port: httpsPort, host: `www.${domain}`, tls: { ca: caCertPem } });
    assert.equal(www.status, 301);
    assert.equal(www.headers.location, `https://${domain}:${httpsPort}/`);

    // The default domain has the edge's wildcard certificate, from the same CA.
    const byDefault = await edgeGet({ port: httpsPort, host: site.defaultDomain, tls: { ca: caCertPem } });
    assert.equal(byDefault.status, 200);

    // A name without a certificate of its own gets the wildcard, which does not cover it.
    await assert.rejects(edgeGet({ port: httpsPort, host: 'autre-domaine.fr', tls: { ca: caCertPem } }), (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      return true;
    });
  });

  test('a deploy rides out reads and uploads that fail once each; creations are left to the step', async () => {
    // every GET and PUT fails once (503), then goes through: the deploy succeeds without a retry of the step
    const apply = apiFaults.apply.bind(apiFaults);
    let failed = 0;
    let failNext = true;
    apiFaults.apply = async (req, res, serverError) => {
      if (req.method !== 'POST' && failNext) {
        failNext = false;
        failed++;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service Unavailable"}');
        return false;
      }
      failNext = true;
      return apply(req, res, serverError);
    };
    try {
      const done = await hosting.deploy(site.siteId, files('<h1>Malgré tout</h1>'), { idempotencyKey: 'order-2:deploy' });
      assert.equal(done.state, 'ready');
      assert.ok(failed >= 3, `${failed} requests failed once (the list of deploys, the upload, the state)`);
      // a creation is not repeated here: its answer may have been lost after the host made it
      apiFaults.apply = async (req, res, serverError) => {
        if (req.method === 'POST') {
          failed++;
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service Unavailable"}');
          return false;
        }
        return apply(req, res, serverError);
      };
      const before = failed;
      await rejectsWith(hosting.createSite({ name: 'une-autre-4f2a', idempotencyKey: 'order-3:create_site' }), 'server_error', true);
      assert.equal(failed - before, 1, 'one POST, not repeated');
    } finally {
      apiFaults.apply = apply;
    }
  });

  test('a deploy resumed after a failed upload sends its files again; once the deploy holds them all, the extra ones refused (422) are no failure', async () => {
    const own = await hosting.createSite({ name: 'reprise-envoi-7b3c', idempotencyKey: 'order-11:create-site' });
    const many = new Map([...Array(8)].map((_, i) => [`page-${i}.html`, Buffer.from(`<h1>Page ${i} reprise</h1>`)]));
    const isUpload = (req: http.IncomingMessage, page?: string) => req.method === 'PUT' && (page === undefined || (req.url ?? '').endsWith(`/${page}`));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((r) => setTimeout(r, 10));
    };
    const apply = apiFaults.apply.bind(apiFaults);
    try {
      // first try: page-0 fails every time (503), once the seven others have gone through; the step would retry
      let others = 0;
      apiFaults.apply = async (req, res, serverError) => {
        if (isUpload(req, 'page-0.html')) {
          await until(() => others >= 7);
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service Unavailable"}');
          return false;
        }
        if (isUpload(req)) others++;
        return apply(req, res, serverError);
      };
      await rejectsWith(hosting.deploy(own.siteId, many, { idempotencyKey: 'order-11:deploy', firstTry: true }), 'server_error', true);
      // the retry: page-0 goes first; the files the deploy already holds arrive only once it is ready
      const deployState = () =>
        server()
          .sites()
          .find((s) => s.id === own.siteId)!.deploys[0]!.state;
      let refused = 0;
      apiFaults.apply = async (req, res, serverError) => {
        if (isUpload(req) && !isUpload(req, 'page-0.html')) {
          await until(() => deployState() === 'ready');
          refused++;
        }
        return apply(req, res, serverError);
      };
      const done = await hosting.deploy(own.siteId, many, { idempotencyKey: 'order-11:deploy' });
      assert.equal(done.state, 'ready');
      assert.ok(refused >= 1, 'a file was sent to the ready deploy, and refused');
      assert.equal(
        server()
          .sites()
          .find((s) => s.id === own.siteId)!.deploys.length,
        1,
        'the same deploy, resumed',
      );
    } finally {
      apiFaults.apply = apply;
      await hosting.deleteSite(own.siteId);
    }
  });

  test('errors: injected 5xx and 429 are retryable, a bad token is auth_failed, an unknown site not_found', async () => {
    apiFaults.set({ errorRate: 1 });
    try {
      const err = await rejectsWith(hosting.getSite(site.siteId), 'server_error', true);
      assert.equal(err.status, 500);
    } finally {
      apiFaults.reset();
    }
    apiFaults.set({ rateLimitRate: 1 });
    try {
      const err = await rejectsWith(hosting.getSite(site.siteId), 'rate_limited', true);
      assert.equal(err.retryAfterMs, 1_000);
    } finally {
      apiFaults.reset();
    }
    const stranger = new NetlifyHosting({ baseUrl: server().apiUrl, token: 'nfp_wrong', timeoutMs: 5_000 });
    await rejectsWith(stranger.getSite(site.siteId), 'auth_failed', false);
    await rejectsWith(hosting.getSite('00000000-0000-4000-8000-000000000000'), 'not_found', false);
    await rejectsWith(hosting.getCertificate('00000000-0000-4000-8000-000000000000'), 'not_found', false);
  });

  test("GET /user names the token's owner; a revoked token is refused 401 there as everywhere", async () => {
    const user = await hosting.currentUser();
    assert.equal(user.siteCount, 1);
    assert.match(user.email, /@/);
    apiFaults.set({ revokedCredentials: true });
    try {
      const err = await rejectsWith(hosting.currentUser(), 'auth_failed', false);
      assert.equal(err.status, 401);
    } finally {
      apiFaults.reset();
    }
  });

  test('the admin listing shows sites with their deploys and certificate', async () => {
    const res = await fetch(`${server().apiUrl}/__sandbox/sites`);
    const body = (await res.json()) as { sites: { name: string; custom_domain: string; certificate: { state: string } | null; deploys: unknown[] }[] };
    assert.equal(body.sites.length, 1);
    assert.equal(body.sites[0].name, siteName);
    assert.equal(body.sites[0].custom_domain, domain);
    assert.equal(body.sites[0].certificate?.state, 'issued');
    assert.ok(body.sites[0].deploys.length >= 3);
  });

  test("_headers: the edge sends each matching rule's headers (splats, placeholders, repeated names joined), keeps its own, never serves the file", async () => {
    const rules = [
      '# a comment',
      '/*',
      '  X-Frame-Options: DENY',
      '  Cache-Control: no-cache',
      '  Content-Length: 1',
      '/blog/:slug/*',
      '  X-Robots-Tag: noindex',
      '/style.css',
      '  Cache-Control: max-age=60',
      'https://example.org/*.html',
      '  X-From-Url: yes',
      '',
    ].join('\n');
    await hosting.deploy(
      site.siteId,
      new Map([...files('<h1>Avec en-têtes</h1>'), ['/_headers', Buffer.from(rules)], ['/blog/a/b.html', Buffer.from('<p>b</p>')]]),
    );
    const home = await edgeGet({ port: server().httpsPort, host: domain, tls: { ca: server().caCertPem } });
    assert.equal(home.status, 200);
    assert.equal(home.headers['x-frame-options'], 'DENY');
    assert.equal(home.headers['cache-control'], 'no-cache', "a site's Cache-Control replaces the edge's default");
    assert.equal(home.headers['content-length'], String(Buffer.byteLength('<h1>Avec en-têtes</h1>')), "Content-Length stays the edge's");
    assert.equal(home.headers['x-robots-tag'], undefined);
    const css = await edgeGet({ port: server().httpsPort, host: domain, path: '/style.css', tls: { ca: server().caCertPem } });
    assert.equal(css.headers['cache-control'], 'no-cache, max-age=60', 'two rules naming one header: joined');
    const post = await edgeGet({ port: server().httpsPort, host: domain, path: '/blog/a/b.html', tls: { ca: server().caCertPem } });
    assert.deepEqual([post.status, post.headers['x-robots-tag'], post.headers['x-from-url']], [200, 'noindex', 'yes']);
    const missing = await edgeGet({ port: server().httpsPort, host: domain, path: '/nowhere', tls: { ca: server().caCertPem } });
    assert.deepEqual([missing.status, missing.headers['x-frame-options']], [404, 'DENY'], 'the 404 page gets the headers of the path asked for');
    const config = await edgeGet({ port: server().httpsPort, host: domain, path: '/_headers', tls: { ca: server().caCertPem } });
    assert.equal(config.status, 404);
    assert.doesNotMatch(config.body, /X-Frame-Options/);
  });

  test("the verifier trusts the sandbox CA through one secure context kept for it, and still refuses another CA's certificate", async () => {
    assert.equal(trusting(server().caCertPem), trusting(server().caCertPem), 'built once');
    assert.equal(trusting(undefined), undefined, 'real sites: the system CAs');
    const visit = (ca: string, host = domain) => fetchVia({ tls: true, address: '127.0.0.1', port: server().httpsPort, host, ca, timeoutMs: 2_000 });
    assert.equal((await visit(server().caCertPem)).status, 200);
    // another sandbox has its own CA: its certificate means nothing here
    const other = await startNetlifyServer({
      token: TOKEN,
      registry: new SandboxRegistry(),
      resolver: createResolver({ server: { host: '127.0.0.1', port: dns.port } }),
      faults: new FaultInjector(),
    });
    try {
      await assert.rejects(visit(other.caCertPem), /certificate/i);
    } finally {
      await other.close();
    }
    // and a name the certificate does not cover is refused
    await assert.rejects(visit(server().caCertPem, 'pas-ce-nom.example'), /altnames|certificate|hostname/i);
  });
});

describe('Netlify sandbox rate limits', () => {
  let netlify: NetlifySandboxServer;
  let dns: SandboxServer & { port: number };

  before(async () => {
    const registry = new SandboxRegistry();
    dns = await startDnsServer({ registry, faults: new FaultInjector(), extraRecords: (name) => netlify?.dnsRecords(name) });
    const resolver = createResolver({ server: { host: '127.0.0.1', port: dns.port }, timeoutMs: 1_000, tries: 1 });
    netlify = await startNetlifyServer({
      token: TOKEN,
      registry,
      resolver,
      faults: new FaultInjector(),
      rateLimit: { apiPerMinute: 500, deploysPerMinute: 3 },
    });
  });
  after(async () => {
    await netlify.close();
    await dns.close();
  });

  test('the fourth deploy within a minute is refused: retryable, with the wait until the window frees', async () => {
    const hosting = new NetlifyHosting({ baseUrl: netlify.apiUrl, token: TOKEN, pollIntervalMs: 20, timeoutMs: 5_000 });
    const site = await hosting.createSite({ name: 'fromagerie-paul-9c1d', idempotencyKey: 'order-3:create-site' });
    for (let i = 1; i <= 3; i++) await hosting.deploy(site.siteId, files(`<h1>Version ${i}</h1>`));
    const err = await rejectsWith(hosting.deploy(site.siteId, files('<h1>Version 4</h1>')), 'rate_limited', true);
    assert.equal(err.status, 429);
    assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs > 0 && err.retryAfterMs <= 60_000, `retryAfterMs ${err.retryAfterMs}`);
  });

  test('every API answer carries X-RateLimit-Limit / -Remaining / -Reset', async () => {
    const res = await fetch(`${netlify.apiUrl}/api/v1/sites`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-ratelimit-limit'), '500');
    assert.ok(Number(res.headers.get('x-ratelimit-remaining')) < 500);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + 61_000, 'a Unix time within the minute');
  });
});
