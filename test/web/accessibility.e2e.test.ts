import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from './support/axe.js';
import { axeViolations, isSevere } from './support/axe.js';
import { browserAvailable, launchBrowser, newContext, screenshot, watchPage } from './support/browser.js';
import type { Demo } from './support/demo.js';
import { startDemo } from './support/demo.js';
import { activeLedgerly, demoProfileId, pendingOrders } from './support/scenario.js';

// axe-core over every page in the states people see it in: signed out, lists, a
// subscription, orders waiting, billing, the publisher's subscription and the inspector
// following an instance. Serious or critical violations fail; the rest are printed.

describe.skipIf(!browserAvailable())('web pages in Chromium: accessibility (axe-core)', () => {
  let demo: Demo;
  let browser: Browser;
  let signedOut: BrowserContext;
  let signedIn: BrowserContext;
  let subscriptionId: string;
  let profileId: string;
  const findings: Finding[] = [];
  const watched: string[][] = [];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
    subscriptionId = await activeLedgerly(demo, ['ada@contoso.example', 'bob@contoso.example']);
    await pendingOrders(demo);
    profileId = await demoProfileId(demo);
    signedOut = await newContext(browser);
    signedIn = await newContext(browser);
    // Each page keeps its own token in sessionStorage; put them there before the pages run.
    const tokens = { 'admin.token': demo.tokens.admin, 'publisher.key': demo.tokens.publisher, 'inspect.token': demo.tokens.operator };
    await signedIn.addInitScript((entries) => {
      // Not on about:blank, which has no storage.
      if (location.protocol !== 'http:') return;
      for (const [key, value] of Object.entries(entries)) sessionStorage.setItem(key, value);
    }, tokens);
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.server.stop();
    if (findings.length > 0) console.info(`axe: ${findings.length} minor or moderate findings:\n${findings.map((f) => `  ${f.page}: ${f.rule} (${f.impact}) ${f.help} — ${f.targets.join(', ')}`).join('\n')}`);
  });

  // One tab per context, reused: a new document per check is enough to start afresh.
  const tabs = new Map<BrowserContext, Page>();
  async function check(context: BrowserContext, path: string, label: string, ready: (page: Page) => Promise<unknown>): Promise<Finding[]> {
    let page = tabs.get(context);
    if (!page) {
      page = await context.newPage();
      watched.push(watchPage(page, demo.server.url));
      tabs.set(context, page);
    }
    await page.goto('about:blank');
    await page.goto(`${demo.server.url}${path}`);
    await ready(page);
    const found = await axeViolations(page, label);
    await screenshot(page, `a11y-${label}`);
    findings.push(...found.filter((f) => !isSevere(f)));
    return found.filter(isSevere);
  }

  const heading = (text: string) => (page: Page) => page.getByRole('heading', { level: 1, name: text }).waitFor();

  test('the sign-in pages have no serious or critical violations', async () => {
    const severe = [
      ...(await check(signedOut, '/admin', 'admin-sign-in', heading('Sign in to the admin center'))),
      ...(await check(signedOut, '/publisher', 'publisher-sign-in', heading('Sign in to your publisher portal'))),
      ...(await check(signedOut, '/inspect', 'inspect-sign-in', heading('Sign in to the inspector'))),
    ];
    expect(severe).toEqual([]);
  }, 120_000);

  test('the admin center has no serious or critical violations on any view', async () => {
    const severe = [
      ...(await check(signedIn, '/admin#/apps', 'admin-apps', (p) => p.getByRole('table').waitFor())),
      ...(await check(signedIn, `/admin#/apps/${subscriptionId}`, 'admin-app', (p) => p.getByRole('button', { name: 'Change quantity' }).waitFor())),
      ...(await check(signedIn, '/admin#/buy', 'admin-buy', (p) => p.getByRole('button', { name: 'Buy' }).waitFor())),
      ...(await check(signedIn, '/admin#/orders', 'admin-orders', (p) => p.getByRole('button', { name: 'Accept' }).first().waitFor())),
      ...(await check(signedIn, '/admin#/billing', 'admin-billing', heading('Billing profiles'))),
      ...(await check(signedIn, `/admin#/billing/${profileId}`, 'admin-billing-profile', heading('Contoso HQ'))),
    ];
    expect(severe).toEqual([]);
  }, 120_000);

  test('the publisher portal and the inspector have no serious or critical violations', async () => {
    const severe = [
      ...(await check(signedIn, `/publisher#subscription=${subscriptionId}`, 'publisher-subscription', (p) => p.getByRole('button', { name: 'Assign', exact: true }).waitFor())),
      ...(await check(signedIn, `/inspect#instance=${subscriptionId}`, 'inspect-instance', async (p) => {
        await p.locator('ol.timeline li').nth(4).waitFor();
        await p.locator('figure.diagram svg').nth(4).waitFor();
      })),
    ];
    expect(severe).toEqual([]);
    expect(watched.flat()).toEqual([]);
  }, 120_000);
});
