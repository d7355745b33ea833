// The bad-input corpus: requests every public endpoint must refuse with a 4xx and {code, message}, storing nothing. Also the small HTTP client that sends them.
import crypto from 'node:crypto';
import http from 'node:http';

export interface Target {
  /** an existing order's tracking token (its order waits for payment) */
  token: string;
  adminToken: string;
  stripeSecret: string;
}

export interface BadInput {
  /** what it tries, for the failure message */
  name: string;
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (t: Target) => string;
  headers?: (t: Target) => Record<string, string>;
  /** a string or bytes are sent as they are (content-type from headers, JSON by default); an object is JSON-encoded */
  body?: string | Buffer | object | ((t: Target) => string | Buffer | object);
  /** the refusals that are right for it (default: any 4xx) */
  statuses?: number[];
}

// ---- building blocks ----

const valid = { businessName: 'Boulangerie Dupont', email: 'marie@example.org', domain: 'boulangerie-dupont-sec.fr', tier: 'express', locale: 'fr', city: 'Lyon' };
const FIELDS = ['businessName', 'email', 'domain', 'tier', 'locale', 'city', 'paymentProvider'] as const;
const REQUIRED = ['businessName', 'email', 'domain', 'tier'] as const;
const TEXT_FIELDS = ['businessName', 'city'] as const;

/** values of the wrong type, for any field */
const WRONG_TYPES: [string, unknown][] = [
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
  ['an array', ['a', 'b']],
  ['an object', { value: 'x' }],
];

/** text a person would not type, each hiding something: line breaks that would open a new email header, invisible or direction-flipping characters */
const SNEAKY_TEXT: [string, string][] = [
  ['CR LF and a Bcc header', 'Dupont\r\nBcc: victim@example.net'],
  ['a bare LF and a header', 'Dupont\nSubject: you won'],
  ['a bare CR', 'Dupont\rX-Injected: 1'],
  ['NUL', 'Dupont\u0000Fils'],
  ['RTL override (U+202E)', 'Dupont\u202Egnp.exe'],
  ['zero-width space', 'Du\u200Bpont'],
  ['zero-width joiner', 'Du\u200Dpont'],
  ['a byte order mark inside', 'Du\uFEFFpont'],
  ['line separator (U+2028)', 'Dupont\u2028Fils'],
  ['paragraph separator (U+2029)', 'Dupont\u2029Fils'],
  ['escape sequence (ANSI)', 'Dupont\u001b[31m'],
  ['DEL', 'Dupont\u007f'],
  ['a C1 control (U+0085)', 'Dupont\u0085Fils'],
  ['left-to-right isolate', 'Dupont\u2066Fils\u2069'],
  ['soft hyphen', 'Du\u00ADpont'],
];

const BAD_EMAILS: [string, string][] = [
  ['no @', 'marie.example.org'],
  ['two @', 'marie@@example.org'],
  ['CRLF Bcc injection', 'marie@example.org\r\nBcc: victim@example.net'],
  ['LF injection', 'marie@example.org\nCc: victim@example.net'],
  ['a comma (two recipients)', 'marie@example.org,victim@example.net'],
  ['a semicolon (two recipients)', 'marie@example.org;victim@example.net'],
  ['angle-bracket display form', 'Marie <marie@example.org>'],
  ['spaces', 'marie @example.org'],
  ['no domain', 'marie@'],
  ['no local part', '@example.org'],
  ['NUL', 'marie\u0000@example.org'],
  ['RTL override', 'marie\u202E@example.org'],
  ['zero-width space', 'ma\u200Brie@example.org'],
  ['script tag', '<script>alert(1)</script>@example.org'],
  ['quoted local part with CRLF', '"a\r\nb"@example.org'],
  ['255 characters', `${'a'.repeat(243)}@example.org`],
  ['IP literal with a path', 'marie@[127.0.0.1]/x'],
  ['empty', ''],
];

const BAD_DOMAINS: [string, string][] = [
  ['empty', ''],
  ['spaces only', '   '],
  ['a TLD we do not sell', 'dupont.xyz'],
  ['no TLD', 'dupont'],
  ['a bare suffix', 'co.uk'],
  ['a subdomain', 'shop.dupont.fr'],
  ['an IPv4 address', '127.0.0.1'],
  ['an IPv6 address', '[::1]'],
  ['mixed-script homograph (Cyrillic а in paypal)', 'p\u0430ypal.com'],
  ['mixed-script homograph (Greek ο in google)', 'g\u03BF\u03BFgle.fr'],
  ['mixed-script punycode (paypal with Cyrillic а)', 'xn--pypal-4ve.com'],
  ['punycode that does not decode', 'xn--zz-.fr'],
  ['a label of 64 characters', `${'a'.repeat(64)}.fr`],
  ['301 characters', `${'a'.repeat(297)}.fr`],
  ['a leading hyphen', '-dupont.fr'],
  ['a trailing hyphen', 'dupont-.fr'],
  ['"ab--" reserved prefix', 'ab--dupont.fr'],
  ['an underscore', 'du_pont.fr'],
  ['a script tag', '<script>alert(1)</script>.fr'],
  ['a quote and an event handler', 'a"onmouseover="alert(1).fr'],
  ['a path traversal', '../../etc/passwd'],
  ['NUL', 'dupont\u0000.fr'],
  ['zero-width space', 'du\u200Bpont.fr'],
  ['RTL override', 'dupont\u202E.fr'],
  ['an emoji', '\u{1F950}.fr'],
  ['a URL with credentials', 'http://user:pass@127.0.0.1/.fr'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a percent-encoded dot', 'dupont%2efr'],
  ['a CRLF', 'dupont.fr\r\nX-Injected: 1'],
];

/** a value nested `depth` levels deep: {"a":{"a":...}} */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function without<T extends object>(o: T, key: string): Partial<T> {
  const copy = { ...o } as Record<string, unknown>;
  delete copy[key];
  return copy as Partial<T>;
}

const json = { 'content-type': 'application/json' };
const REQUEST = '/api/request-concierge-service';

// ---- the corpus ----

export function corpus(): BadInput[] {
  const out: BadInput[] = [];
  const add = (endpoint: string, method: BadInput['method'], name: string, path: BadInput['path'], more: Partial<BadInput> = {}) =>
    out.push({ endpoint, method, name, path, ...more });

  // GET /api/domains/check
  const check = (name: string, query: string, statuses?: number[]) => add('GET /api/domains/check', 'GET', name, () => `/api/domains/check?${query}`, { statuses });
  check('no name', '');
  check('an empty name', 'name=');
  check('a name given twice (array)', 'name=a.fr&name=b.fr');
  check('lang not offered', 'name=dupont.fr&lang=de');
  for (const [what, value] of BAD_DOMAINS.filter(([w]) => w !== 'empty')) check(`name: ${what}`, `name=${encodeURIComponent(value)}`);
  for (const [what, value] of SNEAKY_TEXT.slice(0, 8)) check(`businessName: ${what}`, `name=dupont.fr&businessName=${encodeURIComponent(value)}`);
  for (const [what, value] of SNEAKY_TEXT.slice(0, 4)) check(`city: ${what}`, `name=dupont.fr&city=${encodeURIComponent(value)}`);
  check('businessName of 121 characters', `name=dupont.fr&businessName=${'a'.repeat(121)}`);
  check('a query string of 200 KB', `name=dupont.fr&businessName=${'a'.repeat(200_000)}`);

  // POST /api/request-concierge-service
  const request = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add(`POST ${REQUEST}`, 'POST', name, () => REQUEST, { body, ...more });
  for (const f of REQUIRED) request(`missing ${f}`, without(valid, f));
  for (const f of FIELDS) for (const [what, v] of WRONG_TYPES) request(`${f} is ${what}`, { ...valid, [f]: v });
  for (const f of [...REQUIRED, 'city'] as const) request(`${f} is empty`, { ...valid, [f]: '' });
  for (const f of TEXT_FIELDS) request(`${f} is only spaces`, { ...valid, [f]: '    ' });
  request('businessName of 121 characters', { ...valid, businessName: 'a'.repeat(121) });
  request('city of 81 characters', { ...valid, city: 'a'.repeat(81) });
  for (const f of TEXT_FIELDS) for (const [what, v] of SNEAKY_TEXT) request(`${f} with ${what}`, { ...valid, [f]: v });
  for (const [what, v] of BAD_EMAILS) request(`email: ${what}`, { ...valid, email: v });
  for (const [what, v] of BAD_DOMAINS) request(`domain: ${what}`, { ...valid, domain: v });
  request('tier not offered', { ...valid, tier: 'platinum' });
  request('tier in capitals', { ...valid, tier: 'EXPRESS' });
  request('locale not offered', { ...valid, locale: 'de' });
  request('paymentProvider not offered', { ...valid, paymentProvider: 'bitcoin' });
  request('__proto__ key (prototype pollution)', `{"__proto__":{"isAdmin":true},${JSON.stringify(valid).slice(1)}`);
  request('constructor.prototype key', `{"constructor":{"prototype":{"isAdmin":true}},${JSON.stringify(valid).slice(1)}`);
  request('__proto__ inside a field', { ...valid, businessName: { __proto__: { x: 1 } } });
  request('JSON nested 5,000 levels deep', nested(5_000));
  request('an array nested 20,000 levels deep', '['.repeat(20_000) + ']'.repeat(20_000));
  request('a 70 KB body (over the 64 KB limit)', { ...valid, city: 'a'.repeat(70_000) }, { statuses: [413] });
  request('a 2 MB body', Buffer.alloc(2_000_000, 0x61), { statuses: [413, 400] });
  request('malformed JSON', '{"businessName": "Dupont",', { statuses: [400] });
  request('a JSON string', '"hello"');
  request('a JSON array', JSON.stringify([valid]));
  request('JSON null', 'null');
  request('a JSON number', '42');
  request('an empty body with a JSON content type', '', { statuses: [400, 422] });
  request('a form-encoded body', new URLSearchParams(valid as Record<string, string>).toString(), { headers: () => ({ 'content-type': 'application/x-www-form-urlencoded' }), statuses: [415] });
  // text/plain is parsed as a string (Fastify's default), which the schema then refuses
  request('text/plain', JSON.stringify(valid), { headers: () => ({ 'content-type': 'text/plain' }), statuses: [415, 422] });
  request('XML', '<order><tier>express</tier></order>', { headers: () => ({ 'content-type': 'application/xml' }), statuses: [415] });
  request('multipart', '--x\r\nContent-Disposition: form-data; name="tier"\r\n\r\nexpress\r\n--x--', { headers: () => ({ 'content-type': 'multipart/form-data; boundary=x' }), statuses: [415] });
  request('invalid UTF-8 bytes (overlong "<")', Buffer.concat([Buffer.from('{"businessName":"Dupont \xC0\xBCscript","email":"marie@example.org","domain":"overlong-sec.fr","tier":"express"}', 'latin1')]));
  request('invalid UTF-8 bytes (lone continuation)', Buffer.concat([Buffer.from('{"businessName":"Dupont '), Buffer.from([0x80, 0x80]), Buffer.from('","email":"marie@example.org","domain":"lone-sec.fr","tier":"express"}')]));
  request('UTF-16 body', Buffer.from(JSON.stringify({ ...valid, domain: 'utf16-sec.fr' }), 'utf16le'));
  request('an Idempotency-Key of 7 characters', { ...valid, domain: 'idem-short-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'short12' }) });
  request('an Idempotency-Key of 256 characters', { ...valid, domain: 'idem-long-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'k'.repeat(256) }) });
  request('an Idempotency-Key with a space', { ...valid, domain: 'idem-space-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'key with spaces' }) });
  request('an Idempotency-Key with non-ASCII', { ...valid, domain: 'idem-utf-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'cl\u00e9-\u00e9t\u00e9-2024' }) });

  // GET /api/concierge/status/{token}, its SSE stream, /pay/{token}, POST payment-link and domain
  const tokens: [string, string][] = [
    ['an unknown token', crypto.randomBytes(24).toString('base64url')],
    ['a short token', 'abc'],
    ['a token of 101 characters', 'a'.repeat(101)],
    ['a token with a quote and markup', '"><script>alert(1)</script>'],
    ['a token with a NUL', 'abc%00def'],
    ['an encoded path traversal', '..%2F..%2Fadmin'],
    ['an SQL injection', "x' OR '1'='1"],
    ['a token with unicode', '\u0430bc'.repeat(12)],
  ];
  for (const [what, tok] of tokens) {
    const enc = /%/.test(tok) ? tok : encodeURIComponent(tok);
    add('GET /api/concierge/status/{token}', 'GET', what, () => `/api/concierge/status/${enc}`);
    add('GET /api/concierge/status/{token}/events', 'GET', what, () => `/api/concierge/status/${enc}/events`);
    add('GET /pay/{token}', 'GET', what, () => `/pay/${enc}`);
    add('POST /api/concierge/status/{token}/payment-link', 'POST', what, () => `/api/concierge/status/${enc}/payment-link`);
    add('POST /api/concierge/status/{token}/domain', 'POST', what, () => `/api/concierge/status/${enc}/domain`, { body: { domain: 'autre-nom.fr' } });
  }
  add('GET /api/concierge/status/{token}', 'GET', 'lang not offered', (t) => `/api/concierge/status/${t.token}?lang=de`);
  add('GET /api/concierge/status/{token}/events', 'GET', 'lang not offered', (t) => `/api/concierge/status/${t.token}/events?lang=xx`);
  const domainBodies: [string, BadInput['body']][] = [
    ['no domain', {}],
    ['domain is a number', { domain: 42 }],
    ['domain is an array', { domain: ['a.fr'] }],
    ['domain is null', { domain: null }],
    ['domain is empty', { domain: '' }],
    ['domain of 301 characters', { domain: 'a'.repeat(301) }],
    ['domain with a script tag', { domain: '<script>alert(1)</script>.fr' }],
    ['domain not offered (the order waits for payment)', { domain: 'autre-nom.fr' }],
    ['__proto__ key', '{"__proto__":{"domain":"x.fr"},"domain":"y.fr"}'],
    ['malformed JSON', '{"domain":'],
    ['nested 5,000 levels', nested(5_000)],
  ];
  for (const [what, body] of domainBodies) add('POST /api/concierge/status/{token}/domain', 'POST', what, (t) => `/api/concierge/status/${t.token}/domain`, { body });

  // payment webhooks
  const stripe = (name: string, body: string | Buffer, headers: (t: Target) => Record<string, string>, statuses?: number[]) =>
    add('POST /api/concierge/webhook/payment', 'POST', name, () => '/api/concierge/webhook/payment', { body, headers: (t) => ({ ...json, ...headers(t) }), statuses });
  const event = (id: string) => JSON.stringify({ id, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cs_forged', payment_status: 'paid', payment_intent: 'pi_forged', amount_total: 1 } } });
  const sign = (payload: string | Buffer, secret: string, t = Math.floor(Date.now() / 1000)) =>
    `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${payload.toString()}`).digest('hex')}`;
  stripe('no signature', event('evt_sec_1'), () => ({}));
  stripe('an empty signature', event('evt_sec_2'), () => ({ 'stripe-signature': '' }));
  stripe('a signature with a wrong secret', event('evt_sec_3'), () => ({ 'stripe-signature': sign(event('evt_sec_3'), 'whsec_wrong') }));
  stripe('a stale signature (10 minutes old)', event('evt_sec_4'), (t) => ({ 'stripe-signature': sign(event('evt_sec_4'), t.stripeSecret, Math.floor(Date.now() / 1000) - 600) }));
  stripe('a signature from the future (10 minutes ahead)', event('evt_sec_5'), (t) => ({ 'stripe-signature': sign(event('evt_sec_5'), t.stripeSecret, Math.floor(Date.now() / 1000) + 600) }));
  stripe('a tampered body', event('evt_sec_6').replace('cs_forged', 'cs_other'), (t) => ({ 'stripe-signature': sign(event('evt_sec_6'), t.stripeSecret) }));
  stripe('a signature without a timestamp', event('evt_sec_7'), () => ({ 'stripe-signature': `v1=${'0'.repeat(64)}` }));
  stripe('a v0 (test) signature only', event('evt_sec_8'), (t) => ({ 'stripe-signature': sign(event('evt_sec_8'), t.stripeSecret).replace('v1=', 'v0=') }));
  stripe('a signature header of 10 KB', event('evt_sec_9'), () => ({ 'stripe-signature': `t=1,${'v1=0,'.repeat(2_000)}` }));
  stripe('a correctly signed body that is not JSON', 'not json', (t) => ({ 'stripe-signature': sign('not json', t.stripeSecret) }));
  stripe('a correctly signed JSON array', '[1,2]', (t) => ({ 'stripe-signature': sign('[1,2]', t.stripeSecret) }));
  stripe('a correctly signed event without an id', '{"type":"checkout.session.completed"}', (t) => ({ 'stripe-signature': sign('{"type":"checkout.session.completed"}', t.stripeSecret) }));
  stripe('a body of 600 KB', Buffer.alloc(600_000, 0x20), () => ({ 'stripe-signature': 't=1,v1=00' }), [413]);
  add('POST /api/concierge/webhook/payment', 'POST', 'text/plain', () => '/api/concierge/webhook/payment', { body: event('evt_sec_10'), headers: () => ({ 'content-type': 'text/plain', 'stripe-signature': 't=1,v1=00' }), statuses: [415, 400] });
  const paypalHeaders = {
    'paypal-transmission-id': crypto.randomUUID(),
    'paypal-transmission-time': new Date().toISOString(),
    'paypal-transmission-sig': Buffer.from('forged').toString('base64'),
    'paypal-cert-url': 'https://api.paypal.com/v1/notifications/certs/CERT-forged',
    'paypal-auth-algo': 'SHA256withRSA',
  };
  const paypalEvent = JSON.stringify({ id: 'WH-SEC-FORGED', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'CAP', amount: { value: '1.00', currency_code: 'EUR' }, supplementary_data: { related_ids: { order_id: 'X' } } } });
  const paypal = (name: string, body: string | Buffer, headers: Record<string, string>, statuses?: number[]) =>
    add('POST /api/concierge/webhook/payment/paypal', 'POST', name, () => '/api/concierge/webhook/payment/paypal', { body, headers: () => ({ ...json, ...headers }), statuses });
  paypal('no PayPal headers', paypalEvent, {});
  for (const h of Object.keys(paypalHeaders)) paypal(`without ${h}`, paypalEvent, without(paypalHeaders, h) as Record<string, string>);
  paypal('a forged signature', paypalEvent, paypalHeaders);
  paypal('a cert URL pointing at our own loopback', paypalEvent, { ...paypalHeaders, 'paypal-cert-url': 'http://127.0.0.1:1/cert.pem' });
  paypal('a cert URL pointing at cloud metadata', paypalEvent, { ...paypalHeaders, 'paypal-cert-url': 'http://169.254.169.254/latest/meta-data/' });
  paypal('a transmission time from 2019', paypalEvent, { ...paypalHeaders, 'paypal-transmission-time': '2019-01-01T00:00:00Z' });
  paypal('a body that is not JSON', 'not json', paypalHeaders);
  paypal('a JSON array body', '[]', paypalHeaders);
  paypal('a body of 600 KB', Buffer.alloc(600_000, 0x20), paypalHeaders, [413]);

  // admin API
  const admin = (name: string, method: BadInput['method'], path: (t: Target) => string, more: Partial<BadInput> = {}) => add(`${method} /api/admin/*`, method, name, path, more);
  const bearer = (t: Target) => ({ authorization: `Bearer ${t.adminToken}` });
  for (const [what, headers] of [
    ['no credentials', () => ({})],
    ['a wrong bearer token', () => ({ authorization: 'Bearer not-the-admin-token-0123456789' })],
    ['a bearer token with a prefix of the real one', (t: Target) => ({ authorization: `Bearer ${t.adminToken.slice(0, -1)}` })],
    ['Basic instead of Bearer', (t: Target) => ({ authorization: `Basic ${Buffer.from(`admin:${t.adminToken}`).toString('base64')}` })],
    ['a forged session cookie', () => ({ cookie: 'cg_admin=forged-session-value' })],
    ['an empty session cookie', () => ({ cookie: 'cg_admin=' })],
  ] as [string, (t: Target) => Record<string, string>][]) {
    admin(`orders with ${what}`, 'GET', () => '/api/admin/orders', { headers, statuses: [401] });
    admin(`outbox with ${what}`, 'GET', () => '/api/admin/outbox', { headers, statuses: [401] });
    admin(`refund with ${what}`, 'POST', () => `/api/admin/orders/${crypto.randomUUID()}/refund`, { headers, statuses: [401] });
  }
  admin('an order id that is not a UUID', 'GET', () => '/api/admin/orders/not-a-uuid', { headers: bearer, statuses: [422] });
  admin('an order id with SQL', 'GET', () => `/api/admin/orders/${encodeURIComponent("1' or '1'='1")}`, { headers: bearer, statuses: [422] });
  admin('an unknown order', 'GET', () => `/api/admin/orders/${crypto.randomUUID()}`, { headers: bearer, statuses: [404] });
  admin('refund of an unknown order', 'POST', () => `/api/admin/orders/${crypto.randomUUID()}/refund`, { headers: bearer, statuses: [404] });
  admin('retry of an unknown order', 'POST', () => `/api/admin/orders/${crypto.randomUUID()}/retry`, { headers: bearer, body: {}, statuses: [404] });
  admin('resend-email without emailId', 'POST', () => `/api/admin/orders/${crypto.randomUUID()}/resend-email`, { headers: bearer, body: {}, statuses: [422] });
  admin('resend-email with a bad emailId', 'POST', () => `/api/admin/orders/${crypto.randomUUID()}/resend-email`, { headers: bearer, body: { emailId: '<script>' }, statuses: [422] });
  admin('orders limit of 100,000', 'GET', () => '/api/admin/orders?limit=100000', { headers: bearer, statuses: [422] });
  admin('orders limit of -1', 'GET', () => '/api/admin/orders?limit=-1', { headers: bearer, statuses: [422] });
  admin('orders search of 201 characters', 'GET', () => `/api/admin/orders?q=${'a'.repeat(201)}`, { headers: bearer, statuses: [422] });
  admin('orders with an unknown tier', 'GET', () => '/api/admin/orders?tier=gold', { headers: bearer, statuses: [422] });
  admin('outbox limit of 0', 'GET', () => '/api/admin/outbox?limit=0', { headers: bearer, statuses: [422] });
  admin('login with a wrong password', 'POST', () => '/api/admin/login', { body: { password: 'wrong password' }, statuses: [401] });
  admin('login without a password', 'POST', () => '/api/admin/login', { body: {}, statuses: [422] });
  admin('login with a password object', 'POST', () => '/api/admin/login', { body: { password: { $ne: null } }, statuses: [422] });
  admin('login with a password of 201 characters', 'POST', () => '/api/admin/login', { body: { password: 'p'.repeat(201) }, statuses: [422] });
  admin('login with an SQL injection', 'POST', () => '/api/admin/login', { body: { password: "' OR '1'='1" }, statuses: [401] });
  admin('session with a forged cookie', 'GET', () => '/api/admin/session', { headers: () => ({ cookie: 'cg_admin=forged' }), statuses: [401] });

  // the demo endpoint (sandbox only)
  const demo = (name: string, body: BadInput['body']) => add('POST /api/test/concierge/demo', 'POST', name, () => '/api/test/concierge/demo', { body });
  demo('no scenario', {});
  demo('an unknown scenario', { scenario: 'drop_tables' });
  demo('scenario is a number', { scenario: 1 });
  demo('a timeout of 10,000 s', { scenario: 'available', timeoutSeconds: 10_000 });
  demo('a timeout of 1 s', { scenario: 'available', timeoutSeconds: 1 });
  demo('a payment provider not offered', { scenario: 'available', paymentProvider: 'cash' });
  demo('a JSON array', [{ scenario: 'available' }]);
  demo('__proto__ key', '{"__proto__":{"scenario":"available"}}');

  return out;
}

// ---- sending ----

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One request from `from` (a loopback address of its own, so per-client rate limits do not mask what is being tested). */
export function send(baseUrl: string, input: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer | object }, from?: string): Promise<Answer> {
  const u = new URL(input.path, baseUrl);
  const body = input.body === undefined ? undefined : typeof input.body === 'string' || Buffer.isBuffer(input.body) ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = { ...(body !== undefined ? json : {}), ...input.headers };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: input.method, headers, localAddress: from, agent: false, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        // an SSE stream that (wrongly) opened would never end: keep what came in the first second
        const cut = setTimeout(() => res.destroy(), 1_000);
        const done = () => {
          clearTimeout(cut);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parsed });
        };
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The loopback address of client number i (127.0.3.1 ...). */
export function clientAddress(i: number): string {
  return `127.${3 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;
}
