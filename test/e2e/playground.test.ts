// The playground end to end in Chromium: the real built sidebar app inside the ZAF host emulator,
// against a real server. Each test posts its own request, so none depends on another's leftovers.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/test-server';
import { luminance, openPlayground, postSeed, receivedCallback, sidebar } from './playground-page';

const APP_MANIFEST = fileURLToPath(new URL('../../zendesk-app/dist/app/manifest.json', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const OTHER_AGENT = 'Sam (another agent)';

const screenshotPath = (name: string) => `${SCREENSHOTS}${name}.png`;

describe('playground: the sidebar app in the ZAF host emulator', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    if (!fs.existsSync(APP_MANIFEST)) {
      throw new Error(`The Zendesk app is not built (${APP_MANIFEST} is missing): run npm run build first (npm test does it).`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    ({ errors } = await openPlayground(page, server.url));
    await sidebar(page).getByTestId('sidebar-root').waitFor();
  });

  afterEach(async () => {
    await page?.close();
    expect(errors, 'uncaught exceptions in the page or the app').toEqual([]);
  });

  const card = (approvalId: string) => sidebar(page).locator(`[data-testid=approval-card][data-approval-id="${approvalId}"]`);
  const decidedCard = (approvalId: string) => sidebar(page).locator(`[data-testid=decided-card][data-approval-id="${approvalId}"]`);

  it('shows a posted request in the sidebar with its risk and details', async () => {
    const approvalId = await postSeed(page, 'refund');
    const pending = card(approvalId);
    await pending.waitFor();
    expect(await pending.getAttribute('data-status')).toBe('pending');
    expect(await pending.getByTestId('risk-tag').getAttribute('data-risk')).toBe('high');
    expect(await pending.getByTestId('risk-tag').textContent()).toMatch(/high/i);
    const details = (await pending.getByTestId('details-table').textContent()) ?? '';
    for (const value of ['129.00', 'jordan.rivera@example.com', '9921']) expect(details).toContain(value);
    expect(await pending.textContent()).toContain('process_refund');
    await page.locator('[data-testid=zaf-app-frame]').screenshot({ path: screenshotPath('sidebar-light') });
  });

  it('approves with an edited detail: the automation receives APPROVED with modifiedDetails', async () => {
    const approvalId = await postSeed(page, 'refund');
    const pending = card(approvalId);
    await pending.getByTestId('edit-button').click();
    const amount = pending.getByTestId('detail-input-amount');
    expect(await amount.inputValue()).toBe('129.00');
    await amount.fill('99.50');
    await page.locator('[data-testid=zaf-app-frame]').screenshot({ path: screenshotPath('sidebar-edit') });
    await pending.getByTestId('edit-approve').click();

    const callback = await receivedCallback(page, approvalId);
    expect(callback.status).toBe('APPROVED');
    expect(callback.body).toMatchObject({ type: 'approval.decided', approvalId, action: 'process_refund', status: 'APPROVED', decidedBy: { name: 'Avery Agent', via: 'zendesk' } });
    expect(callback.body.modifiedDetails).toMatchObject({ amount: '99.50', ticketId: '9921' });
    expect(callback.body.details.amount).toBe('129.00');
    // The sidebar sent a merge patch; the automation gets the complete object and the list of changes.
    expect(callback.body.modifiedDetails).toEqual({ ...callback.body.details, amount: '99.50' });
    expect(callback.body.changes).toEqual([{ path: 'amount', from: '129.00', to: '99.50' }]);

    await decidedCard(approvalId).waitFor();
    expect(await decidedCard(approvalId).getAttribute('data-status')).toBe('approved');
    expect(await card(approvalId).count()).toBe(0);
  });

  it('rejects with a note: the automation receives REJECTED with that decisionNote', async () => {
    const approvalId = await postSeed(page, 'cancellation');
    const pending = card(approvalId);
    await pending.getByTestId('reject-button').click();
    const note = 'Customer is in a long-term contract; escalate to retention team.';
    await pending.getByTestId('reject-note').fill(note);
    await pending.getByTestId('reject-confirm').click();

    const callback = await receivedCallback(page, approvalId);
    expect(callback.status).toBe('REJECTED');
    expect(callback.body).toMatchObject({ approvalId, action: 'cancel_subscription', status: 'REJECTED', decisionNote: note, modifiedDetails: null });
    await decidedCard(approvalId).waitFor();
    expect(await decidedCard(approvalId).getAttribute('data-status')).toBe('rejected');
    // Countersign also wrote the decision back to the ticket as an internal note.
    await page.getByTestId('ticket-note').filter({ hasText: approvalId }).first().waitFor({ timeout: 15_000 });
  });

  it('a decision taken elsewhere wins: approving in the stale sidebar shows a conflict naming the other agent', async () => {
    const approvalId = await postSeed(page, 'refund');
    const pending = card(approvalId);
    await pending.waitFor();

    // Another agent decides through the API; the sidebar is not told and still shows the request.
    const [decided] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/playground/api/decide-elsewhere')),
      page.getByTestId('decide-elsewhere').click(),
    ]);
    expect(await decided.json()).toMatchObject({ status: 200, body: { approvalId, status: 'approved' } });
    expect(await pending.getAttribute('data-status')).toBe('pending');
    await pending.getByTestId('approve-button').click();

    const notice = sidebar(page).getByTestId('notice');
    await notice.waitFor();
    expect(await notice.getAttribute('data-kind')).toBe('conflict');
    expect(await notice.textContent()).toContain(OTHER_AGENT);
    await decidedCard(approvalId).waitFor();
    expect(await decidedCard(approvalId).getAttribute('data-status')).toBe('approved');
    expect(await decidedCard(approvalId).getByTestId('decided-by').textContent()).toContain(OTHER_AGENT);

    // Exactly one decision reached the automation: the other agent's.
    const callback = await receivedCallback(page, approvalId);
    expect(callback.body).toMatchObject({ status: 'APPROVED', decidedBy: { name: OTHER_AGENT, via: 'api' } });
    expect(await page.locator(`[data-testid=receiver-item][data-approval-id="${approvalId}"]`).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('playground'), fullPage: true });
  });

  it('follows dark mode: the switch reaches the app, whose background turns dark', async () => {
    await card(await postSeed(page, 'cancellation')).waitFor();
    const root = sidebar(page).getByTestId('sidebar-root');
    const background = () => root.evaluate((node) => {
      // The first opaque background from the root up: what the agent actually sees behind the app.
      for (let el: Element | null = node; el; el = el.parentElement) {
        const color = getComputedStyle(el).backgroundColor;
        if (color !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(color)) return color;
      }
      return 'rgb(255, 255, 255)';
    });
    expect(await root.getAttribute('data-color-scheme')).toBe('light');
    expect(luminance(await background())).toBeGreaterThan(0.8);

    await page.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => root.getAttribute('data-color-scheme')).toBe('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.colorScheme)).toBe('dark');
    await expect.poll(async () => luminance(await background())).toBeLessThan(0.1);
    await page.locator('[data-testid=zaf-app-frame]').screenshot({ path: screenshotPath('sidebar-dark') });
  });
});
