// The whole journey in a real browser: landing page → ConciergeModal → the sandbox Stripe checkout page → back into the modal's live progress → "site live".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, screenshot, fillHolder } from '../support/browser.ts';
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

const TZ = 'America/Guadeloupe'; // not the server's: the deadline must be shown in the person's time zone

function clock(at: number): string {
  return new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: TZ }).format(at);
}

test('from the landing page to "site live", paying on the sandbox Stripe checkout page', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', timezoneId: TZ });
  const { page } = w;
  await page.goto('/');
  await page.getByRole('button', { name: 'Mettre mon site en ligne' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Mettre mon site en ligne' });
  await dialog.waitFor();

  // 1. the business
  await dialog.getByLabel('Nom de votre activité').fill('Boulangerie Dupont');
  await dialog.getByLabel('Adresse e-mail').fill('marie@example.org');
  await dialog.getByLabel('Ville').fill('Lyon');
  await dialog.getByRole('button', { name: 'Continuer' }).click();

  // 2. the domain: a suggestion from the business name, checked live
  const domain = dialog.getByLabel('Nom de domaine souhaité');
  await domain.waitFor();
  assert.equal(await domain.inputValue(), 'boulangerie-dupont.fr');
  await domain.fill('boulangerie-dupont-lyon.fr');
  await dialog.getByText('boulangerie-dupont-lyon.fr est disponible').waitFor();
  await dialog.getByText('12 € la première année').waitFor();
  await screenshot(page, 'happy-path-1-domain');
  await dialog.getByRole('button', { name: 'Continuer' }).click();

  // the domain's holder: a person in France (a .fr name: their birth date and place too)
  await fillHolder(dialog, 'fr');
  await dialog.getByRole('button', { name: 'Continuer' }).click();

  // 3. delivery: express by default, itemised, the deadline as a clock time "if you pay now"
  const express = dialog.getByRole('radio', { name: /Express/ });
  await express.waitFor();
  assert.equal(await express.isChecked(), true);
  const before = Date.now();
  const expressText = (await dialog.locator('label:has(input[value="express"])').textContent())!.replace(/\s+/g, ' ');
  const after = Date.now();
  const expected = [clock(before + 4 * 3600_000), clock(after + 4 * 3600_000)];
  assert.ok(
    expected.some((c) => expressText.includes(c)),
    `"${expressText}" shows ${expected[0]}`,
  );
  assert.match(expressText, /si vous payez maintenant/);
  const quote = dialog.getByRole('region', { name: 'Détail du prix' });
  const quoteText = (await quote.textContent())!.replace(/\s/g, ' ');
  assert.match(quoteText, /Nom de domaine, première année\s*12 €/);
  assert.match(quoteText, /Mise en ligne, hébergement et HTTPS\s*149 €/);
  assert.match(quoteText, /Supplément express\s*99 €/);
  assert.match(quoteText, /Total\s*260 €/);
  await screenshot(page, 'happy-path-2-delivery');
  await dialog.getByRole('button', { name: 'Continuer' }).click();

  // 4. payment: Stripe, then the sandbox's hosted checkout page
  await dialog.getByRole('radio', { name: /Carte bancaire/ }).waitFor();
  await tickConsent(dialog, 'fr');
  await screenshot(page, 'happy-path-3-payment');
  await Promise.all([page.waitForURL(/\/c\/pay\//), dialog.getByRole('button', { name: 'Payer 260 €' }).click()]);
  await screenshot(page, 'happy-path-4-stripe-checkout');
  await Promise.all([page.waitForURL(/\/\?order=/), page.locator('form button[type="submit"]').click()]);

  // 5. back in the modal: the live progress, fed by the stream, until the site is live
  const progress = page.getByRole('dialog', { name: 'Votre mise en ligne' });
  await progress.waitFor();
  await progress.getByText('boulangerie-dupont-lyon.fr', { exact: true }).waitFor();
  await progress.getByTestId('site-live').waitFor({ timeout: 90_000 });
  await progress.getByRole('heading', { name: 'Votre site est en ligne !' }).waitFor();
  assert.equal(await progress.locator('[data-state="done"]').count(), 8, 'every step done');
  assert.equal(await progress.getByRole('link', { name: /Voir mon site/ }).getAttribute('href'), 'https://boulangerie-dupont-lyon.fr/');
  assert.match((await progress.getByTestId('elapsed').textContent())!, /\d+ (s|min)/);
  await screenshot(page, 'happy-path-5-site-live');

  // the tracking page shows the same
  const token = new URL(page.url()).searchParams.get('order')!;
  await page.goto(`/suivi/${token}`);
  await page.getByRole('heading', { name: 'Votre site est en ligne !' }).waitFor();
  await screenshot(page, 'happy-path-6-tracking-page');
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the tracking page overflows by ${overflow}px at 360px`);
  await screenshot(page, 'happy-path-7-tracking-page-360');
  w.assertClean();
  await w.context.close();
});
