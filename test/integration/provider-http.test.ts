// The shared provider HTTP layer against a real HTTP server on loopback: Retry-After in both forms, each status class, no answer at all, and no secret in messages or logs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import Stripe from 'stripe';
import { ProviderError } from '../../src/errors.ts';
import { type HttpClientOptions, ProviderHttp, parseRetryAfter, redact, type ProviderHttpOptions } from '../../src/providers/http.ts';
import { stripeError } from '../../src/providers/payments/stripe/client.ts';

const TOKEN = 'nfp_provider_http_token_7c1e9a';
const API_KEY = 'nc-key-5b2d8f41a9';
const CLIENT_SECRET = 'pp-secret-0e4f7a2b';

let server: http.Server;
let base: string;
const sockets = new Set<Socket>();
/** connections the server has accepted since the start */
let connections = 0;

/** Each path says how to answer: /status/<code>?retry-after=..., /echo (a 400 repeating the request), /hold, /reset, /text, /empty, /json. */
function answer(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, what, code] = url.pathname.split('/');
  const retryAfter = url.searchParams.get('retry-after');
  if (retryAfter) res.setHeader('retry-after', retryAfter);
  switch (what) {
    case 'status':
      res.writeHead(Number(code), { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ message: `answered ${code}` }));
    case 'echo':
      // a proxy's error page that repeats what it was sent, secrets included
      res.writeHead(400, { 'content-type': 'text/plain' });
      return void res.end(`refused: authorization=${req.headers.authorization} body=${body}`);
    case 'hold':
      return; // never answers
    case 'slow':
      return void setTimeout(() => res.writeHead(404, { 'content-type': 'application/json' }).end('{}'), 150);
    case 'reset':
      return void req.socket.destroy();
    case 'text':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html>maintenance</html>');
    case 'empty':
      return void res.writeHead(204).end();
    default:
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: true }));
  }
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => answer(req, res, body));
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

function client(overrides: Partial<ProviderHttpOptions> & HttpClientOptions = {}): ProviderHttp {
  const { timeoutMs, logger, ...how } = overrides;
  return new ProviderHttp('acme', { timeoutMs, logger }, { defaultTimeoutMs: 2_000, secrets: () => [TOKEN, API_KEY, CLIENT_SECRET], ...how });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => assert.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError, `not a ProviderError: ${String(err)}`);
  return err;
}

const get = (c: ProviderHttp, path: string, extra: { signal?: AbortSignal } = {}) =>
  c.json({ method: 'GET', url: `${base}${path}`, operation: `GET ${path}`, ...extra });

describe('Retry-After', () => {
  test('seconds or an HTTP date, read as milliseconds; a past date is 0; anything else is no instruction', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  test("a 429's Retry-After in seconds and as a date is the wait; without one, the provider's published wait", async () => {
    const seconds = await failure(get(client(), '/status/429?retry-after=7'));
    assert.deepEqual([seconds.code, seconds.retryable, seconds.retryAfterMs, seconds.status], ['rate_limited', true, 7_000, 429]);
    const date = await failure(get(client(), `/status/429?retry-after=${encodeURIComponent(new Date(Date.now() + 60_000).toUTCString())}`));
    assert.ok(date.retryAfterMs! > 50_000 && date.retryAfterMs! <= 60_000, `retryAfterMs ${date.retryAfterMs}`);
    const bare = await failure(get(client({ dialect: { rateLimitWait: () => 60_000 } }), '/status/429'));
    assert.equal(bare.retryAfterMs, 60_000);
    assert.equal((await failure(get(client(), '/status/429'))).retryAfterMs, undefined, 'no published wait: none invented');
  });

  test('a 503 keeps its Retry-After; a refused request has no wait whatever it says', async () => {
    assert.equal((await failure(get(client(), '/status/503?retry-after=3'))).retryAfterMs, 3_000);
    const refused = await failure(get(client(), '/status/400?retry-after=3'));
    assert.deepEqual([refused.retryable, refused.retryAfterMs], [false, undefined]);
  });
});

describe('status classes', () => {
  test('each status is read the same way for every provider', async () => {
    const cases: [number, string, boolean][] = [
      [400, 'invalid_request', false],
      [401, 'auth_failed', false],
      [403, 'auth_failed', false],
      [404, 'not_found', false],
      [408, 'server_error', true],
      [409, 'invalid_request', false],
      [422, 'unprocessable', false],
      [429, 'rate_limited', true],
      [500, 'server_error', true],
      [502, 'server_error', true],
      [503, 'server_error', true],
    ];
    for (const [status, code, retryable] of cases) {
      const err = await failure(get(client(), `/status/${status}`));
      assert.deepEqual([err.provider, err.code, err.retryable, err.status], ['acme', code, retryable, status], `HTTP ${status}`);
      assert.equal(err.message, `acme: ${code}: GET /status/${status}: {"message":"answered ${status}"}`, "the request's name and the start of the body");
    }
  });

  test("an adapter refines the shared reading with its provider's words, and says its own message", async () => {
    const c = client({
      dialect: {
        message: (a) => `HTTP ${a.status}`,
        refine: (a, base) => (a.status === 401 ? { code: 'authentication_failed' } : base.retryable ? undefined : { code: 'unexpected_status' }),
      },
    });
    const denied = await failure(get(c, '/status/401'));
    assert.deepEqual(
      [denied.code, denied.retryable, denied.message],
      ['authentication_failed', false, 'acme: authentication_failed: GET /status/401: HTTP 401'],
    );
    assert.equal((await failure(get(c, '/status/404'))).code, 'unexpected_status');
    assert.equal((await failure(get(c, '/status/500'))).code, 'server_error', 'what it does not refine stays the shared reading');
  });

  test('success: JSON read, an empty body is {}, a body that is not JSON is a retryable malformed_response', async () => {
    assert.deepEqual(await get(client(), '/json'), { ok: true });
    assert.deepEqual(await get(client(), '/empty'), {});
    const err = await failure(get(client(), '/text'));
    assert.deepEqual([err.code, err.retryable, err.status], ['malformed_response', true, 200]);
  });

  test('send() answers whatever the status, and can leave the body unread', async () => {
    const a = await client().send({ method: 'GET', url: `${base}/status/404`, operation: 'lookup', read: false });
    assert.deepEqual([a.status, a.ok, a.text], [404, false, '']);
  });
});

describe('no answer', () => {
  test('a refused connection is retryable, named by its system code', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(client().json({ method: 'GET', url: `http://127.0.0.1:${port}/`, operation: 'GET /' }));
    assert.deepEqual([err.code, err.retryable, err.status], ['network', true, undefined]);
    assert.match(err.message, /ECONNREFUSED/);
  });

  test('a dropped connection is retryable, under the code the adapter has always used', async () => {
    const err = await failure(get(client({ dialect: { networkCode: 'network_error' } }), '/reset'));
    assert.deepEqual([err.code, err.retryable], ['network_error', true]);
    assert.match(err.message, /ECONNRESET|socket|closed/i);
  });

  test('no answer within the deadline is a retryable timeout', async () => {
    const err = await failure(get(client({ timeoutMs: 200 }), '/hold'));
    assert.deepEqual([err.code, err.retryable], ['timeout', true]);
    assert.match(err.message, /no answer within 200 ms/);
  });

  test("the caller's own abort is `aborted`, not the provider's timeout", async () => {
    const caller = new AbortController();
    const pending = get(client({ timeoutMs: 5_000 }), '/hold', { signal: caller.signal });
    setTimeout(() => caller.abort(), 50);
    const err = await failure(pending);
    assert.deepEqual([err.code, err.retryable], ['aborted', true]);
  });
});

describe('a status-only request (read: false, as RDAP lookups are made)', () => {
  const lookup = (c: ProviderHttp, path: string, signal?: AbortSignal) =>
    c.send({ method: 'GET', url: `${base}${path}`, operation: 'lookup', read: false, signal });

  test('one connection serves request after request; the status and headers are read, the body is not', async () => {
    const c = client();
    await lookup(c, '/status/200');
    const before = connections;
    for (let i = 0; i < 20; i++) {
      const a = await lookup(c, i % 2 ? '/status/404' : '/status/429?retry-after=7');
      assert.deepEqual([a.status, a.text], i % 2 ? [404, ''] : [429, '']);
      if (!(i % 2)) assert.equal(c.failure(a).retryAfterMs, 7000);
    }
    // kept alive: one connection opened at most (the agent may open a second while the first is being freed), not 20
    assert.ok(connections - before <= 1, `${connections - before} connections opened for 20 requests in a row`);
  });

  test('a caller who stops waiting is let go at once as `aborted`; the request ends on its own and its connection serves the next', async () => {
    const c = client({ timeoutMs: 5_000 });
    await lookup(c, '/status/200');
    const before = connections;
    const caller = new AbortController();
    const pending = lookup(c, '/slow', caller.signal);
    setTimeout(() => caller.abort(), 20);
    const err = await failure(pending);
    assert.deepEqual([err.code, err.retryable], ['aborted', true]);
    // the slow answer comes and is drained; the next lookup finds the connection free
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await lookup(c, '/status/404')).status, 404);
    assert.equal(connections, before, 'the abandoned request kept its connection');
  });

  test('no answer within the deadline is `timeout`, a refused or dropped connection `network`, all retryable', async () => {
    const late = await failure(lookup(client({ timeoutMs: 200 }), '/hold'));
    assert.deepEqual([late.code, late.retryable], ['timeout', true]);
    const dropped = await failure(lookup(client(), '/reset'));
    assert.deepEqual([dropped.code, dropped.retryable], ['network', true]);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await failure(client().send({ method: 'GET', url: `http://127.0.0.1:${port}/`, operation: 'lookup', read: false }));
    assert.deepEqual([refused.code, refused.retryable], ['network', true]);
    assert.match(refused.message, /ECONNREFUSED/);
  });

  test('a caller already gone never sends the request', async () => {
    const before = connections;
    const gone = AbortSignal.abort();
    const err = await failure(client().send({ method: 'GET', url: `http://127.0.0.1:1/`, operation: 'lookup', read: false, signal: gone }));
    assert.equal(err.code, 'aborted');
    assert.equal(connections, before);
  });
});

describe('redaction', () => {
  test('an error page repeating our credentials shows none of them, in the message or in the logs', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const c = client({ logger });
    const answer = await c.send({
      method: 'POST',
      url: `${base}/echo?token=${TOKEN}`,
      operation: `POST /echo?token=${TOKEN}`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ApiUser: 'me', ApiKey: API_KEY, ClientIp: '198.51.100.7', client_secret: CLIENT_SECRET, Command: 'x' }),
    });
    assert.match(answer.text, new RegExp(TOKEN), 'the server did repeat them');
    const err = c.failure(answer);
    for (const secret of [TOKEN, API_KEY, CLIENT_SECRET, '198.51.100.7']) {
      assert.ok(!err.message.includes(secret), `${secret} in ${err.message}`);
      assert.ok(!lines.join('\n').includes(secret), `${secret} in the logs`);
    }
    assert.match(err.message, /ApiUser=me/, 'what is not secret stays');
    assert.equal(lines.length, 1, 'one log line per request');
    assert.deepEqual((({ provider, outcome }) => ({ provider, outcome }))(JSON.parse(lines[0]!)), { provider: 'acme', outcome: 'http 400' });
  });

  test('credential pairs and Authorization values go, whatever the secrets list says; short values are not secrets', () => {
    assert.equal(redact('Authorization: Bearer abcdefgh12345678'), 'Authorization: Bearer [redacted]');
    assert.equal(redact('using Bearer auth'), 'using Bearer auth');
    assert.equal(redact('{"access_token":"A21AAF.x-y","expires_in":3600}'), '{"access_token":"[redacted]","expires_in":3600}');
    assert.equal(redact('ApiKey=k1&UserName=u&ClientIp=203.0.113.9'), 'ApiKey=[redacted]&UserName=u&ClientIp=[redacted]');
    assert.equal(redact('1011150 Invalid request IP: 203.0.113.9'), '1011150 Invalid request IP: 203.0.113.9', "Namecheap's own words about the IP stay");
    assert.equal(redact('the key sk_test_123456 failed', ['sk_test_123456', 'abc', undefined]), 'the key [redacted] failed');
  });
});

describe("Stripe's SDK errors through the same mapping", () => {
  const raw = (statusCode: number, extra: Record<string, unknown> = {}) => ({ message: `failed ${statusCode}`, statusCode, ...extra });

  test('409 and lock_timeout are retryable with their Retry-After; 5xx too; a refused request keeps its code', () => {
    const conflict = stripeError(new Stripe.errors.StripeInvalidRequestError(raw(409, { headers: { 'retry-after': '2' } })));
    assert.deepEqual([conflict.code, conflict.retryable, conflict.retryAfterMs], ['conflict', true, 2_000]);
    const server = stripeError(new Stripe.errors.StripeAPIError(raw(502)));
    assert.deepEqual([server.code, server.retryable, server.status], ['server_error', true, 502]);
    const missing = stripeError(new Stripe.errors.StripeInvalidRequestError(raw(404, { code: 'resource_missing' })));
    assert.deepEqual([missing.code, missing.retryable], ['resource_missing', false]);
    const limited = stripeError(new Stripe.errors.StripeRateLimitError(raw(429)));
    assert.deepEqual([limited.code, limited.retryAfterMs], ['rate_limited', 1_000]);
  });

  test('the secret key never shows in the message', () => {
    const err = stripeError(new Stripe.errors.StripeAuthenticationError(raw(401, { message: 'Invalid API Key provided: sk_test_secret_9d8c7b' })), [
      'sk_test_secret_9d8c7b',
    ]);
    assert.deepEqual([err.code, err.retryable], ['authentication_failed', false]);
    assert.doesNotMatch(err.message, /sk_test_secret_9d8c7b/);
  });
});
