import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DECLINED_CARD } from '../helpers/flows.js';
import { browserAvailable, eventually, launchBrowser, newContext, screenshot, screenshotAll, tabTo, watchPage } from './support/browser.js';
import type { Demo } from './support/demo.js';
import { startDemo } from './support/demo.js';
import { activeLedgerly, buyLedgerly } from './support/scenario.js';

// The forms used with the keyboard alone (Tab to move, Enter, Space and typing to act),
// each control showing its focus; and the service's refusals shown to the person in words.

describe.skipIf(!browserAvailable())('web pages in Chromium: keyboard-only forms and errors in words', () => {
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  const watched: string[][] = [];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshotAll(context, `failed-forms-${task.name.slice(0, 20).replace(/\W+/g, '-')}`);
    await context?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.server.stop();
  });

  /** A new tab in a new context (nothing signed in) at `path`. */
  async function open(path: string): Promise<Page> {
    context = await newContext(browser);
    const page = await context.newPage();
    watched.push(watchPage(page, demo.server.url));
    await page.goto(path.startsWith('http') ? path : `${demo.server.url}${path}`);
    return page;
  }
  const status = (page: Page) => page.locator('#status').textContent();

  test('admin center by keyboard: sign in, buy an app, cancel it', async () => {
    const page = await open('/admin');
    // The token field has focus when the page opens.
    await page.getByLabel('Your token', { exact: true }).waitFor();
    await page.keyboard.type(demo.tokens.admin);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Your apps' }).waitFor();

    await tabTo(page, 'Buy an app');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Buy an app' }).waitFor();
    await tabTo(page, 'App');
    await page.keyboard.type('Ledgerly');
    expect(await page.getByLabel('App', { exact: true }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toBe('Ledgerly');
    await tabTo(page, 'Licenses');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await tabTo(page, /I accept the customer agreement/);
    await page.keyboard.press('Space');
    await tabTo(page, 'Buy');
    await screenshot(page, 'keyboard-01-buy');
    await page.keyboard.press('Enter');
    await eventually(() => status(page)).toContain('Ledgerly bought');
    await eventually(() => page.locator('[data-licenses]').textContent()).toBe('3 (0 assigned)');

    await tabTo(page, 'Reason (optional)');
    await page.keyboard.type('Only a trial');
    await tabTo(page, /I understand that everyone loses access/);
    await page.keyboard.press('Space');
    await tabTo(page, 'Cancel subscription');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('[data-status]').textContent()).toBe('Deactivated (canceled)');
    expect(watched.flat()).toEqual([]);
  }, 120_000);

  test('publisher portal by keyboard: follow the link, sign in, activate, assign and unassign', async () => {
    const id = await buyLedgerly(demo);
    const opened = await demo.server.as(demo.tokens.admin).post(`/api/subscriptions/${id}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
    const page = await open(opened.body.handoff.url as string);
    await page.getByLabel('Publisher API key', { exact: true }).waitFor();
    await page.keyboard.type(demo.tokens.publisher);
    await page.keyboard.press('Enter');
    await eventually(() => status(page)).toContain('link is resolved');

    await tabTo(page, 'Activate subscription');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('[data-status]').textContent()).toBe('Active');
    await tabTo(page, 'Users to assign');
    await page.keyboard.type('eve@contoso.example');
    await tabTo(page, 'Assign');
    await page.keyboard.press('Enter');
    await eventually(() => status(page)).toBe('1 license assigned.');
    await tabTo(page, 'Unassign eve@contoso.example');
    await page.keyboard.press('Enter');
    await eventually(() => status(page)).toBe('eve@contoso.example unassigned.');
    expect(watched.flat()).toEqual([]);
  }, 120_000);

  test('inspector by keyboard: sign in, find an instance by id, open it', async () => {
    const id = await buyLedgerly(demo);
    const page = await open('/inspect');
    await page.getByLabel('Token', { exact: true }).waitFor();
    await page.keyboard.type(demo.tokens.operator);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Instance id');
    await page.keyboard.type(id);
    await page.keyboard.press('Enter');
    await tabTo(page, id);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#instance-diagram').getAttribute('data-active')).toBe('subscription.pendingActivation');
    expect(watched.flat()).toEqual([]);
  }, 120_000);

  test('refusals are shown in words, with the fix', async () => {
    // An unknown token.
    const page = await open('/admin');
    await page.getByLabel('Your token', { exact: true }).fill('user_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'token' });
    await eventually(() => alert.textContent()).toBe('The token is not known. Ask the operator for one.Sign in again with a valid token.');

    // A declined card: the invoice stays open, and paying again says why and what to do.
    const admin = demo.server.as(demo.tokens.admin);
    const contact = { name: 'Contoso AP', address: '1 Main St', email: 'ap@contoso.example' };
    const declining = (await admin.post('/api/billing-profiles', { name: 'Old card', paymentMethod: DECLINED_CARD, contact }).expect(201)).body.id as string;
    const id = await activeLedgerly(demo);
    await admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: declining }).expect(200);
    await admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 9 }).expect(200);
    await page.getByLabel('Your token', { exact: true }).fill(demo.tokens.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${demo.server.url}/admin#/apps/${id}`);
    await page.getByRole('button', { name: /^Pay / }).click();
    await eventually(() => page.getByRole('alert').filter({ hasText: 'declined' }).textContent()).toContain('Use another card on the billing profile, then pay again.');
    await screenshot(page, 'errors-01-payment-declined');

    // A portal link used twice.
    const opened = await admin.post(`/api/subscriptions/${await buyLedgerly(demo)}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
    await demo.server.as(demo.tokens.publisher).post('/api/publisher/resolve', { token: opened.body.handoff.token }).expect(200);
    await page.goto(opened.body.handoff.url as string);
    await page.getByLabel('Publisher API key', { exact: true }).fill(demo.tokens.publisher);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('already resolved');
    expect(await page.getByRole('alert').textContent()).toContain('Ask the customer to open your portal again');
    await screenshot(page, 'errors-02-link-used');
  }, 120_000);
});
