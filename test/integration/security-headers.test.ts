// Security headers and a content security policy on every page the app serves: the single page under each of its addresses, the editor's preview, pictures and built files, the API docs, JSON answers, errors (JSON and HTML), redirects, the live stream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { send, type Answer } from '../security/corpus.ts';
import { png } from '../support/images.ts';
import { webDist } from '../../src/http/routes/pages.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let token: string;
let assetId: string;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Fleuriste Rose',
      email: 'rose@example.org',
      domain: 'fleuriste-rose-headers.fr',
      tier: 'express',
      locale: 'en',
    },
  });
  assert.equal(r.status, 201);
  token = r.body.trackingToken;
  const up = await fetch(`${sys.url}/api/sites/${token}/assets?kind=logo`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: new Uint8Array(png(6, 6)),
  });
  assert.equal(up.status, 201);
  assetId = ((await up.json()) as { id: string }).id;
});
after(async () => sys?.stop());

function assertSecure(label: string, r: Answer) {
  const csp = String(r.headers['content-security-policy'] ?? '');
  assert.ok(csp, `${label}: no content-security-policy`);
  assert.match(csp, /default-src '(self|none)'/, `${label}: CSP without a default-src: ${csp}`);
  assert.match(csp, /frame-ancestors '(none|self)'/, `${label}: CSP allows framing: ${csp}`);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, `${label}: CSP allows inline scripts: ${csp}`);
  assert.equal(r.headers['x-content-type-options'], 'nosniff', `${label}: no nosniff`);
  assert.ok(r.headers['x-frame-options'] || /frame-ancestors/.test(csp), `${label}: can be framed`);
  assert.ok(r.headers['referrer-policy'], `${label}: no referrer-policy`);
  assert.ok(!r.headers['x-powered-by'], `${label}: announces its framework`);
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

test('every page carries security headers and a content security policy: HTML pages, JSON answers, errors, redirects, the live stream', async () => {
  const builtFile = fs.readdirSync(path.join(webDist, 'assets')).find((f) => f.endsWith('.js'));
  assert.ok(builtFile, 'the front end is built');
  const pages: [string, string, RegExp, Record<string, string>?, number?][] = [
    ['home page', '/', /text\/html/, html],
    ['tracking page', `/track/${token}`, /text\/html/, html],
    ['tracking page in French', `/suivi/${token}`, /text\/html/, html],
    ['tracking page, deeper address', `/track/${token}/steps`, /text\/html/, html],
    ['editor', `/editor/${token}`, /text\/html/, html],
    ['admin console', '/admin', /text\/html/, html],
    ['admin console, an inner page', '/admin/orders', /text\/html/, html],
    ['payment return page', `/payment/return?order=${token}`, /text\/html/, html],
    ['payment cancel page', `/payment/cancel?order=${token}`, /text\/html/, html],
    ['unknown page, from a browser (404 HTML)', '/no/such/page', /text\/html/, html, 404],
    ['unknown page, from an API client (404 JSON)', '/no/such/page', /application\/json/, undefined, 404],
    ['unknown API route, even from a browser (404 JSON)', '/api/no/such/route', /application\/json/, html, 404],
    ['editor preview of the saved document', `/api/sites/${token}/preview`, /text\/html/, html],
    ['an uploaded picture', `/api/sites/${token}/assets/${assetId}`, /image\/png/],
    ['an unknown picture (404 JSON)', `/api/sites/${token}/assets/${crypto.randomUUID()}`, /application\/json/, undefined, 404],
    ['a built script', `/assets/${builtFile}`, /javascript/],
    ['a built file that is not there (404 JSON)', '/assets/nothing-here.js', /application\/json/, undefined, 404],
    ['favicon', '/favicon.svg', /image\/svg/],
    ['API docs', '/docs', /text\/html/, html, 200],
    ['API docs page (a redirect to /docs)', '/docs/static/index.html', /.*/, html, 302],
    ['API docs script', '/docs/static/swagger-initializer.js', /javascript/],
    ['API docs OpenAPI (JSON)', '/docs/json', /application\/json/],
    ['API docs OpenAPI (YAML)', '/docs/yaml', /yaml/],
    ['price list (JSON)', '/api/prices', /application\/json/],
    ['health (JSON)', '/healthz', /application\/json/],
    ['site document (JSON)', `/api/sites/${token}`, /application\/json/],
    ['order status (JSON)', `/api/concierge/status/${token}`, /application\/json/],
    ['domain check (JSON)', '/api/domains/check?name=fleuriste-rose-autre.fr', /application\/json/],
    ['unknown order (404 JSON)', `/api/concierge/status/${crypto.randomBytes(24).toString('base64url')}`, /application\/json/, undefined, 404],
    ['invalid input (422 JSON)', '/api/domains/check?name=%3Cscript%3E', /application\/json/, undefined, 422],
    ['stable payment link (303 redirect)', `/pay/${token}`, /.*/, undefined, 303],
    ['admin without credentials (401 JSON)', '/api/admin/orders', /application\/json/, undefined, 401],
    ['admin with the token (JSON)', '/api/admin/orders', /application\/json/, { authorization: `Bearer ${sys.adminToken}` }],
    ['metrics without credentials (401 JSON)', '/metrics', /application\/json/, undefined, 401],
    ['metrics with the token (text)', '/metrics', /text\/plain/, { authorization: `Bearer ${sys.adminToken}` }],
  ];
  for (const [label, path, type, headers, status] of pages) {
    const r = await send(sys.url!, { method: 'GET', path, headers });
    assert.equal(r.status, status ?? 200, `${label}: ${r.status} ${r.text.slice(0, 100)}`);
    assert.match(String(r.headers['content-type'] ?? ''), type, `${label}: ${r.headers['content-type']}`);
    assertSecure(`${label} ${path}`, r);
    if (/text\/html/.test(String(r.headers['content-type']))) {
      // no inline script in any page (the CSP would have to allow it); structured data (JSON-LD) is not a script that runs
      const inline = /<script(?![^>]*\b(src=|type="application\/ld\+json"))[^>]*>[^<]+<\/script>/i.exec(r.text);
      assert.ok(!inline, `${label}: an inline script in the HTML: ${inline?.[0].slice(0, 80)}`);
    }
  }
  const preview = await send(sys.url!, {
    method: 'POST',
    path: `/api/sites/${token}/preview`,
    headers: html,
    body: { document: (await sys.api(`/api/sites/${token}`)).body.document },
  });
  assert.equal(preview.status, 200);
  assertSecure('editor preview of an unsaved document', preview);
  // the preview runs nothing, and only the app's own pages may frame it
  assert.match(String(preview.headers['content-security-policy']), /default-src 'none'.*frame-ancestors 'self'/);
  assert.doesNotMatch(String(preview.headers['content-security-policy']), /script-src/);
  // a picture is never a page: no script, no frame, sandboxed even when opened on its own
  const picture = await send(sys.url!, { method: 'GET', path: `/api/sites/${token}/assets/${assetId}` });
  assert.match(String(picture.headers['content-security-policy']), /sandbox/);
  const notFound = await send(sys.url!, { method: 'GET', path: '/no/such/page', headers: { ...html, 'accept-language': 'fr' } });
  assert.match(notFound.text, /<html lang="fr">/, 'the 404 page is in the browser’s language');
  const sse = await send(sys.url!, { method: 'GET', path: `/api/concierge/status/${token}/events` });
  assert.match(String(sse.headers['content-type']), /text\/event-stream/);
  assertSecure('live stream (SSE)', sse);
  const webhook = await send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment', body: '{}' });
  assert.equal(webhook.status, 400);
  assertSecure('webhook refusal (JSON)', webhook);
  for (const [label, r] of [
    ['a request Node refuses (header too large)', await send(sys.url!, { method: 'GET', path: '/api/prices', headers: { 'x-padding': 'a'.repeat(20_000) } })],
    ['a path parameter over 100 characters', await send(sys.url!, { method: 'GET', path: `/track/${'a'.repeat(101)}` })],
  ] as const) {
    assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status}`);
    assert.ok(r.headers['content-security-policy'] && r.headers['x-content-type-options'] === 'nosniff', `${label}: security headers`);
  }
});
