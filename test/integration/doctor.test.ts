// npm run doctor against the sandbox world: all green exits 0; every failure it reports (a revoked key or token, an IP not
// whitelisted, a missing webhook registration or events, SMTP refusing the password, too small a balance) is seen and named.
import { sellerEnv } from '../support/seller.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startSandboxWorld, writeEndpoints, type SandboxWorld } from '../../src/sandbox/world.ts';
import { runDoctor } from '../../src/doctor/run.ts';
import type { Finding } from '../../src/doctor/report.ts';
import { modeFinding, type DoctorContext } from '../../src/doctor/context.ts';
import { checkSettings } from '../../src/doctor/checks/settings.ts';
import { checkPublicUrl } from '../../src/doctor/checks/public-url.ts';
import { freshDatabase } from '../support/db.ts';
import { freePort } from '../../src/db/embedded.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** where the world says it delivers webhooks: the app's address, as world.json records it once the app listens */
const APP = 'http://127.0.0.1:3999';

let world: SandboxWorld;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataDir: string;
let env: Record<string, string>;

const only = (all: Finding[], group: string, checked: string) => {
  const found = all.filter((f) => f.group === group && f.checked === checked);
  assert.equal(found.length, 1, `one finding ${group} / ${checked}: ${JSON.stringify(all)}`);
  return found[0];
};
const failures = (all: Finding[]) => all.filter((f) => f.result === 'failure');

/** the doctor in process, with a fault in place; `heal` puts the world back */
async function doctorWith(harm: () => void, heal: () => void, sendTest = false) {
  harm();
  try {
    return await runDoctor({ env, sendTest });
  } finally {
    heal();
  }
}

function spawnDoctor(args: string[], extraEnv: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'doctor', '--', ...args], { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('npm run doctor against the sandbox world', () => {
  before(async () => {
    database = await freshDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-doctor-'));
    env = { DATA_DIR: dataDir, DATABASE_URL: database.url, OPERATOR_EMAIL: 'ops@boulangerie-dupont.fr', LOG_LEVEL: 'silent' };
    world = await startSandboxWorld({ config: loadConfig(env), webhookBaseUrl: () => APP, persist: false });
    // as npm start leaves it: the doctor attaches to the world this DATA_DIR names
    writeEndpoints(path.join(dataDir, 'sandbox', 'world.json'), world);
  });

  after(async () => {
    await world.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('all green against the running world: every provider answers, nothing blocks, and the world was attached to', async () => {
    const report = await runDoctor({ env });
    assert.deepEqual(failures(report.findings), []);
    assert.equal(report.ok, true);
    assert.equal(report.world, 'attached');
    assert.match(
      only(report.findings, 'Stripe', 'webhook endpoint').detail,
      /^we_\w+ at http:\/\/127\.0\.0\.1:3999\/api\/concierge\/webhook\/payment, enabled, events: \*$/,
    );
    assert.match(
      only(report.findings, 'PayPal', 'webhook').detail,
      /^WH-SANDBOX-\w+ at http:\/\/127\.0\.0\.1:3999\/api\/concierge\/webhook\/payment\/paypal, events: \*$/,
    );
    assert.match(
      only(report.findings, 'Namecheap', 'balance').detail,
      /^1000\.00 USD available: covers the dearest registration we sell, \.io \(45\.00 EUR ≈ 54\.45 USD at 1\.1 USD\/EUR \+ 10 %\)$/,
    );
    assert.equal(only(report.findings, 'SMTP', 'greets and authenticates').result, 'ok');
    assert.match(only(report.findings, 'Database', 'reachable').detail, /^PostgreSQL \d+/);
    for (const group of ['Stripe', 'PayPal', 'Namecheap', 'Netlify', 'SMTP', 'DNS resolver']) {
      assert.ok(
        report.findings.filter((f) => f.group === group).every((f) => f.mode === 'sandbox' && f.result === 'ok'),
        group,
      );
    }
  });

  test('a revoked Stripe key: refused 401 api_key_expired, with what to do', async () => {
    const report = await doctorWith(
      () => world.stripe.faults.set({ revokedCredentials: true }),
      () => world.stripe.faults.reset(),
    );
    const f = only(report.findings, 'Stripe', 'secret key accepted');
    assert.equal(f.result, 'failure');
    assert.match(f.detail, /^sk_test_…\w{4}: authentication_failed \(HTTP 401\): Expired API Key provided: sk_test_/);
    assert.match(f.fix!, /roll a secret key .* set STRIPE_SECRET_KEY/);
    assert.deepEqual(
      failures(report.findings).map((x) => x.group),
      ['Stripe'],
    );
    assert.equal(report.ok, false);
  });

  test('Stripe webhook endpoint lacking events the pipeline handles: named, one by one', async () => {
    const id = world.stripe.webhookEndpoints.appEndpointId;
    const report = await doctorWith(
      () => world.stripe.webhookEndpoints.update(id, { enabled_events: ['checkout.session.completed', 'charge.refunded'] }),
      () => world.stripe.webhookEndpoints.update(id, { enabled_events: ['*'] }),
    );
    const f = only(report.findings, 'Stripe', 'webhook endpoint');
    assert.equal(f.result, 'failure');
    assert.equal(
      f.detail,
      `${id} at ${APP}/api/concierge/webhook/payment does not take checkout.session.async_payment_succeeded, checkout.session.async_payment_failed, checkout.session.expired`,
    );
    assert.match(f.fix!, /^add checkout\.session\.async_payment_succeeded, checkout\.session\.async_payment_failed, checkout\.session\.expired to we_/);
  });

  test('a disabled Stripe endpoint is no endpoint', async () => {
    const id = world.stripe.webhookEndpoints.appEndpointId;
    const report = await doctorWith(
      () => world.stripe.webhookEndpoints.update(id, { status: 'disabled' }),
      () => world.stripe.webhookEndpoints.update(id, { status: 'enabled' }),
    );
    assert.match(only(report.findings, 'Stripe', 'webhook endpoint').detail, /is disabled$/);
  });

  test('PayPal webhook not subscribed to the events we use', async () => {
    const id = world.credentials.paypalWebhookId;
    const report = await doctorWith(
      () => world.paypal.webhooks.update(id, { eventTypes: ['CHECKOUT.ORDER.APPROVED'] }),
      () => world.paypal.webhooks.update(id, { eventTypes: ['*'] }),
    );
    const f = only(report.findings, 'PayPal', 'webhook');
    assert.equal(f.result, 'failure');
    assert.match(f.detail, /is not subscribed to PAYMENT\.CAPTURE\.COMPLETED, CHECKOUT\.ORDER\.VOIDED$/);
  });

  test('Namecheap: the client IP not whitelisted is global error 1011150, with where to whitelist it', async () => {
    const report = await doctorWith(
      () => world.namecheap.account.whitelist.delete('127.0.0.1'),
      () => world.namecheap.account.whitelist.add('127.0.0.1'),
    );
    const f = only(report.findings, 'Namecheap', 'credentials and IP whitelist');
    assert.equal(f.result, 'failure');
    assert.match(f.detail, /^ip_not_whitelisted: namecheap\.users\.getBalances: 1011150 Invalid request IP: 127\.0\.0\.1$/);
    assert.match(f.fix!, /^whitelist 127\.0\.0\.1 \(Namecheap → Profile → Tools → Namecheap API Access → Whitelisted IPs\)/);
  });

  test('Namecheap: a balance smaller than the dearest registration we sell', async () => {
    const before = world.namecheap.account.balanceCents;
    const report = await doctorWith(
      () => (world.namecheap.account.balanceCents = 1_000),
      () => (world.namecheap.account.balanceCents = before),
    );
    const f = only(report.findings, 'Namecheap', 'balance');
    assert.equal(f.result, 'failure');
    assert.equal(f.detail, '10.00 USD available: less than the dearest registration we sell, .io (45.00 EUR ≈ 54.45 USD at 1.1 USD/EUR + 10 %)');
    // converted with USD_PER_CURRENCY_UNIT when it is set
    const cheaper = await runDoctor({ env: { ...env, USD_PER_CURRENCY_UNIT: '1.05', TLD_PRICES: 'fr:1200,com:1400' } });
    assert.equal(
      only(cheaper.findings, 'Namecheap', 'balance').detail,
      '1000.00 USD available: covers the dearest registration we sell, .com (14.00 EUR ≈ 16.17 USD at 1.05 USD/EUR + 10 %)',
    );
  });

  test('revoked PayPal credentials: no OAuth token; revoked Namecheap credentials: error 1011102', async () => {
    const paypal = await doctorWith(
      () => world.paypal.faults.set({ revokedCredentials: true }),
      () => world.paypal.faults.reset(),
    );
    const token = only(paypal.findings, 'PayPal', 'credentials (OAuth2 token)');
    assert.equal(token.result, 'failure');
    assert.match(token.detail, /^authentication_failed \(HTTP 401\): PayPal refused the client id or secret$/);
    assert.match(token.fix!, /^check PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET/);
    const namecheap = await doctorWith(
      () => world.namecheap.faults.set({ revokedCredentials: true }),
      () => world.namecheap.faults.reset(),
    );
    const key = only(namecheap.findings, 'Namecheap', 'credentials and IP whitelist');
    assert.match(key.detail, /^auth_failed: namecheap\.users\.getBalances: 1011102 API Key is invalid or API access has not been enabled$/);
    assert.match(key.fix!, /^enable API access and check NAMECHEAP_API_USER, NAMECHEAP_API_KEY and NAMECHEAP_USERNAME/);
  });

  test('PayPal webhook at another URL: the URL it must have', async () => {
    const id = world.credentials.paypalWebhookId;
    const moved = await doctorWith(
      () => world.paypal.webhooks.update(id, { url: 'https://old.example/hook' }),
      () => world.paypal.webhooks.update(id, { url: `${APP}/api/concierge/webhook/payment/paypal` }),
    );
    const f = only(moved.findings, 'PayPal', 'webhook');
    assert.equal(f.detail, `${id} listens at https://old.example/hook, not ${APP}/api/concierge/webhook/payment/paypal`);
    assert.match(f.fix!, /^change its URL to http:\/\/127\.0\.0\.1:3999\/api\/concierge\/webhook\/payment\/paypal/);
  });

  test('SANDBOX_ATTACH naming no world: one failure, and no provider is asked', async () => {
    const missing = path.join(dataDir, 'sandbox', 'no-such-world.json');
    const report = await runDoctor({ env: { ...env, SANDBOX_ATTACH: missing } });
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.findings.map((f) => [f.group, f.result]),
      [['Sandbox world', 'failure']],
    );
    assert.match(report.findings[0].detail, /no-such-world\.json: ENOENT/);
  });

  test('the DNS resolver failing to answer a name it must know', async () => {
    const report = await doctorWith(
      () => world.dns.faults.set({ errorRate: 1 }),
      () => world.dns.faults.reset(),
    );
    const f = only(report.findings, 'DNS resolver', 'resolves a known name');
    assert.equal(f.result, 'failure');
    assert.match(f.detail, /^parkingpage\.namecheap\.com through the sandbox DNS \(127\.0\.0\.1:\d+\): .*SERVFAIL/);
  });

  test('a database that does not answer', async () => {
    const port = await freePort();
    const report = await runDoctor({ env: { ...env, DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/conciergerie` } });
    const f = only(report.findings, 'Database', 'reachable');
    assert.deepEqual([f.result, f.detail], ['failure', `127.0.0.1:${port}/conciergerie: connect ECONNREFUSED 127.0.0.1:${port}`]);
  });

  test('a revoked Netlify token: 401 on GET /user', async () => {
    const report = await doctorWith(
      () => world.netlify.faults.set({ revokedCredentials: true }),
      () => world.netlify.faults.reset(),
    );
    const f = only(report.findings, 'Netlify', 'token accepted');
    assert.equal(f.result, 'failure');
    assert.match(f.detail, /^auth_failed \(HTTP 401\): GET \/user: Access Denied$/);
    assert.match(f.fix!, /set NETLIFY_AUTH_TOKEN$/);
  });

  test('SMTP refusing the password: 535 at AUTH, read as auth', async () => {
    const report = await doctorWith(
      () => world.smtp.faults.set({ revokedCredentials: true }),
      () => world.smtp.faults.reset(),
    );
    const f = only(report.findings, 'SMTP', 'greets and authenticates');
    assert.equal(f.result, 'failure');
    assert.match(
      f.detail,
      /^smtp:\/\/conciergerie@127\.0\.0\.1:\d+: auth \(SMTP 535\): primary: Invalid login: 535 5\.7\.8 Authentication credentials invalid$/,
    );
    assert.match(f.fix!, /user and password .* \(SMTP_URL\)$/);
  });

  test('--send-test sends one message to OPERATOR_EMAIL, and only then', async () => {
    const count = () => world.smtp.messages().filter((m) => m.to.includes('ops@boulangerie-dupont.fr')).length;
    const before = count();
    await runDoctor({ env });
    assert.equal(count(), before, 'no message without --send-test');
    const report = await runDoctor({ env, sendTest: true });
    assert.match(only(report.findings, 'SMTP', 'test message (--send-test)').detail, /^sent to ops@boulangerie-dupont\.fr \(<doctor\./);
    assert.equal(count(), before + 1);
  });

  test('settings npm start would refuse are failures, each named, and nothing else is tried', async () => {
    const report = await runDoctor({ env: { ...env, STRIPE_SECRET_KEY: 'sk_live_0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_x' } });
    assert.equal(report.ok, false);
    assert.equal(report.findings.length, 1);
    assert.match(report.findings[0].detail, /^live payments \(STRIPE_SECRET_KEY is a live key\) with providers that would only pretend: PayPal/);
  });

  test('production: placeholders are failures naming each setting; PUBLIC_URL must answer over HTTPS', async () => {
    const live = {
      NODE_ENV: 'production',
      ...sellerEnv,
      ADMIN_TOKEN: 'a-production-admin-token-0123456789',
      OPERATOR_EMAIL: 'ops@conciergerie.example',
      STRIPE_SECRET_KEY: 'sk_live_0123456789',
      STRIPE_WEBHOOK_SECRET: 'whsec_live',
      PAYPAL_CLIENT_ID: 'id',
      PAYPAL_CLIENT_SECRET: 'secret',
      PAYPAL_WEBHOOK_ID: 'WH-1',
      PAYPAL_BASE_URL: 'https://api-m.paypal.com',
      NAMECHEAP_API_USER: 'shop',
      NAMECHEAP_API_KEY: 'key',
      NAMECHEAP_USERNAME: 'shop',
      NAMECHEAP_CLIENT_IP: '203.0.113.7',
      NETLIFY_AUTH_TOKEN: 'nfp_x',
      SMTP_URL: 'smtp://u:p@127.0.0.1:1',
      PUBLIC_URL: 'http://shop.example',
    };
    // the start refuses the operator's placeholder contacts against the live registrar (tested with loadConfig); the
    // doctor names the same ones from the environment it reads
    const contact = {
      REGISTRAR_CONTACT_FIRST_NAME: 'Marie',
      REGISTRAR_CONTACT_LAST_NAME: 'Morel',
      REGISTRAR_CONTACT_ORGANIZATION: 'Boutique SAS',
      REGISTRAR_CONTACT_ADDRESS: '3 quai Saint-Antoine',
      REGISTRAR_CONTACT_CITY: 'Lyon',
      REGISTRAR_CONTACT_STATE: 'Rhône',
      REGISTRAR_CONTACT_POSTAL_CODE: '69002',
      REGISTRAR_CONTACT_COUNTRY: 'FR',
      REGISTRAR_CONTACT_PHONE: '+33.478112233',
      REGISTRAR_CONTACT_EMAIL: 'domaines@boutique.fr',
    };
    const { REGISTRAR_CONTACT_LAST_NAME: _l, REGISTRAR_CONTACT_PHONE: _p, ...partial } = contact;
    const ctx = { config: loadConfig({ ...live, ...contact }), env: { ...live, ...partial } } as unknown as DoctorContext;
    const settings = checkSettings(ctx);
    const registrar = only(settings, 'Registrar contact', 'admin, tech and billing contact of every domain');
    assert.equal(registrar.result, 'failure');
    assert.equal(registrar.detail, 'placeholder values: REGISTRAR_CONTACT_LAST_NAME, REGISTRAR_CONTACT_PHONE');
    assert.equal(only(settings, 'Operator contacts', 'shown to customers').detail, 'placeholder values: SUPPORT_EMAIL, MAIL_FROM');
    assert.equal(only(settings, 'Alerts', 'alerts and reports reach someone').result, 'failure');
    assert.equal(only(settings, 'Settings', 'SANDBOX').detail, 'off (NODE_ENV=production)');
    assert.deepEqual(
      (await checkPublicUrl(ctx)).map((f) => [f.result, f.detail]),
      [['failure', 'http://shop.example is not https']],
    );
    // https that does not answer: the failure says why
    const port = await freePort();
    const unreachable = { ...live, ...contact, PUBLIC_URL: `https://127.0.0.1:${port}` };
    const [f] = await checkPublicUrl({ config: loadConfig(unreachable), env: unreachable } as unknown as DoctorContext);
    assert.deepEqual([f.result, f.detail], ['failure', `GET https://127.0.0.1:${port}/healthz: ECONNREFUSED`]);
    // a test mode in production takes pretend money for real work: it blocks; a demonstration's sandbox world is said
    const staging = { ...live, ...contact, STRIPE_SECRET_KEY: 'sk_test_0123', PAYPAL_BASE_URL: 'https://api-m.sandbox.paypal.com' };
    const stagingCtx = { config: loadConfig(staging), env: staging } as unknown as DoctorContext;
    assert.deepEqual(
      modeFinding(stagingCtx, 'Stripe', stagingCtx.config.modes.stripe, 'a live key').map((f) => [f.result, f.detail, f.fix]),
      [['failure', 'test mode in production: nothing real would be paid or bought', 'set a live key']],
    );
    const demo = { NODE_ENV: 'production', SANDBOX: 'on', ADMIN_TOKEN: live.ADMIN_TOKEN, OPERATOR_EMAIL: 'ops@shop.fr', ...sellerEnv };
    const demoCtx = { config: loadConfig(demo), env: demo } as unknown as DoctorContext;
    assert.deepEqual(
      modeFinding(demoCtx, 'Netlify', 'sandbox', 'NETLIFY_AUTH_TOKEN').map((f) => f.result),
      ['warning'],
    );
    assert.equal(only(checkSettings(demoCtx), 'Settings', 'SANDBOX').result, 'warning');
    assert.equal(
      only(checkSettings(demoCtx), 'Registrar contact', 'admin, tech and billing contact of every domain').result,
      'warning',
      'a demonstration is not going live',
    );
    // outside production the same http address is only a warning
    assert.equal(
      (await checkPublicUrl({ config: loadConfig({ PUBLIC_URL: 'http://shop.example' }), env: {} } as unknown as DoctorContext))[0].result,
      'warning',
    );
  });

  test('npm run doctor: with no world running it starts one and exits 0 (--json); a failure prints the table and exits 1', async () => {
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-doctor-alone-'));
    try {
      const green = await spawnDoctor(['--json'], { DATA_DIR: alone, DATABASE_URL: database.url, NODE_ENV: 'development' });
      assert.equal(green.code, 0, green.err + green.out);
      const report = JSON.parse(green.out) as { ok: boolean; world: string; findings: Finding[] };
      assert.deepEqual([report.ok, report.world], [true, 'started']);
      assert.equal(only(report.findings, 'Stripe', 'webhook endpoint').detail.includes('http://localhost:3000/api/concierge/webhook/payment'), true);
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
    world.netlify.faults.set({ revokedCredentials: true });
    try {
      const red = await spawnDoctor([], { ...env, NODE_ENV: 'development' });
      assert.equal(red.code, 1, red.err + red.out);
      assert.match(red.out, /^Conciergerie doctor \(NODE_ENV=development, SANDBOX=auto\)$/m);
      assert.match(red.out, /^PROVIDER \/ SETTINGS +MODE +CHECKED +RESULT +DETAIL$/m);
      assert.match(red.out, /^Netlify +sandbox +token accepted +FAILURE +auth_failed \(HTTP 401\)/m);
      assert.match(red.out, /^ +→ create a personal access token/m);
      assert.match(red.out, /1 failure\(s\): this installation cannot go live until the failures are fixed\.$/m);
    } finally {
      world.netlify.faults.reset();
    }
  });

  // last: these remove the app's registrations for good
  test('Stripe webhook endpoint missing: the URL it must have, and where to add it', async () => {
    world.stripe.webhookEndpoints.remove(world.stripe.webhookEndpoints.appEndpointId);
    const f = only((await runDoctor({ env })).findings, 'Stripe', 'webhook endpoint');
    assert.equal(f.result, 'failure');
    assert.equal(f.detail, `no endpoint at ${APP}/api/concierge/webhook/payment (the account has none)`);
    assert.match(
      f.fix!,
      /^add an endpoint at http:\/\/127\.0\.0\.1:3999\/api\/concierge\/webhook\/payment for checkout\.session\.completed, .* \(Stripe Dashboard → Developers → Webhooks\), then set STRIPE_WEBHOOK_SECRET/,
    );
  });

  test("PayPal webhook missing: PAYPAL_WEBHOOK_ID names none of the app's webhooks", async () => {
    world.paypal.webhooks.remove(world.credentials.paypalWebhookId);
    const f = only((await runDoctor({ env })).findings, 'PayPal', 'webhook');
    assert.equal(f.result, 'failure');
    assert.equal(f.detail, `no webhook ${world.credentials.paypalWebhookId} (the app's webhooks: none)`);
    assert.match(
      f.fix!,
      /^add a webhook at http:\/\/127\.0\.0\.1:3999\/api\/concierge\/webhook\/payment\/paypal for CHECKOUT\.ORDER\.APPROVED, PAYMENT\.CAPTURE\.COMPLETED, CHECKOUT\.ORDER\.VOIDED .* and set PAYPAL_WEBHOOK_ID to its id$/,
    );
  });
});
