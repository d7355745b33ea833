// A consumer withdraws from the tracking page in a real browser (English): the offer under the invoices, confirmed
// first, the amount refunded said at once; the order then reads as cancelled and offers no second withdrawal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem({ STEP_MAX_ATTEMPTS: '100', RETRY_BASE_MS: '200', RETRY_MAX_MS: '400' }), launchBrowser()]);
});
after(async () => {
  sys?.sandbox?.netlify.faults.reset();
  await browser?.close();
  await sys?.stop();
});

test('a consumer withdraws from the tracking page once the domain is bought: confirmed first, the rest refunded, the work stopped', {
  timeout: 120_000,
}, async () => {
  const placed = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Bakery Durand',
      email: 'withdraw@example.org',
      domain: 'bakery-durand.fr',
      tier: 'standard',
      locale: 'en',
      city: 'Lyon',
    },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const { orderId, trackingToken } = placed.body as { orderId: string; trackingToken: string };
  // the hosting fails for now: the order waits, its domain bought
  sys.sandbox!.netlify.faults.set({ errorRate: 1 });
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(
    async () =>
      (await sys.db.selectFrom('order_steps').select('state').where('order_id', '=', orderId).where('step', '=', 'register_domain').executeTakeFirst())
        ?.state === 'done',
    30_000,
  );
  const invoice = await sys.db.selectFrom('invoices').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();

  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  await scenario(page, 'withdrawal-tracking-en', async () => {
    await page.goto(`/track/${trackingToken}`);
    const panel = page.getByTestId('invoices');
    await panel.getByRole('link', { name: `Invoice ${invoice.number}` }).waitFor();
    await panel.getByText('Withdraw (14 days)', { exact: true }).first().click();
    await panel.getByText(/the work stops/).waitFor();
    await panel.getByRole('button', { name: 'Withdraw (14 days)' }).click();
    await panel.getByRole('button', { name: 'Confirm the withdrawal' }).click();
    const said = panel.getByRole('status');
    await said.waitFor();
    const refund = await sys.db.selectFrom('order_refunds').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
    const amount = new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency: 'EUR',
      minimumFractionDigits: Number(refund.amount_cents) % 100 ? 2 : 0,
    }).format(Number(refund.amount_cents) / 100);
    assert.equal(await said.textContent(), `Withdrawal recorded: ${amount} will be refunded to you.`);
    assert.ok(Number(refund.amount_cents) < Number(invoice.total_incl_vat_cents), 'the domain bought is kept');
    await screenshot(page, 'withdrawal-tracking-en');
    // the credit note joins the list; the order reads as cancelled and offers no second withdrawal
    const credit = await eventually(
      async () => sys.db.selectFrom('invoices').select('number').where('order_id', '=', orderId).where('kind', '=', 'credit_note').executeTakeFirst(),
      60_000,
    );
    await page.reload();
    await panel.getByRole('link', { name: `Credit note ${credit.number}` }).waitFor();
    assert.equal(await panel.getByText('Withdraw (14 days)').count(), 0);
  });
  w.assertClean();
});
