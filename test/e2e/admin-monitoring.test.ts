// The admin console's monitoring in a real browser: the overview's live figures over a chosen window, an alert raised by an RDAP outage, the watched sites, the daily report day by day, the order page's timeline in the console's language; the operator's buttons on abandoned jobs and watched sites.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { midDayZone } from '../support/zones.ts';
import { launchBrowser, openPage, scenario, screenshot } from '../support/browser.ts';
import { evaluateAlerts } from '../../src/monitoring/alerts.ts';
import { runSiteChecks } from '../../src/monitoring/sites.ts';
import { addDays, localDay } from '../../src/monitoring/clock.ts';
import { addJob } from '../../src/db/database.ts';
import { HOLDER } from '../support/holder.ts';

const PASSWORD = 'monitoring console password';
// a zone where it is the middle of the day: the report's "today" does not turn during the test
const ZONE = midDayZone();
let sys: TestSystem;
let browser: Browser;
const delivered: { orderId: string; domain: string }[] = [];
let today: string;

before(async () => {
  [sys, browser] = await Promise.all([
    startTestSystem({
      ADMIN_PASSWORD: PASSWORD,
      // the test runs each job itself: nothing scheduled fires in the middle of it
      ALERT_EVALUATE_SECONDS: '3600',
      MONITOR_TICK_SECONDS: '3600',
      ALERT_PROVIDER_MIN_CALLS: '3',
      REPORT_TIME_ZONE: ZONE,
    }),
    launchBrowser(),
  ]);
  for (const scenarioName of ['available', 'urgent'] as const) {
    const r = await sys.api('/api/test/concierge/demo', { body: { scenario: scenarioName, timeoutSeconds: 60 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'delivered');
    const order = await sys.db.selectFrom('orders').select(['id', 'domain']).where('id', '=', r.body.orderId).executeTakeFirstOrThrow();
    delivered.push({ orderId: order.id, domain: order.domain });
  }
  // the delivered sites checked once, over HTTPS through the sandbox edge
  const run = await runSiteChecks(sys.deps, { orderIds: delivered.map((d) => d.orderId) });
  assert.equal(run.up, 2);
  // RDAP fails for a while: whois answers the checks, and the provider-errors alert opens for rdap
  sys.sandbox!.rdap.faults.set({ errorRate: 1 });
  try {
    for (let i = 0; i < 4; i++) assert.equal((await sys.api(`/api/domains/check?name=console-panne-${i}.fr`)).status, 200);
  } finally {
    sys.sandbox!.rdap.faults.reset();
  }
  await eventually(async () => (await evaluateAlerts(sys.deps, { rules: ['provider_errors'] })).opened.length > 0, 5000);
  // no report is made: a new installation's console shows today so far
  today = localDay(new Date(), ZONE);
});
after(async () => {
  await browser?.close();
  await sys?.stop();
});

const stat = (page: Page, id: string) => page.locator(`[data-stat="${id}"] .stat-value`);

async function signIn(page: Page, labels: { password: string; submit: string }) {
  await page.goto('/admin');
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

test('in French: overview figures match the orders made, an open alert, the watched sites, the daily report, the timeline in French', {
  timeout: 120_000,
}, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'fr-FR' });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'admin-monitoring', async () => {
    await signIn(page, { password: 'Mot de passe', submit: 'Se connecter' });
    await page.getByRole('heading', { name: 'Commandes', level: 1 }).waitFor();

    // the overview: two orders delivered in the window, none failed, none in flight, one alert open, two sites up
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Vue d’ensemble' }).click();
    await page.getByRole('heading', { name: 'Vue d’ensemble', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /Sur la période — 24 dernières heures/ }).waitFor();
    assert.equal(await stat(page, 'delivered').textContent(), '2');
    assert.equal(await stat(page, 'failed').textContent(), '0');
    assert.equal(await stat(page, 'requested').textContent(), '2');
    assert.match((await stat(page, 'success-rate').textContent())!, /^100\s?%$/);
    assert.match((await stat(page, 'deadlines-met').textContent())!, /^100\s?%$/);
    const median = (await stat(page, 'ttl-median').textContent())!;
    assert.match(median, /^\d+(,\d)? s$|min/);
    assert.notEqual(median, '0 s', 'an order live within seconds shows its tenths, never "0 s"');
    assert.equal(await stat(page, 'in-flight').textContent(), '0');
    assert.equal(await stat(page, 'open-alerts').textContent(), '1');
    assert.equal(await stat(page, 'sites-up').textContent(), '2');
    await screenshot(page, 'admin-monitoring-1-overview');
    // another window: the same orders, all made in the last quarter of an hour
    await page.getByLabel('Période', { exact: true }).selectOption('15m');
    await page.getByRole('heading', { name: /Sur la période — 15 dernières minutes/ }).waitFor();
    assert.equal(await stat(page, 'delivered').textContent(), '2');
    // live: a new order shows up without reloading the page
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: 'Cordonnerie Live',
        email: 'live@example.org',
        domain: 'cordonnerie-live.fr',
        tier: 'standard',
        locale: 'fr',
      },
    });
    assert.equal(r.status, 201);
    await page.waitForFunction(() => document.querySelector('[data-stat="requested"] .stat-value')?.textContent === '3', null, { timeout: 15_000 });
    // the at-risk figure leads to the orders list filtered on it; the filter is in the address, so it survives a reload
    await page.getByRole('link', { name: 'Commandes à échéance menacée' }).click();
    await page.getByRole('heading', { name: 'Commandes', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('atRisk'), 'true');
    assert.equal(await page.getByLabel('Échéance menacée').isChecked(), true);
    await page.getByRole('status').getByText('Aucune commande').waitFor();
    await page.reload();
    await page.getByRole('status').getByText('Aucune commande').waitFor();
    assert.equal(await page.getByLabel('Échéance menacée').isChecked(), true);
    await page.getByLabel('Échéance menacée').uncheck();
    await page.getByRole('status').getByText('3 commandes').waitFor();
    assert.equal(new URL(page.url()).searchParams.has('atRisk'), false);
    await page.getByLabel('Rechercher', { exact: true }).fill('Cordonnerie Live');
    await page.getByRole('status').getByText('1 commande', { exact: true }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('q'), 'Cordonnerie Live');

    // alerts: the open ones first shown; the RDAP outage is among them, with its rule and severity in French
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alertes' }).click();
    await page.getByRole('heading', { name: 'Alertes', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('État', { exact: true }).inputValue(), 'open');
    await page.getByRole('status').getByText('1 alerte', { exact: true }).waitFor();
    const alert = page.locator('[data-alert="provider_errors:rdap"]');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /Erreurs d’un fournisseur/);
    assert.match((await alert.textContent())!, /avertissement|critique/);
    await page.getByLabel('Règle', { exact: true }).selectOption('site_down');
    await page.getByRole('status').getByText('Aucune alerte', { exact: true }).waitFor();
    assert.equal(await alert.count(), 0);
    await screenshot(page, 'admin-monitoring-2-alerts');

    // watched sites: both up, found by search, none down
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sites surveillés' }).click();
    await page.getByRole('heading', { name: 'Sites surveillés', level: 1 }).waitFor();
    for (const d of delivered) {
      const row = page.locator(`[data-site="${d.domain}"]`);
      await row.waitFor();
      assert.match((await row.textContent())!, /En ligne/);
      assert.match((await row.textContent())!, /j restants/);
    }
    await page.getByLabel('État', { exact: true }).selectOption('down');
    await page.getByText('Aucun site').waitFor();
    await page.getByLabel('État', { exact: true }).selectOption('');
    await page.getByLabel('Rechercher', { exact: true }).fill(delivered[0]!.domain);
    await page.getByText('1 site', { exact: true }).waitFor();
    await screenshot(page, 'admin-monitoring-3-sites');

    // its order page: the timeline in French
    await page.getByRole('link', { name: delivered[0]!.domain }).click();
    await page.getByRole('heading', { name: delivered[0]!.domain, level: 1 }).waitFor();
    await page.getByText(`Votre site est en ligne : https://${delivered[0]!.domain}/`).waitFor();

    // the daily report of a new installation: today so far (no night has passed), then the day before, empty
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Rapports' }).click();
    await page.getByRole('heading', { name: `Journée du ${today} (${ZONE})` }).waitFor();
    await page.getByText(/^Aujourd’hui jusqu’ici, de 00:00 à \d\d:\d\d : rapport partiel/).waitFor();
    assert.equal(await page.locator('[data-report-kind]').getAttribute('data-report-kind'), 'partial');
    assert.equal(await stat(page, 'delivered').textContent(), '2');
    assert.match((await stat(page, 'success-rate').textContent())!, /^100\s?%$/);
    assert.equal(await stat(page, 'alerts-opened').textContent(), '1');
    assert.equal(await page.getByRole('button', { name: /Jour suivant/ }).isDisabled(), true, 'no day after today');
    await screenshot(page, 'admin-monitoring-4-report');
    await page.getByRole('button', { name: /Jour précédent/ }).click();
    await page.getByRole('heading', { name: `Journée du ${addDays(today, -1)} (${ZONE})` }).waitFor();
    await page.getByText('Ce jour précède la première commande : rapport vide, non conservé.').waitFor();
    assert.equal(await stat(page, 'delivered').textContent(), '0');
    await page.getByRole('button', { name: 'Le plus récent' }).click();
    await page.getByRole('heading', { name: `Journée du ${today} (${ZONE})` }).waitFor();
  });
  w.assertClean();
  await w.context.close();
});

test('in English: the overview and the reports speak English; at 360 px nothing overflows the page', { timeout: 60_000 }, async () => {
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB', viewport: { width: 360, height: 800 } });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'admin-monitoring-en', async () => {
    await signIn(page, { password: 'Password', submit: 'Sign in' });
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    for (const [link, heading] of [
      ['Overview', 'Overview'],
      ['Alerts', 'Alerts'],
      ['Watched sites', 'Watched sites'],
      ['Reports', 'Daily report'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      if (link === 'Overview') await page.locator('[data-stat="delivered"]').waitFor();
      if (link === 'Reports') await page.getByRole('heading', { name: `Day of ${today} (${ZONE})` }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${link}: the page is ${overflow} px wider than the screen`);
    }
  });
  w.assertClean();
  await w.context.close();
});

test("the operator's hand: an abandoned job retried then discarded, a watched site paused then resumed, SMTP among the providers, a report opened from its email link", {
  timeout: 90_000,
}, async () => {
  // a refund job whose order id is not one: it throws, and with one attempt it is abandoned at once
  await addJob(sys.db, 'refund_order', { orderId: 'not-an-order' }, { jobKey: 'refund:broken-console', maxAttempts: 1 });
  await eventually(
    async () => (await sys.api('/api/admin/jobs/failed', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })).body.items.length === 1,
    10_000,
  );
  const w = await openPage(browser, { baseURL: sys.config.publicUrl, locale: 'en-GB' });
  const { page } = w;
  w.allowHttpError('/api/admin/session', 401);
  await scenario(page, 'admin-monitoring-actions', async () => {
    await signIn(page, { password: 'Password', submit: 'Sign in' });
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerts' }).click();
    const job = page.locator('[data-job="refund:broken-console"]');
    await job.waitFor();
    await page.getByRole('button', { name: 'Retry refund:broken-console' }).click();
    await page.getByRole('status').getByText('Job retried (recorded in the audit log).').waitFor();
    // it runs again, fails again, and is back in the list
    await eventually(
      async () => (await sys.api('/api/admin/jobs/failed', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })).body.items.length === 1,
      10_000,
    );
    await page.reload();
    await page.getByRole('button', { name: 'Discard refund:broken-console' }).click();
    await page.getByRole('status').getByText('Job discarded (recorded in the audit log).').waitFor();
    await page.getByRole('status').getByText('No abandoned jobs', { exact: true }).waitFor();
    // both acts are in the audit log below, done from the console
    const audit = page.getByRole('region', { name: 'Audit log' });
    await audit.locator('[data-audit="job_discard"]').waitFor();
    assert.match((await audit.locator('[data-audit="job_retry"]').textContent())!, /refund_order|job:\d+/);
    assert.match((await audit.locator('[data-audit="job_discard"]').textContent())!, /Job discarded.*the console/);
    await screenshot(page, 'admin-monitoring-5-jobs');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Watched sites' }).click();
    const domain = delivered[0]!.domain;
    await page.getByRole('button', { name: `Pause ${domain}` }).click();
    await page.getByRole('button', { name: `Resume ${domain}` }).waitFor();
    assert.match((await page.locator(`[data-site="${domain}"]`).textContent())!, /Stopped\s*paused/);
    await page.getByRole('button', { name: `Resume ${domain}` }).click();
    await page.getByRole('button', { name: `Pause ${domain}` }).waitFor();

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('row', { name: /^smtp/ }).waitFor();

    await page.goto(`/admin/reports?date=${today}`);
    await page.getByRole('heading', { name: `Day of ${today} (${ZONE})` }).waitFor();
  });
  w.assertClean();
  await w.context.close();
  const audit = (await sys.api('/api/admin/audit', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })).body.items.map(
    (e: { action: string; actor: string }) => `${e.action} ${e.actor}`,
  );
  assert.deepEqual(audit.slice(0, 4), ['monitor_resume console', 'monitor_pause console', 'job_discard console', 'job_retry console']);
});
