// No real money for pretend work: each provider's mode (sandbox world, test mode, live) and the rules loadConfig applies.
import { sellerEnv } from '../support/seller.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { describeModes, providerModes } from '../../src/provider-modes.ts';

const stripeLive = { STRIPE_SECRET_KEY: 'sk_live_0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_live' };
const stripeTest = { STRIPE_SECRET_KEY: 'sk_test_0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_test' };
const paypalCredentials = { PAYPAL_CLIENT_ID: 'client', PAYPAL_CLIENT_SECRET: 'secret', PAYPAL_WEBHOOK_ID: 'WH-1' };
const paypalLive = { ...paypalCredentials, PAYPAL_BASE_URL: 'https://api-m.paypal.com' };
const paypalTest = { ...paypalCredentials, PAYPAL_BASE_URL: 'https://api-m.sandbox.paypal.com' };
/** the operator's contact, published to the registries as each domain's admin, tech and billing contact */
const operatorContact = {
  REGISTRAR_CONTACT_FIRST_NAME: 'Claire',
  REGISTRAR_CONTACT_LAST_NAME: 'Morel',
  REGISTRAR_CONTACT_ORGANIZATION: 'Atelier Web SAS',
  REGISTRAR_CONTACT_ADDRESS: '3 quai Saint-Antoine',
  REGISTRAR_CONTACT_CITY: 'Lyon',
  REGISTRAR_CONTACT_STATE: 'Rhône',
  REGISTRAR_CONTACT_POSTAL_CODE: '69002',
  REGISTRAR_CONTACT_COUNTRY: 'FR',
  REGISTRAR_CONTACT_PHONE: '+33.478112233',
  REGISTRAR_CONTACT_EMAIL: 'domaines@atelier-web.fr',
};
const namecheapCredentials = { NAMECHEAP_API_USER: 'shop', NAMECHEAP_API_KEY: 'key', NAMECHEAP_USERNAME: 'shop', NAMECHEAP_CLIENT_IP: '203.0.113.7' };
const namecheapLive = { ...namecheapCredentials, ...operatorContact };
const namecheapTest = { ...namecheapLive, NAMECHEAP_BASE_URL: 'https://api.sandbox.namecheap.com/xml.response' };
const netlify = { NETLIFY_AUTH_TOKEN: 'nfp_token' };
const smtp = { SMTP_URL: 'smtp://mailer:pw@smtp.shop.example:587' };
const everyLive = { ...stripeLive, ...paypalLive, ...namecheapLive, ...netlify, ...smtp };
const production = { NODE_ENV: 'production', ADMIN_TOKEN: 'a-production-admin-token-0123456789', OPERATOR_EMAIL: 'ops@shop.example', ...sellerEnv };

/** the one problem loadConfig reports for `env` (there must be exactly one) */
function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 1, err.message);
    return err.problems[0];
  }
  assert.fail('the configuration was accepted');
}

test('modes: no credentials is the sandbox world; a Stripe key says test or live by its prefix', () => {
  const c = loadConfig({});
  assert.deepEqual(c.modes, {
    stripe: 'sandbox',
    paypal: 'sandbox',
    namecheap: 'sandbox',
    netlify: 'sandbox',
    smtp: 'sandbox',
    availability: 'sandbox',
    dns: 'sandbox',
  });
  assert.equal(c.SANDBOX, 'auto');
  assert.equal(loadConfig(stripeTest).modes.stripe, 'test');
  assert.equal(loadConfig({ ...stripeTest, STRIPE_SECRET_KEY: 'rk_test_0123' }).modes.stripe, 'test');
  assert.equal(providerModes(loadConfig(everyLive)).stripe, 'live');
  assert.equal(providerModes({ ...loadConfig({}), STRIPE_SECRET_KEY: 'rk_live_0123' }).stripe, 'live');
});

test('modes: PayPal is live only on api-m.paypal.com; Namecheap is in test mode on api.sandbox.namecheap.com', () => {
  assert.equal(loadConfig(paypalCredentials).modes.paypal, 'test', "the default base URL is PayPal's sandbox");
  assert.equal(loadConfig(paypalTest).modes.paypal, 'test');
  assert.equal(loadConfig(everyLive).modes.paypal, 'live');
  const nc = loadConfig(namecheapTest);
  assert.deepEqual([nc.modes.namecheap, nc.modes.availability], ['test', 'live']);
  assert.equal(loadConfig(namecheapLive).modes.namecheap, 'live', 'the default base URL is the live API');
  const hosted = loadConfig(netlify);
  assert.deepEqual([hosted.modes.netlify, hosted.modes.dns, hosted.sandbox.hosting], ['live', 'live', false]);
  assert.match(
    describeModes(loadConfig(everyLive).modes),
    /^Stripe live · PayPal live · Namecheap live · Netlify live · SMTP live · RDAP\/whois live · DNS resolver live$/,
  );
});

test('a live Stripe key with sandbox providers refuses to start, in development too, naming every missing setting', () => {
  const problem = problemOf(stripeLive);
  assert.match(problem, /^live payments \(STRIPE_SECRET_KEY is a live key\) with providers that would only pretend:/);
  assert.match(
    problem,
    /PayPal \(sandbox world: set PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID, PAYPAL_BASE_URL=https:\/\/api-m\.paypal\.com\)/,
  );
  assert.match(problem, /Namecheap \(sandbox world: set NAMECHEAP_API_USER, NAMECHEAP_API_KEY, NAMECHEAP_USERNAME, NAMECHEAP_CLIENT_IP\)/);
  assert.match(problem, /Netlify \(sandbox world: set NETLIFY_AUTH_TOKEN\)/);
  assert.match(problem, /SMTP \(sandbox world: set SMTP_URL\)/);
  // one provider forgotten: only it is named
  const { NETLIFY_AUTH_TOKEN: _, ...withoutNetlify } = everyLive;
  const one = problemOf(withoutNetlify);
  assert.match(one, /Netlify \(sandbox world: set NETLIFY_AUTH_TOKEN\)$/);
  assert.doesNotMatch(one, /SMTP|Namecheap \(|PayPal \(/);
  assert.match(problemOf({ ...everyLive, SMTP_URL: '' }), /SMTP \(sandbox world: set SMTP_URL\)$/);
});

test('live payments with a provider in its test mode refuse to start too (pretend money for real work, or the reverse)', () => {
  assert.match(
    problemOf({ ...everyLive, ...paypalTest }),
    /^live payments \(STRIPE_SECRET_KEY is a live key\) .*: PayPal \(test mode: set PAYPAL_BASE_URL=https:\/\/api-m\.paypal\.com \(and live credentials\)\)$/,
  );
  assert.match(problemOf({ ...everyLive, ...namecheapTest }), /Namecheap \(test mode: set NAMECHEAP_BASE_URL=https:\/\/api\.namecheap\.com\/xml\.response/);
  assert.match(
    problemOf({ ...everyLive, ...stripeTest }),
    /^live payments \(PAYPAL_BASE_URL is PayPal's live API\) .*Stripe \(test mode: set STRIPE_SECRET_KEY to a live key/,
  );
  const { STRIPE_SECRET_KEY: _k, STRIPE_WEBHOOK_SECRET: _s, ...paypalOnly } = everyLive;
  assert.match(problemOf(paypalOnly), /Stripe \(sandbox world: set STRIPE_SECRET_KEY \(sk_live_…\), STRIPE_WEBHOOK_SECRET\)$/);
});

test('every provider live starts, in development and in production (where SANDBOX resolves to off)', () => {
  assert.equal(loadConfig(everyLive).SANDBOX, 'auto');
  const c = loadConfig({ ...everyLive, ...production });
  assert.equal(c.SANDBOX, 'off');
  assert.equal(c.sandbox.any, false);
  assert.ok(Object.values(c.modes).every((m) => m === 'live'));
});

test('against Namecheap’s live API the operator’s contact must be true: the start names each placeholder left', () => {
  const { REGISTRAR_CONTACT_PHONE: _p, REGISTRAR_CONTACT_ORGANIZATION: _o, ...partial } = operatorContact;
  const live = { ...stripeLive, ...paypalLive, ...namecheapCredentials, ...netlify, ...smtp };
  const problem = problemOf({ ...live, ...partial, REGISTRAR_CONTACT_EMAIL: 'ops@example.com' });
  assert.match(problem, /^REGISTRAR_CONTACT_ORGANIZATION, REGISTRAR_CONTACT_PHONE, REGISTRAR_CONTACT_EMAIL: the operator's contact/);
  // the made-up default phone is a placeholder even when written out
  assert.match(problemOf({ ...everyLive, REGISTRAR_CONTACT_PHONE: '+33.123456789' }), /^REGISTRAR_CONTACT_PHONE:/);
  // Namecheap's own sandbox (test mode) and our sandbox world take the placeholders
  assert.doesNotThrow(() => loadConfig({ ...namecheapCredentials, NAMECHEAP_BASE_URL: namecheapTest.NAMECHEAP_BASE_URL }));
  assert.doesNotThrow(() => loadConfig({}));
});

test('NODE_ENV=production means SANDBOX=off unless SANDBOX=on: sandbox providers are refused, named', () => {
  const problem = problemOf(production);
  assert.match(
    problem,
    /^NODE_ENV=production \(SANDBOX=off unless SANDBOX=on is set for a demonstration\), but these providers would run in the sandbox world:/,
  );
  assert.match(problem, /Netlify \(sandbox world: set NETLIFY_AUTH_TOKEN\)/);
  assert.match(problemOf({ ...production, SANDBOX: 'auto' }), /^NODE_ENV=production/, 'auto is off in production');
  assert.match(
    problemOf({ ...production, SANDBOX: 'off', ...stripeTest, ...paypalTest, ...namecheapTest, ...netlify }),
    /^SANDBOX=off, but these providers would run in the sandbox world: SMTP \(sandbox world: set SMTP_URL\)$/,
  );
  // test modes are not the sandbox world: a staging installation may run them in production
  assert.equal(loadConfig({ ...production, ...stripeTest, ...paypalTest, ...namecheapTest, ...netlify, ...smtp }).SANDBOX, 'off');
  assert.match(problemOf({ SANDBOX: 'off', ...stripeTest }), /^SANDBOX=off, but these providers/);
});

test('SANDBOX=on is a demonstration installation: the sandbox in production, and every live key refused', () => {
  const demo = loadConfig({ ...production, SANDBOX: 'on' });
  assert.equal(demo.SANDBOX, 'on');
  assert.ok(demo.sandbox.any);
  assert.equal(loadConfig({ SANDBOX: 'on', ...stripeTest, ...paypalTest, ...namecheapTest }).modes.namecheap, 'test');
  assert.match(
    problemOf({ SANDBOX: 'on', ...stripeLive }),
    /^SANDBOX=on is a demonstration installation and refuses live keys: STRIPE_SECRET_KEY is a live key$/,
  );
  assert.match(problemOf({ ...production, SANDBOX: 'on', ...paypalLive }), /refuses live keys: PAYPAL_BASE_URL is PayPal's live API$/);
  assert.match(problemOf({ SANDBOX: 'on', ...namecheapLive }), /refuses live keys: NAMECHEAP_BASE_URL is Namecheap's live API \(it buys real domains\)$/);
  assert.match(problemOf({ SANDBOX: 'on', ...everyLive }), /STRIPE_SECRET_KEY is a live key, PAYPAL_BASE_URL is PayPal's live API, NAMECHEAP_BASE_URL/);
  assert.throws(() => loadConfig({ SANDBOX: 'maybe' }), /SANDBOX/);
});
