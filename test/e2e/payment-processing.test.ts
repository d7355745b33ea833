// A payment by SEPA Debit, the bank not yet answered: the tracking page says "payment processing" (in French and in
// English), offers nothing to pay, and shows no deadline; once the money arrives it follows on as for any payment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { HOLDER } from '../support/holder.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  // the bank answers after a minute: long enough to look at the page while it is processing
  [sys, browser] = await Promise.all([startTestSystem({ STRIPE_PAYMENT_METHODS: 'card,sepa_debit', SANDBOX_DELAYED_PAYMENT_SECONDS: '60' }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

async function paidBySepa(domain: string, locale: 'fr' | 'en'): Promise<string> {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Fromagerie Blanc',
      email: `${locale}@example.org`,
      domain,
      tier: 'standard',
      locale,
      city: 'Annecy',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  const paid = await fetch(`${sys.sandbox!.stripe.url}/__sandbox/checkout/${link.provider_ref}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ paymentMethod: 'sepa_debit', outcome: 'succeeded' }),
  });
  assert.equal(paid.status, 200);
  await eventually(async () => (await sys.api(`/api/concierge/status/${r.body.trackingToken}`)).body.payment?.state === 'processing');
  return r.body.trackingToken;
}

for (const [locale, path, title, lead] of [
  ['fr', 'suivi', 'Paiement en cours de traitement', /Le délai de mise en ligne commencera dès la réception du paiement/],
  ['en', 'track', 'Payment processing', /The deadline starts as soon as the payment arrives/],
] as const) {
  test(`the tracking page shows a payment by direct debit as processing (${locale})`, { timeout: 60_000 }, async () => {
    const token = await paidBySepa(`fromagerie-blanc-${locale}.fr`, locale);
    const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
    const { page } = w;
    await scenario(page, `payment-processing-${locale}`, async () => {
      await page.goto(`/${path}/${token}`);
      const panel = page.getByTestId('payment-processing');
      await panel.getByRole('heading', { name: title }).waitFor();
      assert.match((await panel.textContent()) ?? '', lead);
      // the order's badge says so too, not "awaiting payment"
      assert.equal(((await page.locator('.state-badge').first().textContent()) ?? '').trim(), title);
      // nothing to pay twice
      assert.equal(await page.getByRole('link', { name: locale === 'fr' ? /Payer/ : /Pay now/ }).count(), 0);
      await screenshot(page, `payment-processing-${locale}`);
      w.assertClean();
    });
    await w.context.close();
  });
}
