// A taken domain in a real browser: the alternatives show with their prices and one is picked, both while typing and when the name goes between the check and the payment (409); then PayPal, and the history says which name was ordered instead of which.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot, fillHolder } from '../support/browser.ts';
import { HOLDER } from '../support/holder.ts';
import { tickConsent } from '../support/consent.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

test('a taken domain offers priced alternatives; the person picks one, pays with PayPal and the site goes live', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB', timezoneId: 'Europe/London' });
  const { page } = w;
  await page.goto('/');
  await page.getByRole('button', { name: 'Put my site online' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Put my site online' });
  await dialog.getByLabel('Business name').fill('Dupont Bakery');
  // an address the form lets through but the API refuses (its top-level domain is one letter long)
  await dialog.getByLabel('Email address').fill('dupont@example.o');
  await dialog.getByLabel('City').fill('Lyon');
  await dialog.getByRole('button', { name: 'Continue' }).click();

  // typed: taken, with alternatives and their prices
  const domain = dialog.getByLabel('Domain name you want');
  await domain.fill('taken-dupont.com');
  await dialog.getByText('taken-dupont.com is already taken.').waitFor();
  assert.equal(await domain.getAttribute('aria-invalid'), 'true');
  const alternatives = dialog.getByRole('group', { name: 'These names are free:' });
  await alternatives.waitFor();
  const options = alternatives.getByRole('radio');
  const count = await options.count();
  assert.ok(count >= 2, `${count} alternatives`);
  for (const label of await alternatives.locator('label').allTextContents()) assert.match(label, /\S+\.\S+.*€/, `"${label}" has a price`);
  await screenshot(page, 'taken-domain-1-alternatives');

  // "Continue" without a choice says what is missing
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByText('Choose an available name to continue.').waitFor();

  const first = await options.first().getAttribute('value');
  await options.first().check();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await fillHolder(dialog, 'en');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('radio', { name: /Express/ }).waitFor();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByText(`${first}, Express delivery`).waitFor();

  await tickConsent(dialog, 'en');
  // the API's 422 brings the person back to the field concerned, with the API's message in English
  w.allowHttpError('/api/request-concierge-service', 422);
  await dialog.getByRole('button', { name: /^Pay / }).click();
  const email = dialog.getByLabel('Email address');
  await email.waitFor();
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  const emailError = (await dialog.locator('.field-invalid .field-error').textContent())!;
  assert.match(emailError, /email/i);
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'email', 'the focus is on the field to fix');
  await screenshot(page, 'taken-domain-2-email-refused');
  await email.fill('dupont@example.org');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByText(`${first}, Express delivery`).waitFor();

  // between the check and the payment, someone else takes the name: the API's 409 brings the person back to the domain, with alternatives
  sys.sandbox!.registry.register(first!, 1);
  // the API answers 409 here by design; Chromium logs any 4xx answer as "Failed to load resource"
  w.allowHttpError('/api/request-concierge-service', 409);
  await dialog.getByRole('radio', { name: /PayPal/ }).check();
  await dialog.getByRole('button', { name: /^Pay / }).click();
  await dialog.getByLabel('Domain name you want').waitFor();
  assert.equal(await dialog.getByLabel('Domain name you want').inputValue(), first);
  const again = dialog.getByRole('group', { name: 'These names are free:' });
  await again.waitFor();
  const errorText = await dialog.locator('.field-error').textContent();
  assert.ok(errorText && errorText.length > 5, 'the API message shows next to the field');
  await screenshot(page, 'taken-domain-3-taken-at-payment');
  const second = again.getByRole('radio').first();
  const chosen = (await second.getAttribute('value'))!;
  assert.notEqual(chosen, first);
  await second.check();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByText(`${chosen}, Express delivery`).waitFor();
  assert.equal(await dialog.getByRole('radio', { name: /PayPal/ }).isChecked(), true, 'the choice of PayPal is kept');

  // PayPal's approval page; the person cancels first, comes back, and pays from the progress view
  await Promise.all([page.waitForURL(/\/checkoutnow\?token=/), dialog.getByRole('button', { name: /^Pay / }).click()]);
  await screenshot(page, 'taken-domain-4-paypal');
  await Promise.all([page.waitForURL(/\/\?order=/), page.locator('form[action="/checkoutnow/cancel"] button').click()]);
  const progress = page.getByRole('dialog', { name: 'Your site going live' });
  await progress.getByRole('heading', { name: 'Payment cancelled. You can come back to it whenever you like.' }).waitFor();
  await screenshot(page, 'taken-domain-5-cancelled');
  await Promise.all([page.waitForURL(/\/checkoutnow\?token=/), progress.getByRole('link', { name: 'Pay now' }).click()]);
  await Promise.all([page.waitForURL(/\/\?order=/), page.locator('form[action="/checkoutnow/approve"] button').click()]);
  await progress.getByText(chosen, { exact: true }).waitFor();
  await progress.getByRole('heading', { name: 'Your site is live!' }).waitFor({ timeout: 90_000 });
  await screenshot(page, 'taken-domain-6-live');
  // the form said which name the chosen one replaced: the history tells it, checked by the server
  await progress.getByText('Detailed history').click();
  await progress.getByText(`The requested name ${first} was taken (`).waitFor();
  await progress.getByText(/Available names offered instead: .+\(€\d+\.\d\d\)/).waitFor();
  await progress.getByText(`Ordered ${chosen} instead of ${first}.`).waitFor();

  const order = await eventually(() => sys.db.selectFrom('orders').selectAll().where('email', '=', 'dupont@example.org').executeTakeFirst());
  assert.equal(order.domain, chosen);
  assert.equal(order.payment_provider, 'paypal');
  w.assertClean();
  await w.context.close();
});

test('the name goes between the payment and the purchase: the tracking page offers the alternatives and the order resumes with the one picked', {
  timeout: 120_000,
}, async () => {
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Garage Petit',
      email: 'petit@example.org',
      domain: 'garage-petit-nantes.fr',
      tier: 'express',
      locale: 'fr',
      city: 'Nantes',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  sys.sandbox!.registry.register('garage-petit-nantes.fr', 1);
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', r.body.orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);

  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'taken-at-purchase', async () => {
    await page.goto(`/suivi/${r.body.trackingToken}?choose=domain`);
    await page.getByRole('heading', { name: 'Le nom de domaine a été pris entre-temps.' }).waitFor({ timeout: 30_000 });
    const group = page.getByRole('group', { name: 'Ces noms sont libres :' });
    const first = group.getByRole('radio').first();
    const chosen = (await first.getAttribute('value'))!;
    await screenshot(page, 'taken-at-purchase-1-choose');
    await first.check();
    await page.getByRole('button', { name: 'Choisir ce nom' }).click();
    await page.getByRole('heading', { name: 'Votre site est en ligne !' }).waitFor({ timeout: 90_000 });
    await page.locator('.progress-domain', { hasText: chosen }).waitFor();
    await screenshot(page, 'taken-at-purchase-2-live');
    w.assertClean();
  });
  await w.context.close();
});
