// The customer's space in a browser 360 px wide, with the keyboard alone: sign-in by the emailed link, the dashboard,
// the renewal block and its switch, adding, refusing and removing a DNS record, email forwarding, a used link refused,
// the customer's data erased; in French and in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { signInLink } from '../support/account.ts';
import { fitsTheScreen, focused, PHONE, shiftTabTo, tabTo } from '../support/keyboard.ts';
import { sendSignInLink } from '../../src/account/sessions.ts';

let sys: TestSystem;
let browser: Browser;

before(async () => {
  [sys, browser] = await Promise.all([startTestSystem(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

async function deliveredOrder(locale: 'fr' | 'en') {
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale } });
  assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
  return sys.db.selectFrom('orders').select(['id', 'email', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
}

test('en français, au clavier, sur 360 px : connexion par lien, un enregistrement TXT refusé mal formé, ajouté, modifié, supprimé', {
  timeout: 180_000,
}, async () => {
  const { email, domain } = await deliveredOrder('fr');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: PHONE });
  const { page } = w;
  w.allowHttpError('/api/account/session', 401);
  w.allowHttpError(`/api/account/domains/${domain}/dns`, 422);
  page.on('dialog', (d) => void d.accept());
  await scenario(page, 'account-fr', async () => {
    await page.goto('/espace');
    await page.getByRole('heading', { name: 'Connexion à votre espace' }).waitFor();
    await tabTo(page, (f) => f.name === 'email', 'the email field');
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Consultez votre boîte de réception' }).waitFor();
    await fitsTheScreen(page);

    // the emailed link opens the space, and leaves the address bar
    const link = await signInLink(sys, email);
    assert.ok(link.url.includes('/espace?signin='));
    await page.goto(link.url);
    await page.getByText(`Connecté avec ${email}`).waitFor();
    assert.ok(!page.url().includes('signin'), page.url());
    await page.getByRole('heading', { name: new RegExp(domain) }).waitFor();
    await page.getByText('En ligne').waitFor();
    await page.getByText(/Disponibilité sur 30 jours/).waitFor();

    await tabTo(page, (f) => f.text === 'Enregistrements DNS et e-mail', 'the DNS button');
    await page.keyboard.press('Enter');
    await page.getByText('Protégé : fait fonctionner votre site').first().waitFor();
    await fitsTheScreen(page);

    // a TXT value with a quote inside: refused, said under the field
    await tabTo(page, (f) => f.name === 'value', 'the value field');
    await page.keyboard.type('v=spf1 "a" -all');
    await page.keyboard.press('Enter');
    await page.getByText('Un texte TXT fait de 1 à 2048 caractères imprimables (ASCII), sans guillemets à l’intérieur.').first().waitFor();
    assert.ok(!sys.sandbox!.registry.get(domain)!.hosts.some((h) => h.address.includes('"')));

    // corrected: added, and DNS serves it
    await page.keyboard.press('Control+A');
    await page.keyboard.type('v=spf1 -all');
    await page.keyboard.press('Enter');
    await page.getByText('Enregistrement ajouté : le DNS le publie déjà.').waitFor();
    assert.ok(sys.sandbox!.registry.get(domain)!.hosts.some((h) => h.type === 'TXT' && h.address === 'v=spf1 -all'));
    await screenshot(page, 'account-fr-dns');

    // changed: its button takes the focus to the form, on the value
    await shiftTabTo(page, 'Modifier TXT @ v=spf1 -all');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Modifier l’enregistrement' }).waitFor();
    assert.equal((await focused(page)).name, 'value');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('v=spf1 ~all');
    await page.keyboard.press('Enter');
    await page.getByText('Enregistrement modifié : le DNS publie déjà la nouvelle valeur.').waitFor();
    const txt = sys
      .sandbox!.registry.get(domain)!
      .hosts.filter((h) => h.type === 'TXT')
      .map((h) => h.address);
    assert.deepEqual(txt, ['v=spf1 ~all']);

    // removed with the keyboard (the browser's confirmation accepted)
    await shiftTabTo(page, 'Supprimer TXT @ v=spf1 ~all');
    await page.keyboard.press('Enter');
    await page.getByText('Enregistrement supprimé : le DNS ne le publie plus.').waitFor();
    assert.ok(!sys.sandbox!.registry.get(domain)!.hosts.some((h) => h.type === 'TXT'));

    await tabTo(page, (f) => f.text === 'Se déconnecter', 'sign-out', 200);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connexion à votre espace' }).waitFor();
    await fitsTheScreen(page);
  });
  w.assertClean();
  await w.context.close();
});

test('in English, keyboard only, 360 px: a used link refused, a fresh one signs in, forwarding on, data erased', { timeout: 180_000 }, async () => {
  const { email, domain } = await deliveredOrder('en');
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB', viewport: PHONE });
  const { page } = w;
  w.allowHttpError('/api/account/session', 410);
  w.allowHttpError('/api/account/session', 401);
  await scenario(page, 'account-en', async () => {
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Sign in to your space' }).waitFor();
    await tabTo(page, (f) => f.name === 'email', 'the email field');
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const link = await signInLink(sys, email);
    assert.ok(link.url.includes('/account?signin='), 'the link is in the order’s language');

    // used once elsewhere: this page says so and offers to ask again
    const used = await fetch(`${sys.url}/api/account/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.token }),
    });
    assert.equal(used.status, 200);
    await page.goto(link.url);
    await page.getByText('This sign-in link was already used (it works once): please ask for a new one.', { exact: false }).waitFor();
    await fitsTheScreen(page);

    await tabTo(page, (f) => f.name === 'email', 'the email field');
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await page.goto((await signInLink(sys, email)).url);
    await page.getByText(`Signed in as ${email}`).waitFor();
    await page.getByText('Online').waitFor();

    await tabTo(page, (f) => f.text === 'DNS records and email', 'the DNS button');
    await page.keyboard.press('Enter');
    await page.getByText('Protected: it makes your site work').first().waitFor();
    await tabTo(page, (f) => f.text === `Turn on contact@${domain}`, 'the forwarding button', 200);
    await page.keyboard.press('Enter');
    await page.getByText('Forwarding is on.').waitFor();
    await page.getByText(`contact@${domain} → ${email}`).waitFor();
    assert.equal(sys.sandbox!.registry.get(domain)!.emailType, 'FWD');
    await page.getByText('This domain’s email is forwarded.').waitFor();
    await fitsTheScreen(page);
    await screenshot(page, 'account-en-forwarding');

    // the holder by name, and the customer's own data: downloaded from the space, then erased (keyboard only)
    await page.getByText('Domain holder: Boulangerie Démo SARL').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Download my data (JSON)' }).getAttribute('href'), '/api/account/personal-data');
    await tabTo(page, (f) => f.text === 'Erase my data', 'the erase button', 200);
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.name === 'confirmErasure', 'the confirmation box');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.text === 'Erase for good', 'the erase-for-good button');
    await page.keyboard.press('Enter');
    await page.getByText('Your data is erased (1 order).').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Your orders' }).count(), 0);
    const order = await sys.db.selectFrom('orders').select('erased_at').where('domain', '=', domain).executeTakeFirstOrThrow();
    assert.ok(order.erased_at, 'the order is erased');
    await fitsTheScreen(page);
  });
  w.assertClean();
  await w.context.close();
});

const RENEWAL_TEXTS = {
  fr: {
    locale: 'fr-FR',
    title: 'Renouvellement annuel',
    price: 'Renouvellement pour un an (TTC)',
    vat: /dont TVA 20\s% : /,
    box: 'Renouveler automatiquement',
    on: /^Activé : prélèvement automatique le (.+), après un rappel par e-mail\.$/,
    off: /^Désactivé : rien ne sera prélevé\. Le site reste en ligne jusqu’au (.+) ; vous recevrez des rappels avec un lien de paiement\.$/,
    declined: 'Le paiement du renouvellement a été refusé : un lien de paiement vous a été envoyé par e-mail.',
  },
  en: {
    locale: 'en-GB',
    title: 'Yearly renewal',
    price: 'Renewal for one year (incl. VAT)',
    vat: /including 20% VAT: /,
    box: 'Renew automatically',
    on: /^On: charged automatically on (.+), after an email reminder\.$/,
    off: /^Off: nothing will be charged\. The site stays online until (.+); you will get reminders with a payment link\.$/,
    declined: 'The renewal payment was declined: a payment link was emailed to you.',
  },
} as const;

for (const lang of ['fr', 'en'] as const) {
  test(`${lang}: the space's renewal block, keyboard only, 360 px: date, price with VAT, card, the switch off and on`, { timeout: 180_000 }, async () => {
    const t = RENEWAL_TEXTS[lang];
    const { id, email, domain } = await deliveredOrder(lang);
    const plan = () => sys.db.selectFrom('renewals').selectAll().where('order_id', '=', id).executeTakeFirstOrThrow();
    await eventually(async () => (await plan()).card_last4 === '4242');
    const p = await plan();
    const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: t.locale, viewport: PHONE });
    const { page } = w;
    await scenario(page, `account-renewal-${lang}`, async () => {
      await sendSignInLink(sys.deps, email);
      await page.goto((await signInLink(sys, email)).url);
      const card = page.getByRole('article', { name: new RegExp(domain) });
      const block = card.getByTestId('renewal');
      await block.getByRole('heading', { name: t.title }).waitFor();
      // the price with VAT, the card by brand and last digits, the charge date in words
      const whole = p.price_cents! % 100 === 0;
      const price = new Intl.NumberFormat(t.locale, { style: 'currency', currency: 'EUR', minimumFractionDigits: whole ? 0 : 2 }).format(p.price_cents! / 100);
      assert.equal(await block.getByRole('definition').filter({ hasText: price }).count(), 1, `the price ${price}`);
      await block.getByText(t.price).waitFor();
      await block.getByText(t.vat).waitFor();
      await block.getByText('visa •••• 4242').waitFor();
      const note = block.locator(`#renewal-${id}-auto-note`);
      const on = t.on.exec((await note.textContent()) ?? '');
      assert.ok(on, String(await note.textContent()));
      assert.ok(on[1]!.includes(String(p.charge_at!.getUTCFullYear())), on[1]);
      const box = block.getByRole('checkbox', { name: t.box });
      assert.equal(await box.isChecked(), true);

      // off with the keyboard: said in plain words, recorded
      await tabTo(page, (f) => f.id === `renewal-${id}-auto`, 'the renewal switch');
      await page.keyboard.press('Space');
      await note.filter({ hasText: t.off }).waitFor();
      assert.ok(((await note.textContent()) ?? '').includes(String(p.expires_at!.getUTCFullYear())));
      assert.equal((await plan()).auto_renew, false, 'recorded off');
      assert.equal(await box.isChecked(), false);
      await fitsTheScreen(page);
      await screenshot(page, `account-renewal-${lang}-off`);

      // on again: the consent recorded anew
      await page.keyboard.press('Space');
      await note.filter({ hasText: t.on }).waitFor();
      const back = await plan();
      assert.equal(back.auto_renew, true);
      assert.ok(back.consent_at! > p.consent_at!);

      // a declined charge in dunning: the block says so on the next visit
      await sys.db.updateTable('renewals').set({ state: 'dunning' }).where('order_id', '=', id).execute();
      await page.reload();
      await block.getByText(t.declined).waitFor();
    });
    w.assertClean();
    await w.context.close();
  });
}

test('the landing page’s footer and the tracking page lead to the space, in their language', { timeout: 60_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR', viewport: PHONE });
  const { page } = w;
  w.allowHttpError('/api/account/session', 401);
  await page.goto('/');
  await page.getByRole('link', { name: 'Mon espace client' }).click();
  await page.getByRole('heading', { name: 'Connexion à votre espace' }).waitFor();
  assert.ok(page.url().endsWith('/espace'));
  w.assertClean();
  await w.context.close();
});
