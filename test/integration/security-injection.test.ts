// Markup typed into every text field (the order form's and the site document's) is kept as text: escaped in every email, the editor's preview and every file of the delivered site, never live markup, never a new email header.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, visitSite, type TestSystem } from '../support/system.ts';
import { fetchVia } from '../../src/providers/site-probe.ts';
import { send } from '../security/corpus.ts';
import { png } from '../support/images.ts';
import { LEGAL_PATHS, SITE_FILES } from '../../src/site/render.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ DNS_POLL_MS: '200', RETRY_BASE_MS: '100' });
});
after(async () => sys?.stop());

/** What people may legitimately type ("Dupont & Fils <3") is accepted; these are the same characters used as weapons. */
const PAYLOADS = {
  script: '<script>alert(1)</script>',
  img: '"><img src=x onerror=alert(2)>',
  svg: "'><svg/onload=alert(3)>",
  link: '<a href="javascript:alert(4)">clic</a>',
  closeTitle: '</title><script>alert(5)</script>',
  style: '<style>*{display:none}</style>',
  template: "{{constructor.constructor('alert(6)')()}} ${7*7} <%= 7*7 %>",
  jsonBreak: '</script><script>alert(7)</script>',
};

/** Start tags, read the way a browser does: attribute values in quotes are values, whatever they contain; "/" separates attributes. */
const TAG = /<([a-zA-Z][\w:-]*)((?:[\s/]+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)[\s/]*>/g;
const ATTR = /([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;

/** Live markup a payload would have produced, had it not been escaped: handlers, javascript: links, scripts, styles. */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(TAG)) {
    const name = tag[1]!.toLowerCase();
    const attrs = [...tag[2]!.matchAll(ATTR)].map((a) => ({ name: a[1]!.toLowerCase(), value: (a[2] ?? '').replace(/^["']|["']$/g, '') }));
    for (const a of attrs) {
      if (a.name.startsWith('on')) found.push(`<${name} ${a.name}=…>`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && /^\s*javascript:/i.test(a.value))
        found.push(`<${name} ${a.name}="javascript:…">`);
    }
    const after = tag.index! + tag[0].length;
    if (name === 'script') {
      const body = html.slice(after, html.indexOf('</script', after));
      const json = attrs.some((a) => a.name === 'type' && a.value === 'application/ld+json');
      if (!json && /alert\(/.test(body)) found.push('a script running alert');
      if (json) {
        try {
          JSON.parse(body);
        } catch {
          found.push('structured data broken out of');
        }
      }
    }
    if (name === 'style' && /\*\{display:none\}/.test(html.slice(after, html.indexOf('</style', after)))) found.push('an injected style element');
    if (name === 'img' && attrs.some((a) => a.name === 'src' && a.value === 'x')) found.push('an injected img');
  }
  return found;
}

async function runOrder(n: number, businessName: string, city: string, locale: 'fr' | 'en') {
  const email = `injection-${n}@example.org`;
  const domain = `injection-test-${n}.fr`;
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName, city, email, domain, tier: 'express', locale },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(async () => (await sys.api(`/api/concierge/status/${r.body.trackingToken}`)).body.state === 'delivered', 45_000, 200);
  // confirmation, progress, delivered
  await eventually(async () => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email)).length >= 3, 15_000);
  return { email, domain, token: r.body.trackingToken as string, stored: r.body };
}

test('markup in the business name and the city: stored as typed, escaped in every email and on the delivered site', async () => {
  const cases = [
    { businessName: `Chez ${PAYLOADS.script} & Fils`, city: PAYLOADS.img, locale: 'fr' as const },
    { businessName: `${PAYLOADS.closeTitle}${PAYLOADS.svg}`.slice(0, 120), city: PAYLOADS.link.slice(0, 80), locale: 'en' as const },
    { businessName: `${PAYLOADS.style} ${PAYLOADS.jsonBreak}`, city: PAYLOADS.template.slice(0, 80), locale: 'fr' as const },
  ];
  for (const [n, c] of cases.entries()) {
    const o = await runOrder(n, c.businessName, c.city, c.locale);
    // kept exactly as typed (it is data), and shown as text
    const row = await sys.db.selectFrom('orders').select(['business_name', 'city']).where('domain', '=', o.domain).executeTakeFirstOrThrow();
    assert.equal(row.business_name, c.businessName);

    for (const m of sys.sandbox!.smtp.messages().filter((x) => x.to.includes(o.email))) {
      assert.deepEqual(liveMarkup(m.html), [], `email "${m.subject}" (case ${n}) has live markup`);
      assert.doesNotMatch(m.html, /<script/i, `email "${m.subject}" has a script element`);
      // no header came from the customer's text
      assert.deepEqual(
        Object.keys(m.headers).filter(
          (h) =>
            !/^(from|to|subject|message-id|date|mime-version|content-type|content-transfer-encoding|x-conciergerie-.*|list-.*|auto-submitted|reply-to|precedence)$/i.test(
              h,
            ),
        ),
        [],
        `email "${m.subject}" has unexpected headers`,
      );
      assert.equal(m.to.length, 1);
      if (m.html.includes('alert('))
        assert.ok(m.html.includes('&lt;') || m.html.includes('&quot;') || m.html.includes('&#39;'), 'the markup is there as escaped text');
    }

    // the delivered site, as a visitor gets it from the host
    const edge = sys.deps.edge;
    const page = await fetchVia({ tls: true, address: '127.0.0.1', port: edge.httpsPort, host: o.domain, ca: edge.ca });
    assert.equal(page.status, 200);
    assert.deepEqual(liveMarkup(page.body), [], `the delivered site (case ${n}) has live markup`);

    // our own pages: the tracking page is the same static app for everyone; the status is JSON, never sniffed as HTML
    const tracking = await send(sys.url!, { method: 'GET', path: `/${c.locale === 'fr' ? 'suivi' : 'track'}/${o.token}` });
    assert.ok(!tracking.text.includes('alert('), 'the tracking page HTML carries no order data');
    const status = await send(sys.url!, { method: 'GET', path: `/api/concierge/status/${o.token}` });
    assert.match(String(status.headers['content-type']), /^application\/json/);
    assert.equal(status.headers['x-content-type-options'], 'nosniff');
  }
});

/** Problems with a file of the site or the preview: live markup in HTML and SVG, broken JSON, a raw tag in XML or text. */
function fileProblems(path: string, text: string): string[] {
  if (path.endsWith('.webmanifest')) {
    try {
      JSON.parse(text);
      return [];
    } catch {
      return ['the manifest is no longer JSON'];
    }
  }
  if (path.endsWith('.html') || path.endsWith('.svg')) return liveMarkup(text);
  return /<(script|img|svg|a)\b/i.test(text) ? [`a raw tag in ${path}`] : [];
}

test('markup in every field of the site document: escaped in the editor’s preview, in every file of the published site, and in the email that says it is live', async () => {
  const o = await runOrder(10, `${PAYLOADS.img} Fleurs`, PAYLOADS.closeTitle.slice(0, 80), 'en');
  const up = await fetch(`${sys.url}/api/sites/${o.token}/assets?kind=picture`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: new Uint8Array(png(40, 30)),
  });
  assert.equal(up.status, 201);
  const assetId = ((await up.json()) as { id: string }).id;
  const current = await sys.api(`/api/sites/${o.token}`);
  // every text field a customer types into, each with its own weapon; the phone, colours and times only take
  // digits and fixed formats (the corpus shows markup refused there)
  const document = {
    ...current.body.document,
    businessName: `${PAYLOADS.script} & ${PAYLOADS.closeTitle}`.slice(0, 120),
    tagline: PAYLOADS.svg,
    about: `${PAYLOADS.link}\n\n${PAYLOADS.style}\n${PAYLOADS.jsonBreak}`,
    city: PAYLOADS.img.slice(0, 80),
    services: [
      { name: PAYLOADS.jsonBreak, description: `${PAYLOADS.img}\n${PAYLOADS.template}`, priceCents: 1250 },
      { name: PAYLOADS.closeTitle, description: PAYLOADS.svg },
    ],
    openingHours: [{ day: 'mon', opens: '08:00', closes: '19:00' }],
    contact: { email: "o'hara@example.org", phone: '+33 1 23 45 67 89', address: `${PAYLOADS.script}\n${PAYLOADS.link}` },
    // quotes and angle brackets in a link's address: still one attribute, never a second one or a tag
    mapUrl: `https://maps.example/?q="><script>alert(8)</script>&r='onmouseover='alert(9)`,
    pictures: [{ assetId, alt: `${PAYLOADS.img}`.slice(0, 160) }],
    legal: {
      legalName: PAYLOADS.script.slice(0, 160),
      legalForm: PAYLOADS.closeTitle.slice(0, 120),
      registration: PAYLOADS.img.slice(0, 120),
      vatNumber: '<b>FR00</b>',
      address: `${PAYLOADS.svg}\n${PAYLOADS.link}`.slice(0, 300),
      publicationDirector: PAYLOADS.template.slice(0, 120),
    },
  };
  const saved = await sys.api(`/api/sites/${o.token}`, { method: 'PUT', body: { version: current.body.version, document } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.document.businessName, document.businessName, 'kept as typed: it is data');

  // the editor's preview, saved and unsaved
  const preview = await send(sys.url!, { method: 'GET', path: `/api/sites/${o.token}/preview` });
  assert.deepEqual(liveMarkup(preview.text), [], 'the preview of the saved document');
  assert.ok(preview.text.includes('&lt;script&gt;'), 'the markup is there, as text');
  const unsaved = await send(sys.url!, {
    method: 'POST',
    path: `/api/sites/${o.token}/preview`,
    body: { document: { ...document, tagline: PAYLOADS.closeTitle } },
  });
  assert.equal(unsaved.status, 200);
  assert.deepEqual(liveMarkup(unsaved.text), [], 'the preview of an unsaved document');

  // published: every file the visitor can fetch
  const published = await sys.api(`/api/sites/${o.token}/publish`, { method: 'POST' });
  assert.equal(published.status, 202);
  await eventually(
    async () =>
      await sys.db
        .selectFrom('order_events')
        .select('id')
        .where('type', '=', 'site_published')
        .where('data', '@>', JSON.stringify({ version: saved.body.version }) as never)
        .executeTakeFirst(),
    30_000,
    200,
  );
  // the legal page's name follows the site's language; _headers is read by the host, never served
  const served = SITE_FILES.filter((f) => f !== '/_headers').map((f) => (f === 'legal page' ? LEGAL_PATHS.en : f));
  for (const path of served) {
    const file = await visitSite(sys, o.domain, path);
    assert.equal(file.status, 200, path);
    assert.deepEqual(fileProblems(path, file.text), [], `the delivered ${path}`);
  }
  const home = (await visitSite(sys, o.domain, '/')).text;
  assert.ok(home.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the business name shows as typed');
  assert.ok(!home.includes('alert(8)</script>'), 'the map link’s address is escaped');
  const legal = (await visitSite(sys, o.domain, LEGAL_PATHS.en)).text;
  assert.ok(legal.includes('&lt;b&gt;FR00&lt;/b&gt;'), 'the legal fields show as typed');

  // the "new version is live" email: the business name (the order's) as text, no extra header
  const mail = await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.to.includes(o.email) && /new version is live/.test(m.subject)), 15_000);
  assert.deepEqual(liveMarkup(mail.html), []);
  assert.doesNotMatch(mail.html, /<script/i);
  assert.equal(mail.to.length, 1);
});

test('the markup check itself sees live markup (so a pass above means something)', () => {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  for (const p of Object.values(PAYLOADS).filter((x) => /<[a-z/]/i.test(x))) {
    assert.ok(liveMarkup(`<p>${p}</p>`).length > 0, `not seen raw: ${p}`);
    assert.deepEqual(liveMarkup(`<p title="${esc(p)}">${esc(p)}</p>`), [], `seen when escaped: ${p}`);
  }
  assert.ok(liveMarkup(`<script type="application/ld+json">{"name":"${PAYLOADS.jsonBreak}"}</script>`).length > 0);
});
