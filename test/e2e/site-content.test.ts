// The site's content in a real browser, from the order form to the live site: the customer's own ZIP (a bad one refused with
// its reason and nothing kept, then a good one paid for and served), the editor reached from the tracking page before paying
// (what is saved there is what deploys; an archive sent then removed from the editor), and a live site on a 390 px phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { eventually, startTestSystem, visitSite, type TestSystem } from '../support/system.ts';
import { chromiumPath, launchBrowser, openPage, scenario, screenshot, fillHolder } from '../support/browser.ts';
import { siteZip, zip } from '../support/zip.ts';
import { latestPaymentLink } from '../../src/db/orders.ts';
import { HOLDER } from '../support/holder.ts';
import { tickConsent } from '../support/consent.ts';

let sys: TestSystem;
let browser: Browser;
before(async () => {
  [sys, browser] = await Promise.all([startTestSystem({ RETRY_BASE_MS: '300' }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const live = (domain: string, path = '/') => visitSite(sys, domain, path);

async function archiveRows(orderId: string) {
  const archives = await sys.db.selectFrom('site_archives').select('order_id').where('order_id', '=', orderId).execute();
  const files = await sys.db.selectFrom('site_archive_files').select('path').where('order_id', '=', orderId).execute();
  return archives.length + files.length;
}

const orderOf = async (token: string) => sys.db.selectFrom('orders').select(['id', 'domain']).where('tracking_token', '=', token).executeTakeFirstOrThrow();

test('order with my own site: a ZIP without index.html is refused with its reason and nothing kept; a good one is accepted, paid, and served live', {
  timeout: 150_000,
}, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  w.allowHttpError('/archive', 422);
  await scenario(page, 'site-content-zip', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Mettre mon site en ligne' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Mettre mon site en ligne' });
    await dialog.getByLabel('Nom de votre activité').fill('Studio Lumière');
    await dialog.getByLabel('Adresse e-mail').fill('studio@example.org');
    await dialog.getByRole('button', { name: 'Continuer' }).click();
    await dialog.getByLabel('Nom de domaine souhaité').fill('studio-lumiere-zip.fr');
    await dialog.getByText('studio-lumiere-zip.fr est disponible').waitFor();
    await dialog.getByRole('button', { name: 'Continuer' }).click();
    await fillHolder(dialog, 'fr');
    await dialog.getByRole('button', { name: 'Continuer' }).click();
    await dialog.getByRole('radio', { name: /Express/ }).waitFor();
    await dialog.getByRole('button', { name: 'Continuer' }).click();

    // the choice, at the payment step: the editor by default, or my own site
    const editorChoice = dialog.getByRole('radio', { name: /Je le crée avec l’éditeur/ });
    assert.equal(await editorChoice.isChecked(), true);
    await dialog.getByRole('radio', { name: /J’envoie mon propre site/ }).check();
    const fileInput = dialog.getByLabel('Fichier ZIP de votre site');
    await fileInput.setInputFiles({ name: 'mon-site.zip', mimeType: 'application/zip', buffer: zip([{ name: 'accueil.html', data: '<h1>x</h1>' }]) });
    await tickConsent(dialog, 'fr');
    await screenshot(page, 'site-content-1-zip-chosen');
    await dialog.getByRole('button', { name: /Payer/ }).click();

    // refused before any payment, with the server's reason in French; the order is kept, the archive is not
    const refusal = dialog.getByTestId('archive-error');
    await refusal.getByText('Archive refusée :').waitFor();
    await refusal.getByText('L’archive doit contenir un fichier index.html à sa racine (ou à la racine d’un unique dossier).').waitFor();
    assert.ok(page.url().startsWith(sys.config.publicUrl), 'still on our page: nothing to pay yet');
    await screenshot(page, 'site-content-2-zip-refused');
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('conciergerie.order') ?? 'null') as { token?: string } | null)?.token);
    assert.ok(token, 'the order was made and remembered');
    const order = await orderOf(token);
    assert.equal(await archiveRows(order.id), 0, 'nothing kept of the refused archive');

    // a good one: accepted, then off to pay — the same order, not a second one
    await fileInput.setInputFiles({ name: 'mon-site.zip', mimeType: 'application/zip', buffer: siteZip('mon-site/') });
    await Promise.all([page.waitForURL(/\/c\/pay\//, { timeout: 30_000 }), dialog.getByRole('button', { name: /Payer/ }).click()]);
    assert.equal(await archiveRows(order.id), 1 + 3);
    assert.equal((await sys.db.selectFrom('orders').select('id').where('email', '=', 'studio@example.org').execute()).length, 1, 'one order');
    await Promise.all([page.waitForURL(/\/\?order=/), page.locator('form button[type="submit"]').click()]);
    const progress = page.getByRole('dialog', { name: 'Votre mise en ligne' });
    await progress.getByTestId('site-live').waitFor({ timeout: 90_000 });

    // the live site, over HTTPS through the sandbox edge, is the archive's
    const home = await live(order.domain);
    assert.equal(home.status, 200);
    assert.match(home.text, /Hello from the archive/);
    assert.equal((await live(order.domain, '/css/site.css')).text, 'body{font-family:sans-serif}\n');

    // the editor says so, and says that publishing from it would replace the archive; too late to remove it now
    await page.goto(`/editor/${token}`);
    const note = page.getByTestId('editor-archive');
    await note.getByText('Votre site en ligne vient de l’archive ZIP que vous avez envoyée : publier depuis l’éditeur la remplacera par ce site.').waitFor();
    assert.equal(await note.getByRole('button').count(), 0);
    w.assertClean();
  });
  await w.context.close();
});

test('before paying, the tracking page leads to the editor; an archive sent there is removed from the editor; what was saved is what goes live', {
  timeout: 150_000,
}, async () => {
  const created = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Fromagerie Duval',
      email: 'duval@example.org',
      domain: 'fromagerie-duval-e2e.fr',
      tier: 'express',
      locale: 'fr',
      city: 'Rouen',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const token = created.body.trackingToken as string;
  const orderId = created.body.orderId as string;
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  await scenario(page, 'site-content-before-payment', async () => {
    // the tracking page, unpaid: the content panel with the editor's link and the archive upload
    await page.goto(`/suivi/${token}`);
    const panel = page.getByTestId('site-content');
    await panel.getByRole('heading', { name: 'Le contenu de votre site' }).waitFor();
    await panel.getByText('Ce que vous enregistrez dans l’éditeur avant la mise en ligne est ce qui sera publié.').waitFor();
    await screenshot(page, 'site-content-3-tracking-unpaid');
    await panel.getByLabel('Fichier ZIP de votre site').setInputFiles({ name: 'site.zip', mimeType: 'application/zip', buffer: siteZip() });
    await panel.getByRole('button', { name: 'Envoyer l’archive' }).click();
    await panel.getByText('Archive acceptée (3 fichiers) : c’est elle qui sera mise en ligne.').waitFor();
    await panel.getByTestId('archive-kept').waitFor();
    assert.equal(await archiveRows(orderId), 1 + 3);

    // to the editor, whose note is worded from the order's state, and its way back from the archive
    await panel.getByRole('link', { name: 'Ouvrir l’éditeur' }).click();
    await page.getByRole('heading', { level: 1, name: 'Modifier mon site' }).waitFor();
    await page.getByText('Votre site sera mis en ligne après votre paiement, avec ce que vous enregistrez ici.', { exact: false }).waitFor();
    assert.equal(await page.getByText('Votre site est en cours de mise en ligne', { exact: false }).count(), 0);
    const note = page.getByTestId('editor-archive');
    await note.getByText('Vous avez envoyé votre propre site (archive ZIP) : c’est lui qui sera mis en ligne, pas celui de l’éditeur.').waitFor();
    await screenshot(page, 'site-content-4-editor-with-archive', { fullPage: false });
    await note.getByRole('button', { name: 'Retirer mon archive et utiliser l’éditeur' }).click();
    await note.waitFor({ state: 'detached' });
    await page.getByTestId('editor-announcer').getByText('Archive retirée : c’est le site de l’éditeur qui sera mis en ligne.').waitFor();
    assert.equal(await archiveRows(orderId), 0);

    // edit before paying: the tagline and the legal notice
    await page.getByLabel('Accroche', { exact: true }).fill('Fromages affinés dans nos caves');
    await page.getByLabel('Immatriculation', { exact: true }).fill('SIRET 123 456 789 00012');
    await eventually(async () => {
      const s = (await sys.api(`/api/sites/${token}`)).body;
      return s.document.tagline === 'Fromages affinés dans nos caves' && s.document.legal?.registration === 'SIRET 123 456 789 00012';
    });
    await page.locator('[data-save-state="saved"]').waitFor();
    w.assertClean();
  });
  await w.context.close();

  // paid: the pipeline deploys what was saved
  const ref = await eventually(async () => (await latestPaymentLink(sys.db, orderId))?.provider_ref);
  sys.sandbox!.stripe.pay(ref);
  await eventually(async () => (await sys.api(`/api/concierge/status/${token}`)).body.state === 'delivered', 90_000, 250);
  const home = await live('fromagerie-duval-e2e.fr');
  assert.match(home.text, /Fromages affinés dans nos caves/);
  const legal = await live('fromagerie-duval-e2e.fr', '/mentions-legales.html');
  assert.equal(legal.status, 200);
  assert.match(legal.text, /SIRET 123 456 789 00012/);
});

test('a live site on a 390 px phone: every request stays on the site, nothing scrolls sideways, the menu opens, the icons and the security headers are served', {
  timeout: 120_000,
}, async () => {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { trackingToken: token, domain } = r.body as { trackingToken: string; domain: string };
  // a long name beside a phone button: the case where the name used to be cut
  const { body: site } = await sys.api(`/api/sites/${token}`);
  const long = {
    ...site.document,
    template: 'artisan',
    businessName: 'Menuiserie et Ébénisterie Dupont-Lefèvre',
    contact: { ...site.document.contact, phone: '+33 4 78 12 34 56' },
    services: [{ name: 'Escaliers sur mesure' }, { name: 'Cuisines' }],
  };
  assert.equal((await sys.api(`/api/sites/${token}`, { method: 'PUT', body: { version: site.version, document: long } })).status, 200);
  assert.equal((await sys.api(`/api/sites/${token}/publish`, { method: 'POST' })).status, 202);
  const orderId = (await orderOf(token)).id;
  await eventually(
    async () =>
      (await sys.db.selectFrom('order_events').select('id').where('order_id', '=', orderId).where('type', '=', 'site_published').executeTakeFirst()) ??
      undefined,
    40_000,
    200,
  );

  const edge = sys.sandboxEndpoints!.netlify;
  const phone = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // the customer's domain resolves to the sandbox edge; its certificate is the sandbox CA's (checked over HTTPS elsewhere)
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      `--host-resolver-rules=MAP ${domain} 127.0.0.1`,
      '--ignore-certificate-errors',
    ],
  });
  try {
    const context = await phone.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (err) => problems.push(err.message));
    const origin = `https://${domain}:${edge.httpsPort}`;
    const res = await page.goto(`${origin}/`);
    assert.equal(res?.status(), 200);
    const headers = res!.headers();
    assert.match(headers['content-security-policy'] ?? '', /script-src 'none'/, "the site's _headers, served by the edge");
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.waitForLoadState('networkidle');

    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the page scrolls sideways by ${sideways}px at 390px`);
    // the whole name shows (it wraps, it is not cut)
    const name = page.locator('.topbar .brand-name');
    assert.equal(await name.textContent(), 'Menuiserie et Ébénisterie Dupont-Lefèvre');
    assert.ok(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the name is not cut');
    await page.screenshot({ path: 'test-results/site-content-5-live-390.png' });

    // the sections are behind "Menu": hidden, then shown once it is opened, and a link takes you there
    const firstLink = page.locator('.nav-links a').first();
    assert.equal(await firstLink.isVisible(), false);
    await page.getByText('Menu', { exact: true }).click();
    await firstLink.waitFor({ state: 'visible' });
    await page.screenshot({ path: 'test-results/site-content-6-live-390-menu.png' });
    await page.locator('.nav-links').getByRole('link', { name: 'Prestations' }).click();
    await eventually(async () => (await page.evaluate(() => location.hash)) === '#services' || undefined, 3000);

    // the legal page, from the footer
    await page.getByRole('link', { name: 'Mentions légales' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentions légales' }).waitFor();
    const legalSideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(legalSideways <= 0, `the legal page scrolls sideways by ${legalSideways}px`);

    for (const path of ['/favicon.ico', '/favicon-32.png', '/apple-touch-icon.png']) {
      const icon = await live(domain, path);
      assert.equal(icon.status, 200, path);
      assert.match(String(icon.headers['content-type']), /^image\//, path);
    }
    const foreign = requests.filter((u) => new URL(u).hostname !== domain);
    assert.deepEqual(foreign, [], 'every request goes to the site itself');
    assert.ok(requests.length >= 2);
    assert.deepEqual(problems, [], 'no console error (a Content-Security-Policy violation would show here)');
    await context.close();
  } finally {
    await phone.close();
  }
});
