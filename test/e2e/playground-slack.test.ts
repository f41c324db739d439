// The playground's Slack tab end to end in Chromium: a request posted to the playground becomes the
// real Block Kit message in the fake Slack channel (sent by the outbox through the fake Web API), and
// its buttons, clicked on the page, reach POST /slack/interactions signed as Slack signs them: Approve
// decides as the chosen Slack user and the message turns into the outcome; Edit opens Countersign's
// modal and its typed inputs decide; a guest is refused, and told so only they can see.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { CountersignClient } from '@countersign/shared';
import { collectPageProblems, launchChromium, type Browser } from '../support/browser';
import { call, startTestServer, type TestServer } from '../support/test-server';
import { playgroundReviewer } from './intercom-page';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

describe('playground: the Slack tab', () => {
  let server: TestServer;
  let browser: Browser;
  let review: CountersignClient;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }), launchChromium({ viewport: { width: 1280, height: 1000 } })]);
    review = await playgroundReviewer(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    page = await browser.context.newPage();
    errors = collectPageProblems(page);
    const response = await page.goto(`${server.url}/playground#slack`);
    if (response?.status() === 404) throw new Error(`/playground answered 404: ${await response.text()}`);
    await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
    expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
    expect(await page.getByTestId('tab-slack').getAttribute('aria-selected')).toBe('true');
  });
  afterEach(async () => {
    await page?.close();
    expect(errors, 'uncaught exceptions in the page').toEqual([]);
  });

  /** Posts the refund seed (as the automation) and answers its id and its message in the channel. */
  async function postedRequest(): Promise<{ approvalId: string; message: Locator }> {
    const answer = await call(`${server.url}/playground/api/seeds/refund`, { method: 'POST', json: {} });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const approvalId = answer.body.body.approvalId as string;
    const message = page.getByTestId('slack-message').filter({ hasText: approvalId });
    await message.waitFor({ timeout: 15_000 });
    return { approvalId, message };
  }

  it('shows the request as its Block Kit message and approves it from the Approve button, as the Slack user chosen', async () => {
    const { approvalId, message } = await postedRequest();
    await expect.poll(() => message.getByTestId('slack-block-header').first().textContent()).toContain('Approval needed:');
    expect(await message.textContent()).toContain('Risk');
    await page.getByTestId('slack-user').selectOption('U0PAT');
    await message.getByTestId('slack-button-countersign_approve').click();
    await expect.poll(async () => (await review.getApproval(approvalId)).status, { timeout: 15_000 }).toBe('approved');
    expect((await review.getApproval(approvalId)).decidedBy).toEqual({ id: 'U0PAT', name: 'Pat Reviewer', email: 'pat@playground.example', via: 'slack' });
    // The outbox's chat.update turns the message into the outcome, without buttons.
    await expect.poll(() => message.getByTestId('slack-block-header').first().textContent(), { timeout: 15_000 }).toContain('Approved');
    expect(await message.getByTestId('slack-actions').count()).toBe(0);
    expect(await message.textContent()).toContain('@Pat Reviewer');
    await page.screenshot({ path: `${SCREENSHOTS}playground-slack-approved.png`, fullPage: true });
  });

  it('edits a detail in Countersign\'s modal and approves with the change', async () => {
    const { approvalId, message } = await postedRequest();
    await page.getByTestId('slack-user').selectOption('U0PAT');
    await message.getByTestId('slack-button-countersign_edit').click();
    const dialog = page.getByTestId('slack-dialog');
    await dialog.waitFor({ timeout: 15_000 });
    expect(await dialog.getAttribute('data-callback-id')).toBe('countersign_edit');
    const field = dialog.locator('[data-testid=slack-input]', { has: page.locator('label', { hasText: /^amount$/ }) });
    expect(await field.locator('input').inputValue()).toBe('129.00');
    await field.locator('input').fill('99.00');
    await page.screenshot({ path: `${SCREENSHOTS}playground-slack-edit.png`, fullPage: true });
    await page.getByTestId('slack-modal-submit').click();
    await expect.poll(async () => (await review.getApproval(approvalId)).status, { timeout: 15_000 }).toBe('approved');
    const approved = await review.getApproval(approvalId);
    // The seed's amount is text (as Zendesk placeholders send it), and stays text.
    expect(approved.modifiedDetails?.amount).toBe('99.00');
    expect(approved.changes).toEqual([{ path: 'amount', from: '129.00', to: '99.00' }]);
    await expect.poll(() => page.getByTestId('slack-modal').isHidden()).toBe(true);
  });

  it('tells a guest who clicks that they cannot decide, in a message only they see', async () => {
    const { approvalId, message } = await postedRequest();
    await page.getByTestId('slack-user').selectOption('U0GUEST');
    await message.getByTestId('slack-button-countersign_approve').click();
    await expect.poll(() => page.getByTestId('slack-ephemeral').first().textContent(), { timeout: 15_000 }).toBe('Guests of this Slack workspace cannot decide requests.');
    expect((await review.getApproval(approvalId)).status).toBe('pending');
  });
});
