// Security headers and a content security policy on every page, HTML and JSON alike; rate limits on the public endpoints answer 429 with Retry-After.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, send, type Answer } from '../security/corpus.ts';

let sys: TestSystem;
let token: string;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
  const r = await sys.api('/api/request-concierge-service', {
    body: { businessName: 'Fleuriste Rose', email: 'rose@example.org', domain: 'fleuriste-rose-headers.fr', tier: 'express', locale: 'en' },
  });
  assert.equal(r.status, 201);
  token = r.body.trackingToken;
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

test('every page carries security headers and a content security policy: HTML pages, JSON answers, errors, redirects, the live stream', async () => {
  const pages: [string, string, Record<string, string>?][] = [
    ['home page (HTML)', '/'],
    ['tracking page (HTML)', `/track/${token}`],
    ['tracking page in French (HTML)', `/suivi/${token}`],
    ['admin console (HTML)', '/admin'],
    ['payment return page (HTML)', `/payment/return?order=${token}`],
    ['payment cancel page (HTML)', `/payment/cancel?order=${token}`],
    ['API docs (HTML)', '/docs'],
    ['price list (JSON)', '/api/prices'],
    ['health (JSON)', '/healthz'],
    ['order status (JSON)', `/api/concierge/status/${token}`],
    ['domain check (JSON)', '/api/domains/check?name=fleuriste-rose-autre.fr'],
    ['unknown order (404 JSON)', `/api/concierge/status/${crypto.randomBytes(24).toString('base64url')}`],
    ['unknown page (404 JSON)', '/no/such/page'],
    ['invalid input (422 JSON)', '/api/domains/check?name=%3Cscript%3E'],
    ['stable payment link (303 redirect)', `/pay/${token}`],
    ['admin without credentials (401 JSON)', '/api/admin/orders'],
    ['admin with the token (JSON)', '/api/admin/orders', { authorization: `Bearer ${sys.adminToken}` }],
  ];
  for (const [label, path, headers] of pages) {
    const r = await send(sys.url!, { method: 'GET', path, headers });
    assert.ok(r.status < 500, `${label}: ${r.status}`);
    assertSecure(`${label} ${path}`, r);
  }
  const sse = await send(sys.url!, { method: 'GET', path: `/api/concierge/status/${token}/events` });
  assert.match(String(sse.headers['content-type']), /text\/event-stream/);
  assertSecure('live stream (SSE)', sse);
  const webhook = await send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment', body: '{}' });
  assert.equal(webhook.status, 400);
  assertSecure('webhook refusal (JSON)', webhook);
  const html = await send(sys.url!, { method: 'GET', path: '/' });
  if (/text\/html/.test(String(html.headers['content-type']))) {
    // no inline script in the page the CSP would have to allow
    assert.doesNotMatch(html.text, /<script(?![^>]*\bsrc=)[^>]*>[^<]+<\/script>/i, 'an inline script in the HTML');
  }
});

test('the public endpoints are rate-limited per client: 429 with Retry-After and {code, message}', async () => {
  const limited: { label: string; max: number; call: () => { method: string; path: string; body?: object } }[] = [
    { label: 'GET /api/domains/check', max: 120, call: () => ({ method: 'GET', path: '/api/domains/check?name=%20' }) },
    { label: 'POST /api/request-concierge-service', max: 30, call: () => ({ method: 'POST', path: '/api/request-concierge-service', body: {} }) },
    { label: 'POST …/payment-link', max: 10, call: () => ({ method: 'POST', path: `/api/concierge/status/${'x'.repeat(40)}/payment-link` }) },
    { label: 'POST …/domain', max: 10, call: () => ({ method: 'POST', path: `/api/concierge/status/${'x'.repeat(40)}/domain`, body: {} }) },
    { label: 'GET /pay/{token}', max: 30, call: () => ({ method: 'GET', path: `/pay/${'x'.repeat(40)}` }) },
    { label: 'POST /api/admin/login', max: 10, call: () => ({ method: 'POST', path: '/api/admin/login', body: { password: 'not it' } }) },
    { label: 'POST /api/test/concierge/demo', max: 10, call: () => ({ method: 'POST', path: '/api/test/concierge/demo', body: { scenario: 'nope' } }) },
  ];
  let client = 50_000;
  for (const l of limited) {
    const from = clientAddress(client++);
    const answers = await Promise.all(Array.from({ length: l.max }, () => send(sys.url!, l.call(), from)));
    assert.ok(answers.every((a) => a.status !== 429), `${l.label}: limited before ${l.max} requests`);
    const over = await send(sys.url!, l.call(), from);
    assert.equal(over.status, 429, `${l.label}: request ${l.max + 1} answered ${over.status}`);
    const retryAfter = Number(over.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, `${l.label}: Retry-After ${over.headers['retry-after']}`);
    assert.equal(over.json.code, 'rate_limited');
    assert.ok(over.json.message);
    assertSecure(`${l.label} (429)`, over);
    // another client is not affected
    const other = await send(sys.url!, l.call(), clientAddress(client++));
    assert.notEqual(other.status, 429, `${l.label}: another client was limited too`);
  }
});
