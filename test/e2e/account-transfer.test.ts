// Leaving with the domain and the holder's contact details in the customer's space, in a browser 360 px wide with the
// keyboard alone: in French a .fr (no transfer lock, no waiting period) whose holder's phone is refused malformed then
// updated, then the transfer asked for; in English a .com inside ICANN's 60 days (the date instead of the button), its
// holder's new email warned of before it is saved and recorded as a change of registrant, then, the wait over,
// unlocked for its transfer and shown transferred once it left the account.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { signInLink } from '../support/account.ts';
import { fitsTheScreen, PHONE, shiftTabTo, tabTo } from '../support/keyboard.ts';
import { sendSignInLink } from '../../src/account/sessions.ts';
import { runDomainChecks } from '../../src/monitoring/sites.ts';
import { sql } from 'kysely';

let sys: TestSystem;
let browser: Browser;

before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

async function deliveredOrder(locale: 'fr' | 'en', tld: 'fr' | 'com') {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale, tld } });
  assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
  const order = await sys.db.selectFrom('orders').select(['id', 'email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
  await sendSignInLink(sys.deps, order.email);
  return { ...order, link: (await signInLink(sys, order.email)).url };
}

test('en français, au clavier, sur 360 px : téléphone du titulaire refusé mal formé puis mis à jour, transfert d’un .fr demandé', {
  timeout: 180_000,
}, async () => {
  const { email, domain, link } = await deliveredOrder('fr', 'fr');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: PHONE });
  const { page } = w;
  w.allowHttpError(`/api/account/domains/${domain}/holder`, 422);
  await scenario(page, 'account-transfer-fr', async () => {
    await page.goto(link);
    await page.getByText(`Connecté avec ${email}`).waitFor();
    await page.getByRole('heading', { name: new RegExp(domain) }).waitFor();
    assert.equal(await page.getByText(/Transfert vers un autre registraire possible à partir du/).count(), 0, 'AFNIC sets no waiting period');

    await tabTo(page, (f) => f.text === 'Coordonnées du titulaire', 'the holder button');
    await page.keyboard.press('Enter');
    await page.getByText('Titulaire : Boulangerie Démo SARL · Camille Martin').waitFor();
    await tabTo(page, (f) => f.name === 'phone', 'the phone field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0472000000');
    await page.keyboard.press('Enter');
    await page.getByText('Indiquez le numéro avec son indicatif international, au format +33.612345678.').waitFor();
    assert.equal(sys.sandbox!.registry.get(domain)!.contacts!.Registrant!.Phone, '+33.472000000', 'nothing sent to the registrar');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('+33.478000000');
    await page.keyboard.press('Enter');
    await page.getByText('Coordonnées mises à jour chez le registraire.').waitFor();
    assert.equal(sys.sandbox!.registry.get(domain)!.contacts!.Registrant!.Phone, '+33.478000000');
    await fitsTheScreen(page);
    await screenshot(page, 'account-transfer-fr-holder');

    await shiftTabTo(page, 'Transférer le domaine ailleurs');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Transférer ${domain} vers un autre registraire` }).waitFor();
    await tabTo(page, (f) => f.text === 'Confirmer le transfert', 'the confirm button');
    await page.keyboard.press('Enter');
    await page.getByText(/Transfert demandé\. Le code de transfert sera envoyé par Namecheap/).waitFor();
    await page.getByText('Cette extension n’a pas de verrou de transfert : le code suffit.', { exact: false }).waitFor();
    await page.getByText('Transfert vers un autre registraire en attente').waitFor();
    await fitsTheScreen(page);
  });
  w.assertClean();
  await w.context.close();
});

test('en français, au clavier, sur 360 px : un .com enregistré aujourd’hui montre la date de transfert possible ; un nouvel e-mail du titulaire est annoncé avant l’envoi', {
  timeout: 180_000,
}, async () => {
  const { email, domain, link } = await deliveredOrder('fr', 'com');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: PHONE });
  const { page } = w;
  await scenario(page, 'account-transfer-fr-wait', async () => {
    await page.goto(link);
    await page.getByText(`Connecté avec ${email}`).waitFor();
    await page.getByRole('heading', { name: new RegExp(domain) }).waitFor();
    await page.getByText(/^Transfert vers un autre registraire possible à partir du \d{1,2} [a-zéû]+ \d{4} \(60 jours après/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Transférer le domaine ailleurs' }).count(), 0);

    await tabTo(page, (f) => f.text === 'Coordonnées du titulaire', 'the holder button');
    await page.keyboard.press('Enter');
    await page.getByText(/^Titulaire : /).waitFor();
    await tabTo(page, (f) => f.name === 'email', 'the email field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`nouveau-${email}`);
    await page
      .getByText(/^Avant d’enregistrer : ce nouvel e-mail fait un « changement de titulaire ».*Namecheap, notre registraire, enverra un e-mail de confirmation/)
      .waitFor();
    await fitsTheScreen(page);
    // typed back as it was: nothing to announce
    await page.keyboard.press('Control+A');
    await page.keyboard.type(email);
    assert.equal(await page.getByText(/^Avant d’enregistrer/).count(), 0);
    assert.equal(sys.sandbox!.registry.get(domain)!.contacts!.Registrant!.EmailAddress, email, 'nothing sent');
  });
  w.assertClean();
  await w.context.close();
});

test('in English, keyboard only, 360 px: a .com waits its 60 days, a new holder email is warned of and recorded, then it is unlocked and leaves', {
  timeout: 180_000,
}, async () => {
  const { id, email, domain, link } = await deliveredOrder('en', 'com');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB', viewport: PHONE });
  const { page } = w;
  await scenario(page, 'account-transfer-en', async () => {
    await page.goto(link);
    await page.getByText(`Signed in as ${email}`).waitFor();
    // registered today: the date from which it may leave instead of the button
    await page.getByText(/^Transfer to another registrar possible from \d{1,2} [A-Z][a-z]+ \d{4} \(60 days after/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Transfer the domain elsewhere' }).count(), 0);

    // a new holder email: said before it is saved, then recorded as a change of registrant
    await tabTo(page, (f) => f.text === 'Holder’s contact details', 'the holder button');
    await page.keyboard.press('Enter');
    await page.getByText(/^Holder: /).waitFor();
    await tabTo(page, (f) => f.name === 'email', 'the email field');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`new-${email}`);
    await page.getByText(/^Before you save: this new email makes a “change of registrant”.*Namecheap, our registrar, will send a confirmation email/).waitFor();
    await fitsTheScreen(page);
    await screenshot(page, 'account-transfer-en-registrant-warning');
    await page.keyboard.press('Enter');
    await page.getByText(/Change of registrant recorded: transfer to another registrar possible from/).waitFor();
    assert.equal(sys.sandbox!.registry.get(domain)!.contacts!.Registrant!.EmailAddress, `new-${email}`);

    // 61 days on for the registration and the change (the sandbox registrar's clock and ours moved)
    sys.sandbox!.registry.setCreated(domain, new Date(Date.now() - 200 * 86_400_000));
    await sql`update order_steps set finished_at = now() - interval '200 days' where order_id = ${id} and step = 'register_domain'`.execute(sys.db);
    await sql`update transfer_windows set registrant_changed_at = now() - interval '61 days' where order_id = ${id}`.execute(sys.db);
    await page.reload();
    await page.getByText(`Signed in as ${email}`).waitFor();
    await tabTo(page, (f) => f.text === 'Transfer the domain elsewhere', 'the transfer button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Transfer ${domain} to another registrar` }).waitFor();
    await tabTo(page, (f) => f.text === 'Confirm the transfer', 'the confirm button');
    await page.keyboard.press('Enter');
    await page.getByText(`Transfer requested. Namecheap will send the transfer code to new-${email}`, { exact: false }).waitFor();
    assert.equal(sys.sandbox!.registry.get(domain)!.locked, false);
    await fitsTheScreen(page);
    await screenshot(page, 'account-transfer-en-requested');

    sys.sandbox!.namecheap.transferOut(domain);
    await runDomainChecks(sys.deps, { restart: true });
    await page.reload();
    await page.getByText(/Transferred to another registrar on .*: we no longer manage it\./).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Transfer the domain elsewhere' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'DNS records and email' }).count(), 0);
    await fitsTheScreen(page);
  });
  w.assertClean();
  await w.context.close();
});
