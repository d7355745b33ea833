// An order for an alternative says which name was first asked for (requestedDomain): checked again on the server, its timeline tells the story in the order's language; bad input is 422 and stores nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

const TAKEN = 'taken-fleuriste-martin.fr';
const request = (over: Record<string, unknown> = {}) => ({
  businessName: 'Fleuriste Martin',
  acceptTerms: true,
  earlyStart: true,
  email: 'martin@example.org',
  tier: 'standard',
  holder: HOLDER,
  locale: 'fr',
  city: 'Lyon',
  ...over,
});
const STORY = ['requested_domain_taken', 'alternatives_offered', 'alternative_ordered'];
const price = (cents: number, locale: 'fr' | 'en') =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
const count = async () =>
  (await sql<{ orders: string; events: string }>`select (select count(*) from orders) as orders, (select count(*) from order_events) as events`.execute(sys.db))
    .rows[0]!;

test('the form path: an alternative picked after a taken name is ordered, and the timeline says what was asked for, offered and ordered, in French and English', async () => {
  // what the form shows while the person types
  const check = await sys.api(`/api/domains/check?name=${TAKEN}&businessName=Fleuriste%20Martin&city=Lyon`);
  assert.equal(check.body.available, false);
  const shown = check.body.alternatives as { domain: string; price: { amountCents: number; currency: string } }[];
  assert.ok(shown.length >= 2);
  const picked = shown[1]!.domain;

  const r = await sys.api('/api/request-concierge-service', { body: request({ domain: picked, requestedDomain: TAKEN }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.domain, picked);

  const fr = await sys.api(`/api/concierge/status/${r.body.trackingToken}`);
  const types = fr.body.timeline.map((e: { type: string }) => e.type);
  assert.deepEqual(types.slice(0, 5), ['order_created', ...STORY, 'domain_checked']);
  const messages = (body: { timeline: { type: string; message: string }[] }) => Object.fromEntries(body.timeline.map((e) => [e.type, e.message]));
  // the server searched the alternatives itself; they are the ones the form showed
  const offered = (
    await sys.db
      .selectFrom('order_events')
      .select('data')
      .where('order_id', '=', r.body.orderId)
      .where('type', '=', 'alternatives_offered')
      .executeTakeFirstOrThrow()
  ).data as { alternatives: { domain: string; priceCents: number; currency: string }[] };
  assert.deepEqual(
    offered.alternatives,
    shown.map((a) => ({ domain: a.domain, priceCents: a.price.amountCents, currency: a.price.currency })),
  );
  const list = (locale: 'fr' | 'en') => offered.alternatives.map((a) => `${a.domain} (${price(a.priceCents, locale)})`).join(', ');
  const m = messages(fr.body);
  assert.equal(m.requested_domain_taken, `Le nom demandé, ${TAKEN}, est déjà pris (rdap).`);
  assert.equal(m.alternatives_offered, `Noms libres proposés à la place : ${list('fr')}.`);
  assert.equal(m.alternative_ordered, `${picked} commandé à la place de ${TAKEN}.`);

  const en = messages((await sys.api(`/api/concierge/status/${r.body.trackingToken}?lang=en`)).body);
  assert.equal(en.requested_domain_taken, `The requested name ${TAKEN} was taken (rdap).`);
  assert.equal(en.alternatives_offered, `Available names offered instead: ${list('en')}.`);
  assert.equal(en.alternative_ordered, `Ordered ${picked} instead of ${TAKEN}.`);
});

test('an available name of the customer’s own, ordered instead of a taken one, is accepted and said to be outside the offers', async () => {
  const own = 'fleurs-martin-presquile.fr';
  const r = await sys.api('/api/request-concierge-service', { body: request({ domain: own, requestedDomain: TAKEN, locale: 'en', email: 'own@example.org' }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const status = (await sys.api(`/api/concierge/status/${r.body.trackingToken}`)).body;
  const ordered = status.timeline.find((e: { type: string }) => e.type === 'alternative_ordered');
  assert.equal(ordered.message, `Ordered ${own} instead of ${TAKEN} (a name chosen outside the offers, checked available).`);
});

test('a premium name first asked for reads as unavailable, not taken', async () => {
  const ok = await sys.api('/api/request-concierge-service', {
    body: request({ domain: 'chaussures-martin.fr', requestedDomain: 'premium-shoes.com', email: 'premium@example.org' }),
  });
  const status = (await sys.api(`/api/concierge/status/${ok.body.trackingToken}`)).body;
  const taken = status.timeline.find((e: { type: string }) => e.type === 'requested_domain_taken');
  assert.equal(taken.message, 'Le nom demandé, premium-shoes.com, est un nom « premium » vendu trop cher : il n’est pas proposé.');
});

test('bad input is 422 with a code and a message in the request language, and nothing is stored', async () => {
  const before = await count();
  const post = (over: Record<string, unknown>) =>
    sys.api('/api/request-concierge-service', { body: request({ domain: 'martin-fleurs-lyon.fr', email: 'bad@example.org', ...over }) });

  // the name "first asked for" is in fact available: the client's word is not taken for it
  const available = await post({ requestedDomain: 'fleuriste-martin-libre.fr' });
  assert.equal(available.status, 422, JSON.stringify(available.body));
  assert.equal(available.body.code, 'requested_domain_available');
  assert.equal(available.body.field, 'requestedDomain');
  assert.match(available.body.message, /fleuriste-martin-libre\.fr est libre/);
  const availableEn = await post({ requestedDomain: 'fleuriste-martin-libre.fr', locale: 'en' });
  assert.match(availableEn.body.message, /is available/);

  const malformed = await post({ requestedDomain: 'mauvais_nom.fr' });
  assert.equal(malformed.status, 422);
  assert.equal(malformed.body.code, 'requested_domain_invalid');
  assert.equal(malformed.body.reason, 'domain_invalid_characters');
  const unsold = await post({ requestedDomain: 'fleuriste.invalidtld' });
  assert.equal(unsold.status, 422);
  assert.equal(unsold.body.code, 'requested_domain_invalid');

  const same = await post({ domain: TAKEN, requestedDomain: TAKEN });
  assert.equal(same.status, 422);
  assert.equal(same.body.code, 'requested_domain_same');

  for (const value of ['', '   ', 'x'.repeat(301), 42]) {
    const r = await post({ requestedDomain: value });
    assert.equal(r.status, 422, JSON.stringify(value));
    assert.equal(r.body.fields?.[0]?.field, 'requestedDomain');
  }

  // the name ordered is taken: the usual 409 with its own alternatives, whatever was asked for first
  const takenToo = await post({ domain: 'taken-fleurs.fr', requestedDomain: TAKEN });
  assert.equal(takenToo.status, 409);
  assert.equal(takenToo.body.code, 'domain_taken');

  assert.deepEqual(await count(), before);
});

test('the same Idempotency-Key with another requestedDomain is another request: 422, nothing stored', async () => {
  const key = 'requested-domain-idem-0001';
  const body = request({ domain: 'atelier-floral-martin.fr', requestedDomain: TAKEN, email: 'idem@example.org' });
  const a = await sys.api('/api/request-concierge-service', { body, headers: { 'idempotency-key': key } });
  const b = await sys.api('/api/request-concierge-service', { body, headers: { 'idempotency-key': key } });
  assert.equal(a.status, 201);
  assert.equal(b.body.orderId, a.body.orderId);
  const other = await sys.api('/api/request-concierge-service', { body: { ...body, requestedDomain: 'taken-autre.fr' }, headers: { 'idempotency-key': key } });
  assert.equal(other.status, 422);
  assert.equal(other.body.code, 'idempotency_key_reused');
  const events = await sys.db.selectFrom('order_events').select('type').where('order_id', '=', a.body.orderId).where('type', 'in', STORY).execute();
  assert.equal(events.length, 3, 'the story is written once');
});

test('the OpenAPI document describes requestedDomain and the demo’s alternatives', async () => {
  const doc = (await sys.api('/docs/json')).body;
  const body = doc.paths['/api/request-concierge-service'].post.requestBody.content['application/json'].schema;
  assert.equal(body.properties.requestedDomain.type, 'string');
  assert.match(body.properties.requestedDomain.description, /first asked for/);
  const demo = doc.paths['/api/test/concierge/demo'].post.responses['200'].content['application/json'].schema;
  assert.deepEqual(Object.keys(demo.properties.alternatives.items.properties).sort(), ['currency', 'domain', 'priceCents']);
  assert.ok(demo.properties.requestedDomain);
});
