// Automatic renewal in the browser, keyboard only: chosen in the order form in French and in English (on by default,
// its yearly price stated, unticked recorded as off), and switched off and on again from the tracking page, in French
// and in English, at 360 px wide for the switch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { fillHolder, launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
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

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

async function tabTo(page: Page, id: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`#${id} is not reachable with Tab`);
}

/** The order form walked with the keyboard up to its payment step: the business, the address, the name, the holder, the delivery. */
async function walkToPayment(page: Page, locale: 'fr' | 'en', business: string, email: string) {
  const t =
    locale === 'fr'
      ? { cta: 'Mettre mon site en ligne', available: /est disponible/, phone: 'Téléphone' }
      : { cta: 'Put my site online', available: /is available/, phone: 'Phone' };
  await page.goto('/');
  await page.locator('.offer').first().waitFor();
  await page.getByRole('button', { name: t.cta }).first().focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: t.cta });
  await dialog.waitFor();
  await page.keyboard.type(business);
  await page.keyboard.press('Tab');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');
  await dialog.getByText(t.available).first().waitFor();
  await page.keyboard.press('Enter');
  // the holder step (its keyboard walk is keyboard.test.ts's): filled, then Enter from its last field
  await fillHolder(dialog, locale);
  await dialog.getByLabel(t.phone, { exact: true }).focus();
  await page.keyboard.press('Enter');
  await dialog.getByRole('radio', { name: /Express/ }).waitFor();
  await page.keyboard.press('Enter');
  return dialog;
}

test('le formulaire : renouvellement automatique coché par défaut, son prix annuel, décoché au clavier', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'renewal-form-fr', async () => {
    const dialog = await walkToPayment(page, 'fr', 'Fromagerie Martin', 'paul@example.org');
    await dialog.getByRole('radio', { name: /Carte bancaire/ }).waitFor();

    const cents = sys.config.TLD_PRICES.fr! + sys.config.RENEWAL_SERVICE_CENTS;
    const price = `${Math.floor(cents / 100)}(,${String(cents % 100).padStart(2, '0')})?`;
    const box = dialog.getByRole('checkbox', { name: new RegExp(`Renouveler automatiquement chaque année \\(${price}\\s€ par an\\)`) });
    assert.equal(await box.isChecked(), true, 'on by default');
    await dialog.getByText(/carte, elle sera enregistrée et débitée 30 jours avant l’expiration/).waitFor();
    await tabTo(page, 'auto-renew');
    await page.keyboard.press('Space');
    assert.equal(await box.isChecked(), false);
    await dialog.getByText(/Sans renouvellement automatique/).waitFor();
    await screenshot(page, 'renewal-form-off');
    await page.keyboard.press('Space');
    assert.equal(await box.isChecked(), true);
  });
  w.assertClean();
  await w.context.close();
});

test('the English form: automatic renewal ticked by default with its yearly price, unticked with the keyboard, recorded off', {
  timeout: 120_000,
}, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  const email = 'oliver.renewal@example.org';
  await scenario(page, 'renewal-form-en', async () => {
    const dialog = await walkToPayment(page, 'en', 'Oliver Cheese Shop', email);
    await dialog.getByRole('radio', { name: /Card/ }).waitFor();

    const box = dialog.getByRole('checkbox', { name: /^Renew automatically every year \(€\d+(\.\d\d)? a year\)$/ });
    assert.equal(await box.isChecked(), true, 'on by default');
    await dialog.getByText(/Paid by card, the card will be saved and charged 30 days before the domain name expires/).waitFor();
    await tabTo(page, 'auto-renew');
    await page.keyboard.press('Space');
    assert.equal(await box.isChecked(), false);
    await dialog
      .getByText('Without automatic renewal, you will get reminders and a payment link before expiry; unpaid, the site stops when the domain expires.')
      .waitFor();
    await screenshot(page, 'renewal-form-en-off');

    // paid with the box unticked: the order's plan is off, with no consent recorded
    await tickConsent(dialog, 'en');
    await Promise.all([page.waitForURL(/\/c\/pay\//), dialog.getByRole('button', { name: /^Pay / }).click()]);
    const order = await sys.db.selectFrom('orders').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const plan = await sys.db.selectFrom('renewals').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
    assert.equal(plan.auto_renew, false);
    assert.equal(plan.consent_at, null);
  });
  w.assertClean();
  await w.context.close();
});

for (const locale of ['en', 'fr'] as const) {
  test(`${locale}: the tracking page's renewal switch, keyboard only, 360 px wide`, { timeout: 150_000 }, async () => {
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 90, locale } });
    assert.equal(r.body.state, 'delivered');
    const orderId = r.body.orderId as string;
    await eventually(async () => (await sys.db.selectFrom('renewals').select('card_last4').where('order_id', '=', orderId).executeTakeFirst())?.card_last4);
    const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: locale === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 360, height: 780 } });
    const { page } = w;
    const text =
      locale === 'en'
        ? {
            title: 'Yearly renewal',
            box: 'Renew automatically',
            on: /On: charged automatically on/,
            off: /Off: nothing will be charged/,
            card: /visa •••• 4242/,
          }
        : {
            title: 'Renouvellement annuel',
            box: 'Renouveler automatiquement',
            on: /Activé : prélèvement automatique le/,
            off: /Désactivé : rien ne sera prélevé/,
            card: /visa •••• 4242/,
          };
    await scenario(page, `renewal-switch-${locale}`, async () => {
      await page.goto(`/${locale === 'fr' ? 'suivi' : 'track'}/${r.body.trackingToken}`);
      const panel = page.getByTestId('renewal');
      await panel.getByRole('heading', { name: text.title }).waitFor({ timeout: 30_000 });
      await panel.getByText(text.card).waitFor();
      await panel.getByText(text.on).waitFor();
      const box = panel.getByRole('checkbox', { name: text.box });
      assert.equal(await box.isChecked(), true);
      await tabTo(page, 'renewal-auto', 60);
      await page.keyboard.press('Space');
      await panel.getByText(text.off).waitFor();
      const off = await sys.db.selectFrom('renewals').select('auto_renew').where('order_id', '=', orderId).executeTakeFirstOrThrow();
      assert.equal(off.auto_renew, false, 'recorded off');
      await screenshot(page, `renewal-switch-${locale}-off`);
      // the panel fits 360 px: nothing wider than the screen
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
      await page.keyboard.press('Space');
      await panel.getByText(text.on).waitFor();
      const on = await sys.db.selectFrom('renewals').select(['auto_renew', 'consent_at']).where('order_id', '=', orderId).executeTakeFirstOrThrow();
      assert.equal(on.auto_renew, true);
      assert.ok(on.consent_at);
    });
    w.assertClean();
    await w.context.close();
  });
}
