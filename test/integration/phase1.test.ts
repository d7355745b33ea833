// Phase 1 end to end on the real database and the sandbox world: check, alternatives, request, idempotency, status, emails, outbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem();
});
after(async () => {
  await sys?.stop();
});

const request = (over: Record<string, unknown> = {}) => ({
  businessName: 'Boulangerie Dupont',
  acceptTerms: true,
  earlyStart: true,
  email: 'marie@example.org',
  domain: 'boulangerie-dupont.fr',
  tier: 'standard',
  holder: HOLDER,
  locale: 'fr',
  city: 'Lyon',
  ...over,
});

const messagesTo = (to: string) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(to));

describe('GET /api/domains/check', () => {
  test('a free name is available, with its price, answered by RDAP', async () => {
    const r = await sys.api('/api/domains/check?name=ma-boutique-libre.fr');
    assert.equal(r.status, 200);
    assert.equal(r.body.domain, 'ma-boutique-libre.fr');
    assert.equal(r.body.available, true);
    assert.equal(r.body.source, 'rdap');
    assert.deepEqual(r.body.price, { amountCents: 1200, currency: 'EUR', premium: false });
    assert.equal(r.body.alternatives, undefined);
  });

  test('a taken name comes with at least 5 available, priced alternatives', async () => {
    const r = await sys.api('/api/domains/check?name=google.fr&businessName=Google%20Paris&city=Paris');
    assert.equal(r.status, 200);
    assert.equal(r.body.available, false);
    assert.ok(r.body.alternatives.length >= 5, `only ${r.body.alternatives.length} alternatives`);
    for (const alt of r.body.alternatives) {
      assert.equal(alt.available, true);
      assert.ok(alt.price.amountCents > 0);
      assert.notEqual(alt.domain, 'google.fr');
      assert.equal(sys.sandbox!.registry.isRegistered(alt.domain), false, `${alt.domain} is registered`);
    }
  });

  test('IDN names are normalised to punycode', async () => {
    const r = await sys.api(`/api/domains/check?name=${encodeURIComponent('Café-Crème.FR')}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.domain, 'xn--caf-crme-60ag.fr');
    assert.equal(r.body.unicode, 'café-crème.fr');
  });

  test('invalid names are 422 with a machine code, in the browser language', async () => {
    const cases: [string, string][] = [
      ['-bad-.fr', 'domain_hyphen'],
      ['bad_name.fr', 'domain_invalid_characters'],
      [`${'a'.repeat(64)}.fr`, 'domain_label_too_long'],
      ['shop.example.fr', 'domain_not_registrable'],
      ['pаypal.com', 'domain_mixed_script'],
    ];
    for (const [name, code] of cases) {
      const r = await sys.api(`/api/domains/check?name=${encodeURIComponent(name)}`, { headers: { 'accept-language': 'fr-FR' } });
      assert.equal(r.status, 422, name);
      assert.equal(r.body.code, code, name);
      assert.ok(r.body.message.length > 0);
    }
    const en = await sys.api('/api/domains/check?name=-bad-.fr', { headers: { 'accept-language': 'en-GB' } });
    assert.match(en.body.message, /hyphen/);
    const fr = await sys.api('/api/domains/check?name=-bad-.fr', { headers: { 'accept-language': 'fr' } });
    assert.match(fr.body.message, /tiret/);
  });

  test('a TLD we do not sell is a clear 422', async () => {
    const r = await sys.api('/api/domains/check?name=boutique.de&lang=en');
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'domain_tld_not_sold');
    assert.match(r.body.message, /\.de/);
    assert.match(r.body.message, /\.fr/);
  });

  test('RDAP down: whois answers instead', async () => {
    sys.sandbox!.rdap.faults.set({ errorRate: 1 });
    try {
      const free = await sys.api('/api/domains/check?name=whois-fallback-libre.com');
      assert.equal(free.status, 200);
      assert.equal(free.body.available, true);
      assert.equal(free.body.source, 'whois');
      const taken = await sys.api('/api/domains/check?name=taken-whois.com');
      assert.equal(taken.body.available, false);
      assert.equal(taken.body.source, 'whois');
    } finally {
      sys.sandbox!.rdap.faults.reset();
    }
  });

  test('a registrar that never answers costs its timeout, not a 500', async () => {
    sys.sandbox!.namecheap.faults.set({ timeoutRate: 1 });
    try {
      const r = await sys.api('/api/domains/check?name=registrar-silent.fr');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.available, true);
    } finally {
      sys.sandbox!.namecheap.faults.reset();
    }
  });

  test('a name the registries report free but the registrar reserves is not available', async () => {
    const r = await sys.api('/api/domains/check?name=reserved-boutique.fr');
    assert.equal(r.body.available, false);
  });

  test('a premium name dearer than PREMIUM_MAX_CENTS is refused with a clear message', async () => {
    const r = await sys.api('/api/domains/check?name=premium-shoes.com');
    assert.equal(r.body.available, false);
    assert.equal(r.body.reason, 'premium_too_expensive');
    const req = await sys.api('/api/request-concierge-service', { body: request({ domain: 'premium-shoes.com', locale: 'en' }) });
    assert.equal(req.status, 409);
    assert.equal(req.body.code, 'domain_premium_refused');
    assert.match(req.body.message, /premium/);
  });
});

describe('POST /api/request-concierge-service', () => {
  test('a free domain becomes an order awaiting payment, with an itemised price and a payment link', async () => {
    const r = await sys.api('/api/request-concierge-service', { body: request({ tier: 'express', domain: 'dupont-express.fr' }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const b = r.body;
    assert.match(b.orderId, /^[0-9a-f-]{36}$/);
    assert.ok(Buffer.from(b.trackingToken, 'base64url').length >= 16, 'token has at least 128 bits');
    assert.equal(b.domain, 'dupont-express.fr');
    assert.deepEqual(b.price.items, [
      { code: 'domain_first_year', amountCents: 1200 },
      { code: 'service', amountCents: 14900 },
      { code: 'express_surcharge', amountCents: 9900 },
    ]);
    assert.equal(b.price.totalCents, 26000);
    assert.equal(b.price.currency, 'EUR');
    assert.equal(b.deadline.hours, 4);
    assert.equal(b.deadline.countedFrom, 'payment');
    assert.ok(b.paymentUrl.startsWith(sys.sandbox!.stripe.url), b.paymentUrl);
    const page = await fetch(b.paymentUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /260/);

    const status = await sys.api(`/api/concierge/status/${b.trackingToken}`);
    assert.equal(status.status, 200);
    assert.equal(status.body.orderId, b.orderId);
    assert.equal(status.body.state, 'awaiting_payment');
    assert.equal(status.body.tier, 'express');
    assert.deepEqual(status.body.timeline.map((e: { type: string }) => e.type).slice(0, 3), ['order_created', 'domain_checked', 'payment_link_created']);
    for (const e of status.body.timeline) assert.ok(e.at && e.message);
  });

  test('standard tier has no surcharge and a 24 h deadline', async () => {
    const r = await sys.api('/api/request-concierge-service', { body: request({ domain: 'dupont-standard.com' }) });
    assert.equal(r.status, 201);
    assert.equal(r.body.price.totalCents, 1400 + 14900);
    assert.equal(r.body.deadline.hours, 24);
  });

  test('PayPal gives a PayPal approval link', async () => {
    const r = await sys.api('/api/request-concierge-service', { body: request({ domain: 'dupont-paypal.fr', paymentProvider: 'paypal' }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.ok(r.body.paymentUrl.startsWith(sys.sandbox!.paypal.url), r.body.paymentUrl);
    const page = await fetch(r.body.paymentUrl);
    assert.equal(page.status, 200);
  });

  test('a taken domain is 409 with the alternatives', async () => {
    const r = await sys.api('/api/request-concierge-service', { body: request({ domain: 'taken-dupont.fr' }) });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'domain_taken');
    assert.match(r.body.message, /déjà pris/);
    assert.ok(r.body.alternatives.length >= 5);
  });

  test('bad input is 422 with {code, message} in the request language, and nothing is stored', async () => {
    const before = await sys.db.selectFrom('orders').select(sys.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const fr = await sys.api('/api/request-concierge-service', { body: request({ email: 'pas-un-email', locale: 'fr' }) });
    assert.equal(fr.status, 422);
    assert.equal(fr.body.code, 'email_invalid');
    assert.match(fr.body.message, /adresse e-mail/);
    const en = await sys.api('/api/request-concierge-service', { body: request({ businessName: '', locale: 'en' }) });
    assert.equal(en.status, 422);
    assert.equal(en.body.code, 'field_required');
    assert.equal(en.body.fields[0].field, 'businessName');
    assert.match(en.body.message, /required/);
    const tier = await sys.api('/api/request-concierge-service', { body: request({ tier: 'yesterday' }), headers: { 'accept-language': 'en' } });
    assert.equal(tier.status, 422);
    const header = await sys.api('/api/request-concierge-service', { body: request({ businessName: 'Evil\r\nBcc: victim@example.org' }) });
    assert.equal(header.status, 422);
    const notJson = await sys.api('/api/request-concierge-service', { body: '{"broken', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, 'invalid_request');
    const bad = await sys.api('/api/request-concierge-service', { body: request({ domain: 'mauvais_nom.fr' }) });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, 'domain_invalid_characters');
    const afterCount = await sys.db.selectFrom('orders').select(sys.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  test('the same Idempotency-Key returns the same order and never creates a second one', async () => {
    const key = 'test-key-idempotent-0001';
    const body = request({ domain: 'dupont-idem.fr', email: 'idem@example.org' });
    const [a, b] = await Promise.all([
      sys.api('/api/request-concierge-service', { body, headers: { 'idempotency-key': key } }),
      sys.api('/api/request-concierge-service', { body, headers: { 'idempotency-key': key } }),
    ]);
    const c = await sys.api('/api/request-concierge-service', { body, headers: { 'idempotency-key': key } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(a.body.orderId, b.body.orderId);
    assert.equal(a.body.orderId, c.body.orderId);
    // the request that lost the race may answer before the link exists: it then gives the stable link, which leads to it
    for (const x of [a, b]) assert.ok([c.body.paymentUrl, `${sys.config.publicUrl}/pay/${c.body.trackingToken}`].includes(x.body.paymentUrl));
    const rows = await sys.db.selectFrom('orders').select('id').where('domain', '=', 'dupont-idem.fr').execute();
    assert.equal(rows.length, 1);
    const links = await sys.db.selectFrom('payment_links').select('id').where('order_id', '=', a.body.orderId).execute();
    assert.equal(links.length, 1);
    await eventually(async () => messagesTo('idem@example.org').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(messagesTo('idem@example.org').length, 1, 'one confirmation email');

    const other = await sys.api('/api/request-concierge-service', { body: { ...body, tier: 'express' }, headers: { 'idempotency-key': key } });
    assert.equal(other.status, 422);
    assert.equal(other.body.code, 'idempotency_key_reused');
  });

  test('an unknown or malformed token is 404 and tells nothing', async () => {
    const unknown = await sys.api(`/api/concierge/status/${'A'.repeat(32)}`);
    const malformed = await sys.api('/api/concierge/status/x');
    assert.equal(unknown.status, 404);
    assert.equal(malformed.status, 404);
    assert.deepEqual(unknown.body, malformed.body);
  });
});

describe('confirmation email', () => {
  for (const locale of ['fr', 'en'] as const) {
    test(`in ${locale}: recap, phases, deadline, payment and tracking links, HTML and text`, async () => {
      const email = `confirm-${locale}@example.org`;
      const r = await sys.api('/api/request-concierge-service', {
        body: request({ locale, email, domain: `dupont-mail-${locale}.fr`, tier: 'express' }),
      });
      assert.equal(r.status, 201);
      const [m] = await eventually(async () => (messagesTo(email).length ? messagesTo(email) : undefined));
      assert.ok(m);
      assert.match(m.subject, locale === 'fr' ? /Demande reçue/ : /received/i);
      for (const part of [m.text, m.html]) {
        assert.ok(part.includes(`dupont-mail-${locale}.fr`));
        assert.ok(part.includes(`/pay/${r.body.trackingToken}`), 'payment link');
        assert.ok(part.includes(`/${locale === 'fr' ? 'suivi' : 'track'}/${r.body.trackingToken}`), 'tracking link');
        assert.match(part, locale === 'fr' ? /260,00\s€/ : /€260\.00/);
        assert.match(part, locale === 'fr' ? /4\sh/ : /4\shours?/);
      }
      assert.match(m.html, /<html/);
      assert.doesNotMatch(m.text, /<[a-z]/i);
      // the worker commits the "sent" mark just after the SMTP server took the message
      await eventually(async () => {
        const status = await sys.api(`/api/concierge/status/${r.body.trackingToken}`);
        return status.body.timeline.some((e: { type: string }) => e.type === 'email_sent');
      });
    });
  }

  test('the stable payment link leads to the current payment page', async () => {
    const r = await sys.api('/api/request-concierge-service', { body: request({ domain: 'dupont-stable.fr' }) });
    const res = await fetch(`${sys.url}/pay/${r.body.trackingToken}`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), r.body.paymentUrl);
  });
});

describe('admin', () => {
  test('GET /api/admin/outbox needs the bearer token', async () => {
    assert.equal((await sys.api('/api/admin/outbox')).status, 401);
    assert.equal((await sys.api('/api/admin/outbox', { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await sys.api('/api/admin/outbox', { headers: { authorization: `Basic ${sys.adminToken}` } })).status, 401);
    const ok = await sys.api('/api/admin/outbox', { headers: { authorization: `Bearer ${sys.adminToken}` } });
    assert.equal(ok.status, 200);
    assert.ok(ok.body.items.length > 0);
    const m = ok.body.items[0];
    assert.ok(m.to && m.subject && m.createdAt && m.state);
    const one = await sys.api(`/api/admin/outbox/${m.id}`, { headers: { authorization: `Bearer ${sys.adminToken}` } });
    assert.equal(one.status, 200);
    assert.ok(one.body.html && one.body.text);
    assert.equal((await sys.api(`/api/admin/outbox/${m.id}`)).status, 401);
  });
});

describe('logs', () => {
  test('one structured line per business event, with order id and domain, and no secrets or email bodies', async () => {
    const email = 'log-check@example.org';
    const r = await sys.api('/api/request-concierge-service', { body: request({ domain: 'dupont-logs.fr', email }) });
    await eventually(async () => messagesTo(email).length === 1);
    await eventually(async () => sys.logLines.some((l) => l.includes('"email_sent"') && l.includes(r.body.orderId)));
    const lines = sys.logLines.map((l) => JSON.parse(l));
    const mine = lines.filter((l) => l.orderId === r.body.orderId);
    const events = mine.map((l) => l.event);
    for (const e of ['order_created', 'payment_link_created', 'email_sent']) assert.ok(events.includes(e), `${e} logged`);
    assert.ok(lines.some((l) => l.event === 'domain_checked' && l.domain === 'dupont-logs.fr'));
    for (const l of mine.filter((x) => x.event !== 'domain_checked')) assert.equal(l.domain ?? 'dupont-logs.fr', 'dupont-logs.fr');
    const all = sys.logLines.join('\n');
    assert.ok(!all.includes(r.body.trackingToken), 'tracking token logged');
    assert.ok(!all.includes(email), 'email address logged');
    assert.ok(!all.includes(sys.adminToken), 'admin token logged');
    assert.ok(!all.includes(sys.sandbox!.credentials.stripeSecretKey), 'stripe key logged');
    assert.ok(!all.includes('Boulangerie Dupont'), 'email body logged');
  });
});
