// The landing page in a real browser: both languages (the browser's, then the person's choice, remembered), prices from the API, 360 px, the first JavaScript's weight.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, screenshot } from '../support/browser.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

test('French from the browser, English on request and remembered; "from" prices come from the API', async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: /Votre site en ligne/ }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const cta = page.getByRole('button', { name: 'Mettre mon site en ligne' }).first();
  await cta.waitFor();

  // the cheapest "from" price is the service plus the cheapest first-year domain, as configured
  const cheapest = Math.min(...Object.values(sys.config.TLD_PRICES));
  const standardFrom = (sys.config.SERVICE_PRICE_CENTS + cheapest) / 100;
  const expressFrom = (sys.config.SERVICE_PRICE_CENTS + sys.config.EXPRESS_SURCHARGE_CENTS + cheapest) / 100;
  const offers = page.locator('.offer');
  await offers.first().waitFor();
  const offerText = (await offers.allTextContents()).join(' ').replace(/\s/g, ' ');
  assert.match(offerText, new RegExp(`${expressFrom}\\s?€`));
  assert.match(offerText, new RegExp(`${standardFrom}\\s?€`));
  assert.match(offerText, new RegExp(`en ligne en ${sys.config.EXPRESS_HOURS} h`));
  assert.match(offerText, new RegExp(`en ligne en ${sys.config.STANDARD_HOURS} h`));
  for (const tld of sys.config.tlds) await page.locator('.tld-prices').getByText(`.${tld}`, { exact: true }).waitFor();
  await screenshot(page, 'landing-fr-desktop');

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('button', { name: 'Put my site online' }).first().waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await page.getByRole('button', { name: 'Put my site online' }).first().waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await page.getByRole('button', { name: 'Mettre mon site en ligne' }).first().waitFor();
  w.assertClean();
  await w.context.close();
});

test('an English browser gets English', async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-US' });
  await w.page.goto('/');
  await w.page.getByRole('button', { name: 'Put my site online' }).first().waitFor();
  assert.equal(await w.page.getAttribute('html', 'lang'), 'en');
  w.assertClean();
  await w.context.close();
});

test('at 360 px nothing overflows and the dialog fills the screen; Escape closes it and gives the focus back', async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: { width: 360, height: 740 } });
  const { page } = w;
  await page.goto('/');
  await page.locator('.offer').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 360px`);
  await screenshot(page, 'landing-fr-360');

  const cta = page.getByRole('button', { name: 'Mettre mon site en ligne' }).first();
  await cta.click();
  const dialog = page.getByRole('dialog', { name: 'Mettre mon site en ligne' });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  const box = (await dialog.boundingBox())!;
  assert.ok(box.width <= 360 && box.width >= 350, `dialog width ${box.width}`);
  const dialogOverflow = await dialog.evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(dialogOverflow <= 0, `the dialog overflows by ${dialogOverflow}px`);
  // the first field has the focus, and the page behind is out of reach
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'businessName');
  assert.equal(await page.evaluate(() => document.getElementById('root')?.hasAttribute('inert')), true);
  await screenshot(page, 'modal-fr-360');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Mettre mon site en ligne');
  assert.equal(await page.evaluate(() => document.getElementById('root')?.hasAttribute('inert')), false);
  w.assertClean();
  await w.context.close();
});

test('the JavaScript the landing page loads first weighs under 150 KB gzipped, and the admin console is not part of it', async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  const bodies = new Map<string, Promise<Buffer>>();
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script' && !bodies.has(res.url())) bodies.set(res.url(), res.body());
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  const scripts = [...bodies.keys()];
  assert.ok(scripts.length >= 1);
  let gzipped = 0;
  for (const body of bodies.values()) gzipped += zlib.gzipSync(await body, { level: 9 }).length;
  assert.ok(gzipped < 150 * 1024, `${gzipped} bytes gzipped`);
  assert.ok(!scripts.some((u) => /Admin/.test(u)), 'the admin chunk loads only on /admin');
  // every request stays on our origin (no external fonts, scripts or images)
  const origins = new Set<string>();
  page.on('request', (req) => origins.add(new URL(req.url()).origin));
  await page.reload({ waitUntil: 'networkidle' });
  assert.deepEqual(
    [...origins].filter((o) => o !== sys.config.publicUrl && !o.startsWith('data:')),
    [],
  );
  console.log(`landing page JavaScript: ${scripts.map((u) => new URL(u).pathname).join(', ')}, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  w.assertClean();
  await w.context.close();
});
