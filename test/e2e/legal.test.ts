// The terms and the withdrawal right in the browser, in French and English: the order is not sent until the terms are
// accepted and a consumer has asked for the work to start at once; a business is told it has no right of withdrawal; the
// footer's legal pages; the tracking page's data export and erasure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { fillHolder, launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { CONSENT_LABELS } from '../support/consent.ts';
import { EXAMPLE_SELLER } from '../support/seller.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem({ ...EXAMPLE_SELLER }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const WORDS = {
  fr: {
    open: 'Mettre mon site en ligne',
    business: 'Nom de votre activité',
    email: 'Adresse e-mail',
    next: 'Continuer',
    domain: 'Nom de domaine souhaité',
    pay: /Payer/,
  },
  en: { open: 'Put my site online', business: 'Business name', email: 'Email address', next: 'Continue', domain: 'Domain name you want', pay: /^Pay / },
} as const;

/** From the landing page to the payment step. */
async function toPayment(
  page: Page,
  locale: 'fr' | 'en',
  email: string,
  domain: string,
  holder: 'individual' | 'organization' = 'individual',
): Promise<Locator> {
  const w = WORDS[locale];
  await page.goto(`/?lang=${locale}`);
  await page.getByRole('button', { name: w.open }).first().click();
  const dialog = page.getByRole('dialog', { name: w.open });
  await dialog.getByLabel(w.business).fill('Atelier Conditions');
  await dialog.getByLabel(w.email).fill(email);
  await dialog.getByRole('button', { name: w.next }).click();
  await dialog.getByLabel(w.domain).fill(domain);
  await dialog.getByText(new RegExp(`${domain.replace(/\./g, '\\.')} (est disponible|is available)`)).waitFor();
  await dialog.getByRole('button', { name: w.next }).click();
  await fillHolder(dialog, locale, holder);
  await dialog.getByRole('button', { name: w.next }).click();
  await dialog.getByRole('button', { name: w.next }).click();
  await dialog.getByTestId('consent').waitFor();
  return dialog;
}

const ordersOf = (email: string) => sys.db.selectFrom('orders').select(['id', 'tracking_token']).where('email', '=', email).execute();

test('French: nothing is sent before the terms are accepted and the early start asked for; a business has no withdrawal right', {
  timeout: 120_000,
}, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'legal-fr', async () => {
    // the footer's legal pages
    await page.goto('/');
    const footer = page.locator('footer.site-footer');
    assert.equal(await footer.getByRole('link', { name: 'Conditions générales de vente' }).getAttribute('href'), '/conditions-generales');
    assert.equal(await footer.getByRole('link', { name: 'Confidentialité' }).getAttribute('href'), '/confidentialite');
    assert.equal(await footer.getByRole('link', { name: 'Mentions légales' }).getAttribute('href'), '/mentions-legales');

    const email = 'conditions-fr@example.org';
    const dialog = await toPayment(page, 'fr', email, 'atelier-conditions-fr.fr');
    const terms = dialog.getByRole('checkbox', { name: CONSENT_LABELS.fr.terms });
    const early = dialog.getByRole('checkbox', { name: CONSENT_LABELS.fr.earlyStart });
    assert.equal(await dialog.getByRole('link', { name: 'conditions générales de vente' }).getAttribute('href'), '/conditions-generales');
    await dialog.getByText(/version du \d{4}-\d{2}-\d{2}/).waitFor();
    assert.match((await early.locator('xpath=..').textContent()) ?? '', /L221-25 et L221-28/);

    // nothing ticked: refused here, nothing sent
    await dialog.getByRole('button', { name: WORDS.fr.pay }).click();
    await dialog.getByTestId('consent-error').getByText('Acceptez les conditions générales de vente pour commander.').waitFor();
    // the terms only: a consumer must still ask for the early start
    await terms.check();
    await dialog.getByRole('button', { name: WORDS.fr.pay }).click();
    await dialog
      .getByTestId('consent-error')
      .getByText(/Cochez la demande de début immédiat du service/)
      .waitFor();
    await screenshot(page, 'legal-fr-1-early-start-missing');
    assert.equal((await ordersOf(email)).length, 0, 'no order was sent');

    // a person holds the name: they order as a consumer, which the form says rather than asks again
    await dialog
      .getByTestId('customer-type')
      .getByText(/consommateur/)
      .waitFor();
    await early.check();
    await Promise.all([page.waitForURL(/\/c\/pay\//), dialog.getByRole('button', { name: WORDS.fr.pay }).click()]);
    const [order] = await ordersOf(email);
    assert.ok(order);
    const consent = await sys.db.selectFrom('order_consents').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
    assert.equal(consent.customer_type, 'consumer');
    assert.ok(consent.early_start_requested_at);

    // the terms page the link opens, with the seller
    await page.goto('/conditions-generales');
    await page.getByRole('heading', { name: 'Conditions générales de vente' }).waitFor();
    await page.getByText(`SIREN ${EXAMPLE_SELLER.SELLER_SIREN}`, { exact: false }).first().waitFor();
    await page.getByRole('heading', { name: '5. Droit de rétractation (consommateurs)' }).waitFor();
  });
  w.assertClean();
});

test('English: a business orders with the terms alone, pays, then downloads and erases its data from the tracking page', { timeout: 150_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  await scenario(page, 'legal-en', async () => {
    const email = 'conditions-en@example.org';
    const dialog = await toPayment(page, 'en', email, 'atelier-conditions-en.fr', 'organization');
    await dialog.getByRole('button', { name: WORDS.en.pay }).click();
    await dialog.getByTestId('consent-error').getByText('Please accept the terms of sale to order.').waitFor();
    // an organisation holds the name: it orders as a business
    await dialog.getByTestId('no-withdrawal').getByText('As a business, you have no right of withdrawal.').waitFor();
    await dialog.getByRole('checkbox', { name: CONSENT_LABELS.en.terms }).check();
    await screenshot(page, 'legal-en-1-business-terms');
    await Promise.all([page.waitForURL(/\/c\/pay\//), dialog.getByRole('button', { name: WORDS.en.pay }).click()]);
    await Promise.all([page.waitForURL(/\/\?order=/), page.locator('form button[type="submit"]').click()]);
    const [order] = await ordersOf(email);
    const consent = await sys.db.selectFrom('order_consents').selectAll().where('order_id', '=', order!.id).executeTakeFirstOrThrow();
    assert.equal(consent.customer_type, 'business');
    assert.equal(consent.early_start_requested_at, null);
    await eventually(async () => (await sys.api(`/api/concierge/status/${order!.tracking_token}`)).body.state === 'delivered', 90_000, 250);

    // the tracking page: the export's link, then the erasure after a confirmation
    await page.goto(`/track/${order!.tracking_token}`);
    const panel = page.getByTestId('personal-data');
    await panel.getByRole('heading', { name: 'Your personal data' }).waitFor();
    const download = panel.getByRole('link', { name: 'Download my data (JSON)' });
    const href = (await download.getAttribute('href'))!;
    assert.equal(href, `/api/concierge/status/${order!.tracking_token}/personal-data`);
    const exported = await sys.api(href);
    assert.equal(exported.body.orders[0].email, email);
    await panel.getByRole('button', { name: 'Erase my data' }).click();
    const erase = panel.getByRole('button', { name: 'Erase for good' });
    assert.equal(await erase.isDisabled(), true, 'not before the confirmation is ticked');
    await panel.getByRole('checkbox', { name: 'I understand that erasure cannot be undone' }).check();
    await erase.click();
    const result = panel.getByTestId('erasure-result');
    await result.getByText('Your data is erased (1 order).').waitFor();
    await result.getByText('What we keep, and why:').waitFor();
    assert.equal(await result.locator('[data-kept="contract"]').count(), 1);
    await screenshot(page, 'legal-en-2-erased');
    assert.match((await sys.db.selectFrom('orders').select('email').where('id', '=', order!.id).executeTakeFirstOrThrow()).email, /@erased\.invalid$/);

    // the footer's terms page, in English, with the seller
    await Promise.all([page.waitForURL(/\/terms$/), page.locator('footer.site-footer').getByRole('link', { name: 'Terms of sale' }).click()]);
    await page.getByRole('heading', { name: 'Terms of sale' }).waitFor();
    await page.getByText(EXAMPLE_SELLER.SELLER_LEGAL_NAME, { exact: false }).first().waitFor();
  });
  w.assertClean();
});
