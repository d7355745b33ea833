// The demo endpoint runs whole orders through the sandbox: one test per scenario, each ending delivered with its report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
before(async () => {
  // the host as it behaves: certificates issued a second or two after they are asked for, deploys that take a moment
  sys = await startTestSystem({ RETRY_BASE_MS: '300', SANDBOX_CERT_DELAY_SECONDS: '1-2.5', SANDBOX_DEPLOY_SECONDS: '0.2-1' });
});
after(async () => sys?.stop());

type Demo = {
  scenario: string;
  requestedDomain: string;
  alternatives: { domain: string; priceCents: number; currency: string }[];
  orderId: string;
  trackingToken: string;
  domain: string;
  state: string;
  timeline: { type: string; message: string }[];
  report: any;
};

async function demo(scenario: string, extra: Record<string, unknown> = {}): Promise<Demo> {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario, timeoutSeconds: 60, ...extra } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

function get(_url: string, host: string, port: number, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: '/', servername: host, headers: { host }, ca }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function assertDelivered(d: Demo) {
  assert.equal(d.state, 'delivered', d.timeline.map((e) => e.message).join('\n'));
  assert.equal(d.report.deadlineMet, true);
  assert.ok(d.report.totalSeconds >= 0);
  for (const phase of ['request', 'afterPayment', 'deployment', 'finalisation']) assert.ok(phase in d.report.phases, phase);
  const types = d.timeline.map((e) => e.type);
  for (const t of ['order_created', 'payment_received', 'phase_done', 'delivered']) assert.ok(types.includes(t), t);
}

test('available: paid through the sandbox with a signed webhook, delivered, the site answers over HTTPS, emails once each', async () => {
  const d = await demo('available');
  assertDelivered(d);
  // nothing was asked for first: no alternatives, no such events
  assert.equal(d.requestedDomain, d.domain);
  assert.deepEqual(d.alternatives, []);
  assert.ok(!d.timeline.some((e) => ['requested_domain_taken', 'alternatives_offered', 'alternative_ordered'].includes(e.type)));
  const site = await get('/', d.domain, sys.sandboxEndpoints!.netlify.httpsPort, sys.sandboxEndpoints!.netlify.caCertPem);
  assert.equal(site.status, 200);
  assert.ok(site.body.includes(`conciergerie-site:${d.domain}`));
  const order = await sys.db.selectFrom('orders').select(['email', 'deadline_hours']).where('id', '=', d.orderId).executeTakeFirstOrThrow();
  assert.equal(order.deadline_hours, 24);
  // the delivery email is queued in the same transaction as delivery; give the sender a moment
  await new Promise((r) => setTimeout(r, 500));
  // the invoice goes by its own job, once its PDF is rendered
  await eventually(async () => sys.sandbox!.smtp.messages().filter((m) => m.to.includes(order.email)).length >= 4, 30_000);
  const mails = sys.sandbox!.smtp.messages().filter((m) => m.to.includes(order.email));
  const kinds = await sys.db.selectFrom('outbox_emails').select(['kind', 'state']).where('order_id', '=', d.orderId).execute();
  assert.deepEqual(kinds.map((k) => k.kind).sort(), ['confirmation', 'delivered', 'invoice', 'progress']);
  assert.equal(mails.length, 4);
  const delivered = mails.find((m) => m.text.includes(`https://${d.domain}/`) && m.text.includes('/editor/'));
  assert.ok(delivered, 'delivery email with the final URL and the editor link');
  const monitor = await sys.db.selectFrom('monitors').selectAll().where('order_id', '=', d.orderId).executeTakeFirst();
  assert.equal(monitor?.enabled, true);
  const registrations = sys.sandbox!.registry.all().filter((r) => r.domain === d.domain);
  assert.equal(registrations.length, 1);
});

/** "€12.00" / "12,00 €": what each language's timeline shows for a price (Intl puts a no-break space before the euro sign in French). */
const price = (cents: number, locale: 'fr' | 'en') =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);

for (const locale of ['fr', 'en'] as const) {
  test(`unavailable (${locale}): the taken name, the alternatives offered with their price and the one ordered instead, in the answer and the timeline`, async () => {
    const d = await demo('unavailable', { locale });
    assert.match(d.requestedDomain, /^taken-demo-[0-9a-f]{8}\.fr$/);
    assert.notEqual(d.domain, d.requestedDomain);
    assertDelivered(d);
    assert.ok(d.alternatives.length >= 2, JSON.stringify(d.alternatives));
    for (const a of d.alternatives) {
      assert.ok(Number.isInteger(a.priceCents) && a.priceCents > 0, JSON.stringify(a));
      assert.equal(a.currency, 'EUR');
    }
    assert.equal(d.domain, d.alternatives[0]!.domain, 'the best alternative was ordered');
    // the story, in this order, between the request and the check of the name ordered
    const types = d.timeline.map((e) => e.type);
    const at = (t: string) => types.indexOf(t);
    assert.deepEqual(types.slice(0, 5), ['order_created', 'requested_domain_taken', 'alternatives_offered', 'alternative_ordered', 'domain_checked']);
    assert.ok(at('domain_checked') < at('payment_received'));
    const message = (t: string) => d.timeline[at(t)]!.message;
    const list = d.alternatives.map((a) => `${a.domain} (${price(a.priceCents, locale)})`).join(', ');
    if (locale === 'fr') {
      assert.match(message('requested_domain_taken'), new RegExp(`^Le nom demandé, ${d.requestedDomain.replace(/\./g, '\\.')}, est déjà pris \\(rdap\\)\\.$`));
      assert.equal(message('alternatives_offered'), `Noms libres proposés à la place : ${list}.`);
      assert.equal(message('alternative_ordered'), `${d.domain} commandé à la place de ${d.requestedDomain}.`);
    } else {
      assert.equal(message('requested_domain_taken'), `The requested name ${d.requestedDomain} was taken (rdap).`);
      assert.equal(message('alternatives_offered'), `Available names offered instead: ${list}.`);
      assert.equal(message('alternative_ordered'), `Ordered ${d.domain} instead of ${d.requestedDomain}.`);
    }
  });
}

test('urgent: an express order, 4 h deadline, delivered', async () => {
  const d = await demo('urgent');
  assertDelivered(d);
  const order = await sys.db
    .selectFrom('orders')
    .select(['tier', 'deadline_hours', 'paid_at', 'deadline_at'])
    .where('id', '=', d.orderId)
    .executeTakeFirstOrThrow();
  assert.equal(order.tier, 'express');
  assert.equal(order.deadline_at!.getTime() - order.paid_at!.getTime(), 4 * 3_600_000);
});

test('api_error: providers fail for a while; the timeline shows the fallback and the retries, and the order is delivered', async () => {
  const d = await demo('api_error');
  assertDelivered(d);
  const checked = d.timeline.find((e) => e.type === 'domain_checked');
  assert.match(checked!.message, /whois/, 'RDAP down: whois answered');
  assert.ok(
    d.timeline.some((e) => e.type === 'step_retry'),
    'retries are in the timeline',
  );
  const calls = await sys.db.selectFrom('provider_calls').select(['provider', 'outcome']).where('order_id', '=', d.orderId).execute();
  assert.ok(
    calls.some((c) => c.outcome !== 'ok'),
    'failed calls are recorded',
  );
});

test('PayPal: approved, captured once, delivered', async () => {
  const d = await demo('available', { paymentProvider: 'paypal' });
  assertDelivered(d);
  const order = await sys.db.selectFrom('orders').select(['payment_ref', 'paid_cents', 'total_cents']).where('id', '=', d.orderId).executeTakeFirstOrThrow();
  assert.ok(order.payment_ref);
  assert.equal(order.paid_cents, order.total_cents);
  // PayPal's own records: the order's checkout orders (custom_id) hold one capture, the one the order kept, complete
  const world = sys.sandbox!;
  const captures = world.paypal
    .orders()
    .filter((p) => p.purchase_units[0]?.custom_id === d.orderId)
    .flatMap((p) => p.purchase_units[0]?.payments?.captures ?? []);
  assert.equal(captures.length, 1, 'captured once at PayPal');
  assert.equal(captures[0]!.id, order.payment_ref);
  assert.equal(captures[0]!.status, 'COMPLETED', 'and not refunded');
  assert.equal(Math.round(Number(captures[0]!.amount.value) * 100), order.total_cents);
  assert.equal(world.paypal.ledger.byTarget('captures.refund').get(order.payment_ref!), undefined, 'no refund asked for it');
});

test('the demo endpoint is 404 outside sandbox mode', async () => {
  const other = await startTestSystem({ STRIPE_SECRET_KEY: 'sk_test_real', STRIPE_WEBHOOK_SECRET: 'whsec_real', RUN_WORKER: 'false' });
  try {
    const r = await other.api('/api/test/concierge/demo', { body: { scenario: 'available' } });
    assert.equal(r.status, 404);
  } finally {
    await other.stop();
  }
});

test('orders deployed at the same time with identical files are all delivered', async () => {
  const all = await Promise.all(Array.from({ length: 4 }, () => demo('available')));
  for (const d of all) assertDelivered(d);
});
