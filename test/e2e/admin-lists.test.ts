// The console's orders list in a real browser, over more orders than a page: the true total, page after page with no order twice even as new ones arrive, back a page, filters and search on the server, "more than 10,000"; in French and in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';

const PASSWORD = 'lists console password';
let sys: TestSystem;
let browser: Browser;

/** Orders `from`..`to` (liste-001.fr ...), a minute apart before `newest`, the higher the number the older; none is worked on. */
const addOrders = (from: number, to: number, newest = sql`now()`) =>
  sql`
  insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
    total_cents, payment_provider, deadline_hours, created_at)
  select gen_random_uuid(), 'liste-' || i || '-' || md5(random()::text), 'Atelier Liste ' || i, 'liste' || i || '@example.org', 'fr',
    'liste-' || lpad(i::text, greatest(3, length(i::text)), '0') || '.fr', 'liste-' || lpad(i::text, greatest(3, length(i::text)), '0') || '.fr', case when i % 2 = 0 then 'express' else 'standard' end,
    case when i % 3 = 0 then 'cancelled' else 'delivered' end, 'EUR', '[]'::jsonb, 4900, 'stripe', 24, ${newest} - make_interval(mins => i - ${from}::int + 1)
  from generate_series(${from}::int, ${to}::int) i`.execute(sys.db);

before(async () => {
  // the API alone: no worker touches these orders
  [sys, browser] = await Promise.all([startTestSystem({ ADMIN_PASSWORD: PASSWORD }, { role: 'api' }), launchBrowser()]);
  await addOrders(1, 120);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const domains = (page: Page) => page.locator('table tbody tr th a').allTextContents();
const status = (page: Page) => page.getByRole('status');

async function signIn(page: Page, labels: { password: string; submit: string; title: string }) {
  await page.goto('/admin');
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.getByRole('heading', { name: labels.title, level: 1 }).waitFor();
}

test('the operator pages through 120 orders, 50 at a time, newest first; orders arriving meanwhile do not repeat one; filters and search narrow the total', {
  timeout: 120_000,
}, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'admin-lists', async () => {
    await signIn(page, { password: 'Mot de passe', submit: 'Se connecter', title: 'Commandes' });
    await status(page).getByText('120 commandes', { exact: true }).waitFor();
    await status(page).getByText('lignes 1 à 50').waitFor();
    const first = await domains(page);
    assert.equal(first.length, 50);
    assert.deepEqual([first[0], first[49]], ['liste-001.fr', 'liste-050.fr']);
    assert.equal(await page.getByRole('button', { name: 'Page précédente' }).isDisabled(), true);
    await screenshot(page, 'admin-lists-1-first-page');

    await page.getByRole('button', { name: 'Page suivante' }).click();
    await status(page).getByText('lignes 51 à 100').waitFor();
    const second = await domains(page);
    assert.deepEqual([second.length, second[0], second[49]], [50, 'liste-051.fr', 'liste-100.fr']);

    // five new orders come in while the operator reads: the next page still starts where this one ended
    await addOrders(901, 905, sql`now() + interval '1 hour'`);
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await status(page).getByText('lignes 101 à 120').waitFor();
    await status(page).getByText('125 commandes', { exact: true }).waitFor();
    const third = await domains(page);
    assert.deepEqual([third.length, third[0], third[19]], [20, 'liste-101.fr', 'liste-120.fr']);
    const all = [...first, ...second, ...third];
    assert.equal(new Set(all).size, 120, 'every order once');
    assert.equal(await page.getByRole('button', { name: 'Page suivante' }).isDisabled(), true);
    await screenshot(page, 'admin-lists-2-last-page');

    // back one page: the same orders as before
    await page.getByRole('button', { name: 'Page précédente' }).click();
    await status(page).getByText('lignes 51 à 100').waitFor();
    assert.deepEqual(await domains(page), second);

    // a filter counts on the server and starts again from the first page
    const cancelled = Number((await sql<{ n: string }>`select count(*) as n from orders where state = 'cancelled'`.execute(sys.db)).rows[0]!.n);
    await page.getByLabel('État').selectOption('cancelled');
    await status(page).getByText(`${cancelled} commandes`, { exact: true }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('state'), 'cancelled');
    const newest = (
      await sql<{ domain: string }>`select domain from orders where state = 'cancelled' order by created_at desc, id desc limit 1`.execute(sys.db)
    ).rows[0]!.domain;
    assert.equal((await domains(page))[0], newest);
    await page.getByLabel('État').selectOption('');
    // the search too: liste-110.fr .. liste-119.fr
    await page.getByLabel('Rechercher').fill('liste-11');
    await status(page).getByText('10 commandes', { exact: true }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: /^Pages/ }).count(), 0, 'one page: no pager');
    await page.getByLabel('Rechercher').fill('');
    await status(page).getByText('125 commandes', { exact: true }).waitFor();

    // past 10,000 orders the total says so rather than pretend
    await addOrders(1001, 11_000);
    await page.reload();
    await status(page)
      .getByText(/^plus de 10\s000 commandes$/)
      .waitFor();
    await screenshot(page, 'admin-lists-3-more-than');
  });
  w.assertClean();
  await w.context.close();
});

test('in English: the total, the rows shown and the pager speak English', { timeout: 60_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'admin-lists-en', async () => {
    await signIn(page, { password: 'Password', submit: 'Sign in', title: 'Orders' });
    await status(page).getByText('more than 10,000 orders', { exact: true }).waitFor();
    await status(page).getByText('rows 1 to 50').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await status(page).getByText('rows 51 to 100').waitFor();
    await page.getByLabel('Search').fill('liste-12');
    // liste-120.fr and liste-1200.fr .. liste-1299.fr
    await status(page).getByText('101 orders', { exact: true }).waitFor();
    await status(page).getByText('rows 1 to 50').waitFor();
  });
  w.assertClean();
  await w.context.close();
});
