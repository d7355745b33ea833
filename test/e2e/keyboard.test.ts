// The ConciergeModal with the keyboard alone: reach the button, fill and correct the form, move between steps, stay trapped inside, Escape and come back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

/** What has the focus: its name (form fields), else its text, and whether it is inside the dialog. */
async function focused(page: Page): Promise<{ name: string; text: string; inDialog: boolean; tag: string; value: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return {
      name: el?.getAttribute('name') ?? '',
      text: (el?.textContent ?? '').trim(),
      inDialog: !!el?.closest('[role="dialog"]'),
      tag: el?.tagName.toLowerCase() ?? '',
      value: el?.value ?? '',
    };
  });
}

test('every step of the form with the keyboard alone', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'keyboard', async () => {
    await page.goto('/');
    await page.locator('.offer').first().waitFor();

    // Tab to the button (skip link, brand, language, then the button)
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)).text === 'Mettre mon site en ligne';
    }
    assert.ok(reached, 'the button is reachable with Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Mettre mon site en ligne' });
    await dialog.waitFor();
    assert.equal((await focused(page)).name, 'businessName');

    // step 1, with the mistakes a person makes and corrects
    await page.keyboard.type('Fromagerie Martin');
    await page.keyboard.press('Enter');
    await dialog.getByText('Ce champ est obligatoire.').waitFor();
    assert.equal((await focused(page)).name, 'email', 'the focus goes to the field to fix');
    assert.equal(await dialog.getByLabel('Adresse e-mail').getAttribute('aria-invalid'), 'true');
    await page.keyboard.type('paul@');
    await page.keyboard.press('Enter');
    await dialog.getByText('Cette adresse e-mail ne semble pas valide.').waitFor();
    await page.keyboard.type('example.org');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'city');
    await page.keyboard.type('Annecy');
    await page.keyboard.press('Enter');

    // step 2: the suggestion is checked; typing on cancels the previous check
    await dialog.getByLabel('Nom de domaine souhaité').waitFor();
    assert.equal((await focused(page)).name, 'domain');
    assert.equal((await focused(page)).value, 'fromagerie-martin.fr');
    await page.keyboard.press('End');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('com');
    await dialog.getByText('fromagerie-martin.com est disponible').waitFor();
    await page.keyboard.press('Enter');

    // the holder: a .com asks no birth date; the focus starts on the kind of holder, Tab walks the fields in order
    await dialog.getByRole('radio', { name: 'Une personne' }).waitFor();
    assert.equal((await focused(page)).value, 'individual');
    assert.equal(await dialog.getByLabel('Date de naissance').count(), 0, 'a .com asks no birth date');
    for (const [name, typed] of [
      ['holder.firstName', 'Paul'],
      ['holder.lastName', 'Martin'],
      ['holder.address1', '3 rue Royale'],
      ['holder.address2', ''],
      ['holder.postalCode', '74000'],
      ['holder.city', 'Annecy'],
    ]) {
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).name, name);
      await page.keyboard.type(typed!);
    }
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'holder.country');
    assert.equal((await focused(page)).value, 'FR');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'holder.phone');
    await page.keyboard.type('0612');
    await page.keyboard.press('Enter');
    await dialog.getByText('Indiquez le numéro avec son indicatif international, au format +33.612345678.').waitFor();
    assert.equal((await focused(page)).name, 'holder.phone', 'the focus goes to the field to fix');
    await page.keyboard.type('345678');
    await page.keyboard.press('Enter');

    // step 4: radio buttons with the arrow keys
    await dialog.getByRole('radio', { name: /Express/ }).waitFor();
    assert.equal((await focused(page)).value, 'express');
    await page.keyboard.press('ArrowDown');
    assert.equal(await dialog.getByRole('radio', { name: /Standard/ }).isChecked(), true);
    await dialog.getByText('Supplément express').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');

    // step 5
    await dialog.getByRole('radio', { name: /Carte bancaire/ }).waitFor();
    assert.equal((await focused(page)).value, 'stripe');
    await screenshot(page, 'keyboard-1-payment-step');

    // the focus never leaves the dialog, forwards or backwards
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      assert.ok((await focused(page)).inDialog, `Tab #${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok((await focused(page)).inDialog, `Shift+Tab #${i + 1} stays in the dialog`);
    }

    // Escape closes and gives the focus back to the button; nothing typed is lost
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await focused(page)).text, 'Mettre mon site en ligne');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Nom de votre activité').inputValue(), 'Fromagerie Martin');
    assert.equal(await dialog.getByLabel('Adresse e-mail').inputValue(), 'paul@example.org');
    await page.keyboard.press('Enter');
    await dialog.getByText('fromagerie-martin.com est disponible').waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: 'Une personne' }).waitFor();
    assert.equal(await dialog.getByLabel('Téléphone').inputValue(), '0612345678');
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Standard/ }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: /Standard/ }).isChecked(), true);
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Carte bancaire/ }).waitFor();

    // Tab to the terms and the early-start request, ticked with Space; then to the pay button and press Enter: off to the checkout page
    for (const name of ['acceptTerms', 'earlyStart']) {
      let onBox = false;
      for (let i = 0; i < 12 && !onBox; i++) {
        await page.keyboard.press('Tab');
        onBox = (await focused(page)).name === name;
      }
      assert.ok(onBox, `${name} is reachable with Tab`);
      await page.keyboard.press('Space');
    }
    let onPay = false;
    for (let i = 0; i < 8 && !onPay; i++) {
      await page.keyboard.press('Tab');
      onPay = /^Payer/.test((await focused(page)).text);
    }
    assert.ok(onPay, 'the pay button is reachable with Tab');
    await Promise.all([page.waitForURL(/\/c\/pay\//), page.keyboard.press('Enter')]);

    // the checkout page, by keyboard too
    let onSubmit = false;
    for (let i = 0; i < 8 && !onSubmit; i++) {
      await page.keyboard.press('Tab');
      onSubmit = (await focused(page)).tag === 'button';
    }
    assert.ok(onSubmit);
    await Promise.all([page.waitForURL(/\/\?order=/), page.keyboard.press('Enter')]);
    const progress = page.getByRole('dialog', { name: 'Votre mise en ligne' });
    await progress.getByRole('heading', { name: 'Votre site est en ligne !' }).waitFor({ timeout: 90_000 });
    await screenshot(page, 'keyboard-2-site-live');

    // Escape leaves the progress too, and the focus lands on the page's button
    await page.keyboard.press('Escape');
    await progress.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Mettre mon site en ligne');
    assert.equal(new URL(page.url()).search, '', 'the order leaves the address once the dialog is closed');
    await page.getByRole('link', { name: 'Suivre ma commande en cours' }).waitFor();
    w.assertClean();
  });
  await w.context.close();
});
