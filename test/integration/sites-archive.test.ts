// At order time: a ZIP of a static site instead of the editor (hostile ones refused with the reason, nothing kept), then the pipeline deploys it; and the editor's saved document is what deploys otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import https from 'node:https';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { latestPaymentLink } from '../../src/db/orders.ts';
import { siteZip, unixMode, zip } from '../support/zip.ts';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '300', ARCHIVE_MAX_MB: '1' });
});
after(async () => sys?.stop());

async function newOrder(name: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: { businessName: name, email: `${crypto.randomBytes(3).toString('hex')}@example.org`, domain: `site-${crypto.randomBytes(4).toString('hex')}.fr`, tier: 'express', locale: 'fr', city: 'Lyon' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string; domain: string };
}

async function payAndDeliver(order: { orderId: string; trackingToken: string }) {
  const ref = await eventually(async () => (await latestPaymentLink(sys.db, order.orderId))?.provider_ref);
  sys.sandbox!.stripe.pay(ref);
  return eventually(async () => {
    const s = await sys.api(`/api/concierge/status/${order.trackingToken}`);
    return s.body.state === 'delivered' ? s.body : undefined;
  }, 60_000, 200);
}

async function uploadArchive(token: string, body: Buffer, lang: 'fr' | 'en' = 'en') {
  const res = await fetch(`${sys.url}/api/concierge/status/${token}/archive`, { method: 'POST', headers: { 'content-type': 'application/zip', 'accept-language': lang }, body: new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as any };
}

function live(domain: string, path: string): Promise<{ status: number; body: string }> {
  const edge = sys.sandboxEndpoints!.netlify;
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: edge.httpsPort, path, servername: domain, headers: { host: domain }, ca: edge.caCertPem }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function nothingKept(orderId: string) {
  const archives = await sys.db.selectFrom('site_archives').select('order_id').where('order_id', '=', orderId).execute();
  const files = await sys.db.selectFrom('site_archive_files').select('path').where('order_id', '=', orderId).execute();
  assert.deepEqual([archives.length, files.length], [0, 0], 'nothing kept');
}

test('hostile archives are refused with the reason, in the customer’s language, and nothing is kept', async () => {
  const order = await newOrder('Fleurs de Lyon');
  const index = { name: 'index.html', data: '<!doctype html><title>x</title>' };

  const slip = await uploadArchive(order.trackingToken, zip([index, { name: '../../etc/cron.d/evil', data: 'x' }]), 'fr');
  assert.equal(slip.status, 422);
  assert.equal(slip.body.code, 'archive_unsafe_path');
  assert.equal(slip.body.message, 'L’archive contient un chemin dangereux (« ../../etc/cron.d/evil ») : les chemins doivent rester dans le site, sans « .. », sans « \\ » ni chemin absolu.');

  const cases: [Buffer, number, string, RegExp][] = [
    [zip([index, { name: 'site\\index.html', data: 'x' }]), 422, 'archive_unsafe_path', /unsafe path/],
    [zip([index, { name: 'link', data: '/etc/passwd', method: 0, externalAttributes: unixMode(0o120777) }]), 422, 'archive_link', /symbolic link/],
    [zip([index, { name: 'bomb.html', data: Buffer.alloc(30_000_000) }]), 422, 'archive_compression_ratio', /zip bomb/],
    [zip([index, { name: 'liar.html', data: Buffer.alloc(5_000_000), uncompressedSize: 10 }]), 422, 'archive_corrupt', /damaged/],
    [zip([index, { name: 'locked.html', data: 'x', flags: 0x801 }]), 422, 'archive_encrypted', /encrypted/],
    [zip([{ name: 'accueil.html', data: 'x' }]), 422, 'archive_no_index', /index\.html/],
    [zip([index, { name: 'a.html', data: '1' }, { name: 'a.html', data: '2' }]), 422, 'archive_duplicate_entry', /same name twice/],
    [Buffer.from('PK but not really a zip'), 422, 'archive_invalid', /not a readable ZIP/],
    // over ARCHIVE_MAX_MB (1 here), refused on its declared length
    [zip([index, { name: 'noise.bin', data: crypto.randomBytes(1_200_000), method: 0 }]), 413, 'archive_too_large', /1 MB at most/],
  ];
  for (const [body, status, code, message] of cases) {
    const r = await uploadArchive(order.trackingToken, body);
    assert.equal(r.status, status, `${code}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, code);
    assert.match(r.body.message, message);
  }
  await nothingKept(order.orderId);
  const site = await sys.api(`/api/sites/${order.trackingToken}`);
  assert.equal(site.body.archive, null);
});

test('a good archive replaces the editor: the pipeline deploys its files; after that it is too late, and publishing from the editor takes over', async () => {
  const order = await newOrder('Studio Photo Lumière');
  const up = await uploadArchive(order.trackingToken, siteZip('mon-site/', [{ name: '__MACOSX/mon-site/._index.html', data: 'junk' }]));
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.files, 3);
  assert.equal(up.body.root, 'mon-site/');
  assert.deepEqual(up.body.paths, ['/404.html', '/css/site.css', '/index.html']);
  const site = await sys.api(`/api/sites/${order.trackingToken}`);
  assert.equal(site.body.archive.files, 3);
  const status0 = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=fr`);
  assert.ok(status0.body.timeline.some((e: { message: string }) => e.message === 'Archive de votre site reçue (3 fichiers) : c’est elle qui sera mise en ligne.'));

  const delivered = await payAndDeliver(order);
  const domain = delivered.domain;
  const home = await live(domain, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /Hello from the archive/);
  assert.equal((await live(domain, '/css/site.css')).body, 'body{font-family:sans-serif}\n');
  assert.equal((await live(domain, '/__MACOSX/mon-site/._index.html')).status, 404);
  const step = await sys.db.selectFrom('order_steps').select('output').where('order_id', '=', order.orderId).where('step', '=', 'deploy_site').executeTakeFirstOrThrow();
  assert.equal(step.output?.source, 'archive');
  assert.equal(step.output?.files, 3);

  const late = await uploadArchive(order.trackingToken, siteZip());
  assert.equal(late.status, 409);
  assert.equal(late.body.code, 'archive_too_late');

  // the customer switches to the editor: publishing replaces the archive
  const { body: doc } = await sys.api(`/api/sites/${order.trackingToken}`);
  const saved = await sys.api(`/api/sites/${order.trackingToken}`, { method: 'PUT', body: { version: doc.version, document: { ...doc.document, tagline: 'Portraits et mariages' } } });
  assert.equal(saved.status, 200);
  assert.equal((await sys.api(`/api/sites/${order.trackingToken}/publish`, { method: 'POST' })).status, 202);
  await eventually(async () => (await sys.api(`/api/sites/${order.trackingToken}`)).body.publishedVersion === saved.body.version, 20_000);
  assert.match((await live(domain, '/')).body, /Portraits et mariages/);
  assert.equal((await sys.api(`/api/sites/${order.trackingToken}`)).body.archive, null);
});

test('without an archive, the pipeline deploys the document saved in the editor before payment', async () => {
  const order = await newOrder('Garage Martin');
  const { body: doc } = await sys.api(`/api/sites/${order.trackingToken}`);
  const saved = await sys.api(`/api/sites/${order.trackingToken}`, {
    method: 'PUT',
    body: { version: doc.version, document: { ...doc.document, template: 'artisan', tagline: 'Réparations toutes marques depuis 1990' } },
  });
  assert.equal(saved.status, 200);
  const delivered = await payAndDeliver(order);
  const home = await live(delivered.domain, '/');
  assert.match(home.body, /Réparations toutes marques depuis 1990/);
  assert.match(home.body, /class="t-artisan"/);
  const { body: after } = await sys.api(`/api/sites/${order.trackingToken}`);
  assert.equal(after.publishedVersion, saved.body.version);
});
