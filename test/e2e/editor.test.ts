// The site editor in a real browser: a delivered order is edited (name, tagline, a priced service), the live preview follows,
// the edit survives a reload (and an offline spell), a bad colour is refused next to its field in the person's language,
// publishing is followed until "published", and the sandbox edge serves the change over HTTPS; also phones, a second tab, pictures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { eventually, startTestSystem, visitSite, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { png } from '../support/images.ts';

interface Demo {
  orderId: string;
  trackingToken: string;
  domain: string;
  state: string;
}

let sys: TestSystem;
let browser: Browser;
let main: Demo;
let other: Demo;

async function demo(): Promise<Demo> {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'delivered', r.body.timeline?.map((e: { type: string; message: string }) => `${e.type}: ${e.message}`).join('\n'));
  return r.body;
}

before(async () => {
  [sys, browser] = await Promise.all([startTestSystem({ RETRY_BASE_MS: '300' }), launchBrowser()]);
  // at once: two deploys in one sandbox world that need the same file each count their own uploads (as on Netlify), so
  // neither is refused nor refunded
  [main, other] = await Promise.all([demo(), demo()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const live = (domain: string, path = '/') => visitSite(sys, domain, path);

async function saved(token: string) {
  return (await sys.api(`/api/sites/${token}`)).body as { version: number; document: Record<string, any>; assets: { id: string }[] };
}

const saveState = (page: Page) => page.locator('[data-save-state]').getAttribute('data-save-state');

test('edit, preview, reload, a refused colour in the person’s language, publish, and the live site over HTTPS shows it', { timeout: 150_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  let page = w.page;
  await scenario(page, 'editor', async () => {
    await page.goto(`/editor/${main.trackingToken}`);
    await page.getByRole('heading', { level: 1, name: 'Modifier mon site' }).waitFor();
    await page.getByText(main.domain, { exact: true }).waitFor();
    assert.equal(await saveState(page), 'saved');
    const frame = page.frameLocator('iframe[title="Aperçu de votre site"]');
    await frame.getByRole('heading', { level: 1, name: 'Boulangerie Démo' }).waitFor();
    await screenshot(page, 'editor-0-desktop');

    // 1. the name, the tagline and a priced service
    const name = page.getByLabel('Nom de l’activité', { exact: true });
    assert.equal(await name.inputValue(), 'Boulangerie Démo');
    await name.fill('Boulangerie Martin');
    await page.getByLabel('Accroche', { exact: true }).fill('Pain au levain depuis 1998');
    await page.getByRole('button', { name: 'Ajouter une prestation' }).click();
    const service = page.locator('[data-service="0"]');
    const serviceName = service.getByLabel('Nom', { exact: true });
    await eventually(async () => (await serviceName.evaluate((el) => el === document.activeElement)) || undefined, 3000);
    await page.keyboard.type('Croissant au beurre');
    await service.getByLabel('Prix en euros').fill('1,40');

    // 2. the preview follows, from the real renderer
    await frame.getByRole('heading', { level: 1, name: 'Boulangerie Martin' }).waitFor();
    await frame.getByText('Pain au levain depuis 1998').first().waitFor();
    await frame.getByText('Croissant au beurre').first().waitFor();
    await frame
      .getByText(/1,40\s€/)
      .first()
      .waitFor();

    // 3. saved on its own, with the version
    const doc = await eventually(async () => {
      const s = await saved(main.trackingToken);
      return s.document.businessName === 'Boulangerie Martin' && s.document.services?.[0]?.priceCents === 140 ? s : undefined;
    });
    assert.equal(doc.document.tagline, 'Pain au levain depuis 1998');
    assert.deepEqual(doc.document.services, [{ name: 'Croissant au beurre', priceCents: 140 }]);
    await page.locator('[data-save-state="saved"]').waitFor();
    assert.equal(
      await page.evaluate((t) => localStorage.getItem(`conciergerie.editor.${t}`), main.trackingToken),
      null,
      'the local copy goes once the server has it',
    );
    await screenshot(page, 'editor-1-edited', { fullPage: false });

    // 4. a reload keeps it all
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Modifier mon site' }).waitFor();
    assert.equal(await page.getByLabel('Nom de l’activité', { exact: true }).inputValue(), 'Boulangerie Martin');
    assert.equal(await page.getByLabel('Accroche', { exact: true }).inputValue(), 'Pain au levain depuis 1998');
    assert.equal(await page.locator('[data-service="0"]').getByLabel('Nom', { exact: true }).inputValue(), 'Croissant au beurre');
    assert.equal(await page.locator('[data-service="0"]').getByLabel('Prix en euros').inputValue(), '1,40');

    // 5. offline: nothing reaches the server, the typing is kept in this browser, and another tab opened now finds it and saves it
    w.allowNetworkError(`/api/sites/${main.trackingToken}`, 'net::ERR_FAILED');
    w.allowHttpError(`/api/sites/${main.trackingToken}`, 409);
    const documentUrl = (url: URL) => url.pathname === `/api/sites/${main.trackingToken}`;
    await page.route(documentUrl, (route) => (route.request().method() === 'PUT' ? route.abort('failed') : route.continue()));
    await page.getByLabel('Ville', { exact: true }).fill('Villeurbanne');
    await page.locator('[data-save-state="offline"]').waitFor();
    await page.locator('.ed-save').getByText('Hors ligne : vos modifications sont gardées sur cet appareil').waitFor();
    await screenshot(page, 'editor-1b-offline', { fullPage: false });
    assert.notEqual((await saved(main.trackingToken)).document.city, 'Villeurbanne');
    const offlinePage = page;
    page = await w.context.newPage();
    await page.goto(`/editor/${main.trackingToken}`);
    await page.getByText('Nous avons retrouvé des modifications').waitFor();
    assert.equal(await page.getByLabel('Ville', { exact: true }).inputValue(), 'Villeurbanne');
    await eventually(async () => (await saved(main.trackingToken)).document.city === 'Villeurbanne', 15_000);
    await page.locator('[data-save-state="saved"]').waitFor();
    await offlinePage.close();

    // 6. a bad colour: refused by the API, its message next to the field, in French, then in English after switching
    w.allowHttpError(`/api/sites/${main.trackingToken}`, 422);
    const versionBefore = (await saved(main.trackingToken)).version;
    const colour = page.getByLabel('Couleur principale : code');
    await colour.fill('#12345');
    const colourError = page.locator('#ed-colors-primary-error');
    await colourError.getByText('Indiquez une couleur au format #rrggbb.').waitFor();
    assert.equal(await colour.getAttribute('aria-invalid'), 'true');
    assert.match((await colour.getAttribute('aria-describedby')) ?? '', /ed-colors-primary-error/);
    assert.equal(await saveState(page), 'invalid');
    await page.locator('.ed-summary').getByText('Un champ à corriger').waitFor();
    await colourError.scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-2-colour-refused-fr', { fullPage: false });
    // the summary's link takes the focus to the field
    await page.locator('.ed-summary a').first().click();
    await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === 'ed-colors-primary', 3000);
    assert.equal((await saved(main.trackingToken)).version, versionBefore, 'nothing was saved');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit my site' }).waitFor();
    await page.locator('#ed-colors-primary-error').getByText('Please enter a colour as #rrggbb.').waitFor();
    await page.locator('#ed-colors-primary-error').scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-3-colour-refused-en', { fullPage: false });
    await page.getByLabel('Main colour: code').fill('#7a2e1f');
    await page.locator('#ed-colors-primary-error').waitFor({ state: 'detached' });
    await eventually(async () => (await saved(main.trackingToken)).document.colors.primary === '#7a2e1f');
    await page.locator('[data-save-state="saved"]').waitFor();

    // 7. publish, followed live until the timeline says it is live, then the link to the site
    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    assert.equal(await publish.isEnabled(), true);
    await publish.click();
    const done = page.getByTestId('published');
    await done.getByText('Your live site is up to date!').waitFor({ timeout: 60_000 });
    await page.getByTestId('editor-announcer').getByText('Your live site is up to date!').waitFor();
    const link = done.getByRole('link', { name: 'View the live site' });
    assert.equal(await link.getAttribute('href'), `https://${main.domain}/`);
    await screenshot(page, 'editor-4-published', { fullPage: false });

    // 8. the live site, over HTTPS through the sandbox edge, shows the edit
    const home = await live(main.domain);
    assert.equal(home.status, 200);
    for (const text of ['Boulangerie Martin', 'Pain au levain depuis 1998', 'Croissant au beurre', '#7a2e1f']) assert.ok(home.text.includes(text), text);
    const status = await sys.api(`/api/concierge/status/${main.trackingToken}?lang=en`);
    const types = status.body.timeline.map((e: { type: string }) => e.type);
    assert.ok(types.includes('site_publish_requested') && types.includes('site_published'), types.join(', '));
    w.assertClean();
  });
  await w.context.close();
});

test('at 360 px: no sideways scrolling, the preview is a tab (arrow keys move between tabs), publishing is there', { timeout: 60_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: { width: 360, height: 740 } });
  const { page } = w;
  await scenario(page, 'editor-mobile', async () => {
    await page.goto(`/editor/${other.trackingToken}`);
    await page.getByRole('heading', { level: 1, name: 'Modifier mon site' }).waitFor();
    const editTab = page.getByRole('tab', { name: 'Modifier' });
    const previewTab = page.getByRole('tab', { name: 'Aperçu' });
    assert.equal(await editTab.getAttribute('aria-selected'), 'true');
    await page.getByLabel('Nom de l’activité', { exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 360px`);
    // the save state and Publish stay at the bottom of the screen
    const publish = page.getByRole('button', { name: 'Publier', exact: true });
    assert.equal(await publish.isEnabled(), true);
    const at = (await publish.boundingBox())!;
    assert.ok(at.y + at.height <= 740 && at.y > 600, `Publish at y=${at.y}`);
    await screenshot(page, 'editor-5-mobile-form', { fullPage: false });

    await previewTab.click();
    const frame = page.locator('iframe[title="Aperçu de votre site"]');
    await frame.waitFor({ state: 'visible' });
    await page.frameLocator('iframe[title="Aperçu de votre site"]').getByRole('heading', { level: 1 }).waitFor();
    const box = (await frame.boundingBox())!;
    assert.ok(box.width <= 360, `preview ${box.width}px wide`);
    assert.equal(await page.getByRole('button', { name: 'Mobile' }).getAttribute('aria-pressed'), 'true', 'a phone previews the phone layout first');
    assert.equal(await page.getByLabel('Nom de l’activité', { exact: true }).isVisible(), false);
    await screenshot(page, 'editor-6-mobile-preview', { fullPage: false });

    await previewTab.focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await editTab.getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ed-tab-edit');
    w.assertClean();
  });
  await w.context.close();
});

test('a second tab saved meanwhile: the first is told, shows the newer version, and brings its own change back on top', { timeout: 60_000 }, async () => {
  const a = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const b = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  await scenario(a.page, 'editor-conflict', async () => {
    await a.page.goto(`/editor/${other.trackingToken}`);
    await b.page.goto(`/editor/${other.trackingToken}`);
    await a.page.getByLabel('Accroche', { exact: true }).waitFor();
    await b.page.getByLabel('Nom de l’activité', { exact: true }).fill('Boulangerie du Parc');
    await eventually(async () => (await saved(other.trackingToken)).document.businessName === 'Boulangerie du Parc');

    a.allowHttpError(`/api/sites/${other.trackingToken}`, 409);
    await a.page.getByLabel('Accroche', { exact: true }).fill('Ouvert le dimanche');
    const notice = a.page.getByRole('alert').filter({ hasText: 'Ce site a été modifié ailleurs' });
    await notice.waitFor();
    assert.equal(await a.page.getByLabel('Nom de l’activité', { exact: true }).inputValue(), 'Boulangerie du Parc', 'the newer version is shown');
    await eventually(async () => a.page.evaluate(() => document.activeElement?.classList.contains('ed-conflict')), 3000);
    await screenshot(a.page, 'editor-7-conflict', { fullPage: false });

    await notice.getByRole('button', { name: 'Reprendre mes modifications' }).click();
    const merged = await eventually(async () => {
      const s = await saved(other.trackingToken);
      return s.document.tagline === 'Ouvert le dimanche' ? s : undefined;
    });
    assert.equal(merged.document.businessName, 'Boulangerie du Parc', 'what the other tab changed stays');
    await a.page.locator('[data-save-state="saved"]').waitFor();
    a.assertClean();
    b.assertClean();
  });
  await a.context.close();
  await b.context.close();
});

test('a logo goes up, shows in the form and the preview; a file that is not a picture is refused with the server’s reason', { timeout: 60_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'editor-pictures', async () => {
    await page.goto(`/editor/${other.trackingToken}`);
    await page.getByRole('heading', { name: 'Logo et photos' }).waitFor();
    await page.getByText('PNG, JPEG, WebP, GIF ; 5 Mo et 6000 pixels de côté au plus.').waitFor();

    w.allowHttpError('/assets', 422);
    await page.locator('input[data-upload="picture"]').setInputFiles({ name: 'menu.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
    await page.getByText('menu.png : Ce fichier n’est pas une image PNG, JPEG, WebP ou GIF (son contenu est vérifié, pas son nom).').waitFor();

    await page.locator('input[data-upload="logo"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(120, 60, [20, 80, 160]) });
    await page.getByRole('img', { name: 'Logo actuel' }).waitFor();
    const doc = await eventually(async () => {
      const s = await saved(other.trackingToken);
      return s.document.logoAssetId ? s : undefined;
    });
    assert.ok(doc.assets.some((x) => x.id === doc.document.logoAssetId));
    const frame = page.frameLocator('iframe[title="Aperçu de votre site"]');
    await frame.locator(`img[src*="/assets/${doc.document.logoAssetId}"]`).first().waitFor();
    await screenshot(page, 'editor-8-logo');
    w.assertClean();
  });
  await w.context.close();
});

test('the editor’s code loads only on its own page: the landing page stays as light as it was', async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  const scripts = new Map<string, Promise<Buffer>>();
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if ((type === 'script' || type === 'stylesheet') && !scripts.has(res.url())) scripts.set(res.url(), res.body());
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  assert.ok(![...scripts.keys()].some((u) => /Editor/.test(u)), 'no editor code on the landing page');
  const landing = new Set(scripts.keys());
  await page.goto(`/editor/${other.trackingToken}`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1, name: 'Modifier mon site' }).waitFor();
  const own = [...scripts.keys()].filter((u) => !landing.has(u) && /Editor/.test(u));
  assert.ok(own.some((u) => u.endsWith('.js')) && own.some((u) => u.endsWith('.css')), own.join(', '));
  const sizes = await Promise.all(
    own.map(async (u) => `${new URL(u).pathname} ${(zlib.gzipSync(await scripts.get(u)!, { level: 9 }).length / 1024).toFixed(1)} KB`),
  );
  console.log(`editor chunk (gzipped): ${sizes.join(', ')}`);
  w.assertClean();
  await w.context.close();
});
