// Header injection into emails, proved against the real SMTP sandbox: CR/LF in anything that reaches an email (name, business name, address, domain, city, the subjects made from them) never makes a header or a recipient.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { renderOrderEmail, type OrderEmailKind } from '../../src/emails/order-emails.ts';
import { queueEmail, sendQueuedEmail } from '../../src/emails/outbox.ts';
import { ProviderError } from '../../src/errors.ts';
import { findOrderById } from '../../src/db/orders.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  // no workers: the test sends each queued email itself, to see each one's fate
  sys = await startTestSystem({ RUN_WORKER: 'false' });
});
after(async () => sys?.stop());

const VICTIM = 'victim@example.net';
/** the ways a line break is smuggled into a value, each followed by a header an attacker wants */
const BREAKS = ['\r\n', '\n', '\r', '\r\n\t', '\u0085', '\u2028'].map((br) => `${br}Bcc: ${VICTIM}`);
/** the headers our emails carry; anything else came from somewhere it should not have */
const OUR_HEADERS =
  /^(from|to|subject|message-id|date|mime-version|content-type|content-transfer-encoding|x-conciergerie-.*|list-.*|auto-submitted|reply-to|precedence)$/i;

const valid = {
  businessName: 'Plomberie Martin',
  acceptTerms: true,
  earlyStart: true,
  email: 'martin@example.org',
  domain: 'plomberie-martin-hdr.fr',
  tier: 'standard',
  holder: HOLDER,
  locale: 'fr',
  city: 'Nantes',
};
const mails = () => sys.sandbox!.smtp.messages();

test('at the door: a line break in any field that reaches an email is refused with a 4xx and a code, and no email goes out', async () => {
  const sent = mails().length;
  const orders = Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(sys.db)).rows[0]!.n);
  const cases: [string, Record<string, unknown>, string][] = [];
  for (const br of BREAKS) {
    cases.push(['businessName', { ...valid, businessName: `Martin${br}` }, 'field_invalid']);
    cases.push(['city', { ...valid, city: `Nantes${br}` }, 'field_invalid']);
    cases.push(['email', { ...valid, email: `martin@example.org${br}` }, 'email_invalid']);
    cases.push(['domain', { ...valid, domain: `plomberie-martin-hdr.fr${br}` }, 'domain_invalid_characters']);
  }
  let client = 0; // each from its own address: the rate limit is not what is tested here
  for (const [field, body, code] of cases) {
    for (const lang of ['fr', 'en'] as const) {
      const r = await send(
        sys.url!,
        { method: 'POST', path: '/api/request-concierge-service', headers: { 'accept-language': lang }, body },
        clientAddress(client++),
      );
      assert.equal(r.status, 422, `${field} ${JSON.stringify(body[field])}: ${r.status} ${r.text}`);
      assert.equal(r.json.code, code, `${field} ${JSON.stringify(body[field])}`);
      assert.ok(r.json.message, 'a message for the customer');
      if (r.json.fields) assert.equal(r.json.fields[0].field, field);
    }
  }
  // the other ways in: the domain check (business name, city) and the choice of another name
  for (const br of BREAKS.slice(0, 3)) {
    for (const q of [
      `name=martin.fr&businessName=${encodeURIComponent(`Martin${br}`)}`,
      `name=martin.fr&city=${encodeURIComponent(`Nantes${br}`)}`,
      `name=${encodeURIComponent(`martin.fr${br}`)}`,
    ]) {
      const r = await send(sys.url!, { method: 'GET', path: `/api/domains/check?${q}` }, clientAddress(client++));
      assert.equal(r.status, 422, q);
    }
  }
  assert.equal(mails().length, sent, 'no email went out');
  assert.equal(Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(sys.db)).rows[0]!.n), orders, 'no order was stored');
});

test('past the door (a hole in validation, simulated): every email kind with line breaks in the business name, city and domain goes out with our headers only, to its one recipient', async () => {
  const r = await sys.api('/api/request-concierge-service', { body: valid });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // what the form refuses, written straight into the order
  const poisoned = `Martin${BREAKS[0]}\r\nX-Injected: 1\r\n\r\n<script>alert(1)</script>`;
  await sys.db
    .updateTable('orders')
    .set({ business_name: poisoned, city: `Nantes${BREAKS[1]}`, domain_unicode: `plomberie-martin-hdr.fr${BREAKS[0]}\r\nSubject: you won` })
    .where('id', '=', r.body.orderId)
    .execute();
  const order = (await findOrderById(sys.db, r.body.orderId))!;
  const kinds: OrderEmailKind[] = ['confirmation', 'payment_link_renewed', 'payment_expired', 'progress', 'delivered', 'refunded', 'domain_taken'];
  const links = {
    paymentUrl: 'http://localhost/pay/x',
    trackingUrl: 'http://localhost/suivi/x',
    supportEmail: 'support@conciergerie.example',
    editorUrl: 'http://localhost/editor/x',
    chooseUrl: 'http://localhost/suivi/x',
    alternatives: [{ domain: 'martin-plomberie.fr', amountCents: 1200 }],
    refundCents: 100,
  };
  const before = mails().length;
  for (const kind of kinds) {
    const id = await queueEmail(sys.db, {
      orderId: order.id,
      kind,
      dedupeKey: `hdr:${kind}`,
      to: order.email,
      locale: 'fr',
      rendered: renderOrderEmail(kind, order, links),
    });
    assert.equal(await sendQueuedEmail(sys.deps, id!), 'sent', kind);
  }
  const got = mails().slice(before);
  assert.equal(got.length, kinds.length);
  for (const m of got) {
    assert.deepEqual(m.to, [valid.email], `"${m.subject}": delivered to its recipient only`);
    assert.deepEqual(
      Object.keys(m.headers).filter((h) => !OUR_HEADERS.test(h)),
      [],
      `"${m.subject}": a header we did not write`,
    );
    assert.doesNotMatch(m.subject, /[\r\n]/, 'the subject is one line');
    assert.ok(!m.headers.bcc && !m.headers['x-injected']);
    assert.doesNotMatch(m.html, /<script>alert/, `"${m.subject}": the business name is text in the body`);
  }
  assert.ok(!mails().some((m) => m.to.includes(VICTIM)), 'the victim got nothing');
});

test('past the door: a recipient that is not one plain address is never sent to — not even its first part', async () => {
  const r = await sys.api('/api/request-concierge-service', { body: { ...valid, domain: 'plomberie-martin-hdr2.fr' } });
  const order = (await findOrderById(sys.db, r.body.orderId))!;
  const before = mails().length;
  const recipients = [
    ...BREAKS.map((b) => `martin@example.org${b}`),
    `martin@example.org, ${VICTIM}`,
    `martin@example.org; ${VICTIM}`,
    `Martin <martin@example.org>, ${VICTIM}`,
    `"martin@example.org\r\nBcc: ${VICTIM}"@example.org`,
  ];
  for (const [i, to] of recipients.entries()) {
    const id = await queueEmail(sys.db, {
      orderId: order.id,
      kind: 'confirmation',
      dedupeKey: `hdr-to:${i}`,
      to,
      locale: 'fr',
      rendered: renderOrderEmail('confirmation', order, { paymentUrl: 'x', trackingUrl: 'x', supportEmail: 'x' }),
    });
    await assert.rejects(
      sendQueuedEmail(sys.deps, id!),
      (err) => err instanceof ProviderError && err.code === 'recipient_invalid' && !err.retryable,
      JSON.stringify(to),
    );
    const row = await sys.db.selectFrom('outbox_emails').select(['state', 'last_error']).where('id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(row.state, 'failed');
    assert.ok(!row.last_error?.includes(VICTIM), 'the error does not repeat the address');
  }
  assert.equal(mails().length, before, 'nothing was sent');
});
