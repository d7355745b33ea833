// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core for the browser tests: pages that fail on any console error, and screenshots under test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const resultsDir = path.join(root, 'test-results');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  if (!fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))) throw new Error('the front end is not built: npm run build (npm test builds it first)');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    // playwright starts every launch on a fresh, temporary profile of its own
  });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** every console error and uncaught exception seen so far, as text */
  errors: string[];
  /** allow an HTTP error status that the scenario expects (Chromium logs "Failed to load resource" for those) */
  allowHttpError(urlPart: string, status: number): void;
  /** allow a network failure that the scenario causes on purpose (e.g. net::ERR_INCOMPLETE_CHUNKED_ENCODING for a cut stream) */
  allowNetworkError(urlPart: string, code: string): void;
  /** throws when a console error or a page error happened */
  assertClean(): void;
}

export interface PageOptions {
  baseURL: string;
  locale?: string;
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

export async function openPage(browser: Browser, opts: PageOptions): Promise<Watched> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    locale: opts.locale ?? 'fr-FR',
    timezoneId: opts.timezoneId ?? 'Europe/Paris',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const allowed: { urlPart: string; text: string }[] = [];
  const isAllowed = (msg: ConsoleMessage) => {
    if (!msg.text().startsWith('Failed to load resource')) return false;
    const url = msg.location().url ?? '';
    return allowed.some((a) => url.includes(a.urlPart) && msg.text().includes(a.text));
  };
  // our pages only: the providers' pages (the sandbox checkout) are theirs to keep clean
  const ours = (p: Page) => p.url().startsWith(opts.baseURL);
  const watch = (p: Page) => {
    p.on('console', (msg) => {
      if (msg.type() === 'error' && ours(p) && !isAllowed(msg)) errors.push(`console error on ${p.url()}: ${msg.text()} (${msg.location().url ?? ''})`);
    });
    p.on('pageerror', (err) => ours(p) && errors.push(`page error on ${p.url()}: ${err.message}`));
  };
  watch(page);
  context.on('page', watch);
  return {
    context,
    page,
    errors,
    allowHttpError: (urlPart, status) => void allowed.push({ urlPart, text: `status of ${status}` }),
    allowNetworkError: (urlPart, code) => void allowed.push({ urlPart, text: code }),
    assertClean: () => {
      if (errors.length) throw new Error(`console errors:\n  ${errors.join('\n  ')}`);
    },
  };
}

/** Runs a scenario; when it fails, test-results/<name>-failure.png shows where it stood. */
export async function scenario(page: Page, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    await screenshot(page, `${name}-failure`).catch(() => {});
    throw err;
  }
}

/** Saves a screenshot as test-results/<name>.png (the folder is not kept in git); the whole page unless a dialog is open. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  const dialogOpen = (await page.locator('[role="dialog"], [role="alertdialog"]').count()) > 0;
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? !dialogOpen });
  return file;
}

/** The order form's holder step filled for a person in France (birth date and place where the TLD asks them), or for a French company with its SIRET. */
export async function fillHolder(dialog: Locator, locale: 'fr' | 'en', kind: 'individual' | 'organization' = 'individual'): Promise<void> {
  const fr = locale === 'fr';
  const field = (label: string) => dialog.getByLabel(label, { exact: true });
  await field(fr ? 'Prénom' : 'First name').waitFor();
  if (kind === 'organization') {
    await dialog.getByRole('radio', { name: fr ? /Une entreprise ou une association/ : /A company or an association/ }).check();
    await field(fr ? 'Nom de l’organisation' : 'Organisation name').fill('Boulangerie Lefèvre SARL');
    const companyId = field(fr ? 'Numéro SIREN ou SIRET' : 'SIREN or SIRET number');
    if (await companyId.count()) await companyId.fill('73282932000074');
  }
  await field(fr ? 'Prénom' : 'First name').fill('Camille');
  await field(fr ? 'Nom' : 'Last name').fill('Durand');
  const birth = field(fr ? 'Date de naissance' : 'Date of birth');
  if (await birth.count()) {
    await birth.fill('1984-05-17');
    await field(fr ? 'Lieu de naissance' : 'Place of birth').fill('69003 Lyon');
  }
  await field(fr ? 'Adresse' : 'Address').fill('12 rue des Lilas');
  await field(fr ? 'Code postal' : 'Postal code').fill('69003');
  await field(fr ? 'Ville' : 'City').fill('Lyon');
  await field(fr ? 'Téléphone' : 'Phone').fill('+33.612345678');
}
