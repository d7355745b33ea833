// Invoices in a real browser: the tracking page lists the order's invoice with its PDF link (French), the operator's
// console lists it with the period's totals per VAT rate and the export links (English).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';

const PASSWORD = 'invoices console password';
let sys: TestSystem;
let browser: Browser;
let order: { orderId: string; token: string };

before(async () => {
  [sys, browser] = await Promise.all([startTestSystem({ ADMIN_PASSWORD: PASSWORD }), launchBrowser()]);
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  order = { orderId: r.body.orderId, token: r.body.trackingToken };
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

test('le suivi liste la facture, son PDF derrière le jeton ; the console lists it with the totals per VAT rate and the exports', {
  timeout: 120_000,
}, async () => {
  const invoice = await sys.db.selectFrom('invoices').selectAll().where('order_id', '=', order.orderId).executeTakeFirstOrThrow();
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'invoices-tracking-fr', async () => {
    await page.goto(`/suivi/${order.token}`);
    const panel = page.getByTestId('invoices');
    await panel.getByRole('heading', { name: 'Factures et avoirs' }).waitFor();
    const link = panel.getByRole('link', { name: `Facture ${invoice.number}` });
    const href = await link.getAttribute('href');
    assert.ok(href?.includes(`/api/concierge/status/${order.token}/invoices/${invoice.number}`), href ?? '');
    const pdf = await page.request.get(href!);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.match((await panel.textContent())!, /TTC.*dont TVA/s);
    await screenshot(page, 'invoices-tracking-fr');
  });
  await scenario(page, 'invoices-console-en', async () => {
    const en = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
    en.allowHttpError('/api/admin/session', 401);
    const p = en.page;
    await p.goto('/admin');
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await p.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Invoices' }).click();
    await p.getByRole('heading', { name: 'Invoices and credit notes', level: 1 }).waitFor();
    await p.getByRole('link', { name: invoice.number }).waitFor();
    const totals = p.getByTestId('vat-totals');
    await totals.waitFor();
    assert.match((await totals.textContent())!, /20 %/);
    const csv = await p.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const body = await (await p.request.get(csv!)).text();
    assert.ok(body.includes(invoice.number), body);
    await screenshot(p, 'invoices-console-en');
    en.assertClean();
  });
  w.assertClean();
});

test('the console refunds part of a delivered order, confirmed first; its credit note joins the invoices list', { timeout: 120_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  w.allowHttpError('/api/admin/session', 401);
  const { page } = w;
  await scenario(page, 'invoices-console-refund-en', async () => {
    await page.goto('/admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await page.goto(`/admin/orders/${order.orderId}`);
    const card = page.getByRole('region', { name: 'Refund with a credit note' });
    await card.waitFor();
    await card.getByLabel('Amount incl. VAT (EUR)').fill('abc');
    await card.getByLabel('Reason').fill('Commercial gesture');
    await card.getByRole('button', { name: 'Refund with a credit note' }).click();
    await card.getByText('A positive amount, such as 12.50.').waitFor();
    await card.getByLabel('Amount incl. VAT (EUR)').fill('12.50');
    await card.getByRole('button', { name: 'Refund with a credit note' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Refund €12.50 to the customer (“Commercial gesture”)? A credit note will be issued.' });
    await confirm.waitFor();
    // cancelled first: nothing is refunded
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await sys.db.selectFrom('order_refunds').select('id').where('order_id', '=', order.orderId).execute()).length, 0);
    await card.getByRole('button', { name: 'Refund with a credit note' }).click();
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Done: the action is in the timeline.').waitFor();
    await screenshot(page, 'invoices-console-refund-en');

    const credit = await eventually(
      async () => sys.db.selectFrom('invoices').selectAll().where('order_id', '=', order.orderId).where('kind', '=', 'credit_note').executeTakeFirst(),
      60_000,
    );
    assert.equal(Number(credit.total_incl_vat_cents), 1250);
    const refund = await sys.db.selectFrom('order_refunds').selectAll().where('order_id', '=', order.orderId).executeTakeFirstOrThrow();
    assert.deepEqual([refund.kind, refund.reason, Number(refund.amount_cents)], ['operator', 'Commercial gesture', 1250]);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('heading', { name: 'Invoices and credit notes', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: credit.number }) });
    await row.waitFor();
    assert.match((await row.textContent())!, /Credit note/);
  });
  w.assertClean();
});
