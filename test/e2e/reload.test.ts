// The live progress survives a reload in the middle of the pipeline and a dropped stream: same steps, then "site live" through the reconnected stream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  // a step that fails is retried within a second, and may fail many times before giving up
  [sys, browser] = await Promise.all([startTestSystem({ RETRY_BASE_MS: '400', RETRY_MAX_MS: '800', STEP_MAX_ATTEMPTS: '100' }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

async function paidOrder(domain: string, email: string): Promise<string> {
  const r = await sys.api('/api/request-concierge-service', {
    body: { holder: HOLDER, acceptTerms: true, earlyStart: true, businessName: 'Atelier Roux', email, domain, tier: 'standard', locale: 'fr', city: 'Rennes' },
    headers: { 'idempotency-key': `e2e-reload-${domain}` },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  return r.body.trackingToken;
}

test('a reload in the middle of the progress, then a dropped connection: the view comes back and follows on to "site live"', { timeout: 120_000 }, async () => {
  // the host answers 429 for now: the order waits at "create the site" (a rate limit does not open the circuit)
  sys.sandbox!.netlify.faults.set({ rateLimitRate: 1 });
  const token = await paidOrder('atelier-roux-rennes.fr', 'roux@example.org');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'reload', async () => {
    await page.goto(`/payment/return?order=${token}`);
    await page.waitForURL(`**/?order=${token}`);
    const progress = page.getByRole('dialog', { name: 'Votre mise en ligne' });
    await progress.locator('[data-step="register_domain"][data-state="done"]').waitFor();
    await progress.locator('[data-step="create_site"][data-state="current"]').waitFor();
    await eventually(async () => (await sys.api(`/api/concierge/status/${token}`)).body.timeline.some((e: { type: string }) => e.type === 'step_retry'));
    await screenshot(page, 'reload-1-before');

    await page.reload();
    await progress.waitFor();
    await progress.getByText('atelier-roux-rennes.fr', { exact: true }).waitFor();
    await progress.locator('[data-step="register_domain"][data-state="done"]').waitFor();
    await progress.locator('[data-step="create_site"][data-state="current"]').waitFor();
    assert.equal(await progress.locator('[data-state="todo"]').count(), 6);
    await progress.locator('.connection-live').waitFor();
    const kept = await page.evaluate(() => [sessionStorage.getItem('conciergerie.order'), localStorage.getItem('conciergerie.order')]);
    assert.ok(
      kept.every((v) => v?.includes(token)),
      'the token is kept in sessionStorage and localStorage',
    );
    await screenshot(page, 'reload-2-after');

    // the server drops every connection: the stream says so, then reconnects on its own
    w.allowNetworkError('/events', 'net::ERR_INCOMPLETE_CHUNKED_ENCODING'); // the cut we make on purpose
    sys.app!.server.closeAllConnections();
    await progress.locator('.connection-reconnecting').waitFor();
    await screenshot(page, 'reload-3-reconnecting');
    await progress.locator('.connection-live').waitFor();

    // the host is back: the rest arrives through the reconnected stream
    sys.sandbox!.netlify.faults.reset();
    await progress.getByRole('heading', { name: 'Votre site est en ligne !' }).waitFor({ timeout: 90_000 });
    assert.equal(await progress.locator('[data-state="done"]').count(), 8);
    await screenshot(page, 'reload-4-live');

    // the English tracking link shows the same live view
    await page.goto(`/track/${token}`);
    await page.getByRole('heading', { name: 'Your site is live!' }).waitFor();
    await page.getByRole('heading', { name: 'Order tracking', level: 1 }).waitFor();
    await screenshot(page, 'reload-5-track-page');
    w.assertClean();
  });
  await w.context.close();
});
