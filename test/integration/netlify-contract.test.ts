// Netlify's published contract (@netlify/open-api, pinned): every request the real adapter sends and every answer the
// sandbox Netlify returns, over a recording proxy on loopback, is valid against the document; and the check itself
// fails on an unknown field, a wrong type or a missing required field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/errors.ts';
import type { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import type { NetlifySandboxServer } from '../../src/sandbox/netlify/server.ts';
import { NetlifyHosting } from '../../src/providers/hosting/netlify/client.ts';
import type { HostingSite } from '../../src/providers/hosting/index.ts';
import { settled } from '../support/system.ts';
import { startHostingWorld, type HostingWorld } from '../support/hosting-world.ts';
import {
  contractProblems,
  DELIBERATE_EXCEPTIONS,
  NETLIFY_OPEN_API_VERSION,
  recordingProxy,
  schemaProblems,
  type Exchange,
} from '../support/netlify-contract.ts';

const TOKEN = 'nfp_sandbox_contract_token';
let registry: SandboxRegistry;
let netlify: NetlifySandboxServer | undefined;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let hosting: NetlifyHosting;

let world: HostingWorld;
before(async () => {
  world = await startHostingWorld({
    token: TOKEN,
    rateLimit: { apiPerMinute: 100_000, deploysPerMinute: 1_000, deploysPerDay: 10_000 },
    certificateDelayMs: 200,
    processingMs: 100,
  });
  ({ registry, netlify } = world);
  proxy = await recordingProxy(netlify.apiUrl);
  hosting = new NetlifyHosting({ baseUrl: proxy.url, token: TOKEN, loadBalancerIp: netlify.loadBalancerIp, pollIntervalMs: 20, timeoutMs: 5_000 });
});
after(async () => {
  await proxy?.close();
  await world?.close();
});

/** The site's certificate once the sandbox's delay has passed and it is issued. */
const issued = (siteId: string) =>
  settled(
    () => hosting.getCertificate(siteId),
    (c) => c.state === 'issued',
  );

/** The domain registered in the sandbox, its apex and www pointing at the host as dnsTargets says. */
function pointAtHost(domain: string, site: HostingSite): void {
  if (!registry.isRegistered(domain)) registry.register(domain, 1);
  const targets = hosting.dnsTargets(site);
  registry.setHosts(domain, [
    { name: '@', type: 'A', address: targets.apexA[0]!, ttl: 300 },
    { name: 'www', type: 'CNAME', address: `${targets.wwwCname}.`, ttl: 300 },
  ]);
}

test(`the adapter's whole life of a site, each exchange valid against @netlify/open-api`, async () => {
  assert.equal(NETLIFY_OPEN_API_VERSION, '2.60.0', 'the pinned document');
  const domain = 'fleuriste-contrat.fr';
  const site = await hosting.createSite({ name: 'fleuriste-contrat-1a2b', idempotencyKey: 'k1' });
  // a name already ours: 422 {"errors": ...}, then the listing finds it
  assert.equal((await hosting.createSite({ name: 'fleuriste-contrat-1a2b', idempotencyKey: 'k1' })).siteId, site.siteId);
  await assert.rejects(
    hosting.createSite({ name: 'taken-ailleurs', idempotencyKey: 'k2' }),
    (e: unknown) => e instanceof ProviderError && e.code === 'name_taken',
  );
  assert.equal((await hosting.getSite(site.siteId)).name, site.name);
  const files = new Map([
    ['index.html', Buffer.from('<h1>Fleurs</h1>')],
    ['style.css', Buffer.from('h1 { color: green }')],
  ]);
  const started = await hosting.startDeploy(site.siteId, files, { idempotencyKey: 'order:x:deploy_site', firstTry: true });
  assert.equal(started.uploaded, 2);
  const ready = await settled(
    () => hosting.getDeploy(started.deployId),
    (d) => d.phase === 'ready',
  );
  assert.equal(ready.state, 'ready');
  // the same content again under the key: found by its title, nothing sent
  const again = await hosting.startDeploy(site.siteId, files, { idempotencyKey: 'order:x:deploy_site' });
  assert.deepEqual([again.deployId, again.uploaded], [started.deployId, 0]);
  await hosting.deploy(site.siteId, new Map([['index.html', Buffer.from('<h1>Fleurs v2</h1>')]]));

  await hosting.setCustomDomain(site.siteId, domain);
  assert.equal((await hosting.getCertificate(site.siteId)).state, 'not_requested');
  await assert.rejects(hosting.provisionCertificate(site.siteId), (e: unknown) => e instanceof ProviderError && e.code === 'dns_not_ready');
  pointAtHost(domain, site);
  assert.equal((await hosting.provisionCertificate(site.siteId)).state, 'pending');
  // a second request: Netlify's 422, then the certificate there is read (issued by now, or still pending)
  assert.ok(['pending', 'issued'].includes((await hosting.provisionCertificate(site.siteId)).state));
  assert.equal((await issued(site.siteId)).state, 'issued');
  assert.ok((await hosting.currentUser()).siteCount >= 1);
  await assert.rejects(hosting.getSite('00000000-0000-4000-8000-000000000000'), (e: unknown) => e instanceof ProviderError && e.code === 'not_found');
  await hosting.deleteSite(site.siteId);
  await hosting.deleteSite(site.siteId);

  const seen = new Set(proxy.exchanges.map((x) => `${x.method} ${x.status}`));
  for (const kind of ['POST 201', 'POST 422', 'GET 200', 'GET 404', 'PUT 200', 'PATCH 200', 'DELETE 204', 'DELETE 404'])
    assert.ok(seen.has(kind), `exchanged: ${kind}`);
  const problems = proxy.exchanges.flatMap(contractProblems);
  assert.deepEqual(problems, [], `deliberate exceptions only: ${DELIBERATE_EXCEPTIONS.join('; ')}`);
});

test('listings follow every page: a site beyond the first 100 is found; Link headers as Netlify sends them', async () => {
  const first = await hosting.createSite({ name: 'page-deux-cible', idempotencyKey: 'p' });
  for (let i = 0; i < 100; i++) await hosting.createSite({ name: `page-deux-${String(i).padStart(3, '0')}`, idempotencyKey: `p${i}` });
  // newest first: the first site made is on page 2
  const page1 = await fetch(`${netlify!.apiUrl}/api/v1/sites?per_page=100`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(((await page1.json()) as unknown[]).length, 100);
  assert.match(page1.headers.get('link') ?? '', /[?&]page=2[^>]*>; rel="next"/);
  assert.equal((await hosting.findSiteByName('page-deux-cible'))?.siteId, first.siteId);
  const problems = proxy.exchanges.flatMap(contractProblems);
  assert.deepEqual(problems, []);
});

test('the check fails on what the document does not say: an unknown field, a wrong type, a missing required field, an unknown parameter', () => {
  const answer = (path: string, status: number, body: unknown, method = 'GET'): Exchange => ({
    method,
    path,
    query: new URLSearchParams(),
    requestBody: Buffer.alloc(0),
    status,
    responseType: 'application/json',
    responseBody: Buffer.from(JSON.stringify(body)),
  });
  const deploy = { id: 'd1', state: 'ready', required: [] };
  assert.deepEqual(contractProblems(answer('/deploys/d1', 200, deploy)), []);
  assert.match(contractProblems(answer('/deploys/d1', 200, { ...deploy, readyAt: 1 })).join(), /field "readyAt" is not in the document/);
  assert.match(contractProblems(answer('/deploys/d1', 200, { ...deploy, required: 'abc' })).join(), /is not an array/);
  assert.match(contractProblems(answer('/sites/s1/ssl', 200, { state: 'issued', expires_at: 'tomorrow' })).join(), /not a date-time/);
  assert.match(contractProblems(answer('/sites/s1', 404, { code: 404 })).join(), /required field "message" is missing/);
  assert.match(contractProblems({ ...answer('/sites', 200, []), query: new URLSearchParams({ per_page: 'many' }) }).join(), /is not an integer/);
  assert.match(
    contractProblems({ ...answer('/sites', 200, []), query: new URLSearchParams({ sort: 'name' }) }).join(),
    /query parameter "sort" is not in the document/,
  );
  const body = (json: unknown): Exchange => ({
    ...answer('/sites/s1/deploys', 200, deploy, 'POST'),
    requestType: 'application/json',
    requestBody: Buffer.from(JSON.stringify(json)),
  });
  assert.deepEqual(contractProblems(body({ files: { '/index.html': 'a'.repeat(40) }, async: false })), []);
  assert.match(contractProblems(body({ files: {}, asynchronous: false })).join(), /field "asynchronous" is not in the document/);
  assert.match(contractProblems(answer('/sites/s1/unknown', 200, {})).join(), /no such operation/);
  assert.deepEqual(schemaProblems({ name: 'x', default_domain: 'x.netlify.app' }, { $ref: '#/definitions/site' }, 'site'), [], 'a deliberate exception');
});

test('certificates as Netlify issues them: no custom domain is a refusal; a pending one whose DNS moves away stays pending (Netlify retries), then is issued', async () => {
  const site = await hosting.createSite({ name: 'certificat-attente', idempotencyKey: 'c' });
  const refused = await hosting.provisionCertificate(site.siteId).then(
    () => assert.fail('no custom domain: refused'),
    (e: unknown) => e,
  );
  assert.ok(refused instanceof ProviderError);
  assert.equal(refused.code, 'unprocessable');
  assert.equal(refused.retryable, false);
  assert.match(refused.message, /No custom domain configured/);

  const domain = 'certificat-attente.fr';
  await hosting.setCustomDomain(site.siteId, domain);
  pointAtHost(domain, site);
  assert.equal((await hosting.provisionCertificate(site.siteId)).state, 'pending');
  // DNS moves away before the CA validates: the certificate is not issued, and stays pending
  registry.setHosts(domain, [{ name: '@', type: 'A', address: '192.0.2.10', ttl: 300 }]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await hosting.getCertificate(site.siteId)).state, 'pending');
  pointAtHost(domain, site);
  assert.equal((await issued(site.siteId)).state, 'issued');
  assert.deepEqual(proxy.exchanges.flatMap(contractProblems), []);
});

test('a deploy rejected or failed by the host reads as failed; processing as processing', async () => {
  const site = await hosting.createSite({ name: 'deploy-etats', idempotencyKey: 'd' });
  netlify!.setProcessingTime(60_000);
  const started = await hosting.startDeploy(site.siteId, new Map([['index.html', Buffer.from('<p>états</p>')]]));
  assert.equal(started.phase, 'processing');
  netlify!.failDeploy(started.deployId, 'Rejected', 'rejected');
  const rejected = await hosting.getDeploy(started.deployId);
  assert.deepEqual([rejected.state, rejected.phase], ['rejected', 'failed']);
  netlify!.setProcessingTime(100);
  assert.deepEqual(proxy.exchanges.flatMap(contractProblems), []);
});
