import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium; `.ci/run` installs it (apt-get install chromium) when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests run. Without Chromium they are skipped with a message, but
 * never in CI: there a missing browser is a failure, not a skip.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium (as .ci/run does).`);
  console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return false;
}

// The flags keep Chromium off the network (this machine has none: its background
// requests would be refused many at a time) and make it start quickly as root.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launch Chromium. Playwright gives every launch a new, empty temporary user-data-dir
 * (it refuses one passed in `args`), so no state leaks between runs.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A fresh context (its own sessionStorage) with a desktop-sized viewport. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  // Well under the test's own timeout, so that a stuck step names itself.
  context.setDefaultTimeout(8_000);
  return context;
}

/** Where screenshots go (gitignored). */
export const ARTIFACTS = path.resolve('test-artifacts');

/** Save a full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Collect what a page should never do: load from another origin, log an error, or throw.
 * Returns the list so far; a test expects it empty at its end.
 */
export function watchPage(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('about:')) problems.push(`request to another origin: ${url}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused API call is logged by Chromium as a failed resource load; the page shows it in words.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (4\d\d)/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return problems;
}

/** Screenshot every open page of a context as test-artifacts/failed-<n>.png, for a failed test. */
export async function screenshotAll(context: BrowserContext, prefix: string): Promise<void> {
  let n = 0;
  for (const page of context.pages()) {
    n += 1;
    await screenshot(page, `${prefix}-${n}`).catch(() => undefined);
  }
}

/** The accessible name of the focused element, as far as a test needs it. */
function focusedName(page: Page): Promise<{ name: string; outline: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: '', outline: '' };
    const label = (element as HTMLInputElement).labels?.[0]?.textContent ?? null;
    const style = getComputedStyle(element);
    return { name: (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });
}

/**
 * Press Tab until the focused control's name matches, as a keyboard user would; fails
 * after `max` presses. Each control reached this way must show its focus outline.
 */
export async function tabTo(page: Page, name: string | RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await focusedName(page);
    if (typeof name === 'string' ? focused.name === name : name.test(focused.name)) {
      if (focused.outline !== 'solid 3px') throw new Error(`"${focused.name}" has focus but no visible outline (${focused.outline})`);
      return;
    }
  }
  throw new Error(`Tab never reached "${String(name)}" in ${max} presses`);
}

/**
 * `expect.poll` with a wait long enough for a page under load (its default is one second):
 * a step ends as soon as the page shows what is expected.
 */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}
