// Publish after delivery: a demo order is delivered, the customer edits and publishes, the sandbox-hosted live site (HTTPS) shows the change, only changed files are uploaded, timeline and email follow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { phonePhoto } from '../support/images.ts';

let sys: TestSystem;
let demo: { orderId: string; trackingToken: string; domain: string; state: string };

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '300' });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'en' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  demo = r.body;
  assert.equal(demo.state, 'delivered');
});
after(async () => sys?.stop());

/** GET over HTTPS through the sandbox edge, as a visitor's browser would reach the customer's domain. */
function live(path: string): Promise<{ status: number; body: Buffer; type: string }> {
  const edge = sys.sandboxEndpoints!.netlify;
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: edge.httpsPort, path, servername: demo.domain, headers: { host: demo.domain }, ca: edge.caCertPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: String(res.headers['content-type']) }));
      })
      .on('error', reject);
  });
}

async function events(type: string) {
  return sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', demo.orderId).where('type', '=', type).orderBy('id').execute();
}

test('the delivered site shows the document the pipeline deployed, and GET says it is published', async () => {
  const site = await sys.api(`/api/sites/${demo.trackingToken}`);
  assert.equal(site.status, 200);
  assert.equal(site.body.canPublish, true);
  assert.equal(site.body.publishedVersion, site.body.version, 'the deploy step recorded the version it deployed');
  assert.equal(site.body.siteUrl, `https://${demo.domain}/`);
  const home = await live('/');
  assert.equal(home.status, 200);
  assert.ok(home.body.toString().includes(site.body.document.tagline));
});

test('edit, publish: 202, the live site changes, only changed files are uploaded, timeline and one email per version', async () => {
  const { body: before } = await sys.api(`/api/sites/${demo.trackingToken}`);
  const photoBytes = await phonePhoto(1200, 800, { orientation: 1 });
  const photo = await fetch(`${sys.url}/api/sites/${demo.trackingToken}/assets?kind=picture`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body: new Uint8Array(photoBytes),
  });
  assert.equal(photo.status, 201);
  const asset = (await photo.json()) as { id: string; url: string };
  const stored = Buffer.from(await (await fetch(`${sys.url}${asset.url}`)).arrayBuffer());

  // Adding a priced service and a picture changes index.html and adds the picture and its two narrower copies; nothing else.
  const saved = await sys.api(`/api/sites/${demo.trackingToken}`, {
    method: 'PUT',
    body: {
      version: before.version,
      document: { ...before.document, services: [{ name: 'Croissant au beurre', priceCents: 140 }], pictures: [{ assetId: asset.id, alt: 'Our shop window' }] },
    },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const version = saved.body.version;

  const publish = await sys.api(`/api/sites/${demo.trackingToken}/publish`, { method: 'POST' });
  assert.equal(publish.status, 202);
  assert.deepEqual(publish.body, { version, state: 'queued' });
  assert.equal((await events('site_publish_requested')).at(-1)?.data.version, version);

  const published = await eventually(async () => (await events('site_published')).find((e) => e.data.version === version), 20_000);
  assert.equal(published.data.uploaded, 5, "index.html, _headers (the page's style sheet has a new hash), the new picture and its copies 480 and 960 px wide");
  assert.equal(published.data.files, 14, 'the eleven site files, the picture and its copies');
  // told only once seen live: deployed first, then checked over HTTPS with this version in the page
  const types = (await sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', demo.orderId).orderBy('id').execute())
    .filter(
      (e) =>
        (e.type.startsWith('site_publish') && (e.data as { version?: number }).version === version) ||
        (e.type === 'site_published' && (e.data as { version?: number }).version === version),
    )
    .map((e) => e.type);
  assert.deepEqual(types.slice(0, 3), ['site_publish_requested', 'site_publish_deployed', 'site_published']);

  const home = (await live('/')).body.toString();
  assert.ok(home.includes('Croissant au beurre'));
  assert.ok(home.includes('alt="Our shop window"'));
  const tag = /<img class="photo" src="(\/assets\/picture-([0-9a-f]{16})\.jpg)" srcset="([^"]+)"/.exec(home);
  assert.ok(tag, 'the picture is served under /assets/ with its hash in the name, with its copies');
  const [, src, hash, srcset] = tag;
  assert.equal(srcset, `/assets/picture-${hash}-480.jpg 480w, /assets/picture-${hash}-960.jpg 960w, ${src} 1200w`);
  const picture = await live(src!);
  assert.equal(picture.status, 200);
  assert.equal(picture.type, 'image/jpeg');
  assert.ok(picture.body.equals(stored), 'the site serves the picture as the editor stored it');
  for (const width of [480, 960]) {
    const copy = await live(`/assets/picture-${hash}-${width}.jpg`);
    assert.equal(copy.status, 200, `copy ${width}`);
    assert.ok(copy.body.length < picture.body.length);
  }

  const after = await sys.api(`/api/sites/${demo.trackingToken}`);
  assert.equal(after.body.publishedVersion, version);

  // the timeline tells it, in the customer's language
  const status = await sys.api(`/api/concierge/status/${demo.trackingToken}?lang=en`);
  const messages = status.body.timeline.map((e: { message: string }) => e.message);
  assert.ok(messages.includes(`Publishing version ${version} of your site requested.`), messages.join('\n'));
  assert.ok(messages.includes(`Version ${version} sent to the host (5 of 14 file(s)); checking that it is live…`), messages.join('\n'));
  assert.ok(messages.includes(`Version ${version} is live (5 of 14 file(s) uploaded).`), messages.join('\n'));

  // "your new version is live", once per version even when published twice
  const again = await sys.api(`/api/sites/${demo.trackingToken}/publish`, { method: 'POST' });
  assert.equal(again.status, 202);
  await eventually(async () => (await events('site_published')).filter((e) => e.data.version === version).length === 2, 20_000);
  const second = (await events('site_published')).at(-1)!;
  assert.equal(second.data.uploaded, 0, 'nothing changed: nothing uploaded');
  const order = await sys.db.selectFrom('orders').select('email').where('id', '=', demo.orderId).executeTakeFirstOrThrow();
  const mails = await eventually(async () => {
    const m = sys.sandbox!.smtp.messages().filter((x) => x.to.includes(order.email) && /new version is live/.test(x.subject));
    return m.length ? m : undefined;
  }, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sys.sandbox!.smtp.messages().filter((x) => x.to.includes(order.email) && /new version is live/.test(x.subject)).length, 1);
  assert.ok(mails[0]!.text.includes(`https://${demo.domain}/`));
  assert.ok(mails[0]!.text.includes(`/editor/${demo.trackingToken}`));
});

test('going back to earlier content is a new deploy that goes live (only the page naming the new version is uploaded)', async () => {
  const { body: current } = await sys.api(`/api/sites/${demo.trackingToken}`);
  const reverted = await sys.api(`/api/sites/${demo.trackingToken}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, services: [], pictures: [] } },
  });
  assert.equal(reverted.status, 200);
  await sys.api(`/api/sites/${demo.trackingToken}/publish`, { method: 'POST' });
  const done = await eventually(async () => (await events('site_published')).find((e) => e.data.version === reverted.body.version), 20_000);
  assert.equal(done.data.uploaded, 1, 'index.html: its marker names the new version; everything else the host already holds');
  assert.equal(done.data.files, 11);
  const home = (await live('/')).body.toString();
  assert.ok(!home.includes('Croissant au beurre'));
});

test('the live check: a version the site does not show yet is checked again later (rescheduled, not slept), then reported as failed', async () => {
  const { verifyPublish } = await import('../../src/workflow/publish-site.ts');
  const { body: current } = await sys.api(`/api/sites/${demo.trackingToken}`);
  const job = { orderId: demo.orderId, version: current.version + 1000, uploaded: 1, files: 11, deployedAt: new Date().toISOString() };
  assert.equal(await verifyPublish(sys.deps, job), 'waiting');
  const queued = (await sys.db
    .selectFrom('graphile_worker.jobs' as any)
    .select(['task_identifier', 'run_at', 'key'] as any)
    .where('key' as any, '=', `site-verify:${demo.orderId}`)
    .executeTakeFirst()) as { run_at: Date } | undefined;
  assert.ok(queued && new Date(queued.run_at).getTime() > Date.now(), 'the check comes back later');
  const old = { ...job, deployedAt: new Date(Date.now() - 11 * 60_000).toISOString() };
  assert.equal(await verifyPublish(sys.deps, old), 'failed');
  const failed = (await events('site_publish_failed')).at(-1)!;
  assert.deepEqual(failed.data, { version: job.version, code: 'verification_failed' });
  // the version live now passes the same check
  const published = await eventually(async () => (await events('site_published')).at(-1));
  const live = { ...job, version: (published.data as { version: number }).version };
  assert.equal(await verifyPublish(sys.deps, live), 'published');
});
