// Driving a page with the keyboard alone, 360 px wide: what has the focus, Tab and Shift+Tab to an element, and the
// page's width checked against the screen's.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export const PHONE = { width: 360, height: 740 };

export interface Focused {
  text: string;
  name: string;
  tag: string;
  id: string;
}

/** What has the focus: its accessible label or text, and its name. */
export const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
      name: el?.getAttribute('name') ?? '',
      tag: el?.tagName ?? '',
      id: el?.id ?? '',
    };
  });

/** Tab (forward) until the focused element is the one wanted; fails after `max` presses. */
export async function tabTo(page: Page, wanted: (f: Focused) => boolean, what: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (wanted(await focused(page))) return;
  }
  assert.fail(`${what} is not reachable with Tab`);
}

/** Shift+Tab (backward) until the focused element is labelled `label`. */
export async function shiftTabTo(page: Page, label: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Shift+Tab');
    if ((await focused(page)).text === label) return;
  }
  assert.fail(`${label} is not reachable with Shift+Tab`);
}

/** Nothing wider than the screen: no sideways scrolling at 360 px. */
export async function fitsTheScreen(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide`);
}
