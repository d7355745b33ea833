// The admin console in a real browser: password login (httpOnly, SameSite cookie), orders with filters and search, an order's story, a confirmed retry that unblocks it, a resent email, the outbox and the providers' health.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { HOLDER } from '../support/holder.ts';

const PASSWORD = 'correct horse battery staple';
let sys: TestSystem;
let browser: Browser;
before(async () => {
  // a failed step waits 30 to 60 s before its next automatic attempt: only the operator's retry makes it go on sooner
  [sys, browser] = await Promise.all([
    startTestSystem({ ADMIN_PASSWORD: PASSWORD, RETRY_BASE_MS: '60000', RETRY_MAX_MS: '60000', STEP_MAX_ATTEMPTS: '100' }),
    launchBrowser(),
  ]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const status = async (token: string) => (await sys.api(`/api/concierge/status/${token}`)).body;

test('the operator logs in, finds the stuck order, retries its step after confirming, and the site goes live', { timeout: 120_000 }, async () => {
  sys.sandbox!.netlify.faults.set({ rateLimitRate: 1 });
  const r = await sys.api('/api/request-concierge-service', {
    body: {
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: 'Menuiserie Blanc',
      email: 'blanc@example.org',
      domain: 'menuiserie-blanc.fr',
      tier: 'express',
      locale: 'fr',
      city: 'Tours',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const { orderId, trackingToken } = r.body;
  const link = await sys.db.selectFrom('payment_links').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
  sys.sandbox!.stripe.pay(link.provider_ref!);
  await eventually(async () => (await status(trackingToken)).timeline.some((e: { type: string }) => e.type === 'step_retry'), 20_000);

  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  // not signed in yet, then a wrong password: the API answers 401 by design
  w.allowHttpError('/api/admin/session', 401);
  w.allowHttpError('/api/admin/login', 401);
  await scenario(page, 'admin', async () => {
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByLabel('Mot de passe').fill('not the password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Mot de passe incorrect.').waitFor();
    await screenshot(page, 'admin-1-login-refused');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Commandes', level: 1 }).waitFor();
    const cookie = (await w.context.cookies()).find((c) => c.name === 'cg_admin');
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');

    // the list, its filters and its search
    const rows = page.locator('table tbody tr');
    await page.getByRole('link', { name: 'menuiserie-blanc.fr' }).waitFor();
    await page.getByLabel('Formule').selectOption('standard');
    await page.getByText('Aucune commande').waitFor();
    await page.getByLabel('Formule').selectOption('express');
    await page.getByLabel('État').selectOption('creating_site');
    await page.getByRole('link', { name: 'menuiserie-blanc.fr' }).waitFor();
    await page.getByLabel('Échéance menacée').check();
    await page.getByText('Aucune commande').waitFor(); // four hours to go: not at risk
    await page.getByLabel('Échéance menacée').uncheck();
    await page.getByLabel('État').selectOption('');
    await page.getByLabel('Formule').selectOption('');
    await page.getByLabel('Rechercher').fill('nothing-like-this');
    await page.getByText('Aucune commande').waitFor();
    await page.getByLabel('Rechercher').fill('Menuiserie');
    await page.getByRole('link', { name: 'menuiserie-blanc.fr' }).waitFor();
    assert.equal(await rows.count(), 1);
    await screenshot(page, 'admin-2-orders');

    // the order's story: steps, timeline, provider calls with outcome and duration, emails
    await page.getByRole('link', { name: 'menuiserie-blanc.fr' }).click();
    await page.getByRole('heading', { name: 'menuiserie-blanc.fr', level: 1 }).waitFor();
    // the domain's holder, as the customer gave it: the registrant the name is bought for
    const holder = page.getByRole('region', { name: 'Titulaire du domaine' });
    const holderText = (await holder.getByTestId('order-holder').textContent())!;
    assert.match(holderText, /Une personne/);
    assert.match(holderText, /Camille.*Durand.*1984-05-17.*69003 Lyon.*12 rue des Lilas/);
    assert.match(holderText, /France.*blanc@example\.org/);
    const calls = page.getByRole('region', { name: 'Appels aux fournisseurs' });
    await calls.getByRole('cell', { name: /ms$/ }).first().waitFor();
    const callsText = (await calls.textContent())!;
    assert.match(callsText, /netlify/i);
    assert.match(callsText, /rate_limited|error/);
    const timeline = page.getByRole('region', { name: 'Historique' });
    await timeline.locator('li[data-type="step_retry"]').first().waitFor();
    await page
      .getByRole('region', { name: 'E-mails' })
      .getByRole('button', { name: /Renvoyer/ })
      .first()
      .waitFor();
    await screenshot(page, 'admin-3-order-stuck');

    // the host is back; the operator retries now rather than wait for the next attempt
    sys.sandbox!.netlify.faults.reset();
    assert.equal(await page.getByLabel('Étape à relancer').inputValue(), 'create_site');
    await page.getByRole('button', { name: 'Relancer l’étape' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Relancer l’étape « Création de l’hébergement » ?' });
    await confirm.waitFor();
    await screenshot(page, 'admin-4-confirm-retry');
    // Cancel first: nothing happens
    await confirm.getByRole('button', { name: 'Annuler' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.ok(!(await status(trackingToken)).timeline.some((e: { type: string }) => e.type === 'admin_action'));
    await page.getByRole('button', { name: 'Relancer l’étape' }).click();
    await confirm.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('C’est fait : l’action figure dans l’historique.').waitFor();
    await timeline.locator('li[data-type="admin_action"]').first().waitFor();
    const delivered = await eventually(async () => {
      const s = await status(trackingToken);
      return s.state === 'delivered' ? s : undefined;
    }, 20_000).catch(async (err) => {
      const s = await status(trackingToken);
      throw new Error(
        `${err.message}; the order is ${s.state}: ${s.timeline.map((e: { type: string; message: string }) => `${e.type} ${e.message}`).join(' | ')}`,
      );
    });
    assert.ok(delivered.timeline.some((e: { type: string }) => e.type === 'admin_action'));

    // resend an email, confirmed
    await page.reload();
    await page.getByRole('heading', { name: 'menuiserie-blanc.fr', level: 1 }).waitFor();
    await page.locator('.state-badge', { hasText: 'Livré' }).waitFor();
    const before = sys.sandbox!.smtp.messages().filter((m) => m.to.includes('blanc@example.org')).length;
    await page
      .getByRole('region', { name: 'E-mails' })
      .getByRole('button', { name: /Renvoyer/ })
      .first()
      .click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('C’est fait : l’action figure dans l’historique.').waitFor();
    await eventually(async () => sys.sandbox!.smtp.messages().filter((m) => m.to.includes('blanc@example.org')).length > before);
    await screenshot(page, 'admin-5-order-delivered');

    // the outbox, rendered in a sandboxed frame
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Boîte d’envoi' }).click();
    await page.getByRole('heading', { name: 'Boîte d’envoi', level: 1 }).waitFor();
    const frame = page.locator('iframe.outbox-frame');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('sandbox'), '');
    assert.ok(((await frame.getAttribute('srcdoc')) ?? '').length > 100);
    await page.frameLocator('iframe.outbox-frame').getByText('menuiserie-blanc.fr').first().waitFor();
    await screenshot(page, 'admin-6-outbox');

    // the providers' health
    await page.getByRole('link', { name: 'Fournisseurs' }).click();
    await page.getByRole('heading', { name: 'Santé des fournisseurs' }).waitFor();
    await page
      .getByRole('rowheader', { name: /netlify/i })
      .first()
      .waitFor();
    await screenshot(page, 'admin-7-providers');

    // signing out closes the console
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    assert.equal((await sys.api('/api/admin/orders', { headers: { cookie: `cg_admin=${cookie.value}` } })).status, 401);
    w.assertClean();
  });
  await w.context.close();
});
