// The logs of a full run, at trace level, hold no secret (admin token and password, sessions, provider credentials, webhook secrets, tracking tokens) and no email body or address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { redactPaths } from '../../src/log.ts';
import { startSystem, type System } from '../../src/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import { freshDatabase } from '../support/db.ts';
import { eventually } from '../support/system.ts';
import { send } from '../security/corpus.ts';

const lines: string[] = [];
let sys: System;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataDir: string;
const ADMIN_TOKEN = 'log-scan-admin-token-9f8e7d6c5b4a3f2e1d';
const ADMIN_PASSWORD = 'log-scan-password-Zq8!wX4#';

before(async () => {
  database = await freshDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-logscan-'));
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    ADMIN_PASSWORD,
    DNS_POLL_MS: '200',
    RETRY_BASE_MS: '100',
    STEP_MAX_ATTEMPTS: '3',
    WORKER_CONCURRENCY: '5',
  });
  // the production logger's redaction, at the most talkative level
  const log = pino({ level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } }, { write: (s: string) => void lines.push(s) });
  sys = await startSystem({ config, log, persistSandbox: false });
});
after(async () => {
  await sys?.stop();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = (p: string, init: { method?: string; body?: object; headers?: Record<string, string> } = {}) =>
  send(sys.url!, { method: init.method ?? (init.body ? 'POST' : 'GET'), path: p, body: init.body, headers: init.headers });

async function orderAndPay(domain: string, email: string, provider: 'stripe' | 'paypal') {
  const r = await api('/api/request-concierge-service', { body: { businessName: 'Atelier Secret', email, domain, tier: 'express', locale: 'fr', city: 'Lyon', paymentProvider: provider } });
  assert.equal(r.status, 201, r.text);
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', r.json.orderId).executeTakeFirstOrThrow();
  if (provider === 'stripe') sys.sandbox!.stripe.pay(link.provider_ref!);
  else sys.sandbox!.paypal.approve(link.provider_ref!);
  return r.json as { orderId: string; trackingToken: string };
}
const stateOf = async (token: string) => (await api(`/api/concierge/status/${token}`)).json?.state;

test('a full run: orders delivered and refunded, webhooks good and bad, the admin console — and its logs leak nothing', async () => {
  const emails = ['secret.customer.one@example.org', 'secret.customer.two@example.org', 'secret.customer.three@example.org'];
  const delivered = await orderAndPay('atelier-secret-un.fr', emails[0]!, 'stripe');
  const paypal = await orderAndPay('atelier-secret-deux.fr', emails[1]!, 'paypal');
  await eventually(async () => (await stateOf(delivered.trackingToken)) === 'delivered' && (await stateOf(paypal.trackingToken)) === 'delivered', 90_000, 200).catch(
    async (err) => assert.fail(`${(err as Error).message}: ${await stateOf(delivered.trackingToken)}, ${await stateOf(paypal.trackingToken)}`),
  );
  // one whose host keeps failing: refunded, and the customer told
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  const refunded = await orderAndPay('atelier-secret-trois.fr', emails[2]!, 'stripe');
  await eventually(async () => (await stateOf(refunded.trackingToken)) === 'refunded', 60_000, 200);
  sys.sandbox!.netlify.faults.reset();
  await eventually(async () => sys.sandbox!.smtp.messages().filter((m) => emails.some((e) => m.to.includes(e))).length >= 8, 15_000);

  // webhooks: a forged one, a stale one, a replay
  const event = sys.sandbox!.stripe.events().find((e) => e.event.type === 'checkout.session.completed')!;
  const body = JSON.stringify(event.event, null, 2);
  const secret = sys.sandbox!.credentials.stripeWebhookSecret;
  await send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment', headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, 'whsec_forged') }, body });
  await send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment', headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, secret, 1) }, body });
  await send(sys.url!, { method: 'POST', path: '/api/concierge/webhook/payment', headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(body, secret) }, body });

  // the admin console: a failed and a good login, a session, reads and an action
  await api('/api/admin/login', { body: { password: 'wrong-password-123' } });
  const login = await api('/api/admin/login', { body: { password: ADMIN_PASSWORD } });
  assert.equal(login.status, 200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const session = { cookie, 'x-csrf-token': login.json.csrfToken as string };
  assert.equal((await api('/api/admin/orders', { headers: session })).status, 200);
  assert.equal((await api(`/api/admin/orders/${delivered.orderId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
  assert.equal((await api('/api/admin/outbox', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
  await api(`/api/admin/orders/${delivered.orderId}/retry`, { method: 'POST', body: {}, headers: session });
  await api('/api/admin/logout', { method: 'POST', headers: session });
  await api('/api/admin/orders', { headers: { authorization: 'Bearer not-the-token-but-close-enough' } });
  await new Promise((r) => setTimeout(r, 500));

  // ---- the scan ----
  const log = lines.join('');
  assert.ok(lines.length > 50, `a full run logs something (${lines.length} lines)`);
  assert.ok(log.includes(delivered.orderId) && log.includes('atelier-secret-trois.fr'), 'the scan reads the run’s real log lines');
  const creds = sys.sandbox!.credentials;
  const tokens = (await sys.db.selectFrom('orders').select('tracking_token').execute()).map((o) => o.tracking_token);
  const dbPassword = decodeURIComponent(new URL(database.url).password);
  const secrets: [string, string][] = [
    ['admin token', ADMIN_TOKEN],
    ['admin password', ADMIN_PASSWORD],
    ['admin session cookie', cookie.split('=')[1]!],
    ['CSRF token', session['x-csrf-token']],
    ['Stripe secret key', creds.stripeSecretKey],
    ['Stripe webhook secret', creds.stripeWebhookSecret],
    ['PayPal client secret', creds.paypalClientSecret],
    ['Namecheap API key', creds.namecheapApiKey],
    ['Netlify token', creds.netlifyToken],
    ['database password', dbPassword],
    ...tokens.map((t, i) => [`tracking token #${i + 1}`, t] as [string, string]),
  ];
  const leaks = secrets.filter(([, v]) => v && v.length >= 8 && log.includes(v)).map(([what]) => what);
  // shapes of secrets whose exact value the test does not hold
  for (const [what, re] of [
    ['a PayPal access token', /A21AA[A-Za-z0-9_-]{20,}/],
    ['a Stripe signature', /v1=[0-9a-f]{64}/],
    ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{16,}/],
    ['a password in a URL', /:\/\/[^/\s"]+:[^@/\s"]+@/],
  ] as const) {
    if (re.test(log)) leaks.push(`${what}: ${log.match(re)![0].slice(0, 40)}`);
  }
  // email: no address, no body text
  for (const e of emails) if (log.includes(e)) leaks.push(`the customer's address ${e}`);
  for (const m of sys.sandbox!.smtp.messages()) {
    for (const sentence of m.text.split(/\n+/).map((l) => l.trim()).filter((l) => l.length >= 40 && !/^https?:\/\//.test(l))) {
      if (log.includes(JSON.stringify(sentence).slice(1, -1))) leaks.push(`a line of the email "${m.subject}": ${sentence.slice(0, 60)}`);
    }
  }
  assert.deepEqual([...new Set(leaks)], [], 'found in the logs');
});
