// Publish after delivery: a demo order is delivered, the customer edits and publishes, the sandbox-hosted live site (HTTPS) shows the change, only changed files are uploaded, timeline and email follow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { png } from '../support/images.ts';

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
  const photoBytes = png(64, 48, [30, 90, 160]);
  const photo = await fetch(`${sys.url}/api/sites/${demo.trackingToken}/assets?kind=picture`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(photoBytes) });
  assert.equal(photo.status, 201);
  const asset = (await photo.json()) as { id: string };

  // Adding a priced service and a picture changes index.html and adds the picture; nothing else.
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
  assert.equal(published.data.uploaded, 2, 'index.html and the new picture');
  assert.equal(published.data.files, 7, 'the six site files and the picture');

  const home = (await live('/')).body.toString();
  assert.ok(home.includes('Croissant au beurre'));
  assert.ok(home.includes('alt="Our shop window"'));
  const src = /<img class="photo" src="(\/assets\/picture-[0-9a-f]{16}\.png)"/.exec(home)?.[1];
  assert.ok(src, 'the picture is served under /assets/ with its hash in the name');
  const picture = await live(src);
  assert.equal(picture.status, 200);
  assert.equal(picture.type, 'image/png');
  assert.ok(picture.body.equals(photoBytes));

  const after = await sys.api(`/api/sites/${demo.trackingToken}`);
  assert.equal(after.body.publishedVersion, version);

  // the timeline tells it, in the customer's language
  const status = await sys.api(`/api/concierge/status/${demo.trackingToken}?lang=en`);
  const messages = status.body.timeline.map((e: { message: string }) => e.message);
  assert.ok(messages.includes(`Publishing version ${version} of your site requested.`), messages.join('\n'));
  assert.ok(messages.includes(`Version ${version} is live (2 of 7 file(s) uploaded).`), messages.join('\n'));

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

test('going back to earlier content is a new deploy that goes live (nothing to upload)', async () => {
  const { body: current } = await sys.api(`/api/sites/${demo.trackingToken}`);
  const reverted = await sys.api(`/api/sites/${demo.trackingToken}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, services: [], pictures: [] } },
  });
  assert.equal(reverted.status, 200);
  await sys.api(`/api/sites/${demo.trackingToken}/publish`, { method: 'POST' });
  const done = await eventually(async () => (await events('site_published')).find((e) => e.data.version === reverted.body.version), 20_000);
  assert.equal(done.data.uploaded, 0);
  assert.equal(done.data.files, 6);
  const home = (await live('/')).body.toString();
  assert.ok(!home.includes('Croissant au beurre'));
});
