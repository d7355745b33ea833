// The editor's content: pictures through the renderer's images hook (hashed files under /assets/, narrower copies in srcset, deterministic), and each bad field's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSiteDocument } from '../../src/site/document.ts';
import { renderSite, type SiteImages } from '../../src/site/render.ts';
import { siteContentSchema } from '../../src/site/store.ts';
import { fieldProblem } from '../../src/http/field-problems.ts';
import { png } from '../support/images.ts';

const DOMAIN = 'atelier-bois.fr';
const doc = defaultSiteDocument({ businessName: 'Atelier Bois', city: 'Nantes', email: 'contact@atelier-bois.fr', locale: 'fr', domain: DOMAIN });
const logoBytes = png(120, 40);
const photoBytes = png(64, 48, [10, 120, 200]);
const images: SiteImages = {
  logo: { path: '/assets/logo-0123456789abcdef.png', content: logoBytes, width: 120, height: 40 },
  pictures: [{ path: '/assets/picture-fedcba9876543210.png', content: photoBytes, width: 64, height: 48, alt: 'Notre atelier <b>"vu"</b>' }],
};

test('without images, every file is what it was: the hook adds nothing', () => {
  const plain = renderSite(doc, { domain: DOMAIN });
  for (const opts of [{ images: undefined }, { images: {} }, { images: { pictures: [] } }]) {
    const same = renderSite(doc, { domain: DOMAIN, ...opts });
    assert.deepEqual([...same.keys()], [...plain.keys()]);
    for (const [p, bytes] of plain) assert.ok(same.get(p)!.equals(bytes), p);
  }
  assert.doesNotMatch(plain.get('/index.html')!.toString(), /<img|og:image|gallery/);
});

test('pictures become files under /assets/ with their hash in the name, shown with their size, escaped alt and og:image', () => {
  const files = renderSite(doc, { domain: DOMAIN, images });
  assert.ok(files.get('/assets/logo-0123456789abcdef.png')!.equals(logoBytes));
  assert.ok(files.get('/assets/picture-fedcba9876543210.png')!.equals(photoBytes));
  const html = files.get('/index.html')!.toString();
  assert.match(
    html,
    /<a class="brand" href="#top"><img class="logo" src="\/assets\/logo-0123456789abcdef.png" alt="" width="120" height="40" decoding="async">/,
  );
  assert.match(html, /<section class="section[^"]*" id="gallery"/);
  assert.match(
    html,
    /<img class="photo" src="\/assets\/picture-fedcba9876543210.png" alt="Notre atelier &lt;b&gt;&quot;vu&quot;&lt;\/b&gt;" width="64" height="48" loading="lazy" decoding="async">/,
  );
  assert.match(html, /<meta property="og:image" content="https:\/\/atelier-bois.fr\/assets\/picture-fedcba9876543210.png">/);
  // the gallery comes before the contact section
  assert.ok(html.indexOf('id="gallery"') < html.indexOf('id="contact"'));
  assert.match(files.get('/404.html')!.toString(), /<img class="logo" src="\/assets\/logo-0123456789abcdef.png"/);
  // deterministic: same input, same bytes
  const again = renderSite(doc, { domain: DOMAIN, images });
  for (const [p, bytes] of files) assert.ok(again.get(p)!.equals(bytes), p);
});

test("a picture with narrower copies gets srcset and the gallery's sizes, and every file the pages name is deployed", () => {
  const copies = (w: number) => Buffer.from(`jpeg bytes ${w}`);
  const withCopies: SiteImages = {
    logo: images.logo,
    pictures: [
      {
        path: '/assets/picture-00112233aabbccdd.jpg',
        content: copies(2000),
        width: 2000,
        height: 1333,
        alt: 'La vitrine',
        variants: [
          { path: '/assets/picture-00112233aabbccdd-480.jpg', width: 480, content: copies(480) },
          { path: '/assets/picture-00112233aabbccdd-960.jpg', width: 960, content: copies(960) },
        ],
      },
      images.pictures![0]!,
    ],
  };
  const files = renderSite(doc, { domain: DOMAIN, images: withCopies });
  const html = files.get('/index.html')!.toString();
  assert.ok(
    html.includes(
      '<img class="photo" src="/assets/picture-00112233aabbccdd.jpg" srcset="/assets/picture-00112233aabbccdd-480.jpg 480w, /assets/picture-00112233aabbccdd-960.jpg 960w, /assets/picture-00112233aabbccdd.jpg 2000w" sizes="(max-width: 600px) 100vw, (max-width: 900px) 50vw, 340px" alt="La vitrine" width="2000" height="1333" loading="lazy" decoding="async">',
    ),
  );
  // a picture without copies keeps its plain tag; the logo has none
  assert.match(html, /<img class="photo" src="\/assets\/picture-fedcba9876543210.png" alt="[^"]*" width="64" height="48" loading="lazy"/);
  assert.doesNotMatch(html, /class="logo"[^>]*srcset/);
  assert.ok(files.get('/assets/picture-00112233aabbccdd-960.jpg')!.equals(copies(960)));
  for (const page of ['/index.html', '/404.html']) {
    const body = files.get(page)!.toString();
    const named = [...body.matchAll(/(?:src|srcset|content)="([^"]*\/assets\/[^"]*)"/g)].flatMap((m) =>
      m[1]!.split(', ').map((c) => c.split(' ')[0]!.replace(`https://${DOMAIN}`, '')),
    );
    assert.ok(named.length > 0);
    for (const path of named) assert.ok(files.has(path), `${page} names ${path}`);
  }
  assert.equal([...files.keys()].filter((p) => p.startsWith('/assets/')).length, 5, 'logo, two pictures, two copies');

  // a copy must be narrower than its picture, and stay under /assets/
  const bad = (variant: { path: string; width: number }) => ({ pictures: [{ ...withCopies.pictures![0]!, variants: [variant] }] });
  assert.throws(() => renderSite(doc, { domain: DOMAIN, images: bad({ path: '/assets/p-2000.jpg', width: 2000 }) }), RangeError);
  assert.throws(() => renderSite(doc, { domain: DOMAIN, images: bad({ path: '/index.html', width: 480 }) }), RangeError);
});

test('the preview loads pictures from elsewhere (src) and carries no bytes', () => {
  const files = renderSite(doc, {
    domain: DOMAIN,
    images: { logo: { path: '/assets/logo-0123456789abcdef.png', width: 120, height: 40, src: '/api/sites/tok/assets/1b4e28ba-2fa1-11d2-883f-0016d3cca427' } },
  });
  assert.ok(!files.has('/assets/logo-0123456789abcdef.png'));
  assert.match(files.get('/index.html')!.toString(), /src="\/api\/sites\/tok\/assets\/1b4e28ba-2fa1-11d2-883f-0016d3cca427"/);
  // the copies are not served by the editor's API: the preview offers the one picture
  const preview = renderSite(doc, {
    domain: DOMAIN,
    images: {
      pictures: [
        {
          path: '/assets/picture-00112233aabbccdd.jpg',
          width: 2000,
          height: 1333,
          src: '/api/sites/tok/assets/x',
          variants: [{ path: '/assets/picture-00112233aabbccdd-480.jpg', width: 480 }],
        },
      ],
    },
  });
  assert.doesNotMatch(preview.get('/index.html')!.toString(), /srcset/);
});

test('an image path that could leave /assets/, or a script URL as src, is refused', () => {
  for (const bad of [
    { path: '/assets/../index.html', width: 1, height: 1 },
    { path: '/index.html', width: 1, height: 1 },
    { path: '/assets/x.svg', width: 1, height: 1 },
    { path: '/assets/x.png', width: 1, height: 1, src: 'javascript:alert(1)' },
    { path: '/assets/x.png', width: 0, height: 1 },
  ]) {
    assert.throws(() => renderSite(doc, { domain: DOMAIN, images: { logo: bad } }), RangeError, JSON.stringify(bad));
  }
});

test('each bad field gets its own code, in French and in English', () => {
  const body = {
    version: 1,
    document: {
      ...doc,
      businessName: '',
      tagline: 'x'.repeat(161),
      colors: { primary: 'red', accent: '#ffffff' },
      openingHours: [
        { day: 'mon', opens: '9h', closes: '18:00' },
        { day: 'tue', opens: '09:00', closes: '09:00' },
      ],
      mapUrl: 'javascript:alert(1)',
      contact: { email: 'not-an-email', phone: 'call me' },
      template: 'blog',
      pictures: [{ assetId: 'nope' }],
      services: [{ name: 'Pose', priceCents: -5 }],
    },
  };
  const parsed = siteContentSchema.safeParse(body.document);
  assert.equal(parsed.success, false);
  const problems = (locale: 'fr' | 'en') =>
    Object.fromEntries(
      parsed.error!.issues.map((i) => {
        const p = fieldProblem({ ...i, path: ['document', ...i.path] }, body, locale);
        return [p.field, p];
      }),
    );
  const fr = problems('fr');
  const en = problems('en');
  const codes = Object.fromEntries(Object.entries(en).map(([f, p]) => [f, p.code]));
  assert.deepEqual(codes, {
    'document.businessName': 'field_required',
    'document.tagline': 'field_too_long',
    'document.colors.primary': 'color_invalid',
    'document.openingHours.0.opens': 'time_invalid',
    'document.openingHours.1.closes': 'hours_same',
    'document.mapUrl': 'url_invalid',
    'document.contact.email': 'email_invalid',
    'document.contact.phone': 'phone_invalid',
    'document.template': 'value_not_allowed',
    'document.pictures.0.assetId': 'asset_unknown',
    'document.services.0.priceCents': 'number_out_of_range',
  });
  assert.equal(en['document.tagline']!.message, 'This text is too long: 160 characters at most.');
  assert.equal(fr['document.tagline']!.message, 'Ce texte est trop long : 160 caractères au plus.');
  assert.deepEqual(en['document.tagline']!.params, { max: 160 });
  assert.match(fr['document.template']!.message, /vitrine, restaurant, artisan/);
  assert.match(fr['document.colors.primary']!.message, /#rrggbb/);
  // a missing field is "required", not "invalid"
  const missing = siteContentSchema.safeParse({ ...doc, colors: undefined });
  const p = fieldProblem({ ...missing.error!.issues[0]!, path: ['document', 'colors'] }, { document: { ...doc, colors: undefined } }, 'en');
  assert.equal(p.code, 'field_required');
});
