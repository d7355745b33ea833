// The host works asynchronously and the pipeline waits for it without holding a worker: a deploy is created and
// uploaded, then looked at again on later runs (run_at); a certificate is asked for once, then read until issued. A
// rejected or failed deploy is a failed try (a new deploy next), an unknown state a wait.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
before(async () => {
  sys = await startTestSystem({
    SANDBOX_CERT_DELAY_SECONDS: '1',
    SANDBOX_DEPLOY_SECONDS: '1',
    HOST_POLL_MS: '200',
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '300',
    STEP_MAX_ATTEMPTS: '4',
  });
});
after(async () => sys?.stop());

async function orderAndPay(domain: string) {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Cave Leroy',
      email: `${domain.split('.')[0]}@example.org`,
      domain,
      tier: 'express',
      locale: 'fr',
      city: 'Tours',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  return r.body as { orderId: string; trackingToken: string };
}
const status = async (token: string) => (await sys.api(`/api/concierge/status/${token}`)).body;
const delivered = (token: string) =>
  eventually(async () => {
    const s = await status(token);
    return s.state === 'delivered' ? s : undefined;
  }, 90_000);
const calls = (orderId: string, operation: string) =>
  sys.db.selectFrom('provider_calls').select(['operation', 'outcome']).where('order_id', '=', orderId).where('operation', '=', operation).execute();
const stepRow = (orderId: string, step: string) =>
  sys.db.selectFrom('order_steps').selectAll().where('order_id', '=', orderId).where('step', '=', step).executeTakeFirstOrThrow();

test('a slow deploy and a pending certificate: each step comes back later (waits, not failures); the certificate is asked for once', async () => {
  const o = await orderAndPay('cave-leroy-tours.fr');
  const done = await delivered(o.trackingToken);
  const waits = done.timeline.filter((e: { type: string }) => e.type === 'step_waiting').map((e: { message: string }) => e.message);
  assert.ok(waits.length >= 2, `waits: ${waits.join(' | ')}`);
  // the deploy: one creation, then looks at its state on later runs, no failure counted
  const deploy = await stepRow(o.orderId, 'deploy_site');
  assert.ok(deploy.attempts >= 2, `deploy_site ran ${deploy.attempts} times`);
  assert.equal(deploy.failures, 0);
  assert.equal((await calls(o.orderId, 'deploy')).length, 1, 'the deploy was created once');
  assert.ok((await calls(o.orderId, 'getDeploy')).length >= 1, 'then read on later runs');
  // the certificate: asked for once, read until issued
  const secure = await stepRow(o.orderId, 'secure_site');
  assert.ok(secure.attempts >= 2, `secure_site ran ${secure.attempts} times`);
  assert.equal(secure.failures, 0);
  assert.equal((await calls(o.orderId, 'provisionCertificate')).length, 1);
  assert.ok((await calls(o.orderId, 'getCertificate')).length >= 1, 'then read on later runs');
  const site = sys.sandbox!.netlify.sites().find((s) => s.custom_domain === 'cave-leroy-tours.fr')!;
  assert.equal(site.certificate?.state, 'issued');
  assert.equal(site.deploys.length, 1);
});

test('a deploy the host rejects fails that try: the next try makes a new deploy and the order is delivered', async () => {
  const netlify = sys.sandbox!.netlify;
  netlify.setProcessingTime(600_000); // long enough to be caught processing
  const o = await orderAndPay('cave-leroy-rejet.fr');
  let first: { id: string };
  try {
    first = await eventually(async () => {
      const order = await sys.db.selectFrom('orders').select('site_id').where('id', '=', o.orderId).executeTakeFirstOrThrow();
      const site = netlify.sites().find((s) => s.id === order.site_id);
      return site?.deploys.find((d) => d.state === 'processing');
    }, 60_000);
  } finally {
    netlify.setProcessingTime(100);
  }
  netlify.failDeploy(first.id, 'Deploy rejected by the review', 'rejected');
  const done = await delivered(o.trackingToken);
  const retry = done.timeline.find((e: { type: string; message: string }) => e.type === 'step_retry' && /deploy_failed/.test(e.message));
  assert.ok(retry, 'the rejected deploy is a failed try');
  const site = netlify.sites().find((s) => s.custom_domain === 'cave-leroy-rejet.fr')!;
  assert.deepEqual(site.deploys.map((d) => d.state).sort(), ['ready', 'rejected']);
  assert.notEqual(site.published_deploy_id, first.id);
});

test('a deploy in a state the host has still to move on from is waited for within the step, then finishes', async () => {
  const netlify = sys.sandbox!.netlify;
  netlify.setProcessingTime(2_500);
  try {
    const o = await orderAndPay('cave-leroy-lent.fr');
    const done = await delivered(o.trackingToken);
    const deploy = await stepRow(o.orderId, 'deploy_site');
    assert.equal(deploy.failures, 0);
    assert.ok(deploy.attempts >= 3, `looked at ${deploy.attempts} times while processing`);
    assert.ok(done.timeline.some((e: { type: string }) => e.type === 'step_waiting'));
  } finally {
    netlify.setProcessingTime(100);
  }
});
