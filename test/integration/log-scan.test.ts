// The logs of a full run, at trace level, hold no secret (every secret setting, sessions, provider credentials, webhook signatures, tracking tokens), no email body or address, no domain holder’s personal data and no uploaded content; no email holds a secret either.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { redactPaths } from '../../src/log.ts';
import { startSystem, type System } from '../../src/system.ts';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { startSmtpServer, type SandboxSmtpServer } from '../../src/sandbox/smtp/server.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';
import { runDailyReport, yesterday } from '../../src/monitoring/report.ts';
import { freshDatabase } from '../support/db.ts';
import { eventually } from '../support/system.ts';
import { png } from '../support/images.ts';
import { siteZip } from '../support/zip.ts';
import { send } from '../security/corpus.ts';
import { HOLDER } from '../support/holder.ts';

const lines: string[] = [];
let sys: System;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataDir: string;
let smtp: SandboxSmtpServer;
let hookServer: http.Server;
const hooks: { signature: string; body: string }[] = [];

// every secret setting, each a value that cannot turn up by chance
const ADMIN_TOKEN = 'log-scan-admin-token-9f8e7d6c5b4a3f2e1d';
const ADMIN_PASSWORD = 'log-scan-password-Zq8!wX4#';
const METRICS_TOKEN = 'log-scan-metrics-token-5e4d3c2b1a0f9e8d';
const SMTP_USER = 'log-scan-mailer';
const SMTP_PASS = 'log-scan-smtp-pass-Kx7#pQ2';
const ALERT_WEBHOOK_SECRET = 'log-scan-alert-hook-secret-3a2b1c0d';
const OPERATOR_EMAIL = 'log-scan-ops@example.org';
// what customers upload and type into their site: their content, not the logs'
const ARCHIVE_CONTENT = `archive-content-${crypto.randomBytes(8).toString('hex')}`;
const DOCUMENT_CONTENT = `document-content-${crypto.randomBytes(8).toString('hex')}`;
const PICTURE = png(24, 18, [31, 41, 59]);

before(async () => {
  smtp = await startSmtpServer({ faults: new FaultInjector(), user: SMTP_USER, pass: SMTP_PASS });
  hookServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push({ signature: String(req.headers['x-conciergerie-signature'] ?? ''), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  database = await freshDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-logscan-'));
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    ADMIN_PASSWORD,
    METRICS_TOKEN,
    // mail through an SMTP server that wants credentials: the real adapter, with a password to keep
    SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${smtp.port}`,
    OPERATOR_EMAIL,
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/alerts`,
    ALERT_WEBHOOK_SECRET,
    ALERT_WEBHOOK_REJECTED_THRESHOLD: '2',
    ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS: '600',
    ALERT_EVALUATE_SECONDS: '3600',
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
  await smtp?.close();
  hookServer?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = (p: string, init: { method?: string; body?: object | string | Buffer; headers?: Record<string, string> } = {}) =>
  send(sys.url!, { method: init.method ?? (init.body ? 'POST' : 'GET'), path: p, body: init.body, headers: init.headers });

/** The domain's holder: personal data, each value one that cannot turn up in a log by chance. */
const SECRET_HOLDER = {
  ...HOLDER,
  firstName: 'Holderfirst-Qz7',
  lastName: 'Holderlast-Xw3',
  birthDate: '1971-03-29',
  birthPlace: '13007 Marseille-Kp5',
  address1: '17 impasse Secrète-Zq9',
  address2: 'Bâtiment Caché-Vb2',
  postalCode: '13007',
  phone: '+33.698765432',
};

async function order(domain: string, email: string, provider: 'stripe' | 'paypal') {
  const r = await api('/api/request-concierge-service', {
    body: {
      holder: SECRET_HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Secret',
      email,
      domain,
      tier: 'express',
      locale: 'fr',
      city: 'Lyon',
      paymentProvider: provider,
    },
  });
  assert.equal(r.status, 201, r.text);
  return r.json as { orderId: string; trackingToken: string };
}
async function pay(orderId: string, provider: 'stripe' | 'paypal') {
  const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', orderId).executeTakeFirstOrThrow();
  if (provider === 'stripe') sys.sandbox!.stripe.pay(link.provider_ref!);
  else sys.sandbox!.paypal.approve(link.provider_ref!);
}
const stateOf = async (token: string) => (await api(`/api/concierge/status/${token}`)).json?.state;
const timeline = async (orderId: string, type: string) =>
  sys.db.selectFrom('order_events').select('data').where('order_id', '=', orderId).where('type', '=', type).execute();

test('a full run: orders, the editor, an archive, webhooks good and bad, alerts by email and signed webhook, the daily report, metrics, the admin console — and its logs leak nothing', async () => {
  const emails = [
    'secret.customer.one@example.org',
    'secret.customer.two@example.org',
    'secret.customer.three@example.org',
    'secret.customer.four@example.org',
  ];
  const delivered = await order('atelier-secret-un.fr', emails[0]!, 'stripe');
  const paypal = await order('atelier-secret-deux.fr', emails[1]!, 'paypal');
  // the fourth customer sends a ZIP of their own site before paying: it is what goes live
  const archived = await order('atelier-secret-quatre.fr', emails[3]!, 'stripe');
  const zip = siteZip('', [{ name: 'about.html', data: `<p>${ARCHIVE_CONTENT}</p>` }]);
  const uploaded = await api(`/api/concierge/status/${archived.trackingToken}/archive`, { body: zip, headers: { 'content-type': 'application/zip' } });
  assert.equal(uploaded.status, 201, uploaded.text);
  await pay(delivered.orderId, 'stripe');
  await pay(paypal.orderId, 'paypal');
  await pay(archived.orderId, 'stripe');
  const tokens = [delivered.trackingToken, paypal.trackingToken, archived.trackingToken];
  await eventually(async () => (await Promise.all(tokens.map(stateOf))).every((s) => s === 'delivered'), 90_000, 200).catch(async (err) =>
    assert.fail(`${(err as Error).message}: ${await Promise.all(tokens.map(stateOf))}`),
  );
  // one whose host keeps failing: refunded, and the customer told
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  const refunded = await order('atelier-secret-trois.fr', emails[2]!, 'stripe');
  await pay(refunded.orderId, 'stripe');
  await eventually(async () => (await stateOf(refunded.trackingToken)) === 'refunded', 60_000, 200);
  sys.sandbox!.netlify.faults.reset();

  // the editor on the delivered site: a picture, the document saved, published
  const t = delivered.trackingToken;
  const picture = await api(`/api/sites/${t}/assets?kind=picture&filename=vitrine.png`, { body: PICTURE, headers: { 'content-type': 'image/png' } });
  assert.equal(picture.status, 201, picture.text);
  const site = await api(`/api/sites/${t}`);
  const saved = await api(`/api/sites/${t}`, {
    method: 'PUT',
    body: {
      version: site.json.version,
      document: { ...site.json.document, about: `Notre histoire : ${DOCUMENT_CONTENT}`, pictures: [{ assetId: picture.json.id, alt: 'La vitrine' }] },
    },
  });
  assert.equal(saved.status, 200, saved.text);
  assert.equal((await api(`/api/sites/${t}/preview`)).status, 200);
  assert.equal((await api(`/api/sites/${t}/publish`, { method: 'POST' })).status, 202);
  await eventually(async () => (await timeline(delivered.orderId, 'site_published')).length > 0, 30_000, 200);

  // webhooks: a forged one, a stale one, a replay
  const event = sys.sandbox!.stripe.events().find((e) => e.event.type === 'checkout.session.completed')!;
  const body = JSON.stringify(event.event, null, 2);
  const secret = sys.sandbox!.credentials.stripeWebhookSecret;
  const hook = (signature: string) =>
    api('/api/concierge/webhook/payment', { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
  assert.equal((await hook(signStripePayload(body, 'whsec_forged'))).status, 400);
  assert.equal((await hook(signStripePayload(body, secret, 1))).status, 400);
  assert.equal((await hook(signStripePayload(body, secret))).status, 200);

  // alerts: the refused webhooks open one, announced by email and by the signed webhook
  await evaluateAlerts(sys.deps);
  await eventually(async () => hooks.length > 0, 20_000, 100);
  const [signed] = hooks;
  const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signed!.signature) ?? [];
  assert.equal(v1, crypto.createHmac('sha256', ALERT_WEBHOOK_SECRET).update(`${ts}.${signed!.body}`).digest('hex'), 'the webhook was signed with the secret');
  // the daily report, emailed to the operators
  await runDailyReport(sys.deps, yesterday(sys.deps));
  await eventually(async () => smtp.messages().filter((m) => m.to.includes(OPERATOR_EMAIL)).length >= 2, 20_000, 100);
  await eventually(async () => smtp.messages().filter((m) => emails.some((e) => m.to.includes(e))).length >= 12, 20_000, 100);

  // metrics, with the scrape token and with a wrong one
  assert.equal((await api('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 200);
  assert.equal((await api('/metrics', { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } })).status, 401);

  // the admin console: a failed and a good login, a session, reads and an action
  await api('/api/admin/login', { body: { password: 'wrong-password-123' } });
  const login = await api('/api/admin/login', { body: { password: ADMIN_PASSWORD } });
  assert.equal(login.status, 200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const session = { cookie, 'x-csrf-token': login.json.csrfToken as string };
  assert.equal((await api('/api/admin/orders', { headers: session })).status, 200);
  assert.equal((await api(`/api/admin/orders/${delivered.orderId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
  assert.equal((await api('/api/admin/outbox', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
  assert.equal((await api('/api/admin/alerts', { headers: session })).status, 200);
  assert.equal((await api('/api/admin/reports/daily', { headers: session })).status, 200);
  await api(`/api/admin/orders/${delivered.orderId}/retry`, { method: 'POST', body: {}, headers: session });
  await api('/api/admin/logout', { method: 'POST', headers: session });
  await api('/api/admin/orders', { headers: { authorization: 'Bearer not-the-token-but-close-enough' } });
  await new Promise((r) => setTimeout(r, 500));

  // ---- the scan ----
  const log = lines.join('');
  assert.ok(lines.length > 50, `a full run logs something (${lines.length} lines)`);
  for (const [what, event] of [
    ['the archive', '"site_archive_uploaded"'],
    ['the publish', '"site_published"'],
    ['the daily report', '"daily_report"'],
    ['an email', '"email_sent"'],
    ['the refund', 'atelier-secret-trois.fr'],
  ]) {
    assert.ok(log.includes(event!), `the scan reads the run’s real log lines (${what})`);
  }
  assert.ok(log.includes(delivered.orderId));
  const creds = sys.sandbox!.credentials;
  const trackingTokens = (await sys.db.selectFrom('orders').select('tracking_token').execute()).map((o) => o.tracking_token);
  const dbPassword = decodeURIComponent(new URL(database.url).password);
  const secrets: [string, string][] = [
    ['ADMIN_TOKEN', ADMIN_TOKEN],
    ['ADMIN_PASSWORD', ADMIN_PASSWORD],
    ['METRICS_TOKEN', METRICS_TOKEN],
    ['the SMTP password', SMTP_PASS],
    ['SMTP_URL', sys.config.SMTP_URL!],
    ['ALERT_WEBHOOK_SECRET', ALERT_WEBHOOK_SECRET],
    ['the alert webhook signature', v1!],
    ['admin session cookie', cookie.split('=')[1]!],
    ['CSRF token', session['x-csrf-token']],
    ['Stripe secret key', creds.stripeSecretKey],
    ['Stripe webhook secret', creds.stripeWebhookSecret],
    ['PayPal client secret', creds.paypalClientSecret],
    ['Namecheap API key', creds.namecheapApiKey],
    ['Netlify token', creds.netlifyToken],
    ['the database password', dbPassword],
  ];
  assert.ok(
    secrets.every(([, v]) => v && v.length >= 8),
    'every secret is a real value',
  );
  const leaks = [...secrets, ...trackingTokens.map((v, i) => [`tracking token #${i + 1}`, v] as [string, string])]
    .filter(([, v]) => log.includes(v))
    .map(([what]) => what);
  // shapes of secrets whose exact value the test does not hold
  for (const [what, re] of [
    ['a PayPal access token', /A21AA[A-Za-z0-9_-]{20,}/],
    ['a Stripe or alert signature', /v1=[0-9a-f]{64}/],
    ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{16,}/],
    ['a password in a URL', /:\/\/[^/\s"]+:[^@/\s"]+@/],
  ] as const) {
    if (re.test(log)) leaks.push(`${what}: ${log.match(re)![0].slice(0, 40)}`);
  }
  // what customers sent: addresses, email text, their site's content and files
  for (const e of emails) if (log.includes(e)) leaks.push(`the customer's address ${e}`);
  // the domain's holder, given with every order and sent to the registrar
  for (const field of ['firstName', 'lastName', 'birthDate', 'birthPlace', 'address1', 'address2', 'phone'] as const) {
    if (log.includes(SECRET_HOLDER[field])) leaks.push(`the holder's ${field}`);
  }
  // the registrar's wire form of the phone (+33.698765432) and the attribute's date, in case a call was logged
  if (log.includes('698765432')) leaks.push('the holder’s phone number');
  for (const [what, v] of [
    ['an archive file’s content', ARCHIVE_CONTENT],
    ['the site document’s text', DOCUMENT_CONTENT],
    ['the uploaded picture’s bytes', PICTURE.subarray(16, 40).toString('base64')],
    ['the uploaded picture’s bytes (hex)', PICTURE.subarray(16, 40).toString('hex')],
  ]) {
    if (log.includes(v!)) leaks.push(what!);
  }
  const mails = smtp.messages();
  assert.ok(mails.length >= 14, `${mails.length} emails`);
  for (const m of mails) {
    for (const sentence of m.text
      .split(/\n+/)
      .map((l) => l.trim())
      .filter((l) => l.length >= 40 && !/^https?:\/\//.test(l))) {
      if (log.includes(JSON.stringify(sentence).slice(1, -1))) leaks.push(`a line of the email "${m.subject}": ${sentence.slice(0, 60)}`);
    }
    // and no email carries a secret (tracking tokens are in them on purpose: they are the customer's links)
    for (const [what, v] of secrets) if (`${m.subject}\n${m.text}\n${m.html}`.includes(v)) leaks.push(`${what} in the email "${m.subject}"`);
  }
  assert.deepEqual([...new Set(leaks)], [], 'found in the logs');
});
