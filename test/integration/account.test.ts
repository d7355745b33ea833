// The customer's space over real HTTP: sign-in by a one-time link (the same answer for any address, single use, 15
// minutes, limited per address and per client), the session cookie and its CSRF token, every order of the address and
// only those, and the sign-out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { errorMessage } from '../../src/http/error-messages.ts';
import { signIn, signInLink } from '../support/account.ts';
import { sendSignInLink } from '../../src/account/sessions.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let delivered: { orderId: string; token: string; email: string; domain: string };
let nextAddress = 2000;
const from = () => clientAddress(nextAddress++);

before(async () => {
  sys = await startTestSystem({ RATE_LIMITS: 'account_login:4,account_login_address:3' });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  const o = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  delivered = { orderId: r.body.orderId, token: r.body.trackingToken, email: o.email, domain: o.domain };
});
after(async () => sys?.stop());

const login = (email: string, address = from()) => send(sys.url!, { method: 'POST', path: '/api/account/login', body: { email } }, address);
const exchange = (token: string, address = from()) => send(sys.url!, { method: 'POST', path: '/api/account/session', body: { token } }, address);
const jobsFor = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'account_sign_in'`.execute(sys.db)).rows[0]!.n;

test('a known address and an unknown one get the same 202; only the known one gets a link, to /espace in its order’s language', async () => {
  const unknown = await login('personne-inconnue@example.org');
  const known = await login(delivered.email.toUpperCase());
  assert.equal(unknown.status, 202);
  assert.equal(known.status, 202);
  assert.equal(unknown.text, known.text);
  assert.deepEqual(known.json, { accepted: true });
  const link = await signInLink(sys, delivered.email);
  assert.match(link.url, new RegExp(`^${sys.config.publicUrl}/espace\\?signin=[A-Za-z0-9_-]{43}$`));
  assert.match(link.subject, /lien de connexion/);
  // sent through the outbox and the SMTP server, to the address as it was ordered with
  await eventually(async () => sys.sandbox!.smtp.messages().find((m) => m.to.includes(delivered.email) && m.text.includes(link.token)));
  await eventually(async () => (await jobsFor()) === 0);
  assert.equal(sys.sandbox!.smtp.messages().filter((m) => m.to.includes('personne-inconnue@example.org')).length, 0);
  assert.equal((await sys.db.selectFrom('account_sign_in_links').select('email').where('email', '=', 'personne-inconnue@example.org').execute()).length, 0);
  // only a digest of the token is stored
  const rows = await sys.db.selectFrom('account_sign_in_links').select('token_hash').execute();
  assert.ok(rows.every((r) => r.token_hash !== link.token && /^[0-9a-f]{64}$/.test(r.token_hash)));
});

test('the link opens a session once: an HttpOnly, SameSite=Strict cookie (not Secure on loopback) and a CSRF token; a second use is 410', async () => {
  await sendSignInLink(sys.deps, delivered.email);
  const { token } = await signInLink(sys, delivered.email);
  const opened = await exchange(token);
  assert.equal(opened.status, 200, opened.text);
  const cookie = String(opened.headers['set-cookie']);
  assert.match(cookie, /^cg_account=[A-Za-z0-9_-]{43}; Path=\/api\/account; HttpOnly; SameSite=Strict; Max-Age=2592000$/);
  assert.equal(typeof opened.json.csrfToken, 'string');
  assert.equal(opened.json.email, delivered.email.toLowerCase());
  const again = await exchange(token);
  assert.equal(again.status, 410);
  assert.equal(again.json.code, 'sign_in_link_used');
  assert.equal(again.json.message, errorMessage('sign_in_link_used', 'en'));
  const unknown = await exchange('x'.repeat(43));
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.code, 'sign_in_link_invalid');
});

test('two exchanges of one link at once open one session', async () => {
  await sendSignInLink(sys.deps, delivered.email);
  const { token } = await signInLink(sys, delivered.email);
  const before = (await sys.db.selectFrom('account_sessions').select('id_hash').execute()).length;
  const answers = await Promise.all([exchange(token), exchange(token), exchange(token)]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 410, 410]);
  assert.equal((await sys.db.selectFrom('account_sessions').select('id_hash').execute()).length, before + 1);
});

test('a link older than 15 minutes is refused (410 sign_in_link_expired) and opens nothing', async () => {
  await sendSignInLink(sys.deps, delivered.email);
  const { token, hash } = await signInLink(sys, delivered.email);
  // the link's clock moved 16 minutes on
  await sql`update account_sign_in_links set created_at = created_at - interval '16 minutes', expires_at = expires_at - interval '16 minutes' where token_hash = ${hash}`.execute(
    sys.db,
  );
  const sessions = (await sys.db.selectFrom('account_sessions').select('id_hash').execute()).length;
  const r = await send(sys.url!, { method: 'POST', path: '/api/account/session?lang=fr', body: { token } }, from());
  assert.equal(r.status, 410);
  assert.equal(r.json.code, 'sign_in_link_expired');
  assert.equal(r.json.message, errorMessage('sign_in_link_expired', 'fr'));
  assert.equal((await sys.db.selectFrom('account_sessions').select('id_hash').execute()).length, sessions);
});

test('GET /api/account lists every order of the address, newest first, and no one else’s; without a session it is 401', async () => {
  const none = await send(sys.url!, { method: 'GET', path: '/api/account' }, from());
  assert.equal(none.status, 401);
  assert.equal(none.json.code, 'not_signed_in');
  // a second order of the same address (typed in another case), and one of another address
  const mine = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Atelier Deux',
      email: delivered.email.toUpperCase(),
      domain: 'atelier-deux-espace.fr',
      tier: 'standard',
      locale: 'en',
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
    },
  });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  const theirs = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Voisin',
      email: 'voisin@example.org',
      domain: 'voisin-espace.fr',
      tier: 'standard',
      locale: 'fr',
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
    },
  });
  assert.equal(theirs.status, 201);
  const session = await signIn(sys, delivered.email, from());
  const r = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from());
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    r.json.orders.map((o: { domain: string }) => o.domain),
    ['atelier-deux-espace.fr', delivered.domain],
  );
  const site = r.json.orders[1];
  assert.equal(site.state, 'delivered');
  assert.equal(site.siteUrl, `https://${delivered.domain}/`);
  assert.equal(site.trackingUrl, `${sys.config.publicUrl}/suivi/${delivered.token}`);
  assert.equal(site.editorUrl, `${sys.config.publicUrl}/editor/${delivered.token}`);
  assert.equal(site.dnsManaged, true);
  assert.equal(site.uptime30d, 1, JSON.stringify(site));
  assert.equal(site.openIncident, null);
  // the renewal planned at delivery (its details are account-renewal.test.ts's); the invoices list is not filled yet
  assert.equal(site.renewal.state, 'scheduled');
  assert.equal(r.json.orders[0].renewal, null, 'not delivered: nothing planned');
  assert.deepEqual(site.invoices, []);
  assert.equal(r.json.orders[0].dnsManaged, false);
  assert.equal(r.json.orders[0].siteUrl, null);
  // the holder each order was placed with, by name only (no address, phone or birth date)
  assert.deepEqual(site.holder, { name: 'Camille Martin', organization: 'Boulangerie Démo SARL' });
  assert.deepEqual(r.json.orders[0].holder, { name: `${HOLDER.firstName} ${HOLDER.lastName}`, organization: null });
  assert.ok(!r.text.includes(HOLDER.phone) && !r.text.includes(HOLDER.birthDate));
  // the tracking link already sent keeps working
  assert.equal((await sys.api(`/api/concierge/status/${delivered.token}`)).status, 200);
});

test('the registration expiry and an open incident show as monitoring knows them; uptime counts the downtime in 30 days', async () => {
  const expires = new Date(Date.now() + 200 * 86_400_000);
  await sys.db.updateTable('monitors').set({ domain_expires_at: expires }).where('order_id', '=', delivered.orderId).execute();
  // down since an hour ago (delivered moments ago: the window starts at delivery, so mostly down)
  await sql`update orders set delivered_at = now() - interval '10 days' where id = ${delivered.orderId}`.execute(sys.db);
  await sql`insert into site_incidents (order_id, domain, started_at, last_error) values (${delivered.orderId}, ${delivered.domain}, now() - interval '1 day', 'timeout')`.execute(
    sys.db,
  );
  try {
    const session = await signIn(sys, delivered.email, from());
    const r = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from());
    const site = r.json.orders.find((o: { domain: string }) => o.domain === delivered.domain);
    assert.equal(site.registrationExpiresAt, expires.toISOString());
    assert.equal(site.openIncident.lastError, 'timeout');
    assert.ok(Math.abs(site.uptime30d - 0.9) < 0.001, String(site.uptime30d));
  } finally {
    await sql`delete from site_incidents where order_id = ${delivered.orderId}`.execute(sys.db);
  }
});

test('sign-in links are limited per email address whatever the client, and per client whatever the address', async () => {
  const address = 'limite-adresse@example.org';
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push((await login(address, from())).status);
  assert.deepEqual(answers, [202, 202, 202, 429]);
  const one = from();
  const perClient = [];
  for (let i = 0; i < 5; i++) perClient.push((await login(`client-${i}@example.org`, one)).status);
  assert.deepEqual(perClient, [202, 202, 202, 202, 429]);
  const refused = await login('client-9@example.org', one);
  assert.equal(refused.json.code, 'rate_limited');
  assert.ok(Number(refused.headers['retry-after']) > 0);
});

test('a change without the session’s CSRF token is 403 csrf_mismatch; sign-out ends the session', async () => {
  const session = await signIn(sys, delivered.email, from());
  for (const headers of [{}, { 'x-csrf-token': 'not-the-token' }] as Record<string, string>[]) {
    const r = await send(sys.url!, { method: 'POST', path: '/api/account/logout', headers: { cookie: session.cookie, ...headers } }, from());
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'csrf_mismatch');
  }
  const state = await send(sys.url!, { method: 'GET', path: '/api/account/session', headers: { cookie: session.cookie } }, from());
  assert.equal(state.json.csrfToken, session.csrfToken);
  const out = await send(
    sys.url!,
    { method: 'POST', path: '/api/account/logout', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } },
    from(),
  );
  assert.equal(out.status, 204);
  assert.match(String(out.headers['set-cookie']), /^cg_account=; .*Max-Age=0/);
  const after = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from());
  assert.equal(after.status, 401);
});

test('a session past its time is refused', async () => {
  const session = await signIn(sys, delivered.email, from());
  await sql`update account_sessions set expires_at = now() - interval '1 second'`.execute(sys.db);
  const r = await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from());
  assert.equal(r.status, 401);
});

test('the signed-in address’s data: downloaded, then erased with the CSRF token (without it nothing is erased); the session ends', async () => {
  const email = 'efface-moi@example.org';
  const placed = await sys.api('/api/request-concierge-service', {
    body: {
      businessName: 'Atelier Effacé',
      email,
      domain: 'atelier-efface-espace.fr',
      tier: 'standard',
      locale: 'fr',
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const session = await signIn(sys, email, from());
  const data = await send(sys.url!, { method: 'GET', path: '/api/account/personal-data', headers: { cookie: session.cookie } }, from());
  assert.equal(data.status, 200, data.text);
  assert.match(String(data.headers['content-disposition']), /^attachment; filename="personal-data\.json"$/);
  assert.equal(data.json.email, email);
  assert.deepEqual(
    data.json.orders.map((o: { orderId: string }) => o.orderId),
    [placed.body.orderId],
  );
  const erase = (headers: Record<string, string>) =>
    send(sys.url!, { method: 'POST', path: '/api/account/erasure', body: { confirm: true }, headers: { cookie: session.cookie, ...headers } }, from());
  const refused = await erase({});
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'csrf_mismatch');
  const kept = await sys.db.selectFrom('orders').select(['email', 'erased_at']).where('id', '=', placed.body.orderId).executeTakeFirstOrThrow();
  assert.deepEqual(kept, { email, erased_at: null });
  const erased = await erase({ 'x-csrf-token': session.csrfToken });
  assert.equal(erased.status, 200, erased.text);
  assert.equal(erased.json.orders, 1);
  assert.equal(erased.json.alreadyErased, false);
  assert.match(String(erased.headers['set-cookie']), /^cg_account=; .*Max-Age=0/);
  const order = await sys.db.selectFrom('orders').select(['email', 'erased_at']).where('id', '=', placed.body.orderId).executeTakeFirstOrThrow();
  assert.notEqual(order.email, email);
  assert.ok(order.erased_at);
  // the address is gone from the space too: its sessions and links, and the session is over
  const left = await sql<{
    n: number;
  }>`select (select count(*) from account_sessions where email = ${email}) + (select count(*) from account_sign_in_links where email = ${email}) as n`.execute(
    sys.db,
  );
  assert.equal(Number(left.rows[0]!.n), 0);
  assert.equal((await send(sys.url!, { method: 'GET', path: '/api/account', headers: { cookie: session.cookie } }, from())).status, 401);
});
