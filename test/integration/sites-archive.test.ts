// At order time: a ZIP of a static site instead of the editor (hostile ones refused with the reason, nothing kept), then the pipeline deploys it; and the editor's saved document is what deploys otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import https from 'node:https';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { latestPaymentLink } from '../../src/db/orders.ts';
import { siteZip, unixMode, zip } from '../support/zip.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '300', ARCHIVE_MAX_MB: '1' });
});
after(async () => sys?.stop());

async function newOrder(name: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: name,
      acceptTerms: true,
      earlyStart: true,
      email: `${crypto.randomBytes(3).toString('hex')}@example.org`,
      domain: `site-${crypto.randomBytes(4).toString('hex')}.fr`,
      tier: 'express',
      holder: HOLDER,
      locale: 'fr',
      city: 'Lyon',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { orderId: string; trackingToken: string; domain: string };
}

async function payAndDeliver(order: { orderId: string; trackingToken: string }) {
  const ref = await eventually(async () => (await latestPaymentLink(sys.db, order.orderId))?.provider_ref);
  sys.sandbox!.stripe.pay(ref);
  return eventually(
    async () => {
      const s = await sys.api(`/api/concierge/status/${order.trackingToken}`);
      return s.body.state === 'delivered' ? s.body : undefined;
    },
    60_000,
    200,
  );
}

async function uploadArchive(token: string, body: Buffer, lang: 'fr' | 'en' = 'en') {
  const res = await fetch(`${sys.url}/api/concierge/status/${token}/archive`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', 'accept-language': lang },
    body: new Uint8Array(body),
  });
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
  assert.equal(
    slip.body.message,
    'L’archive contient un chemin dangereux (« ../../etc/cron.d/evil ») : les chemins doivent rester dans le site, sans « .. », sans « \\ » ni chemin absolu.',
  );

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

  // a browser form (multipart/form-data) wraps the file: said plainly, with the way that works, in the customer's language
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(siteZip())], { type: 'application/zip' }), 'site.zip');
  for (const [lang, text] of [
    ['fr', /Envoyez le fichier ZIP lui-même comme corps de la requête/],
    ['en', /Send the ZIP file itself as the raw request body/],
  ] as const) {
    const res = await fetch(`${sys.url}/api/concierge/status/${order.trackingToken}/archive?lang=${lang}`, { method: 'POST', body: form });
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(res.status, 415);
    assert.equal(body.code, 'archive_raw_body_required');
    assert.match(body.message, text);
  }
  const picture = await fetch(`${sys.url}/api/sites/${order.trackingToken}/assets?kind=logo`, { method: 'POST', body: form });
  assert.equal(picture.status, 415);
  assert.equal(((await picture.json()) as { code: string }).code, 'image_raw_body_required');
  await nothingKept(order.orderId);
});

test('the status tells the tracking page what goes live and whether an archive may still be sent; removing it is in the timeline', async () => {
  const order = await newOrder('Librairie du Port');
  const before = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=en`);
  assert.equal(before.body.editorOpen, true, 'the editor is offered before payment');
  assert.deepEqual(before.body.site, { archive: null, archiveAllowed: true, archiveMaxMb: 1, archiveMaxFiles: 2000 });
  assert.equal((await uploadArchive(order.trackingToken, siteZip())).status, 201);
  const withArchive = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=en`);
  assert.equal(withArchive.body.site.archive.files, 3);
  assert.equal((await sys.api(`/api/sites/${order.trackingToken}`)).body.archiveAllowed, true);
  const removed = await fetch(`${sys.url}/api/concierge/status/${order.trackingToken}/archive`, { method: 'DELETE' });
  assert.equal(removed.status, 204);
  await nothingKept(order.orderId);
  const after = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=en`);
  assert.equal(after.body.site.archive, null);
  assert.ok(after.body.timeline.some((e: { message: string }) => e.message === 'Archive removed: the editor’s site is what goes live.'));
  // removing nothing is not news
  assert.equal((await fetch(`${sys.url}/api/concierge/status/${order.trackingToken}/archive`, { method: 'DELETE' })).status, 204);
  const again = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=en`);
  assert.equal(again.body.timeline.filter((e: { type: string }) => e.type === 'site_archive_removed').length, 1);
  // a cancelled, refunded or expired order no longer offers the editor
  await sys.db.updateTable('orders').set({ state: 'payment_expired' }).where('id', '=', order.orderId).execute();
  const expired = await sys.api(`/api/concierge/status/${order.trackingToken}?lang=en`);
  assert.equal(expired.body.editorOpen, false);
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
  assert.ok(
    status0.body.timeline.some((e: { message: string }) => e.message === 'Archive de votre site reçue (3 fichiers) : c’est elle qui sera mise en ligne.'),
  );

  const delivered = await payAndDeliver(order);
  const domain = delivered.domain;
  const home = await live(domain, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /Hello from the archive/);
  assert.equal((await live(domain, '/css/site.css')).body, 'body{font-family:sans-serif}\n');
  assert.equal((await live(domain, '/__MACOSX/mon-site/._index.html')).status, 404);
  const step = await sys.db
    .selectFrom('order_steps')
    .select('output')
    .where('order_id', '=', order.orderId)
    .where('step', '=', 'deploy_site')
    .executeTakeFirstOrThrow();
  assert.equal(step.output?.source, 'archive');
  assert.equal(step.output?.files, 3);

  const late = await uploadArchive(order.trackingToken, siteZip());
  assert.equal(late.status, 409);
  assert.equal(late.body.code, 'archive_too_late');
  assert.equal((await sys.api(`/api/concierge/status/${order.trackingToken}`)).body.site.archiveAllowed, false);

  // the delivery email says the live site is the uploaded one, and that publishing from the editor replaces it
  const delivery = await eventually(async () => {
    const row = await sys.db
      .selectFrom('outbox_emails')
      .select(['text_body', 'subject'])
      .where('order_id', '=', order.orderId)
      .where('kind', '=', 'delivered')
      .executeTakeFirst();
    return row;
  });
  assert.match(delivery.text_body, /celui de l’archive ZIP que vous avez envoyée/);
  assert.match(delivery.text_body, /le publier remplace entièrement le site que vous avez envoyé/);
  assert.doesNotMatch(delivery.text_body, /en quelques instants/);

  // the customer switches to the editor: publishing replaces the archive
  const { body: doc } = await sys.api(`/api/sites/${order.trackingToken}`);
  const saved = await sys.api(`/api/sites/${order.trackingToken}`, {
    method: 'PUT',
    body: { version: doc.version, document: { ...doc.document, tagline: 'Portraits et mariages' } },
  });
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
  // the confirmation email pointed to the editor, and the delivery email speaks of the editor's site
  const mails = await sys.db.selectFrom('outbox_emails').select(['kind', 'text_body']).where('order_id', '=', order.orderId).execute();
  assert.ok(mails.find((m) => m.kind === 'confirmation')!.text_body.includes(`/editor/${order.trackingToken}`));
  assert.match(
    await eventually(
      async () =>
        (await sys.db.selectFrom('outbox_emails').select('text_body').where('order_id', '=', order.orderId).where('kind', '=', 'delivered').executeTakeFirst())
          ?.text_body,
    ),
    /en quelques instants/,
  );
});
