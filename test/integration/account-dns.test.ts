// A delivered domain's DNS records and email forwarding from the customer's space, over real HTTP against the sandbox
// registrar and DNS: records read, added, removed and checked through DNS; the site's own records protected; malformed
// records, another customer's domain and a stale CSRF token refused with nothing changed; two changes at once both kept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { errorMessage } from '../../src/http/error-messages.ts';
import { signIn } from '../support/account.ts';
import { sql } from 'kysely';
import crypto from 'node:crypto';

let sys: TestSystem;
let domain: string;
let email: string;
let session: { cookie: string; csrfToken: string };
let nextAddress = 3000;
const from = () => clientAddress(nextAddress++);

before(async () => {
  sys = await startTestSystem({ RATE_LIMITS: 'account_change:500,account:500' });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'en' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered');
  ({ email, domain } = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow());
  session = await signIn(sys, email, from());
});
after(async () => sys?.stop());

const dnsPath = (d = domain) => `/api/account/domains/${d}/dns`;
const call = (method: string, path: string, body?: object, s = session, headers: Record<string, string> = {}) =>
  send(sys.url!, { method, path, body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, ...headers } }, from());
const add = (record: object, s = session) => call('POST', dnsPath(), record, s);
const list = async () =>
  (await call('GET', dnsPath())).json as {
    records: { id: string; type: string; host: string; value: string; priority?: number; protected: boolean }[];
    mail: string;
  };
/** The registrar's set, as the sandbox holds it. */
const hosts = () => JSON.stringify(sys.sandbox!.registry.get(domain)!.hosts);

test('the records are the registrar’s: the apex A and www CNAME that serve the site are protected, ids stable across reads', async () => {
  const first = await list();
  assert.ok(first.records.length >= 2);
  const apex = first.records.filter((r) => r.host === '@' && r.type === 'A');
  const www = first.records.find((r) => r.host === 'www' && r.type === 'CNAME');
  assert.ok(apex.length > 0 && apex.every((r) => r.protected));
  assert.equal(www?.protected, true);
  assert.deepEqual((await list()).records, first.records);
  for (const r of [...apex, www!]) {
    const del = await call('DELETE', `${dnsPath()}/${r.id}`);
    assert.equal(del.status, 409);
    assert.equal(del.json.code, 'dns_record_protected');
  }
  const extra = await add({ type: 'A', host: '@', value: '203.0.113.9' });
  assert.equal(extra.status, 409);
  assert.equal(extra.json.code, 'dns_record_protected');
  assert.deepEqual((await list()).records, first.records);
});

test('adding records keeps the others, answers through DNS (propagated), and removing one by its id leaves the rest', async () => {
  const before = await list();
  const txt = await add({ type: 'TXT', host: '@', value: '"google-site-verification=abc123"', ttl: 600 });
  assert.equal(txt.status, 201, txt.text);
  assert.equal(txt.json.record.value, 'google-site-verification=abc123');
  assert.equal(txt.json.propagated, true);
  const mx = await add({ type: 'MX', host: `${domain}.`, value: 'MX.Example.NET.', priority: 5 });
  assert.equal(mx.status, 201, mx.text);
  assert.deepEqual([mx.json.record.host, mx.json.record.value, mx.json.record.priority], ['@', 'mx.example.net', 5]);
  assert.equal(mx.json.mail, 'mx');
  const sub = await add({ type: 'CNAME', host: 'shop', value: 'shops.example.com' });
  assert.equal(sub.status, 201);
  const v6 = await add({ type: 'AAAA', host: 'v6', value: '2001:DB8::1' });
  assert.equal(v6.status, 201);
  assert.equal(v6.json.propagated, true);
  // the site's records are still there, untouched
  const now = await list();
  for (const r of before.records)
    assert.ok(
      now.records.some((n) => n.id === r.id),
      `${r.type} ${r.host} kept`,
    );
  assert.equal(now.records.length, before.records.length + 4);
  assert.deepEqual(await sys.deps.resolver.records(domain, 'MX'), ['5 mx.example.net']);
  const removed = await call('DELETE', `${dnsPath()}/${sub.json.record.id}`);
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.json.propagated, true);
  assert.equal(removed.json.records.length, now.records.length - 1);
  assert.deepEqual(await sys.deps.resolver.records(`shop.${domain}`, 'CNAME'), []);
  const again = await call('DELETE', `${dnsPath()}/${sub.json.record.id}`);
  assert.equal(again.status, 404);
  assert.equal(again.json.code, 'dns_record_not_found');
});

test('a record changed in one write: the old value gone, the new one served; the site’s records and conflicts refused', async () => {
  const created = await add({ type: 'TXT', host: '_change', value: 'before' });
  assert.equal(created.status, 201);
  const id = created.json.record.id;
  const changed = await call('PUT', `${dnsPath()}/${id}`, { type: 'TXT', host: '_change', value: 'after', ttl: 300 });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.record.value, 'after');
  assert.equal(changed.json.record.ttl, 300);
  assert.equal(changed.json.propagated, true);
  assert.ok(!changed.json.records.some((r: { id: string }) => r.id === id));
  assert.deepEqual(await sys.deps.resolver.records(`_change.${domain}`, 'TXT'), ['after']);
  const set = hosts();
  const www = (await list()).records.find((r) => r.host === 'www')!;
  const protectedChange = await call('PUT', `${dnsPath()}/${www.id}`, { type: 'CNAME', host: 'www', value: 'elsewhere.example.com' });
  assert.equal(protectedChange.status, 409);
  assert.equal(protectedChange.json.code, 'dns_record_protected');
  const conflict = await call('PUT', `${dnsPath()}/${changed.json.record.id}`, { type: 'CNAME', host: 'www', value: 'x.example.com' });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.json.code, 'dns_cname_conflict');
  const gone = await call('PUT', `${dnsPath()}/${id}`, { type: 'TXT', host: '_change', value: 'again' });
  assert.equal(gone.status, 404);
  assert.equal(hosts(), set);
});

test('a change not yet answered by DNS says propagated: false', async () => {
  sys.sandbox!.registry.propagationMsOf.set(domain, 60_000);
  try {
    const r = await add({ type: 'TXT', host: '_slow', value: 'pending' });
    assert.equal(r.status, 201);
    assert.equal(r.json.propagated, false);
  } finally {
    sys.sandbox!.registry.propagationMsOf.delete(domain);
  }
});

test('two changes at once are both kept (read, merge and write one after the other)', async () => {
  const values = Array.from({ length: 4 }, (_, i) => `concurrent-${i}-${crypto.randomBytes(3).toString('hex')}`);
  const answers = await Promise.all(values.map((value) => add({ type: 'TXT', host: '_race', value })));
  assert.deepEqual(
    answers.map((a) => a.status),
    [201, 201, 201, 201],
  );
  const kept = (await list()).records.filter((r) => r.host === '_race').map((r) => r.value);
  assert.deepEqual(kept.sort(), [...values].sort());
});

test('a change waits for the domain’s PostgreSQL lock, as one from another process would', async () => {
  // the lock another API process would hold while it changes this domain
  const other = await sys.pool.connect();
  try {
    await other.query(`select pg_advisory_lock(hashtextextended($1, 0))`, [`account-dns:${domain}`]);
    let done = false;
    const pending = add({ type: 'TXT', host: '_locked', value: 'waited' }).then((r) => {
      done = true;
      return r;
    });
    // the request is waiting on that very lock (seen in pg_locks), and has changed nothing
    await eventually(async () => {
      const { rows } = await other.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
      return rows[0].n === 1;
    });
    assert.equal(done, false);
    assert.ok(!sys.sandbox!.registry.get(domain)!.hosts.some((h) => h.name === '_locked'));
    await other.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [`account-dns:${domain}`]);
    assert.equal((await pending).status, 201);
  } finally {
    other.release();
  }
});

test('malformed records are refused field by field, in the asker’s language, and the registrar’s set is unchanged', async () => {
  const bad: [string, object, number, string][] = [
    ['A with a hostname', { type: 'A', host: 'x', value: 'example.com' }, 422, 'dns_ipv4_invalid'],
    ['A out of range', { type: 'A', host: 'x', value: '256.1.1.1' }, 422, 'dns_ipv4_invalid'],
    ['A with a leading zero', { type: 'A', host: 'x', value: '010.1.1.1' }, 422, 'dns_ipv4_invalid'],
    ['AAAA with IPv4', { type: 'AAAA', host: 'x', value: '203.0.113.1' }, 422, 'dns_ipv6_invalid'],
    ['AAAA with two ::', { type: 'AAAA', host: 'x', value: '2001::db8::1' }, 422, 'dns_ipv6_invalid'],
    ['CNAME to an IP', { type: 'CNAME', host: 'x', value: '203.0.113.1' }, 422, 'dns_target_invalid'],
    ['CNAME to a URL', { type: 'CNAME', host: 'x', value: 'https://example.com/' }, 422, 'dns_target_invalid'],
    ['CNAME at the apex', { type: 'CNAME', host: '@', value: 'example.com' }, 422, 'dns_cname_at_apex'],
    ['CNAME beside the site’s www', { type: 'TXT', host: 'www', value: 'x' }, 409, 'dns_cname_conflict'],
    ['CNAME beside a TXT', { type: 'CNAME', host: '_race', value: 'example.com' }, 409, 'dns_cname_conflict'],
    ['MX to a bare label', { type: 'MX', host: '@', value: 'localhost', priority: 10 }, 422, 'dns_target_invalid'],
    ['MX priority 65536', { type: 'MX', host: '@', value: 'mx.example.net', priority: 65536 }, 422, 'number_too_large'],
    ['MX priority -1', { type: 'MX', host: '@', value: 'mx.example.net', priority: -1 }, 422, 'number_too_small'],
    ['priority on a TXT', { type: 'TXT', host: '@', value: 'x', priority: 1 }, 422, 'field_invalid'],
    ['TXT with a quote inside', { type: 'TXT', host: '@', value: 'v=spf1 "a" -all' }, 422, 'dns_txt_invalid'],
    ['TXT with a line break', { type: 'TXT', host: '@', value: 'a\nb' }, 422, 'dns_txt_invalid'],
    ['TXT of 2,049 characters', { type: 'TXT', host: '@', value: 'a'.repeat(2049) }, 422, 'dns_txt_invalid'],
    ['TXT empty', { type: 'TXT', host: '@', value: '""' }, 422, 'dns_txt_invalid'],
    ['TTL 59', { type: 'TXT', host: '@', value: 'x', ttl: 59 }, 422, 'number_too_small'],
    ['TTL 60001', { type: 'TXT', host: '@', value: 'x', ttl: 60001 }, 422, 'number_too_large'],
    ['TTL 3.5', { type: 'TXT', host: '@', value: 'x', ttl: 3.5 }, 422, 'field_invalid'],
    ['a host with a space', { type: 'TXT', host: 'a b', value: 'x' }, 422, 'dns_host_invalid'],
    ['a host label of 64', { type: 'TXT', host: 'a'.repeat(64), value: 'x' }, 422, 'dns_host_invalid'],
    ['a host with markup', { type: 'TXT', host: '<script>', value: 'x' }, 422, 'dns_host_invalid'],
    ['a type not managed here', { type: 'NS', host: 'x', value: 'ns.example.com' }, 422, 'field_invalid'],
    ['an unknown field', { type: 'TXT', host: '@', value: 'x', weight: 1 }, 422, 'field_invalid'],
    ['a record already there', { type: 'MX', host: '@', value: 'mx.example.net', priority: 5 }, 409, 'dns_record_exists'],
  ];
  const set = hosts();
  for (const [what, body, status, code] of bad) {
    const r = await send(
      sys.url!,
      { method: 'POST', path: `${dnsPath()}?lang=fr`, body, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } },
      from(),
    );
    assert.equal(r.status, status, `${what}: ${r.text}`);
    const got = r.json.code === 'invalid_request' ? r.json.code : (r.json.fields?.[0]?.code ?? r.json.code);
    assert.ok(got === code || r.json.code === code, `${what}: ${r.text}`);
    if (code.startsWith('dns_'))
      assert.equal(r.json.message, errorMessage(code as 'dns_host_invalid', 'fr', { max: 2048, host: (body as { host: string }).host }), what);
  }
  assert.equal(hosts(), set);
});

test('another customer’s domain, or one never sold, is 404 with the same answer; a stale CSRF token changes nothing', async () => {
  await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
      total_cents, payment_provider, deadline_hours) values (${crypto.randomUUID()}, ${crypto.randomBytes(24).toString('base64url')}, 'Voisin',
      'voisin-dns@example.org', 'fr', 'voisin-dns.fr', 'voisin-dns.fr', 'standard', 'awaiting_payment', 'EUR', '[]', 100, 'stripe', 24)`.execute(sys.db);
  const other = await signIn(sys, 'voisin-dns@example.org', from());
  const set = hosts();
  const theirs = await call('GET', dnsPath(), undefined, other);
  const never = await call('GET', dnsPath('jamais-vendu.fr'), undefined, other);
  assert.equal(theirs.status, 404);
  assert.deepEqual(theirs.json, never.json);
  assert.equal(theirs.json.code, 'account_domain_not_found');
  assert.equal((await add({ type: 'TXT', host: '@', value: 'hijack' }, other)).status, 404);
  // the session's token changed (signed in again elsewhere): the old page's token is refused
  const stale = await call('POST', dnsPath(), { type: 'TXT', host: '@', value: 'stale' }, { cookie: session.cookie, csrfToken: other.csrfToken });
  assert.equal(stale.status, 403);
  assert.equal(stale.json.code, 'csrf_mismatch');
  const none = await send(sys.url!, { method: 'POST', path: dnsPath(), body: { type: 'TXT', host: '@', value: 'anonymous' } }, from());
  assert.equal(none.status, 401);
  assert.equal(hosts(), set);
});

test('a mail provider’s preset adds its MX and SPF records in one change, and again adds nothing', async () => {
  const mxBefore = (await list()).records.filter((r) => r.type === 'MX');
  for (const r of mxBefore) assert.equal((await call('DELETE', `${dnsPath()}/${r.id}`)).status, 200);
  const r = await call('POST', `${dnsPath()}/presets/proton`);
  assert.equal(r.status, 201, r.text);
  const values = r.json.records.filter((x: { type: string }) => x.type === 'MX').map((x: { value: string; priority: number }) => `${x.priority} ${x.value}`);
  assert.deepEqual(values.sort(), ['10 mail.protonmail.ch', '20 mailsec.protonmail.ch']);
  assert.ok(r.json.records.some((x: { value: string }) => x.value === 'v=spf1 include:_spf.protonmail.ch ~all'));
  const again = await call('POST', `${dnsPath()}/presets/proton`);
  assert.equal(again.status, 201);
  assert.equal(again.json.records.length, r.json.records.length);
  const unknown = await call('POST', `${dnsPath()}/presets/aol`);
  assert.equal(unknown.status, 422);
});

test('email forwarding: refused while MX records route the mail; on, contact@ goes to the customer (EmailType FWD), MX refused; off again', async () => {
  const blocked = await call('POST', `/api/account/domains/${domain}/email-forwarding`, {});
  assert.equal(blocked.status, 409);
  assert.equal(blocked.json.code, 'mail_routing_conflict');
  for (const r of (await list()).records.filter((x) => x.type === 'MX')) await call('DELETE', `${dnsPath()}/${r.id}`);
  const on = await call('POST', `/api/account/domains/${domain}/email-forwarding`, {});
  assert.equal(on.status, 200, on.text);
  assert.deepEqual(on.json, { forwards: [{ mailbox: 'contact', forwardTo: email.toLowerCase() }], active: true });
  assert.equal(sys.sandbox!.registry.get(domain)!.emailType, 'FWD');
  assert.equal((await list()).mail, 'forwarding');
  const read = await call('GET', `/api/account/domains/${domain}/email-forwarding`);
  assert.deepEqual(read.json, on.json);
  const mx = await add({ type: 'MX', host: '@', value: 'mx.example.net', priority: 10 });
  assert.equal(mx.status, 409);
  assert.equal(mx.json.code, 'mail_routing_conflict');
  // the other records survived the switch of EmailType
  assert.ok((await list()).records.some((r) => r.host === '_race'));
  const off = await call('DELETE', `/api/account/domains/${domain}/email-forwarding/contact`);
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.json, { forwards: [], active: false });
  assert.equal((await list()).mail, 'none');
  const badMailbox = await call('POST', `/api/account/domains/${domain}/email-forwarding`, { mailbox: 'a b' });
  assert.equal(badMailbox.status, 422);
});
