// The customer's space in a browser 360 px wide, keyboard only, for a domain past the registrar's grace period: the
// renewal block says the name is in redemption and shows the restore's price (what the emailed link asks, with VAT)
// before any payment, in French and in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { signInLink } from '../support/account.ts';
import { fitsTheScreen, PHONE, tabTo } from '../support/keyboard.ts';
import { sendSignInLink } from '../../src/account/sessions.ts';
import { runRenewalScan } from '../../src/workflow/renewals/scan.ts';
import { moveExpiry } from '../../src/workflow/renewals/clock.ts';

let sys: TestSystem;
let browser: Browser;

before(async () => {
  // the renewal stays payable 60 days: the registrar's grace (30 days), then its redemption
  [sys, browser] = await Promise.all([startTestSystem({ RENEWAL_SCAN_SECONDS: '86400', RENEWAL_GRACE_DAYS: '60' }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const TEXTS = {
  fr: {
    locale: 'fr-FR',
    title: 'Renouvellement annuel',
    price: 'Rachat en rédemption et un an de renouvellement (TTC)',
    standing: /^Le nom de domaine a expiré le .+ et le délai de grâce du registraire est passé : il est en rédemption\./,
    box: 'Renouveler automatiquement',
  },
  en: {
    locale: 'en-GB',
    title: 'Yearly renewal',
    price: 'Redemption restore and a year’s renewal (incl. VAT)',
    standing: /^The domain name expired on .+ and the registrar’s grace period is over: it is in redemption\./,
    box: 'Renew automatically',
  },
} as const;

for (const lang of ['fr', 'en'] as const) {
  test(`${lang}: the space shows a domain in redemption and its restore price before payment, keyboard only, 360 px`, { timeout: 180_000 }, async () => {
    const t = TEXTS[lang];
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: lang } });
    assert.equal(r.body.state, 'delivered', JSON.stringify(r.body));
    const id = r.body.orderId as string;
    const { email, domain } = await sys.db.selectFrom('orders').select(['email', 'domain']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await sys.api(`/api/concierge/status/${r.body.trackingToken}/auto-renew`, { body: { on: false } })).status, 200);
    const renewal = (await sys.db.selectFrom('renewals').select('charge_cents').where('order_id', '=', id).executeTakeFirstOrThrow()).charge_cents!;
    // expired 31 days ago, unpaid: past the registrar's grace, the link asks for the restore
    await moveExpiry(sys.deps, sys.sandbox!.registry, id, -31);
    await runRenewalScan(sys.deps);
    const attempt = await eventually(async () => {
      const a = await sys.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', id).executeTakeFirst();
      return a?.redemption_usd_cents !== null && a?.link_ref ? a : undefined;
    }, 30_000);
    const restore = attempt.charge_cents!;
    assert.ok(restore > renewal, `${restore} > ${renewal}`);

    const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: t.locale, viewport: PHONE });
    const { page } = w;
    await scenario(page, `account-redemption-${lang}`, async () => {
      await sendSignInLink(sys.deps, email);
      await page.goto((await signInLink(sys, email)).url);
      const block = page.getByRole('article', { name: new RegExp(domain) }).getByTestId('renewal');
      await block.getByRole('heading', { name: t.title }).waitFor();
      await block.getByRole('status').filter({ hasText: t.standing }).waitFor();
      await block.getByText(t.price).waitFor();
      const whole = restore % 100 === 0;
      const price = new Intl.NumberFormat(t.locale, { style: 'currency', currency: 'EUR', minimumFractionDigits: whole ? 0 : 2 }).format(restore / 100);
      assert.equal(await block.getByRole('definition').filter({ hasText: price }).count(), 1, `the restore price ${price}`);
      // the same figure the payment page asks
      assert.equal(sys.sandbox!.stripe.sessions().find((s) => s.id === attempt.link_ref)?.amount_total, restore);
      // the block's switch is reached with the keyboard, and the page fits the phone
      await tabTo(page, (f) => f.id === `renewal-${id}-auto`, 'the renewal switch');
      assert.equal(await block.getByRole('checkbox', { name: t.box }).isChecked(), false);
      await fitsTheScreen(page);
      await screenshot(page, `account-redemption-${lang}`);
    });
    w.assertClean();
    await w.context.close();
  });
}
