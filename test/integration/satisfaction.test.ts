// "Are you satisfied?" end to end over HTTP: asked by the delivery and refund emails, answered from the email's page and
// the tracking page's API (the last answer counts, changeable while open), refused with nothing stored when it should
// be, limited per order and address, reminded once and never after an answer or an opt-out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { clientAddress, send } from '../security/corpus.ts';
import { sendSatisfactionReminders } from '../../src/workflow/satisfaction.ts';
import { errorMessage } from '../../src/http/error-messages.ts';
import { insertAskedOrder, type AskedOrder } from '../support/satisfaction.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let delivered: { orderId: string; token: string; email: string };
let refunded: { orderId: string; token: string; email: string };

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
/** each request from an address of its own, unless a test is about the address */
let nextAddress = 1000;
const from = () => clientAddress(nextAddress++);

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '100', RETRY_MAX_MS: '400', STEP_MAX_ATTEMPTS: '2', RATE_LIMITS: 'satisfaction_token:6,satisfaction:8' });
  const demo = async (locale: 'fr' | 'en') => {
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { email } = await sys.db.selectFrom('orders').select('email').where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
    return { orderId: r.body.orderId as string, token: r.body.trackingToken as string, email, state: r.body.state as string };
  };
  const d = await demo('fr');
  assert.equal(d.state, 'delivered');
  delivered = d;
  // the host refuses every call: the order fails and is refunded
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  try {
    const r = await demo('en');
    assert.equal(r.state, 'refunded');
    refunded = r;
  } finally {
    sys.sandbox!.netlify.faults.reset();
  }
});
after(async () => sys?.stop());

const row = (orderId: string) => sys.db.selectFrom('satisfaction').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
const mailsTo = (email: string) => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(email));
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** POST the answer page's form, as a browser does. */
const postForm = (token: string, fields: Record<string, string>, headers: Record<string, string> = {}, address = from()) =>
  send(sys.url!, { method: 'POST', path: `/satisfaction/${token}`, headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() }, address);
/** The tracking page's one-click answer. */
const postAnswer = (token: string, body: unknown, address = from(), lang = 'en') =>
  send(sys.url!, { method: 'POST', path: `/api/concierge/status/${token}/satisfaction?lang=${lang}`, body: body as object }, address);

test('the delivery and the refund emails ask, with five links and a way to stop; the question is on the status, open and unanswered', async () => {
  for (const [order, outcome] of [
    [delivered, 'on_time'],
    [refunded, 'refunded'],
  ] as const) {
    const mail = await eventually(async () =>
      mailsTo(order.email).find((m) => /satisfait|satisfied/.test(m.text) && hrefs(m.html).some((h) => h.includes('/stop/'))),
    );
    const links = hrefs(mail.html).filter((h) => h.includes('/satisfaction/'));
    const lang = order === delivered ? 'fr' : 'en';
    assert.deepEqual(
      links,
      [1, 2, 3, 4, 5].map((s) => `${sys.config.publicUrl}/satisfaction/${order.token}?score=${s}&lang=${lang}`),
    );
    assert.ok(hrefs(mail.html).includes(`${sys.config.publicUrl}/stop/${order.token}?lang=${lang}`));
    const r = await row(order.orderId);
    assert.equal(r.outcome, outcome);
    assert.equal(r.score, null);
    const status = await sys.api(`/api/concierge/status/${order.token}`);
    assert.equal(status.body.satisfaction.score, null);
    assert.equal(status.body.satisfaction.open, true);
  }
  // an order still waiting for payment is not asked
  const unpaid = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Muet',
      email: 'muet@example.org',
      domain: 'atelier-muet.fr',
      tier: 'standard',
      locale: 'fr',
    },
  });
  assert.equal((await sys.api(`/api/concierge/status/${unpaid.body.trackingToken}`)).body.satisfaction, null);
});

test('opening the five links (a mail scanner) records nothing; the page shows the score chosen, in the link’s language', async () => {
  const before = await row(delivered.orderId);
  for (const score of [1, 2, 3, 4, 5]) {
    const r = await send(sys.url!, { method: 'GET', path: `/satisfaction/${delivered.token}?score=${score}&lang=fr`, headers: BROWSER }, from());
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.text, /<html lang="fr">/);
    assert.match(r.text, /Êtes-vous satisfait/);
    assert.match(r.text, new RegExp(`value="${score}" required checked`));
    assert.equal((r.text.match(/ checked/g) ?? []).length, 1);
    assert.equal(r.headers['cache-control'], 'no-store');
  }
  assert.deepEqual(await row(delivered.orderId), before, 'nothing recorded by opening the links');
  // an unknown token gets the very same page: opening a link tells nothing of an order
  const unknown = crypto.randomBytes(24).toString('base64url');
  const a = await send(sys.url!, { method: 'GET', path: `/satisfaction/${unknown}?score=3&lang=en`, headers: BROWSER }, from());
  const b = await send(sys.url!, { method: 'GET', path: `/satisfaction/${delivered.token}?score=3&lang=en`, headers: BROWSER }, from());
  assert.equal(a.status, b.status);
  assert.equal(a.text.replaceAll(unknown, 'TOKEN'), b.text.replaceAll(delivered.token, 'TOKEN'));
});

test('the page’s form records the answer and thanks; the tracking page’s API changes it, keeping or removing the comment; the last answer counts', async () => {
  const r = await postForm(delivered.token, { score: '4', comment: 'Très rapide,\r\nmerci !', lang: 'fr' }, BROWSER);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /Merci pour votre avis/);
  assert.match(r.text, /Votre note\s:\s4 sur 5/);
  let saved = await row(delivered.orderId);
  assert.equal(saved.score, 4);
  assert.equal(saved.comment, 'Très rapide,\r\nmerci !');
  assert.equal(saved.answers, 1);
  const first = saved.first_answered_at!;

  // the one-click change: the score only, the comment given stays
  const change = await postAnswer(delivered.token, { score: 2 });
  assert.equal(change.status, 200, change.text);
  assert.equal(change.json.score, 2);
  assert.equal(change.json.comment, 'Très rapide,\r\nmerci !');
  saved = await row(delivered.orderId);
  assert.deepEqual([saved.score, saved.answers, saved.first_answered_at!.getTime()], [2, 2, first.getTime()]);
  assert.ok(saved.answered_at! >= first);
  // the form again with an empty comment box keeps it too (the page does not show it)
  assert.equal((await postForm(delivered.token, { score: '5', comment: '', lang: 'fr' })).status, 200);
  assert.equal((await row(delivered.orderId)).comment, 'Très rapide,\r\nmerci !');
  // an empty comment through the API removes it
  const removed = await postAnswer(delivered.token, { score: 5, comment: '' });
  assert.equal(removed.json.comment, null);
  const status = await sys.api(`/api/concierge/status/${delivered.token}`);
  assert.equal(status.body.satisfaction.score, 5);
  assert.equal(status.body.satisfaction.comment, null);
  // the operators see it with the order
  const detail = await sys.api(`/api/admin/orders/${delivered.orderId}`, { headers: { authorization: `Bearer ${sys.adminToken}` } });
  assert.equal(detail.body.satisfaction.score, 5);
  assert.equal(detail.body.satisfaction.answers, 4);
  assert.equal(detail.body.satisfaction.outcome, 'on_time');
});

test('bad input is refused with a code and a message, in the asker’s language, and nothing is stored', async () => {
  const before = await row(refunded.orderId);
  // each case on an order of its own: every attempt counts against its order's limit
  const cases: [string, unknown, string][] = [
    ['a score of 0', { score: 0 }, 'value_not_allowed'],
    ['a score of 6', { score: 6 }, 'value_not_allowed'],
    ['a score of 4.5', { score: 4.5 }, 'value_not_allowed'],
    ['a score as text', { score: 'five' }, 'value_not_allowed'],
    ['no score', { comment: 'bien' }, 'value_not_allowed'],
    ['a comment of 1,001 characters', { score: 3, comment: 'x'.repeat(1001) }, 'field_too_long'],
    ['a comment with a bell', { score: 3, comment: 'ding\u0007' }, 'control_characters'],
    ['a comment with an escape sequence', { score: 3, comment: 'red\u001b[31m' }, 'control_characters'],
    ['a comment that reverses text on screen', { score: 3, comment: 'abc\u202Egnp.exe' }, 'control_characters'],
    ['a comment with NUL', { score: 3, comment: 'a\u0000b' }, 'control_characters'],
    ['a field it does not know', { score: 3, rating: 5 }, 'field_unknown'],
  ];
  for (const [name, body, code] of cases) {
    const order = await askedOrder({});
    const r = await postAnswer(order.token, body, from(), 'fr');
    assert.equal(r.status, 422, `${name}: ${r.text}`);
    assert.equal((await row(order.orderId)).answers, 0, `${name}: nothing stored`);
    assert.equal(r.json.code, code, name);
    assert.ok(r.json.message && r.json.message !== errorMessage(code as 'field_unknown', 'en'), `${name}: a French message`);
  }
  // the same through the form, as a browser: the form again, with why, and what was typed kept
  const page = await postForm(refunded.token, { score: '3', comment: `${'y'.repeat(1001)}`, lang: 'en' }, BROWSER);
  assert.equal(page.status, 422);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.text, /This text is too long: 1000 characters at most/);
  assert.match(page.text, /value="3" required checked/);
  const badScore = await postForm(refunded.token, { score: '9', lang: 'fr' });
  assert.equal(badScore.status, 422);
  assert.equal(badScore.json.code, 'value_not_allowed');
  const notUtf8 = await send(sys.url!, { method: 'POST', path: `/satisfaction/${refunded.token}`, headers: FORM, body: 'score=3&comment=%C3%28' }, from());
  assert.equal(notUtf8.status, 400);
  assert.equal(notUtf8.json.code, 'body_not_utf8');
  assert.deepEqual(await row(refunded.orderId), before, 'nothing stored');
});

test('an unknown token, a malformed one, an order not asked and a question closed get the same refusal: the answers cannot tell an order exists', async () => {
  const unpaid = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Atelier Fermé',
      email: 'ferme@example.org',
      domain: 'atelier-ferme.fr',
      tier: 'standard',
      locale: 'en',
    },
  });
  const closed = await askedOrder({ askedDaysAgo: 31 });
  const tokens = [crypto.randomBytes(24).toString('base64url'), 'not-a-token', unpaid.body.trackingToken as string, closed.token];
  const answers = [];
  for (const token of tokens) {
    const r = await postAnswer(token, { score: 5 });
    answers.push({ status: r.status, body: r.text });
  }
  assert.deepEqual(new Set(answers.map((a) => JSON.stringify(a))).size, 1, JSON.stringify(answers));
  assert.equal(answers[0]!.status, 404);
  assert.equal(JSON.parse(answers[0]!.body).code, 'satisfaction_not_open');
  assert.equal((await row(closed.orderId)).score, null);
  // a browser is shown it as a page
  const page = await postForm(closed.token, { score: '5', lang: 'fr' }, BROWSER);
  assert.equal(page.status, 404);
  assert.match(page.text, /Votre avis n’a pas été enregistré/);
  // an answer given changes for 30 days after it, even past 30 days after delivery
  const late = await askedOrder({ askedDaysAgo: 40, answeredDaysAgo: 20, score: 2 });
  assert.equal((await postAnswer(late.token, { score: 4 })).status, 200);
  assert.equal((await row(late.orderId)).score, 4);
});

test('answers are limited per order whatever the address, and per address whatever the order', async () => {
  const order = await askedOrder({});
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await postAnswer(order.token, { score: 3 }, from())).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429], 'six a minute per order (RATE_LIMITS satisfaction_token:6)');
  const limited = await postAnswer(order.token, { score: 1 }, from());
  assert.equal(limited.json.code, 'rate_limited');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal((await row(order.orderId)).score, 3, 'the refused answer is not stored');

  const address = from();
  const others = await Promise.all(Array.from({ length: 9 }, () => askedOrder({})));
  const perAddress: number[] = [];
  for (const o of others) perAddress.push((await postAnswer(o.token, { score: 5 }, address)).status);
  assert.deepEqual(perAddress, [200, 200, 200, 200, 200, 200, 200, 200, 429], 'eight a minute per address (RATE_LIMITS satisfaction:8)');
  // the counters hold a digest of the token, never the token
  const { rows } = await sql<{ key: string }>`select key from http_rate_limits where key like 'satisfaction_token|%'`.execute(sys.db);
  assert.ok(rows.length > 0);
  for (const { key } of rows) assert.match(key, /^satisfaction_token\|[0-9a-f]{32}$/);
  assert.ok(!rows.some((r) => r.key.includes(order.token)));
});

test('the reminder: once, after SATISFACTION_REMINDER_DAYS, only when unanswered, open and not opted out; the link "stop contacting me" works from its page', async () => {
  const silent = await askedOrder({ askedDaysAgo: 8, email: 'Silent@Example.org' });
  const answered = await askedOrder({ askedDaysAgo: 8, answeredDaysAgo: 1, score: 4 });
  const recent = await askedOrder({ askedDaysAgo: 3 });
  const closed = await askedOrder({ askedDaysAgo: 31 });
  const quiet = await askedOrder({ askedDaysAgo: 9, email: 'quiet@example.org' });
  // "stop contacting me": its page records nothing; its button does, for the address whatever its case
  const page = await send(sys.url!, { method: 'GET', path: `/stop/${quiet.token}?lang=fr`, headers: BROWSER }, from());
  assert.equal(page.status, 200);
  assert.match(page.text, /Ne plus me contacter/);
  assert.equal(await optOuts(), 0);
  const stop = await send(sys.url!, { method: 'POST', path: `/stop/${quiet.token}`, headers: { ...FORM, ...BROWSER }, body: 'lang=fr' }, from());
  assert.equal(stop.status, 200);
  assert.match(stop.text, /nous ne vous poserons plus de questions/);
  const again = await askedOrder({ askedDaysAgo: 9, email: 'QUIET@example.org' });
  // an unknown token is answered the same, and stores nothing
  const unknown = await send(
    sys.url!,
    { method: 'POST', path: `/stop/${crypto.randomBytes(24).toString('base64url')}`, headers: { ...FORM, ...BROWSER }, body: 'lang=fr' },
    from(),
  );
  assert.equal(unknown.status, 200);
  assert.equal(unknown.text, stop.text);
  assert.equal(await optOuts(), 1);

  const sent = await sendSatisfactionReminders(sys.deps);
  assert.equal(sent, 1);
  const reminders = await sys.db
    .selectFrom('outbox_emails')
    .select(['order_id', 'to_address', 'text_body'])
    .where('kind', '=', 'satisfaction_reminder')
    .execute();
  assert.deepEqual(
    reminders.map((r) => r.order_id),
    [silent.orderId],
  );
  assert.match(reminders[0]!.text_body, new RegExp(`/satisfaction/${silent.token}\\?score=5&lang=en`));
  assert.notEqual((await row(silent.orderId)).reminded_at, null);
  for (const o of [answered, recent, closed, quiet, again]) assert.equal((await row(o.orderId)).reminded_at, null);
  // the job's next rounds send nothing more; the email goes out once
  assert.equal(await sendSatisfactionReminders(sys.deps), 0);
  await eventually(async () => {
    const email = await sys.db
      .selectFrom('outbox_emails')
      .select(['state', 'last_error'])
      .where('kind', '=', 'satisfaction_reminder')
      .executeTakeFirstOrThrow();
    if (email.state !== 'sent') throw new Error(JSON.stringify(email));
    return true;
  });
  assert.equal(sys.sandbox!.smtp.messages().filter((m) => /satisfied\?$/.test(m.subject)).length, 1);
  assert.equal(await sendSatisfactionReminders(sys.deps), 0);
  // answered after the reminder: fine, and still no second one
  assert.equal((await postAnswer(silent.token, { score: 5 })).status, 200);
  assert.equal(await sendSatisfactionReminders(sys.deps), 0);
});

/** An order asked (and answered) some days ago, as the reminder and the window read it. */
const askedOrder = (o: AskedOrder) => insertAskedOrder(sys.db, o);

const optOuts = async () => Number((await sql<{ n: string }>`select count(*) as n from contact_opt_outs`.execute(sys.db)).rows[0]!.n);
