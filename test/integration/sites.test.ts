// The editor's API over HTTP: the document (GET/PUT, field-by-field 422 in French and English, 409 on a stale version), pictures checked by content then resized with narrower copies, preview, publish before delivery.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import sharp from 'sharp';
import { METADATA_LEAKS, phonePhoto, png, pngHeader } from '../support/images.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let token: string;
let orderId: string;

before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false', IMAGE_MAX_BYTES: '5000000', IMAGE_MAX_DIMENSION: '4000' });
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Menuiserie Leroy',
      acceptTerms: true,
      earlyStart: true,
      email: 'leroy@example.org',
      domain: `menuiserie-${crypto.randomBytes(3).toString('hex')}.fr`,
      tier: 'standard',
      holder: HOLDER,
      locale: 'fr',
      city: 'Nantes',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  token = r.body.trackingToken;
  orderId = r.body.orderId;
});
after(async () => sys?.stop());

async function upload(bytes: Buffer, contentType: string, query = '') {
  const res = await fetch(`${sys.url}/api/sites/${token}/assets${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'accept-language': 'en' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('GET answers the default document (version 1) written from the order, the templates and the limits', async () => {
  const r = await sys.api(`/api/sites/${token}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.version, 1);
  assert.equal(r.body.publishedVersion, null);
  assert.equal(r.body.document.businessName, 'Menuiserie Leroy');
  assert.equal(r.body.document.template, 'artisan');
  assert.equal(r.body.document.locale, 'fr');
  assert.equal(r.body.document.city, 'Nantes');
  assert.deepEqual(
    r.body.templates.map((t: { id: string }) => t.id),
    ['vitrine', 'restaurant', 'artisan'],
  );
  assert.equal(r.body.canPublish, false);
  assert.equal(r.body.editable, true);
  assert.deepEqual(r.body.assets, []);
  assert.equal(r.body.archive, null);
  assert.equal(r.body.limits.imageMaxBytes, 5000000);
  assert.equal(r.body.limits.archiveMaxMb, 50);
  // a second read is the same version: the default is written once
  assert.equal((await sys.api(`/api/sites/${token}`)).body.version, 1);
  assert.equal((await sys.api(`/api/sites/${'x'.repeat(40)}`)).status, 404);
});

test('PUT validates: each bad field named with its reason, in the request language', async () => {
  const { body: current } = await sys.api(`/api/sites/${token}`);
  const bad = { ...current.document, businessName: '   ', colors: { primary: 'blue', accent: '#000000' } };
  const en = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: current.version, document: bad },
    headers: { 'accept-language': 'en-GB,en;q=0.8' },
  });
  assert.equal(en.status, 422);
  assert.equal(en.body.code, 'invalid_request');
  assert.deepEqual(
    en.body.fields.map((f: { field: string; code: string }) => [f.field, f.code]),
    [
      ['document.businessName', 'field_required'],
      ['document.colors.primary', 'color_invalid'],
    ],
  );
  assert.equal(en.body.fields[0].message, 'This field is required.');
  const fr = await sys.api(`/api/sites/${token}?lang=fr`, { method: 'PUT', body: { version: current.version, document: bad } });
  assert.equal(fr.status, 422);
  assert.equal(fr.body.fields[0].message, 'Ce champ est obligatoire.');
  assert.match(fr.body.fields[1].message, /couleur au format #rrggbb/);

  // one bad field: the answer's own code and message are that field's
  const long = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, tagline: 'é'.repeat(200) } },
    headers: { 'accept-language': 'fr-FR' },
  });
  assert.equal(long.status, 422);
  assert.equal(long.body.code, 'field_too_long');
  assert.equal(long.body.message, 'Ce texte est trop long : 160 caractères au plus.');
  assert.deepEqual(long.body.fields, [{ field: 'document.tagline', code: 'field_too_long', message: long.body.message, params: { max: 160 } }]);

  // no version at all
  const noVersion = await sys.api(`/api/sites/${token}`, { method: 'PUT', body: { document: current.document } });
  assert.equal(noVersion.status, 422);
  assert.deepEqual(
    noVersion.body.fields.map((f: { field: string }) => f.field),
    ['version'],
  );
  // nothing was saved
  assert.equal((await sys.api(`/api/sites/${token}`)).body.version, current.version);
});

test('PUT refuses a field the document does not know (strict, never silently dropped), naming it, in the request language', async () => {
  const { body: current } = await sys.api(`/api/sites/${token}`);
  const en = await sys.api(`/api/sites/${token}?lang=en`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, slogan: 'x', contact: { ...current.document.contact, fax: '01' } }, extra: true },
  });
  assert.equal(en.status, 422);
  assert.deepEqual(en.body.fields.map((f: { field: string; code: string }) => [f.field, f.code]).sort(), [
    ['document.contact.fax', 'field_unknown'],
    ['document.slogan', 'field_unknown'],
    ['extra', 'field_unknown'],
  ]);
  assert.equal(en.body.fields[0].message, 'This field does not exist in the site document: remove it (nothing was saved).');
  const fr = await sys.api(`/api/sites/${token}?lang=fr`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, legal: { siren: '1' } } },
  });
  assert.equal(fr.status, 422);
  assert.equal(fr.body.code, 'field_unknown');
  assert.deepEqual(
    fr.body.fields.map((f: { field: string }) => f.field),
    ['document.legal.siren'],
  );
  assert.match(fr.body.message, /Ce champ n’existe pas dans le document du site/);
  assert.equal((await sys.api(`/api/sites/${token}`)).body.version, current.version, 'nothing was saved');
  // the legal notice is a known section
  const legal = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, legal: { legalName: 'Dupont SARL', registration: 'SIRET 123 456 789 00012' } } },
  });
  assert.equal(legal.status, 200, JSON.stringify(legal.body));
  const preview = await fetch(`${sys.url}/api/sites/${token}/preview`);
  assert.match(await preview.text(), /href="\/mentions-legales\.html">Mentions légales<\/a>|href="\/legal-notice\.html">Legal notice<\/a>/);
});

test('PUT saves and bumps the version; a save over a stale version is refused with 409 and the current version', async () => {
  const { body: v1 } = await sys.api(`/api/sites/${token}`);
  const edited = { ...v1.document, tagline: 'Escaliers et cuisines sur mesure', services: [{ name: 'Escalier chêne', priceCents: 450000 }] };
  const saved = await sys.api(`/api/sites/${token}`, { method: 'PUT', body: { version: v1.version, document: edited } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.version, v1.version + 1);
  assert.equal(saved.body.document.tagline, 'Escaliers et cuisines sur mesure');

  // another tab still holds v1
  const stale = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: v1.version, document: { ...v1.document, tagline: 'Lost?' } },
    headers: { 'accept-language': 'en' },
  });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 'site_version_conflict');
  assert.equal(stale.body.currentVersion, v1.version + 1);
  assert.match(stale.body.message, /changed elsewhere/);
  const now = await sys.api(`/api/sites/${token}`);
  assert.equal(now.body.document.tagline, 'Escaliers et cuisines sur mesure');
  assert.equal(now.body.version, v1.version + 1);
});

test('pictures are typed by content: a PNG called .txt is a PNG; a text file called .png is refused', async () => {
  const logo = png(120, 40);
  const asTxt = await upload(logo, 'text/plain', '?kind=logo&filename=logo.txt');
  assert.equal(asTxt.status, 201, JSON.stringify(asTxt.body));
  assert.equal(asTxt.body.contentType, 'image/png');
  assert.equal(asTxt.body.kind, 'logo');
  assert.equal(asTxt.body.width, 120);
  assert.equal(asTxt.body.height, 40);
  assert.equal(asTxt.body.name, 'logo.txt');
  assert.equal(asTxt.body.url, `/api/sites/${token}/assets/${asTxt.body.id}`);

  const fake = await upload(Buffer.from('I am plain text, whatever my name says.'), 'image/png', '?filename=photo.png');
  assert.equal(fake.status, 422);
  assert.equal(fake.body.code, 'image_type_unsupported');
  assert.match(fake.body.message, /content is checked, not its name/);

  const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml');
  assert.equal(svg.body.code, 'image_type_unsupported');

  const huge = await upload(pngHeader(9000, 9000), 'image/png');
  assert.equal(huge.status, 422);
  assert.equal(huge.body.code, 'image_dimensions_too_large');

  const heavy = await upload(Buffer.concat([png(10, 10), Buffer.alloc(5_100_000)]), 'image/png');
  assert.equal(heavy.status, 413);
  assert.equal(heavy.body.code, 'image_too_large');
  assert.match(heavy.body.message, /5 MB at most/);

  // a header that passes but pixels that do not decode
  const cut = await phonePhoto(300, 200, { orientation: 1 });
  const corrupt = await upload(cut.subarray(0, cut.length / 2), 'image/jpeg');
  assert.equal(corrupt.status, 422);
  assert.equal(corrupt.body.code, 'image_corrupt');

  // the same bytes again are the same asset
  const again = await upload(logo, 'image/png', '?kind=logo');
  assert.equal(again.status, 200);
  assert.equal(again.body.id, asTxt.body.id);

  // served back as what it is, never as what it was called
  const res = await fetch(`${sys.url}${asTxt.body.url}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const served = Buffer.from(await res.arrayBuffer());
  const rows = await sys.db.selectFrom('site_assets').select(['content_type', 'bytes', 'original_size']).where('order_id', '=', orderId).execute();
  assert.deepEqual(
    rows.map((r) => [r.content_type, r.original_size]),
    [['image/png', logo.length]],
  );
  assert.ok(served.equals(rows[0]!.bytes));
  const meta = await sharp(served).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 120, 40]);
  assert.ok(served.length <= logo.length, 'never heavier than the upload');
});

test('the document refers to pictures by asset id: unknown ids are refused, known ones show in the preview', async () => {
  const { body: current } = await sys.api(`/api/sites/${token}`);
  const [logo] = current.assets;
  const unknown = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, pictures: [{ assetId: crypto.randomUUID() }] } },
    headers: { 'accept-language': 'en' },
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.code, 'asset_unknown');
  assert.equal(unknown.body.fields[0].field, 'document.pictures.0.assetId');

  const photo = await upload(png(64, 48, [0, 128, 0]), 'image/png', '?kind=picture');
  const saved = await sys.api(`/api/sites/${token}`, {
    method: 'PUT',
    body: { version: current.version, document: { ...current.document, logoAssetId: logo.id, pictures: [{ assetId: photo.body.id, alt: 'Notre atelier' }] } },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));

  const preview = await fetch(`${sys.url}/api/sites/${token}/preview`);
  assert.equal(preview.status, 200);
  assert.match(preview.headers.get('content-type')!, /text\/html/);
  assert.match(preview.headers.get('content-security-policy')!, /frame-ancestors 'self'/);
  const html = await preview.text();
  assert.ok(html.includes(`src="/api/sites/${token}/assets/${logo.id}"`));
  assert.ok(html.includes('alt="Notre atelier"'));
  assert.ok(html.includes('Escaliers et cuisines sur mesure'));

  // a live preview of unsaved text
  const live = await fetch(`${sys.url}/api/sites/${token}/preview`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document: { ...current.document, tagline: 'Pas encore enregistré' } }),
  });
  assert.match(await live.text(), /Pas encore enregistré/);

  // a picture the saved document uses cannot be deleted; once unused it can
  const inUse = await sys.api(`/api/sites/${token}/assets/${photo.body.id}`, { method: 'DELETE' });
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.code, 'asset_in_use');
  const spare = await upload(png(8, 8, [1, 2, 3]), 'image/png');
  assert.equal((await sys.api(`/api/sites/${token}/assets/${spare.body.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await sys.api(`/api/sites/${token}/assets/${spare.body.id}`)).status, 404);
});

test('a big photo is kept resized, recompressed and without its metadata, with narrower copies that go when it goes', async () => {
  const photo = await phonePhoto(3000, 2000);
  const up = await upload(photo, 'image/jpeg', '?kind=picture&filename=IMG_0001.jpg');
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.contentType, 'image/jpeg');
  // shot sideways (Exif orientation 6): stored upright, fitted inside 2000 px
  assert.deepEqual([up.body.width, up.body.height], [1333, 2000]);
  assert.equal(up.body.originalSize, photo.length);
  assert.ok(up.body.size < photo.length / 3, `${up.body.size} from ${photo.length}`);

  const served = Buffer.from(await (await fetch(`${sys.url}${up.body.url}`)).arrayBuffer());
  assert.equal(served.length, up.body.size);
  const meta = await sharp(served).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.exif, meta.xmp], ['jpeg', 1333, 2000, undefined, undefined]);
  for (const leak of METADATA_LEAKS) assert.ok(!served.toString('latin1').includes(leak), leak);

  const variants = () =>
    sys.db.selectFrom('site_asset_variants').select(['width', 'height', 'bytes']).where('asset_id', '=', up.body.id).orderBy('width').execute();
  const copies = await variants();
  assert.deepEqual(
    copies.map((v) => [v.width, v.height]),
    [
      [480, 720],
      [960, 1440],
    ],
  );
  for (const v of copies)
    assert.deepEqual(
      await sharp(v.bytes)
        .metadata()
        .then((m) => [m.format, m.width, m.height]),
      ['jpeg', v.width, v.height],
    );

  // the same photo again is the same asset: preparing it gives the same bytes
  const again = await upload(photo, 'image/jpeg', '?kind=picture');
  assert.equal(again.status, 200);
  assert.equal(again.body.id, up.body.id);

  assert.equal((await sys.api(`/api/sites/${token}/assets/${up.body.id}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual(await variants(), []);
});

test('publish before delivery: 409, the pipeline will deploy the saved document', async () => {
  const r = await sys.api(`/api/sites/${token}/publish`, { method: 'POST', headers: { 'accept-language': 'en' } });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'site_not_delivered');
  assert.match(r.body.message, /will go live with the content saved here/);
});

test('another order’s token never reaches this order’s pictures', async () => {
  const other = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Autre',
      email: 'autre@example.org',
      domain: `autre-${crypto.randomBytes(3).toString('hex')}.fr`,
      tier: 'standard',
      locale: 'fr',
    },
  });
  const { body: mine } = await sys.api(`/api/sites/${token}`);
  const stolen = await sys.api(`/api/sites/${other.body.trackingToken}/assets/${mine.assets[0].id}`);
  assert.equal(stolen.status, 404);
  const { body: theirs } = await sys.api(`/api/sites/${other.body.trackingToken}`);
  const put = await sys.api(`/api/sites/${other.body.trackingToken}`, {
    method: 'PUT',
    body: { version: theirs.version, document: { ...theirs.document, logoAssetId: mine.assets[0].id } },
  });
  assert.equal(put.status, 422);
  assert.equal(put.body.code, 'asset_unknown');
});

test('the OpenAPI document describes the site routes', async () => {
  const r = await sys.api('/docs/json');
  assert.equal(r.status, 200);
  for (const path of ['/api/sites/{token}', '/api/sites/{token}/assets', '/api/sites/{token}/publish', '/api/concierge/status/{token}/archive']) {
    assert.ok(path in r.body.paths, path);
  }
  assert.ok(r.body.paths['/api/sites/{token}'].put.requestBody, 'the PUT body schema is documented');
});
