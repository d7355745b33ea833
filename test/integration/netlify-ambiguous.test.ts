// A deploy after an ambiguous answer (an upload's answer lost, a 422 from a deploy that finished or failed meanwhile, a
// retried step): the real NetlifyHosting asks the sandbox host for the deploy's state before it calls anything final.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { ProviderError } from '../../src/errors.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { SandboxRegistry } from '../../src/sandbox/registry-state.ts';
import { startNetlifyServer, type NetlifySandboxServer } from '../../src/sandbox/netlify/server.ts';
import { createResolver } from '../../src/providers/dns/resolver.ts';
import { NetlifyHosting, type NetlifyHostingOptions } from '../../src/providers/hosting/netlify/client.ts';

const TOKEN = 'nfp_sandbox_ambiguous_token';

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
  return err;
}

const pages = (n: number, text: string) => new Map([...Array(n)].map((_, i) => [`page-${i}.html`, Buffer.from(`<h1>${text} ${i}</h1>`)]));
const isUpload = (req: http.IncomingMessage) => req.method === 'PUT' && /\/files\//.test(req.url ?? '');
const isDeployRead = (req: http.IncomingMessage) => req.method === 'GET' && /^\/api\/v1\/deploys\/[^/]+$/.test(req.url ?? '');
const deployIdIn = (req: http.IncomingMessage) => /\/deploys\/([^/]+)/.exec(req.url ?? '')![1]!;

/** A sandbox host whose deploys stay "processing" `processingMs` once their files are in, and the adapter in front of it. */
async function host(processingMs: number, extra: Partial<NetlifyHostingOptions> = {}) {
  const faults = new FaultInjector();
  // a held answer is cut after 200 ms, not 30 s
  faults.timeoutHoldMs = 200;
  const resolver = createResolver({ server: { host: '127.0.0.1', port: 9 }, timeoutMs: 200, tries: 1 });
  const server = await startNetlifyServer({
    token: TOKEN,
    registry: new SandboxRegistry(),
    resolver,
    faults,
    processingMs,
    rateLimit: { apiPerMinute: 10_000, deploysPerMinute: 100 },
  });
  const hosting = new NetlifyHosting({ baseUrl: server.apiUrl, token: TOKEN, pollIntervalMs: 20, timeoutMs: 5_000, ...extra });
  const apply = faults.apply.bind(faults);
  /** every API request, before the sandbox handles it; `hook` may answer it itself (return false) */
  const intercept = (hook: (req: http.IncomingMessage, res: http.ServerResponse) => unknown) => {
    faults.apply = async (req, res, serverError) => ((await hook(req, res)) === false ? false : apply(req, res, serverError));
  };
  const deploysOf = (siteId: string) => server.sites().find((s) => s.id === siteId)!.deploys;
  return { server, hosting, faults, intercept, deploysOf, reset: () => (faults.apply = apply) };
}

describe('Netlify: a deploy after an ambiguous answer', () => {
  const hosts: NetlifySandboxServer[] = [];
  let fast: Awaited<ReturnType<typeof host>>;
  let slow: Awaited<ReturnType<typeof host>>;
  before(async () => {
    fast = await host(25);
    slow = await host(1_500);
    hosts.push(fast.server, slow.server);
  });
  after(async () => {
    for (const h of hosts) await h.close();
  });

  test("the last file's answer is lost after the host took it: the repeat is refused 422 by the finished deploy, which is success", async () => {
    const site = await fast.hosting.createSite({ name: 'reponse-perdue-1a2b', idempotencyKey: 'order-21:create-site' });
    await fast.hosting.deploy(site.siteId, pages(3, 'Avant'));
    // one file changed: one upload, whose answer is lost once the host has it (then the deploy turns ready)
    let uploads = 0;
    fast.faults.onSpending = ({ operation }) => {
      if (operation === 'uploadDeployFile') fast.faults.set({ lostAnswerRate: uploads++ === 0 ? 1 : 0 });
    };
    try {
      const next = new Map([...pages(3, 'Avant')].map(([p, b], i) => [p, i === 0 ? Buffer.from('<h1>Après</h1>') : b]));
      const done = await fast.hosting.deploy(site.siteId, next, { idempotencyKey: 'order-21:deploy', firstTry: true });
      assert.equal(done.state, 'ready');
      assert.equal(fast.faults.lostAnswers.get('uploadDeployFile'), 1, 'the first answer was lost after the work');
      assert.equal(uploads, 2, 'the adapter sent the file again, and the finished deploy refused it');
      assert.equal(fast.deploysOf(site.siteId).length, 2, 'no deploy beyond the two asked for');
    } finally {
      fast.faults.onSpending = undefined;
      fast.faults.set({ lostAnswerRate: 0 });
    }
  });

  test('a retried deploy that finds its deploy past its uploads sends nothing and waits for it', async () => {
    const site = await slow.hosting.createSite({ name: 'deja-recu-3c4d', idempotencyKey: 'order-22:create-site' });
    const files = pages(4, 'Traitement');
    // the first try uploads everything, then cannot read the deploy's state (503 three times): the step will retry
    let reads = 0;
    slow.intercept((req, res) => {
      if (!isDeployRead(req) || reads++ >= 3) return;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"Service Unavailable"}');
      return false;
    });
    try {
      const err = await rejection(slow.hosting.deploy(site.siteId, files, { idempotencyKey: 'order-22:deploy', firstTry: true }));
      assert.equal(err.retryable, true);
      assert.equal(slow.deploysOf(site.siteId)[0]!.state, 'processing');
      let uploads = 0;
      slow.intercept((req) => {
        if (isUpload(req)) uploads++;
      });
      const done = await slow.hosting.deploy(site.siteId, files, { idempotencyKey: 'order-22:deploy' });
      assert.equal(done.state, 'ready');
      assert.equal(done.uploaded, 0);
      assert.equal(uploads, 0, 'the deploy held every file: nothing sent again');
      assert.equal(slow.deploysOf(site.siteId).length, 1, 'the same deploy');
    } finally {
      slow.reset();
    }
  });

  test('a deploy the host failed is no refusal: the upload it refuses and the failure seen while waiting are retryable, and the retry makes a new deploy', async () => {
    const site = await slow.hosting.createSite({ name: 'echec-hote-5e6f', idempotencyKey: 'order-23:create-site' });
    const files = pages(3, 'Échec');
    // the host fails the deploy as its first file arrives: that upload is refused 422
    let failed = false;
    slow.intercept((req) => {
      if (!isUpload(req) || failed) return;
      failed = true;
      slow.server.failDeploy(deployIdIn(req), 'Failed to process the deploy');
    });
    try {
      const refused = await rejection(slow.hosting.deploy(site.siteId, files, { idempotencyKey: 'order-23:deploy', firstTry: true }));
      assert.deepEqual([refused.code, refused.retryable], ['deploy_failed', true], refused.message);
      // the host fails the next deploy while it processes
      slow.intercept((req) => {
        if (isDeployRead(req) && slow.deploysOf(site.siteId).length === 2 && !failed) {
          failed = true;
          slow.server.failDeploy(deployIdIn(req), 'Failed to process the deploy');
        }
      });
      failed = false;
      const later = await rejection(slow.hosting.deploy(site.siteId, files, { idempotencyKey: 'order-23:deploy' }));
      assert.deepEqual([later.code, later.retryable], ['deploy_failed', true], later.message);
      slow.reset();
      const done = await slow.hosting.deploy(site.siteId, files, { idempotencyKey: 'order-23:deploy' });
      assert.equal(done.state, 'ready');
      assert.deepEqual(
        slow.deploysOf(site.siteId).map((d) => d.state),
        ['error', 'error', 'ready'],
        'a new deploy after each failed one',
      );
    } finally {
      slow.reset();
    }
  });

  test('an upload refused while the deploy still takes files is a definite refusal: not retryable', async () => {
    // bytes that do not hash to the manifest's SHA1 (a corrupted body): the host refuses them whatever the retry
    const corrupting = await host(25, {
      fetchImpl: (url, init) =>
        init?.method === 'PUT' && String(url).endsWith('/page-1.html')
          ? fetch(url, { ...init, body: new TextEncoder().encode('<h1>autre</h1>') })
          : fetch(url, init),
    });
    hosts.push(corrupting.server);
    const site = await corrupting.hosting.createSite({ name: 'octets-faux-7a8b', idempotencyKey: 'order-24:create-site' });
    const err = await rejection(corrupting.hosting.deploy(site.siteId, pages(3, 'Somme'), { idempotencyKey: 'order-24:deploy', firstTry: true }));
    assert.deepEqual([err.code, err.retryable], ['unprocessable', false], err.message);
    assert.match(err.message, /Checksum mismatch/);
    assert.notEqual(corrupting.deploysOf(site.siteId)[0]!.state, 'ready');
  });
});
