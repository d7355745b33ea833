// The order form's holder step in English with the keyboard alone: a company for a .fr name, refused from the United
// States with the rule named and the TLDs that would take it offered, then from France with a mistyped SIRET the
// API refuses, corrected; the order is stored with the holder as typed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { holderOf } from '../../src/db/holders.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return { name: el?.getAttribute('name') ?? '', value: el?.value ?? '', text: (el?.textContent ?? '').trim() };
  });

async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if ((await focused(page)).name === name) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${name} is not reachable with Tab`);
}

test('in English, keyboard only: a .fr company refused from the US, then its SIRET corrected', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  await scenario(page, 'holder-step-en', async () => {
    await page.goto('/');
    await page.locator('.offer').first().waitFor();
    for (let i = 0; i < 8 && (await focused(page)).text !== 'Put my site online'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Put my site online' });
    await dialog.waitFor();
    await page.keyboard.type('Smith Bakery');
    await page.keyboard.press('Tab');
    await page.keyboard.type('smith@example.org');
    await page.keyboard.press('Enter');

    await dialog.getByLabel('Domain name you want').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('smith-bakery-holder.fr');
    await dialog.getByText('smith-bakery-holder.fr is available').waitFor();
    await page.keyboard.press('Enter');

    // the holder step: a person by default; the arrow key makes it a company, which asks its SIREN/SIRET for a .fr
    await dialog.getByRole('radio', { name: 'A person' }).waitFor();
    assert.equal((await focused(page)).value, 'individual');
    assert.equal(await dialog.getByLabel('Date of birth', { exact: true }).count(), 1, 'a person holding a .fr gives a birth date');
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).value, 'organization');
    assert.equal(await dialog.getByLabel('Date of birth', { exact: true }).count(), 0, 'a company does not');
    await dialog.getByLabel('SIREN or SIRET number').waitFor();
    // why it is asked: AFNIC's rule, in English
    assert.match((await dialog.locator('details.holder-why').textContent())!, /AFNIC/);

    const typed: [string, string][] = [
      ['holder.organization', 'Smith Bakery SARL'],
      ['holder.companyId', '732 829 320 00075'],
      ['holder.firstName', 'John'],
      ['holder.lastName', 'Smith'],
      ['holder.address1', '8939 S. Cross Blvd'],
      ['holder.postalCode', '85284'],
      ['holder.city', 'Phoenix'],
    ];
    for (const [name, text] of typed) {
      await tabTo(page, name);
      await page.keyboard.type(text);
    }
    await tabTo(page, 'holder.country');
    await page.keyboard.type('United States');
    assert.equal((await focused(page)).value, 'US');
    await tabTo(page, 'holder.phone');
    await page.keyboard.type('+1.6613102107');
    await page.keyboard.press('Enter');

    // AFNIC's rule, named, and the TLDs that take a US company, with the same name
    await dialog.getByText('The .fr registry (AFNIC) does not accept a holder established in United States.').waitFor();
    assert.equal((await focused(page)).name, 'holder.country', 'the focus goes to the field the rule concerns');
    const offered = await dialog.locator('.holder-alternatives button').allTextContents();
    assert.ok(offered.includes('smith-bakery-holder.com'), offered.join(', '));
    assert.ok(!offered.some((d) => d.endsWith('.eu') || d.endsWith('.fr')), 'EURid and AFNIC take no US company');
    await screenshot(page, 'holder-step-1-not-eligible');

    // established in France after all: the SIRET's key is wrong, which the API says at the payment
    await page.keyboard.type('France');
    assert.equal((await focused(page)).value, 'FR');
    await dialog.locator('.holder-alternatives').waitFor({ state: 'detached' });
    await tabTo(page, 'holder.phone');
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Express/ }).waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Card/ }).waitFor();
    w.allowHttpError('/api/request-concierge-service', 422);
    // the terms, ticked with Space (they stay ticked when the form comes back here); a company orders as a business,
    // which has no withdrawal right to waive: no early-start box
    await tabTo(page, 'acceptTerms');
    await page.keyboard.press('Space');
    assert.equal(await dialog.locator('input[name="earlyStart"]').count(), 0);
    for (let i = 0; i < 10 && !/^Pay/.test((await focused(page)).text); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.getByText('This SIREN (9 digits) or SIRET (14 digits) number is not valid', { exact: false }).waitFor();
    assert.equal((await focused(page)).name, 'holder.companyId', 'back on the holder step, on the field to fix');
    assert.equal(await dialog.getByLabel('SIREN or SIRET number').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'holder-step-2-siret-refused');
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Express/ }).waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByRole('radio', { name: /Card/ }).waitFor();
    for (let i = 0; i < 10 && !/^Pay/.test((await focused(page)).text); i++) await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/\/c\/pay\//), page.keyboard.press('Enter')]);
  });
  const order = await sys.db.selectFrom('orders').select('id').where('domain', '=', 'smith-bakery-holder.fr').executeTakeFirstOrThrow();
  assert.deepEqual(await holderOf(sys.db, order.id), {
    type: 'organization',
    organization: 'Smith Bakery SARL',
    companyId: '732 829 320 00074',
    firstName: 'John',
    lastName: 'Smith',
    address1: '8939 S. Cross Blvd',
    postalCode: '85284',
    city: 'Phoenix',
    country: 'FR',
    phone: '+1.6613102107',
    email: 'smith@example.org',
  });
  w.assertClean();
  await w.context.close();
});
