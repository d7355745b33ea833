// The customer's site files: complete for every template, self-contained, escaped, deterministic, in French and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SITE_TEMPLATES, defaultSiteDocument, siteDocumentSchema, templateForBusiness, type SiteDocument, type SiteTemplate } from '../../src/site/document.ts';
import { HtmlValidate } from 'html-validate';
import { LEGAL_PATHS, contrastRatio, renderSite, siteMarker, textColorOn } from '../../src/site/render.ts';

const DOMAIN = 'boulangerie-dupont.fr';
const SITE_URL = `https://${DOMAIN}/`;
const MAP_URL = 'https://www.openstreetmap.org/search?query=12%20rue%20de%20Paris%20Le%20Havre';

function fullDocument(template: SiteTemplate, locale: 'fr' | 'en'): SiteDocument {
  return {
    template,
    locale,
    businessName: 'Boulangerie Dupont',
    tagline: locale === 'fr' ? 'Pain au levain et viennoiseries maison' : 'Sourdough bread and home-made pastries',
    about: locale === 'fr' ? 'Depuis 1987, nous pétrissons chaque matin.\n\nVenez nous voir !' : 'Baking every morning since 1987.\n\nCome and see us!',
    city: 'Le Havre',
    services: [
      { name: 'Baguette tradition', description: 'Levain naturel', priceCents: 130 },
      { name: 'Tarte aux fraises', priceCents: 2450 },
      { name: 'Gâteau du dimanche', priceCents: 1200 },
      { name: 'Pièce montée', description: 'Sur commande' },
    ],
    openingHours: [
      ...(['tue', 'wed', 'thu', 'fri'] as const).flatMap((day) => [
        { day, opens: '07:00', closes: '13:00' },
        { day, opens: '15:30', closes: '19:30' },
      ]),
      { day: 'sat', opens: '07:00', closes: '19:30' },
    ],
    contact: { email: 'contact@boulangerie-dupont.fr', phone: '+33 2 35 12 34 56', address: '12 rue de Paris\n76600 Le Havre' },
    mapUrl: MAP_URL,
    colors: { primary: '#6b2737', accent: '#d9a441' },
  };
}

const indexOf = (doc: SiteDocument, domain = DOMAIN) => renderSite(doc, { domain }).get('/index.html')!.toString('utf8');

/** What renderSite writes, in order: the legal page's name follows the site's language; favicon.svg only without a logo. */
const siteFiles = (locale: 'fr' | 'en') => [
  '/index.html',
  '/404.html',
  LEGAL_PATHS[locale],
  '/robots.txt',
  '/sitemap.xml',
  '/favicon.svg',
  '/site.webmanifest',
  '/_headers',
];
const pagesOf = (locale: 'fr' | 'en') => ['/index.html', '/404.html', LEGAL_PATHS[locale]];

// ---------- a small HTML checker: enough to catch broken nesting and anything injected ----------

const VOID_TAGS = new Set(['meta', 'link', 'br', 'img', 'input', 'hr', 'source', 'area', 'base', 'col', 'embed', 'track', 'wbr']);
/** every element our renderer writes; an injected one (img, iframe, script with src...) fails the check */
const KNOWN_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'link',
  'style',
  'script',
  'body',
  'a',
  'header',
  'nav',
  'main',
  'section',
  'div',
  'span',
  'p',
  'h1',
  'h2',
  'h3',
  'aside',
  'table',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'footer',
  'br',
  'svg',
  'path',
  'circle',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
]);

interface Tag {
  name: string;
  attrs: [string, string][];
}

/** Walks the document, asserting balanced, known tags and no stray `<` or `>`; returns every start tag. */
function parseHtml(html: string): Tag[] {
  assert.match(html, /^<!doctype html>\n<html lang="(fr|en)">/);
  const tags: Tag[] = [];
  const stack: string[] = [];
  const tagRe = /<!--[\s\S]*?-->|<!doctype html>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(html))) {
    const text = html.slice(last, m.index);
    assert.ok(!/[<>]/.test(text), `stray angle bracket in text: ${JSON.stringify(text.slice(0, 80))}`);
    last = tagRe.lastIndex;
    if (!m[2]) continue;
    const [, closing, rawName, rawAttrs, selfClosing] = m;
    const name = rawName.toLowerCase();
    assert.ok(KNOWN_TAGS.has(name), `unexpected element <${name}>`);
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      continue;
    }
    const attrs = [...rawAttrs.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)].map((a) => [a[1].toLowerCase(), a[2] ?? ''] as [string, string]);
    tags.push({ name, attrs });
    if (VOID_TAGS.has(name) || selfClosing) continue;
    if (name === 'style' || name === 'script') {
      // Raw text: nothing inside may close it early.
      const end = html.indexOf(`</${name}>`, last);
      assert.ok(end > 0, `<${name}> is never closed`);
      const body = html.slice(last, end);
      assert.ok(!body.includes('<'), `<${name}> holds a "<"`);
      tagRe.lastIndex = last = end + `</${name}>`.length;
      continue;
    }
    stack.push(name);
  }
  assert.ok(!/[<>]/.test(html.slice(last)), 'stray angle bracket at the end');
  assert.deepEqual(stack, [], 'unclosed elements');
  return tags;
}

const attr = (tag: Tag, name: string) => tag.attrs.find(([n]) => n === name)?.[1];
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every URL the page points at, with where it was found. */
function urlsIn(tags: Tag[]): { where: string; url: string }[] {
  const out: { where: string; url: string }[] = [];
  for (const t of tags) {
    for (const [name, value] of t.attrs) {
      if (['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'xlink:href'].includes(name))
        out.push({ where: `${t.name}[${name}]`, url: decode(value) });
    }
    if (t.name === 'meta' && attr(t, 'property')?.startsWith('og:') && /^[a-z]+:/i.test(attr(t, 'content') ?? '')) {
      out.push({ where: `meta[${attr(t, 'property')}]`, url: decode(attr(t, 'content')!) });
    }
  }
  return out;
}

function assertOnlyOwnOrUserLinks(html: string, userLinks: string[]): void {
  const tags = parseHtml(html);
  for (const { where, url } of urlsIn(tags)) {
    const trimmed = url.trim().toLowerCase();
    assert.ok(!trimmed.startsWith('//'), `${where}: protocol-relative URL ${url}`);
    if (!/^[a-z][a-z0-9+.-]*:/.test(trimmed)) continue; // "/favicon.svg", "#contact": same site
    if (trimmed.startsWith('mailto:') || trimmed.startsWith('tel:')) continue;
    if (userLinks.includes(url)) {
      assert.equal(where, 'a[href]', `a user link may only be a link, not a resource: ${where}`);
      continue;
    }
    assert.ok(/^https:\/\//.test(url) && new URL(url).host === DOMAIN, `${where} points elsewhere: ${url}`);
  }
  for (const t of tags) {
    if (t.name === 'script') assert.equal(attr(t, 'type'), 'application/ld+json', 'only structured data, no executable script');
    if (t.name === 'link')
      assert.ok(['icon', 'apple-touch-icon', 'manifest', 'canonical'].includes(attr(t, 'rel') ?? ''), `unexpected <link rel="${attr(t, 'rel')}">`);
    for (const [name] of t.attrs) assert.ok(!name.startsWith('on'), `event handler attribute ${name} on <${t.name}>`);
  }
  assert.ok(!/@import|url\(/i.test(html), 'no style sheet pulls anything in');
}

// ---------- tests ----------

test('every template renders every file, in both languages', () => {
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const files = renderSite(fullDocument(template, locale), { domain: DOMAIN });
      assert.deepEqual([...files.keys()], siteFiles(locale));
      for (const [path, body] of files) {
        assert.ok(Buffer.isBuffer(body) && body.length > 0, `${template}/${locale}: ${path} is empty`);
        assert.ok(!body.toString('utf8').includes('\uFFFD'), `${path} is valid UTF-8`);
        assert.ok(!/\b(undefined|null|NaN)\b|\[object /.test(body.toString('utf8')), `${template}/${locale}: ${path} leaks a missing value`);
      }
      const html = files.get('/index.html')!.toString('utf8');
      for (const page of pagesOf(locale)) parseHtml(files.get(page)!.toString('utf8'));
      assert.equal((html.match(/<h1[ >]/g) ?? []).length, 1, 'one h1');
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(ids).size, ids.length, `${template}/${locale}: duplicate ids`);
      for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) assert.ok(ids.includes(target), `${template}/${locale}: #${target} goes nowhere`);
    }
  }
});

test('a document with nothing but a name still renders a complete page, without empty sections', () => {
  for (const template of SITE_TEMPLATES) {
    const doc: SiteDocument = { template, locale: 'en', businessName: 'Atelier Nord', contact: {}, colors: { primary: '#0f766e', accent: '#f59e0b' } };
    assert.ok(siteDocumentSchema.safeParse(doc).success);
    const files = renderSite(doc, { domain: DOMAIN });
    assert.deepEqual([...files.keys()], siteFiles('en'));
    const html = files.get('/index.html')!.toString('utf8');
    assertOnlyOwnOrUserLinks(html, []);
    assert.ok(!/\b(undefined|null|NaN)\b/.test(html));
    for (const id of ['about', 'services', 'hours', 'contact']) assert.ok(!html.includes(`id="${id}"`), `${template}: empty ${id} section`);
    assert.ok(!/href="#/.test(html.replace('href="#main"', '').replace('href="#top"', '')), `${template}: a link to a section that is not there`);
    assert.match(html, /<h1>Atelier Nord<\/h1>/);
    assert.match(html, /<meta name="description" content="Atelier Nord">/);
  }
});

test('index.html carries lang, title, description, Open Graph, canonical, generator and the marker', () => {
  for (const template of SITE_TEMPLATES) {
    const html = indexOf(fullDocument(template, 'fr'));
    const tags = parseHtml(html);
    const meta = (key: string, value: string) => tags.find((t) => t.name === 'meta' && attr(t, key) === value);
    const content = (key: string, value: string) => decode(attr(meta(key, value) ?? { name: '', attrs: [] }, 'content') ?? '');

    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<title>Boulangerie Dupont – Le Havre<\/title>/);
    assert.equal(content('name', 'viewport'), 'width=device-width, initial-scale=1');
    assert.match(content('name', 'description'), /^Pain au levain et viennoiseries maison\. Depuis 1987/);
    assert.ok(content('name', 'description').length <= 160);
    assert.equal(content('property', 'og:title'), 'Boulangerie Dupont');
    assert.equal(content('property', 'og:description'), content('name', 'description'));
    assert.equal(content('property', 'og:url'), SITE_URL);
    assert.equal(content('property', 'og:type'), 'website');
    assert.equal(content('property', 'og:locale'), 'fr_FR');
    assert.equal(content('name', 'generator'), 'Conciergerie');
    assert.ok(tags.some((t) => t.name === 'link' && attr(t, 'rel') === 'canonical' && attr(t, 'href') === SITE_URL));
    assert.ok(tags.some((t) => t.name === 'link' && attr(t, 'rel') === 'icon' && attr(t, 'href') === '/favicon.svg'));
    assert.ok(html.includes(`<!-- ${siteMarker(DOMAIN)} -->`));
  }
  assert.equal(siteMarker(DOMAIN), `conciergerie-site:${DOMAIN}`);
  // The verifier may hold either form of an internationalised name; both give the same marker.
  assert.equal(siteMarker('Café.FR'), siteMarker('xn--caf-dma.fr'));
  assert.equal(siteMarker('café.fr.'), 'conciergerie-site:xn--caf-dma.fr');
  assert.ok(indexOf(fullDocument('vitrine', 'fr'), 'café.fr').includes('<link rel="canonical" href="https://xn--caf-dma.fr/">'));
  assert.equal(content404Robots(), 'noindex');
});

function content404Robots(): string | undefined {
  const html = renderSite(fullDocument('vitrine', 'en'), { domain: DOMAIN }).get('/404.html')!.toString('utf8');
  return /<meta name="robots" content="([^"]*)">/.exec(html)?.[1];
}

test('index.html requests nothing from other hosts: links go to the site itself or to what the customer gave', () => {
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const files = renderSite(fullDocument(template, locale), { domain: DOMAIN });
      assertOnlyOwnOrUserLinks(files.get('/index.html')!.toString('utf8'), [MAP_URL]);
      assertOnlyOwnOrUserLinks(files.get('/404.html')!.toString('utf8'), []);
      // the legal page names the host, as the law asks: a link, not a request
      assertOnlyOwnOrUserLinks(files.get(LEGAL_PATHS[locale])!.toString('utf8'), ['https://www.netlify.com']);
    }
  }
  const html = indexOf(fullDocument('restaurant', 'fr'));
  assert.ok(html.includes('href="mailto:contact@boulangerie-dupont.fr"'));
  assert.ok(html.includes('href="tel:+33235123456"'));
  assert.ok(html.includes(`href="${MAP_URL}" target="_blank" rel="noopener noreferrer"`));
});

test('injected markup and script URLs come out escaped or dropped, in every file', () => {
  const payload = `<script>alert(1)</script>"><img src=x onerror=alert(2)>'javascript:alert(3)`;
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const doc = {
        template,
        locale,
        businessName: payload,
        tagline: payload,
        about: `${payload}\n\n${payload}`,
        city: payload,
        services: [
          { name: payload, description: payload, priceCents: 100 },
          { name: payload, description: payload },
        ],
        openingHours: [
          { day: 'mon', opens: '09:00', closes: '18:00' },
          { day: payload, opens: payload, closes: payload },
        ],
        contact: { email: `x@y.fr"><script>alert(4)</script>`, phone: payload, address: payload },
        mapUrl: 'javascript:alert(5)',
        colors: { primary: 'red;}</style><script>alert(6)</script>', accent: 'url(https://evil.example/x.png)' },
      } as unknown as SiteDocument;
      const files = renderSite(doc, { domain: DOMAIN });
      for (const path of pagesOf(locale)) {
        const html = files.get(path)!.toString('utf8');
        assertOnlyOwnOrUserLinks(html, ['https://www.netlify.com']); // also fails on any <img>, stray "<" or on* attribute
        assert.ok(!/<script>alert/i.test(html));
        assert.ok(!/(href|src)="\s*javascript:/i.test(html), `${template}/${path}: javascript: URL kept`);
        assert.ok(!html.includes('evil.example'), 'a colour is a colour, not a URL');
        assert.equal(html.split('</style>').length, 2, 'the style sheet closes once');
      }
      const html = files.get('/index.html')!.toString('utf8');
      // The text survives, as text.
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;javascript:alert(3)'));
      const ld = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
      assert.ok(ld, 'structured data present and free of "<"');
      assert.equal(JSON.parse(ld[1]).name, payload, 'structured data still says the right thing');
      assert.ok(!/alert\(4\)/.test(html) && !/alert\(5\)/.test(html) && !/alert\(6\)/.test(html), 'bad email, map URL and colours are dropped');

      const manifest = JSON.parse(files.get('/site.webmanifest')!.toString('utf8'));
      assert.equal(manifest.name, payload);
      const svg = files.get('/favicon.svg')!.toString('utf8');
      assert.ok(!/<script|<img/i.test(svg));
      assert.match(svg, /fill="#[0-9a-f]{6}"/);
      for (const path of ['/robots.txt', '/sitemap.xml']) assert.ok(!files.get(path)!.toString('utf8').includes('alert'));
    }
  }
});

test('a domain that is not a plain hostname is refused, not written into URLs', () => {
  for (const domain of ['evil.example/"><script>', 'a b.fr', '', 'javascript:alert(1)', 'evil.example:8080', 'a_b.fr', '-a.fr', 'x..fr']) {
    assert.throws(() => renderSite(fullDocument('vitrine', 'fr'), { domain }), RangeError, domain);
    assert.throws(() => siteMarker(domain), RangeError, domain);
  }
});

test('rendering is byte-identical every time; only generatedAt adds a date, and only to the sitemap', () => {
  for (const template of SITE_TEMPLATES) {
    const a = renderSite(fullDocument(template, 'fr'), { domain: DOMAIN });
    const b = renderSite(structuredClone(fullDocument(template, 'fr')), { domain: DOMAIN });
    for (const [path, body] of a) {
      assert.ok(body.equals(b.get(path)!), `${template}: ${path} differs between two renders`);
      assert.ok(!/\d{4}-\d{2}-\d{2}T/.test(body.toString('utf8')), `${template}: ${path} carries a timestamp`);
    }
    const dated = renderSite(fullDocument(template, 'fr'), { domain: DOMAIN, generatedAt: new Date('2025-06-03T12:34:56.789Z') });
    for (const [path, body] of dated) {
      if (path === '/sitemap.xml') assert.match(body.toString('utf8'), /<lastmod>2025-06-03T12:34:56Z<\/lastmod>/);
      else assert.ok(body.equals(a.get(path)!), `${path} changed with generatedAt`);
    }
  }
  // A change to the document changes the page, not the files that do not depend on it.
  const before = renderSite(fullDocument('artisan', 'fr'), { domain: DOMAIN });
  const after = renderSite({ ...fullDocument('artisan', 'fr'), about: 'Autre texte' }, { domain: DOMAIN });
  assert.ok(!before.get('/index.html')!.equals(after.get('/index.html')!));
  for (const path of ['/robots.txt', '/sitemap.xml', '/favicon.svg']) assert.ok(before.get(path)!.equals(after.get(path)!), path);
});

test('sitemap.xml and robots.txt are valid and point at https://domain/', () => {
  const files = renderSite(fullDocument('vitrine', 'fr'), { domain: DOMAIN });
  const sitemap = files.get('/sitemap.xml')!.toString('utf8');
  assert.equal(
    sitemap,
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url>\n    <loc>${SITE_URL}</loc>\n  </url>\n  <url>\n    <loc>${SITE_URL}mentions-legales.html</loc>\n  </url>\n</urlset>\n`,
  );
  const robots = files.get('/robots.txt')!.toString('utf8');
  const lines = robots.trimEnd().split('\n');
  assert.equal(lines[0], 'User-agent: *');
  assert.ok(lines.includes('Allow: /'));
  assert.ok(lines.includes(`Sitemap: ${SITE_URL}sitemap.xml`));
  for (const l of lines) assert.match(l, /^$|^(User-agent|Allow|Disallow|Sitemap): \S+$/);

  const manifest = JSON.parse(files.get('/site.webmanifest')!.toString('utf8'));
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.lang, 'fr');
  assert.deepEqual(manifest.icons, [
    { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    { src: '/apple-touch-icon.png', sizes: '180x180', type: 'image/png', purpose: 'any' },
  ]);
  const svg = files.get('/favicon.svg')!.toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64">/);
  assert.match(svg, />BD<\/text>/);
});

test('French and English pages speak their language, with prices and hours in local formats', () => {
  const fr = indexOf(fullDocument('restaurant', 'fr'));
  assert.match(fr, /<html lang="fr">/);
  for (const s of ['Horaires d’ouverture', 'Fermé', 'Mardi – Vendredi', '7h – 13h', '15h30 – 19h30', 'Notre carte', 'Nous trouver', 'Voir sur la carte']) {
    assert.ok(fr.includes(s), `fr: ${s}`);
  }
  assert.match(fr, /1,30\s€/u);
  assert.match(fr, /24,50\s€/u);
  assert.match(fr, /12\s€/u);
  assert.ok(fr.includes('Venez nous voir\u202f!'), 'French punctuation keeps its no-break space');

  const en = indexOf(fullDocument('restaurant', 'en'));
  assert.match(en, /<html lang="en">/);
  assert.match(en, /property="og:locale" content="en_GB"/);
  for (const s of ['Opening hours', 'Closed', 'Tuesday – Friday', '7:00 – 13:00', 'Our menu', 'Find us', 'View on map', '€1.30', '€24.50', '€12<']) {
    assert.ok(en.includes(s), `en: ${s}`);
  }
  assert.ok(!/Fermé|Horaires|Voir la carte/.test(en));
  assert.ok(indexOf(fullDocument('artisan', 'fr')).includes('Sur devis'), 'an unpriced craftsman service is on quote');
  assert.ok(indexOf(fullDocument('artisan', 'en')).includes('On quote'));
  assert.ok(!indexOf(fullDocument('vitrine', 'fr')).includes('Sur devis'), 'a shop simply shows no price');
});

test('the three templates arrange the same content differently', () => {
  const order = (html: string, ids: string[]) => ids.map((id) => html.indexOf(`id="${id}"`));
  const [vitrine, restaurant, artisan] = SITE_TEMPLATES.map((t) => indexOf(fullDocument(t, 'fr')));
  // vitrine: about, services, contact; hours with the contact details
  const [va, vs, vc, vh] = order(vitrine, ['about', 'services', 'contact', 'hours']);
  assert.ok(va < vs && vs < vc && vc < vh);
  assert.match(vitrine, /<ul class="cards">/);
  // restaurant: opening hours beside the name, then the menu
  const [rh, rs, ra] = order(restaurant, ['hours', 'services', 'about']);
  assert.ok(rh < rs && rs < ra);
  assert.match(restaurant, /<aside class="hero-card" id="hours"/);
  assert.match(restaurant, /<ul class="menu">/);
  // artisan: a quote request beside the name, services first, a call to action after them
  const [as, aa] = order(artisan, ['services', 'about']);
  assert.ok(as < aa);
  assert.ok(artisan.indexOf('subject=Demande%20de%20devis') < as, 'quote request in the hero');
  assert.match(artisan, /<span class="num" aria-hidden="true">01<\/span>/);
  assert.match(artisan, /<div class="band">/);
});

test('text over the brand colour is white or near-black, whichever contrasts more', () => {
  assert.equal(textColorOn('#1f3a5f'), '#ffffff');
  assert.equal(textColorOn('#000000'), '#ffffff');
  assert.notEqual(textColorOn('#ffeb3b'), '#ffffff');
  assert.notEqual(textColorOn('#ffffff'), '#ffffff');
  for (const bg of ['#1f3a5f', '#ffeb3b', '#6b2737', '#f29e38', '#808080', '#00ff00']) {
    assert.ok(contrastRatio(textColorOn(bg), bg) >= 4.5, bg);
  }
  const light = indexOf({ ...fullDocument('vitrine', 'fr'), colors: { primary: '#ffeb3b', accent: '#fff59d' } });
  const v = (name: string) => new RegExp(`--${name}:(#[0-9a-f]{6})`).exec(light)![1];
  assert.equal(v('on-primary'), textColorOn('#ffeb3b'));
  // a pale brand colour used as text on the page is darkened until it reads
  assert.ok(contrastRatio(v('primary-ink'), v('bg')) >= 4.5);
  assert.ok(contrastRatio(v('accent-ink'), v('bg')) >= 4.5);
});

test('the template is guessed from the business name', () => {
  const cases: [string, SiteTemplate][] = [
    ['Boulangerie Dupont', 'restaurant'],
    ['Le Petit Bistrot', 'restaurant'],
    ['Café de la Gare', 'restaurant'],
    ['Restaurant Chez Paul', 'restaurant'],
    ['Plombier Martin', 'artisan'],
    ['Électricien Services 69', 'artisan'],
    ['Menuiserie Girard', 'artisan'],
    ["L'Atelier du Bois", 'artisan'],
    ['Artisan Peintre Roux', 'artisan'],
    ['Studio Yoga Zen', 'vitrine'],
    ['Cabinet Lefèvre', 'vitrine'],
  ];
  for (const [name, template] of cases) assert.equal(templateForBusiness(name), template, name);
});

test('the default document is valid, written in the order language from the name and city', () => {
  const fr = defaultSiteDocument({ businessName: '  Boulangerie   Dupont ', city: 'Le Havre', email: 'contact@dupont.fr', locale: 'fr', domain: DOMAIN });
  assert.equal(siteDocumentSchema.parse(fr).businessName, 'Boulangerie Dupont');
  assert.equal(fr.template, 'restaurant');
  assert.equal(fr.locale, 'fr');
  assert.equal(fr.city, 'Le Havre');
  assert.ok(fr.tagline?.includes('au Havre'), fr.tagline);
  assert.ok(fr.about?.includes('Boulangerie Dupont') && fr.about.includes('au Havre'), fr.about);
  assert.equal(fr.contact.email, 'contact@dupont.fr');
  assert.match(fr.colors.primary, /^#[0-9a-f]{6}$/);

  const en = defaultSiteDocument({ businessName: 'Martin Plumbing', city: null, email: 'hi@martin.co.uk', locale: 'en', domain: 'martin.co.uk' });
  siteDocumentSchema.parse(en);
  assert.equal(en.template, 'artisan');
  assert.equal(en.city, undefined);
  assert.ok(en.about?.includes('Martin Plumbing'));
  assert.ok(!/undefined|null|\bà\b|devis/.test(`${en.tagline} ${en.about}`), `${en.tagline} ${en.about}`);

  const shop = defaultSiteDocument({ businessName: 'Fleurs & Co', city: 'Lyon', email: 'a@b.fr', locale: 'fr', domain: 'fleurs.fr' });
  assert.equal(shop.template, 'vitrine');
  assert.ok(shop.tagline?.includes('à Lyon'));

  // It renders as it is, before anyone has edited it.
  for (const doc of [fr, en, shop]) {
    const files = renderSite(doc, { domain: DOMAIN });
    const html = files.get('/index.html')!.toString('utf8');
    assertOnlyOwnOrUserLinks(html, []);
    assert.ok(html.includes(doc.tagline!));
  }
});

test('the schema is what the editor will validate against', () => {
  const ok = fullDocument('artisan', 'fr');
  assert.ok(siteDocumentSchema.safeParse(ok).success);
  const bad = (patch: Record<string, unknown>) => siteDocumentSchema.safeParse({ ...ok, ...patch }).success;
  assert.equal(bad({ template: 'blog' }), false);
  assert.equal(bad({ locale: 'de' }), false);
  assert.equal(bad({ businessName: '   ' }), false);
  assert.equal(bad({ mapUrl: 'javascript:alert(1)' }), false);
  assert.equal(bad({ mapUrl: 'ftp://example.com/map' }), false);
  assert.equal(bad({ colors: { primary: 'red', accent: '#ffffff' } }), false);
  assert.equal(bad({ colors: { primary: '#fff', accent: '#ffffff' } }), false);
  assert.equal(bad({ openingHours: [{ day: 'mon', opens: '9:00', closes: '18:00' }] }), false);
  assert.equal(bad({ openingHours: [{ day: 'lun', opens: '09:00', closes: '18:00' }] }), false);
  assert.equal(bad({ openingHours: [{ day: 'fri', opens: '18:00', closes: '02:00' }] }), true, 'open past midnight');
  assert.equal(bad({ openingHours: [{ day: 'fri', opens: '18:00', closes: '24:00' }] }), true);
  assert.equal(bad({ services: [{ name: 'Pose', priceCents: 12.5 }] }), false);
  assert.equal(bad({ contact: { email: 'not-an-email' } }), false);
  assert.equal(bad({ contact: { phone: '<script>' } }), false);
  assert.equal(bad({ tagline: 'line\u0000break' }), false);
  assert.equal(bad({ about: 'two\n\nparagraphs' }), true);
});

// ---------- html-validate: every page of every template, in both languages ----------

/**
 * html-validate's recommended rules, less one matter of taste: the spec writes the doctype in any case,
 * and ours is lowercase like the rest of the markup.
 */
const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'doctype-style': 'off' } });

async function assertValidHtml(html: string, where: string): Promise<void> {
  const report = await validator.validateString(html, where);
  const problems = report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  assert.deepEqual(problems, [], `html-validate:\n${problems.join('\n')}`);
}

test('html-validate finds nothing in any page: every template, French and English, full, bare, with a logo and pictures, with a legal notice', async () => {
  const logoImages = {
    logo: { path: '/assets/logo-0123456789abcdef.png', width: 240, height: 80 },
    pictures: [
      {
        path: '/assets/picture-fedcba9876543210.jpg',
        width: 1200,
        height: 900,
        alt: 'La boutique',
        variants: [{ path: '/assets/picture-fedcba9876543210-480.jpg', width: 480 }],
      },
    ],
  };
  const legal = {
    legalName: 'Dupont & Fils SARL',
    legalForm: 'SARL au capital de 10 000 €',
    registration: 'SIRET 123 456 789 00012',
    vatNumber: 'FR12123456789',
    address: '3 place du Marché\n76600 Le Havre',
    publicationDirector: 'Marie Dupont',
  };
  let pages = 0;
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const bare: SiteDocument = { template, locale, businessName: 'Atelier Nord', contact: {}, colors: { primary: '#0f766e', accent: '#f59e0b' } };
      const variants: [string, SiteDocument, Parameters<typeof renderSite>[1]][] = [
        ['full', fullDocument(template, locale), { domain: DOMAIN }],
        ['bare', bare, { domain: DOMAIN }],
        ['images+legal', { ...fullDocument(template, locale), legal }, { domain: DOMAIN, images: logoImages }],
      ];
      for (const [name, doc, opts] of variants) {
        const files = renderSite(doc, opts);
        for (const page of pagesOf(locale)) {
          await assertValidHtml(files.get(page)!.toString('utf8'), `${template}/${locale}/${name}${page}`);
          pages += 1;
        }
      }
    }
  }
  assert.equal(pages, 3 * 2 * 3 * 3);
});

// ---------- navigation on phones ----------

test('below 880 px the sections fold behind a "Menu" that opens without JavaScript; the name wraps rather than being cut', () => {
  for (const locale of ['fr', 'en'] as const) {
    for (const template of SITE_TEMPLATES) {
      const html = indexOf(fullDocument(template, locale));
      const nav =
        /<nav class="nav" aria-label="[^"]+">\n<details class="nav-toggle"><summary>(<svg[^]*?<\/svg>)<span>Menu<\/span><\/summary><\/details>\n<div class="nav-links">(.*?)<\/div>\n<\/nav>/.exec(
          html,
        );
      assert.ok(nav, `${template}/${locale}: the menu and its links`);
      assert.match(nav[2], /<a href="#services">/);
      // the links show when the <details> just before them is open, and only then on a narrow screen
      assert.match(html, /@media \(max-width:879px\)\{\n\.nav-toggle\{display:block\}\n\.nav-links\{display:none;/);
      assert.match(html, /\.nav-toggle\[open\]\+\.nav-links\{display:flex\}/);
      assert.doesNotMatch(html, /\.nav\{display:none\}/);
      assert.doesNotMatch(html, /\.brand-name\{[^}]*(nowrap|ellipsis)/);
      assert.ok(!/<script(?! type="application\/ld\+json")/.test(html), 'no script makes the menu work');
    }
  }
  // without sections, no menu at all
  assert.doesNotMatch(
    indexOf({ template: 'vitrine', locale: 'fr', businessName: 'Atelier Nord', contact: {}, colors: { primary: '#0f766e', accent: '#f59e0b' } }),
    /nav-toggle"/,
  );
});

// ---------- the legal page ----------

test('a legal page in the site’s language, linked from every page’s footer: publisher, director, host; escaped; in the sitemap', () => {
  const legal = {
    legalName: 'Dupont <b>& Fils</b>',
    registration: 'SIRET 123 456 789 00012',
    publicationDirector: 'Marie Dupont',
    address: '3 place du Marché\n76600 Le Havre',
  };
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const files = renderSite({ ...fullDocument(template, locale), legal }, { domain: DOMAIN });
      const path = LEGAL_PATHS[locale];
      const page = files.get(path)!.toString('utf8');
      assert.match(page, locale === 'fr' ? /<h1>Mentions légales<\/h1>/ : /<h1>Legal notice<\/h1>/);
      assert.ok(page.includes('Dupont &lt;b&gt;&amp; Fils&lt;/b&gt;'), 'the name, escaped');
      assert.ok(page.includes('SIRET 123 456 789 00012'));
      assert.ok(page.includes('Marie Dupont'));
      assert.ok(page.includes('3 place du Marché<br>76600 Le Havre'), 'the registered office');
      assert.match(page, /Netlify, Inc\./, 'the host, filled in');
      assert.ok(page.includes(`<link rel="canonical" href="${SITE_URL}${path.slice(1)}">`));
      for (const p of pagesOf(locale).filter((x) => x !== '/404.html')) {
        assert.ok(
          files
            .get(p)!
            .toString('utf8')
            .includes(`<a href="${path}">${locale === 'fr' ? 'Mentions légales' : 'Legal notice'}</a>`),
          `${template}/${locale}: ${p} links to it`,
        );
      }
      assert.ok(
        files
          .get('/sitemap.xml')!
          .toString('utf8')
          .includes(`<loc>${SITE_URL}${path.slice(1)}</loc>`),
      );
    }
  }
  // without a legal section it still names the publisher from the contact details, and the host
  const bare = renderSite(fullDocument('vitrine', 'fr'), { domain: DOMAIN }).get('/mentions-legales.html')!.toString('utf8');
  assert.ok(bare.includes('<dd>Boulangerie Dupont</dd>'));
  assert.ok(bare.includes('12 rue de Paris<br>76600 Le Havre'), 'the contact address stands in for the office');
  assert.doesNotMatch(bare, /Directeur de la publication/, 'no empty line for what was not given');
  assert.match(bare, /Netlify, Inc\./);
  // the schema takes it, and refuses what it does not know
  assert.ok(siteDocumentSchema.safeParse({ ...fullDocument('vitrine', 'fr'), legal }).success);
  assert.ok(!siteDocumentSchema.safeParse({ ...fullDocument('vitrine', 'fr'), legal: { ...legal, siren: '1' } }).success);
});

// ---------- _headers: the security headers the host serves ----------

test('_headers: a Content-Security-Policy that allows each page’s own style sheet by its hash and no script, and the other security headers', async () => {
  const crypto = await import('node:crypto');
  for (const template of SITE_TEMPLATES) {
    for (const locale of ['fr', 'en'] as const) {
      const files = renderSite(fullDocument(template, locale), { domain: DOMAIN });
      const headers = files.get('/_headers')!.toString('utf8');
      const rules = headers.split('\n').filter((l) => l && !l.startsWith('#'));
      assert.equal(rules[0], '/*', 'every path');
      const csp = rules.find((l) => l.startsWith('  Content-Security-Policy: '))!.slice('  Content-Security-Policy: '.length);
      const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
      assert.deepEqual(directives['default-src'], ["'none'"]);
      assert.deepEqual(directives['script-src'], ["'none'"]);
      assert.deepEqual(directives['img-src'], ["'self'"]);
      assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
      assert.ok(!csp.includes('unsafe-inline'));
      for (const page of pagesOf(locale)) {
        const style = /<style>([\s\S]*?)<\/style>/.exec(files.get(page)!.toString('utf8'))![1]!;
        const hash = `'sha256-${crypto.createHash('sha256').update(style, 'utf8').digest('base64')}'`;
        assert.ok(directives['style-src']!.includes(hash), `${page}'s style sheet is allowed`);
      }
      for (const h of ['X-Content-Type-Options: nosniff', 'X-Frame-Options: DENY', 'Referrer-Policy: strict-origin-when-cross-origin'])
        assert.ok(rules.includes(`  ${h}`), h);
      assert.ok(rules.some((l) => l.startsWith('  Permissions-Policy: ') && l.includes('camera=()') && l.includes('geolocation=()')));
      assert.deepEqual(rules.slice(rules.indexOf('/assets/*') + 1), ['  Cache-Control: public, max-age=31536000, immutable']);
    }
  }
});

// ---------- icons ----------

test('icons: favicon.ico (16, 32, 48), a 32 px PNG and a 180 px apple-touch-icon, from the monogram or from the logo; deterministic', async () => {
  const sharp = (await import('sharp')).default;
  const { renderSiteFiles, ICON_FILES } = await import('../../src/site/render.ts');
  const { png } = await import('../support/images.ts');
  const doc = fullDocument('restaurant', 'fr');
  const plain = await renderSiteFiles(doc, { domain: DOMAIN });
  const again = await renderSiteFiles(structuredClone(doc), { domain: DOMAIN });
  for (const path of ICON_FILES) assert.ok(plain.get(path)!.equals(again.get(path)!), `${path} is the same every time`);
  // renderSite's files are all there too, unchanged
  for (const [path, body] of renderSite(doc, { domain: DOMAIN })) assert.ok(plain.get(path)!.equals(body), path);

  const meta = async (b: Buffer) => sharp(b).metadata();
  assert.deepEqual([(await meta(plain.get('/favicon-32.png')!)).format, (await meta(plain.get('/favicon-32.png')!)).width], ['png', 32]);
  const touch = await meta(plain.get('/apple-touch-icon.png')!);
  assert.deepEqual([touch.format, touch.width, touch.height, (await sharp(plain.get('/apple-touch-icon.png')!).stats()).isOpaque], ['png', 180, 180, true]);
  // favicon.ico: ICONDIR, then one entry per size, each a PNG of that size
  const ico = plain.get('/favicon.ico')!;
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 3]);
  for (let i = 0; i < 3; i++) {
    const size = ico.readUInt8(6 + 16 * i);
    const length = ico.readUInt32LE(6 + 16 * i + 8);
    const offset = ico.readUInt32LE(6 + 16 * i + 12);
    const image = ico.subarray(offset, offset + length);
    assert.equal(size, [16, 32, 48][i]);
    assert.deepEqual([(await meta(image)).format, (await meta(image)).width], ['png', size]);
  }
  const head = plain.get('/index.html')!.toString('utf8');
  assert.ok(head.includes('<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">'));
  assert.ok(head.includes('<link rel="icon" href="/favicon.svg" type="image/svg+xml">'));
  assert.ok(head.includes('<link rel="icon" href="/favicon-32.png" type="image/png" sizes="32x32">'));
  assert.ok(head.includes('<link rel="apple-touch-icon" href="/apple-touch-icon.png" sizes="180x180">'));

  // with a logo: the icons are made from it (blue logo, blue icon), and the monogram goes
  const logo = png(300, 100, [20, 60, 220]);
  const withLogo = await renderSiteFiles(doc, {
    domain: DOMAIN,
    images: { logo: { path: '/assets/logo-0123456789abcdef.png', content: logo, width: 300, height: 100 } },
  });
  assert.ok(!withLogo.has('/favicon.svg'));
  assert.ok(!withLogo.get('/index.html')!.toString('utf8').includes('favicon.svg'));
  const { dominant } = await sharp(withLogo.get('/apple-touch-icon.png')!).stats();
  assert.ok(!withLogo.get('/favicon-32.png')!.equals(plain.get('/favicon-32.png')!));
  const centre = await sharp(withLogo.get('/favicon-32.png')!).extract({ left: 16, top: 16, width: 1, height: 1 }).raw().toBuffer();
  assert.deepEqual([...centre.subarray(0, 3)], [20, 60, 220], 'the 32 px icon shows the logo');
  assert.ok(dominant.r > 200 && dominant.g > 200 && dominant.b > 200, 'the touch icon is the logo on white');
});
