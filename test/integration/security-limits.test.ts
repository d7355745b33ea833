// Rate limits and caps on the public endpoints: every named limit answers 429 with Retry-After past its setting, one count across API processes; refused webhooks limited per address (genuine ones never); open live streams capped; the payment return page queues nothing it was not meant to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, send, type Answer } from '../security/corpus.ts';
import { HTTP_RATE_LIMITS, loadConfig, ConfigError, type RateLimitName } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { OrderEvents } from '../../src/http/live.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import type { PaypalPayments } from '../../src/providers/payments/paypal/client.ts';
import { HOLDER } from '../support/holder.ts';

/** every limit set low, and each to its own value, so that a 429 after exactly that many requests says the setting is in force */
const LIMITS = Object.fromEntries(Object.keys(HTTP_RATE_LIMITS).map((name, i) => [name, 3 + (i % 5)])) as Record<RateLimitName, number>;
LIMITS.status_stream = 20; // the streams' cap is tested below from one address: opening them is not what is limited there

let sys: TestSystem;
let token: string;
let paypalToken: string;
before(async () => {
  sys = await startTestSystem({
    RUN_WORKER: 'false',
    RATE_LIMITS: Object.entries(LIMITS)
      .map(([n, v]) => `${n}:${v}`)
      .join(','),
    SSE_MAX_STREAMS_PER_TOKEN: '3',
    SSE_MAX_STREAMS_PER_ADDRESS: '5',
  });
  const order = async (domain: string, paymentProvider: 'stripe' | 'paypal') => {
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Fleuriste Rose',
        email: `${domain}@example.org`,
        domain,
        tier: 'express',
        locale: 'en',
        paymentProvider,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.trackingToken as string;
  };
  token = await order('fleuriste-rose-limits.fr', 'stripe');
  paypalToken = await order('fleuriste-rose-paypal.fr', 'paypal');
});
after(async () => sys?.stop());

let nextClient = 10_000;
const newClient = () => clientAddress(nextClient++);

function assertLimited(label: string, r: Answer, code = 'rate_limited') {
  assert.equal(r.status, 429, `${label}: answered ${r.status} ${r.text.slice(0, 120)}`);
  const retryAfter = Number(r.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 60, `${label}: Retry-After ${r.headers['retry-after']}`);
  assert.equal(r.json?.code, code, label);
  assert.ok(r.json.message, label);
  assert.ok(r.headers['content-security-policy'] && r.headers['x-content-type-options'] === 'nosniff', `${label}: security headers`);
}

const unknown = 'x'.repeat(40);
/** a fresh unknown token: the answers are also counted per token (satisfaction_token), which must not be what limits here */
const fresh = () => crypto.randomBytes(30).toString('base64url');
const CALLS: [RateLimitName, string, () => { method: string; path: string; body?: object | string; headers?: Record<string, string> }][] = [
  ['domain_check', 'GET /api/domains/check', () => ({ method: 'GET', path: '/api/domains/check?name=%20' })],
  ['order', 'POST /api/request-concierge-service', () => ({ method: 'POST', path: '/api/request-concierge-service', body: {} })],
  ['status', 'GET …/status/{token}', () => ({ method: 'GET', path: `/api/concierge/status/${unknown}` })],
  ['status_stream', 'GET …/status/{token}/events', () => ({ method: 'GET', path: `/api/concierge/status/${unknown}/events` })],
  ['payment_link', 'POST …/payment-link', () => ({ method: 'POST', path: `/api/concierge/status/${unknown}/payment-link` })],
  ['domain_choice', 'POST …/domain', () => ({ method: 'POST', path: `/api/concierge/status/${unknown}/domain`, body: {} })],
  ['pay', 'GET /pay/{token}', () => ({ method: 'GET', path: `/pay/${unknown}` })],
  ['payment_return', 'GET /payment/return', () => ({ method: 'GET', path: `/payment/return?order=${unknown}` })],
  ['site_read', 'GET /api/sites/{token}', () => ({ method: 'GET', path: `/api/sites/${unknown}` })],
  ['site_save', 'PUT /api/sites/{token}', () => ({ method: 'PUT', path: `/api/sites/${unknown}`, body: {} })],
  ['preview', 'GET …/preview', () => ({ method: 'GET', path: `/api/sites/${unknown}/preview` })],
  ['preview', 'POST …/preview', () => ({ method: 'POST', path: `/api/sites/${unknown}/preview`, body: {} })],
  ['publish', 'POST …/publish', () => ({ method: 'POST', path: `/api/sites/${unknown}/publish` })],
  ['asset_upload', 'POST …/assets', () => ({ method: 'POST', path: `/api/sites/${unknown}/assets`, body: 'x', headers: { 'content-type': 'image/png' } })],
  ['asset_read', 'GET …/assets/{id}', () => ({ method: 'GET', path: `/api/sites/${unknown}/assets/${crypto.randomUUID()}` })],
  ['asset_delete', 'DELETE …/assets/{id}', () => ({ method: 'DELETE', path: `/api/sites/${unknown}/assets/${crypto.randomUUID()}` })],
  [
    'archive',
    'POST …/archive',
    () => ({ method: 'POST', path: `/api/concierge/status/${unknown}/archive`, body: 'x', headers: { 'content-type': 'application/zip' } }),
  ],
  ['archive', 'DELETE …/archive', () => ({ method: 'DELETE', path: `/api/concierge/status/${unknown}/archive` })],
  ['admin_login', 'POST /api/admin/login', () => ({ method: 'POST', path: '/api/admin/login', body: { password: 'not it' } })],
  ['demo', 'POST /api/test/concierge/demo', () => ({ method: 'POST', path: '/api/test/concierge/demo', body: { scenario: 'nope' } })],
  ['satisfaction_page', 'GET /satisfaction/{token}', () => ({ method: 'GET', path: `/satisfaction/${fresh()}?score=5` })],
  ['satisfaction', 'POST /satisfaction/{token}', () => ({ method: 'POST', path: `/satisfaction/${fresh()}`, body: { score: 5 } })],
  ['satisfaction', 'POST …/satisfaction', () => ({ method: 'POST', path: `/api/concierge/status/${fresh()}/satisfaction`, body: { score: 5 } })],
  ['contact_stop', 'GET /stop/{token}', () => ({ method: 'GET', path: `/stop/${unknown}` })],
  ['contact_stop', 'POST /stop/{token}', () => ({ method: 'POST', path: `/stop/${unknown}`, body: {} })],
  ['legal_page', 'GET /terms', () => ({ method: 'GET', path: '/terms?version=1999-01-01' })],
  ['personal_data', 'GET …/personal-data', () => ({ method: 'GET', path: `/api/concierge/status/${unknown}/personal-data` })],
  ['personal_data', 'POST …/erasure', () => ({ method: 'POST', path: `/api/concierge/status/${unknown}/erasure`, body: { confirm: true } })],
  ['account_login', 'POST /api/account/login', () => ({ method: 'POST', path: '/api/account/login', body: {} })],
  ['account_session', 'POST /api/account/session', () => ({ method: 'POST', path: '/api/account/session', body: { token: unknown } })],
  ['account', 'GET /api/account', () => ({ method: 'GET', path: '/api/account' })],
  ['account_change', 'POST /api/account/logout', () => ({ method: 'POST', path: '/api/account/logout' })],
  ['personal_data', 'POST /api/account/erasure', () => ({ method: 'POST', path: '/api/account/erasure', body: { confirm: true } })],
];

test('the limits come from the settings: RATE_LIMITS overrides any by name, an unknown name or a bad number stops the start', () => {
  assert.deepEqual(loadConfig({}).RATE_LIMITS, HTTP_RATE_LIMITS);
  assert.equal(loadConfig({ RATE_LIMITS: 'status:300, order:12' }).RATE_LIMITS.status, 300);
  assert.equal(loadConfig({ RATE_LIMITS: 'status:300, order:12' }).RATE_LIMITS.order, 12);
  for (const bad of ['status', 'status:0', 'status:many', 'everything:10']) assert.throws(() => loadConfig({ RATE_LIMITS: bad }), ConfigError, bad);
  assert.deepEqual(sys.config.RATE_LIMITS, LIMITS);
});

test('every named limit answers 429 with Retry-After and {code, message} past its setting, per client', async () => {
  const tested = new Set<string>();
  for (const [name, label, call] of CALLS) {
    const max = LIMITS[name];
    const from = newClient();
    const answers = await Promise.all(Array.from({ length: max }, () => send(sys.url!, call(), from)));
    assert.ok(
      answers.every((a) => a.status !== 429 && a.status < 500),
      `${label} (${name}): ${answers.map((a) => a.status).join(',')} within the limit of ${max}`,
    );
    assertLimited(`${label} (${name}) request ${max + 1}`, await send(sys.url!, call(), from));
    // another client is not affected
    const other = await send(sys.url!, call(), newClient());
    assert.notEqual(other.status, 429, `${label}: another client was limited too`);
    tested.add(name);
  }
  tested.add('webhook_refusals'); // its own test below
  tested.add('satisfaction_token'); // counted per order, not per client: test/integration/satisfaction.test.ts
  tested.add('account_login_address'); // counted per email address, not per client: test/integration/account.test.ts
  assert.deepEqual([...tested].sort(), Object.keys(HTTP_RATE_LIMITS).sort(), 'a named limit without a test');
});

test('two API processes on one database count one limit per client, not one each', async () => {
  const events = new OrderEvents(sys.databaseUrl, sys.deps.log);
  const second = await buildApp({ deps: sys.deps, events, adminToken: sys.adminToken, sandbox: sys.sandbox });
  await second.listen({ port: 0, host: '127.0.0.1' });
  const secondUrl = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
  try {
    const from = newClient();
    const call = () => ({ method: 'GET', path: `/pay/${unknown}` });
    const max = LIMITS.pay;
    // half the budget on each process
    for (let i = 0; i < max; i++) assert.notEqual((await send(i % 2 ? secondUrl : sys.url!, call(), from)).status, 429);
    assertLimited('the first process, after requests split between both', await send(sys.url!, call(), from));
    assertLimited('the second process, after requests split between both', await send(secondUrl, call(), from));
    const { rows } = await sql<{ hits: number }>`select hits from http_rate_limits where key like ${`%/pay/:token|${from}`}`.execute(sys.db);
    assert.equal(rows[0]?.hits, max + 2, 'one counter, in PostgreSQL');
  } finally {
    await second.close();
  }
});

test('refused webhooks are limited per address; a genuine Stripe delivery from that address still goes through, and a PayPal one is not even checked', async () => {
  const max = LIMITS.webhook_refusals;
  const secret = sys.sandbox!.credentials.stripeWebhookSecret;
  const stripeHook = (from: string, body: string, signature?: string) =>
    send(
      sys.url!,
      {
        method: 'POST',
        path: '/api/concierge/webhook/payment',
        headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
        body,
      },
      from,
    );
  const event = (id: string) => JSON.stringify({ id, object: 'event', type: 'ping', created: Math.floor(Date.now() / 1000), data: { object: {} } });

  // a provider's address: many genuine deliveries, none counted
  const provider = newClient();
  for (let i = 0; i < max * 3; i++) {
    const body = event(`evt_limits_genuine_${i % 2}`); // half of them duplicates: still genuine
    const r = await stripeHook(provider, body, signStripePayload(body, secret));
    assert.equal(r.status, 200, `genuine delivery ${i + 1}: ${r.text}`);
  }

  // an attacker's address: refusals, then 429
  const attacker = newClient();
  for (let i = 0; i < max; i++)
    assert.equal((await stripeHook(attacker, event('evt_forged'), signStripePayload(event('evt_forged'), 'whsec_forged'))).status, 400);
  assertLimited(
    'a forged Stripe delivery past the budget',
    await stripeHook(attacker, event('evt_forged'), signStripePayload(event('evt_forged'), 'whsec_forged')),
  );
  // a genuine delivery from that same address is still taken
  const genuine = event('evt_limits_after_refusals');
  const taken = await stripeHook(attacker, genuine, signStripePayload(genuine, secret));
  assert.equal(taken.status, 200, taken.text);
  // another address is not affected
  assert.equal((await stripeHook(newClient(), event('evt_forged'))).status, 400);

  // PayPal: past the budget, a delivery is answered 429 before PayPal is asked to check it
  const paypal = sys.deps.payments.paypal as PaypalPayments;
  const verify = paypal.verifyWebhook.bind(paypal);
  let checks = 0;
  paypal.verifyWebhook = (...args) => {
    checks++;
    return verify(...args);
  };
  try {
    const paypalHook = (from: string, headers: Record<string, string>) =>
      send(
        sys.url!,
        {
          method: 'POST',
          path: '/api/concierge/webhook/payment/paypal',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}',
        },
        from,
      );
    const forged = {
      'paypal-transmission-id': crypto.randomUUID(),
      'paypal-transmission-time': new Date().toISOString(),
      'paypal-transmission-sig': 'Zm9yZ2Vk',
      'paypal-cert-url': 'https://api.paypal.com/v1/notifications/certs/CERT-forged',
      'paypal-auth-algo': 'SHA256withRSA',
    };
    const from = newClient();
    for (let i = 0; i < max; i++) assert.equal((await paypalHook(from, forged)).status, 400);
    const checked = checks;
    assertLimited('a forged PayPal delivery past the budget', await paypalHook(from, forged));
    assert.equal(checks, checked, 'PayPal was not asked to check it');
  } finally {
    paypal.verifyWebhook = verify;
  }
  // each refusal is counted once for the alert, with its reason (429s among them)
  const reasons = await sys.db.selectFrom('webhook_rejections').select(['reason', 'count']).execute();
  assert.ok(reasons.some((r) => r.reason === 'rate_limited'));
});

/** Opens a live stream from `from`; resolves with its status once the answer's head arrives, the stream left open. */
function openStream(
  path: string,
  from: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: () => Promise<string>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: new URL(sys.url!).port, path, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      const ended = new Promise<string>((r) => res.on('end', () => r(text)));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: () => ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

test('open live streams are capped per token and per address: 429 too_many_streams with Retry-After; a closed one frees its place', async () => {
  const all: Awaited<ReturnType<typeof openStream>>[] = [];
  const stream = async (t: string, from: string) => {
    const s = await openStream(`/api/concierge/status/${t}/events`, from);
    all.push(s);
    return s;
  };
  try {
    const from = newClient();
    const mine = [await stream(token, from), await stream(token, from), await stream(token, from)];
    assert.deepEqual(
      mine.map((s) => s.status),
      [200, 200, 200],
    );
    // another address, the same order: the token's cap
    const fourth = await stream(token, newClient());
    assert.equal(fourth.status, 429);
    assert.equal(JSON.parse(await fourth.body()).code, 'too_many_streams');
    assert.ok(Number(fourth.headers['retry-after']) > 0);
    mine.pop()!.close();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await stream(token, newClient())).status, 200, 'the closed stream gave its place back');

    // the address's cap: `from` holds 2; 3 more on another order make 5, the most one address may hold
    const more = [await stream(paypalToken, from), await stream(paypalToken, from)];
    assert.deepEqual(
      more.map((s) => s.status),
      [200, 200],
    );
    const third = await stream(crypto.randomBytes(24).toString('base64url'), from);
    assert.equal(third.status, 404, 'an unknown order opens nothing');
    assert.equal((await stream(paypalToken, from)).status, 200);
    const sixth = await stream(paypalToken, from);
    assert.equal(sixth.status, 429, 'past 5 streams from one address');
    assert.equal(JSON.parse(await sixth.body()).code, 'too_many_streams');
    // and from any other address, the PayPal order is now at its own cap of 3
    assert.equal((await stream(paypalToken, newClient())).status, 429, 'the PayPal order holds 3 streams');
  } finally {
    for (const s of all) s.close();
  }
});

test('the payment return page captures only the order’s own PayPal order: a made-up id queues nothing', async () => {
  const jobs = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs where task_identifier = 'capture_paypal'`.execute(sys.db)).rows[0]!.n);
  const before = await jobs();
  for (let i = 0; i < 3; i++) {
    const r = await send(sys.url!, { method: 'GET', path: `/payment/return?order=${paypalToken}&token=MADEUP${i}&PayerID=ATTACKER` }, newClient());
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
  }
  assert.equal(await jobs(), before, 'no capture job for an id that is not the order’s');
  const link = await sys.db
    .selectFrom('payment_links')
    .innerJoin('orders', 'orders.id', 'payment_links.order_id')
    .select('payment_links.provider_ref')
    .where('orders.tracking_token', '=', paypalToken)
    .executeTakeFirstOrThrow();
  const r = await send(sys.url!, { method: 'GET', path: `/payment/return?order=${paypalToken}&token=${link.provider_ref}&PayerID=BUYER` }, newClient());
  assert.equal(r.status, 200);
  assert.equal(await jobs(), before + 1, 'the order’s own PayPal order is captured at once');
  // and the Stripe order's return page never queues a PayPal capture, whatever its query says
  await send(sys.url!, { method: 'GET', path: `/payment/return?order=${token}&token=${link.provider_ref}&PayerID=BUYER` }, newClient());
  assert.equal(await jobs(), before + 1);
});
