// Shared steps for driving the playground's "Intercom inbox" view (test/e2e): open it, send the
// emulated Intercom webhooks, open the inbox app, find requests through the playground workspace's
// review key.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { CountersignClient, type ApprovalView } from '@countersign/shared';
import { openPlaygroundWorkspace } from '../../playground/src/playground-workspace';
import type { TestServer } from '../support/test-server';
import { collectPageProblems } from '../support/browser';

export const CONVERSATION_ID = '215467';
export const ADMIN = { id: '991267696', name: 'Riley Teammate', email: 'riley@example.com' };

export interface OpenedInbox {
  page: Page;
  errors: string[];
}

/** The playground opened on its Intercom view (#intercom), once the page says it is ready. */
export async function openInbox(page: Page, baseUrl: string): Promise<OpenedInbox> {
  const errors = collectPageProblems(page);
  const response = await page.goto(`${baseUrl}/playground#intercom`);
  // Not built: the answer says what to run (npm test builds first).
  if (response?.status() === 404) throw new Error(`/playground answered 404: ${await response.text()}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
  expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
  await page.getByTestId('canvas-panel').waitFor({ state: 'attached' });
  expect(await page.getByTestId('tab-intercom').getAttribute('aria-selected')).toBe('true');
  return { page, errors };
}

export type WebhookKind = 'gated' | 'duplicate' | 'closed';

export interface WebhookAnswer {
  status: number;
  body: { received?: boolean; duplicate?: boolean; error?: { code: string } };
  notificationId: string;
  topic: string;
}

/** Clicks a webhook button; answers what Countersign's webhook endpoint said, as the page got it. */
export async function sendWebhook(page: Page, kind: WebhookKind): Promise<WebhookAnswer> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/playground/api/intercom/webhooks/${kind}`) && r.request().method() === 'POST'),
    page.getByTestId(`intercom-webhook-${kind}`).click(),
  ]);
  const answer = (await response.json()) as WebhookAnswer;
  // The button's own status line shows the delivery's HTTP status.
  await expect.poll(() => page.getByTestId(`intercom-webhook-${kind}-status`).getAttribute('data-notification-id')).toBe(answer.notificationId);
  expect(await page.getByTestId(`intercom-webhook-${kind}-status`).textContent()).toContain(`HTTP ${answer.status}`);
  return answer;
}

/**
 * A review client for the playground's own workspace (the one linked to the emulated Intercom), with
 * its delegating key: it decides as the reviewer each call names (the sidebar's key needs a Zendesk sign-in).
 */
export async function playgroundReviewer(server: TestServer): Promise<CountersignClient> {
  const { delegatingKey } = await openPlaygroundWorkspace(server.app.workspaces);
  return new CountersignClient({ baseUrl: server.url, reviewKey: delegatingKey });
}

/** The conversation's requests created from one notification (webhooks are processed after the 200). */
export async function approvalsFromNotification(review: CountersignClient, notificationId: string): Promise<ApprovalView[]> {
  const { items } = await review.listApprovals({ conversationId: CONVERSATION_ID, limit: 100 });
  return items.filter((approval) => approval.metadata?.intercomNotificationId === notificationId);
}

/** Waits for the request a gated notification becomes. */
export async function approvalFromNotification(review: CountersignClient, notificationId: string): Promise<ApprovalView> {
  await expect.poll(async () => (await approvalsFromNotification(review, notificationId)).length, { timeout: 10_000 }).toBe(1);
  return (await approvalsFromNotification(review, notificationId))[0]!;
}

export function canvasPanel(page: Page): Locator {
  return page.getByTestId('canvas-panel');
}

export function component(page: Page, id: string): Locator {
  return canvasPanel(page).locator(`[data-component-id="${id}"]`);
}

/** Clicks "Open inbox app" and waits for the canvas Countersign answered to the initialize request. */
export async function openInboxApp(page: Page): Promise<void> {
  await answered(page, () => page.getByTestId('intercom-open-app').click());
}

/** Clicks a canvas component (a submit action) and waits for the next canvas to be rendered. */
export async function submitVia(page: Page, target: Locator): Promise<void> {
  await answered(page, () => target.click());
}

/** Runs `act`, waits for the page to get Countersign's answer, and insists it was a canvas (HTTP 200). */
async function answered(page: Page, act: () => Promise<void>): Promise<void> {
  const count = async (name: string) => Number((await canvasPanel(page).getAttribute(name)) ?? '0');
  const [answers, renders] = [await count('data-answers'), await count('data-renders')];
  await act();
  await expect.poll(() => count('data-answers')).toBeGreaterThan(answers);
  const status = page.getByTestId('canvas-status');
  expect(await status.getAttribute('data-http-status'), (await status.textContent()) ?? '').toBe('200');
  expect(await count('data-renders')).toBeGreaterThan(renders);
}

export function listItem(page: Page, approvalId: string): Locator {
  return canvasPanel(page).locator(`[data-item-id="open:${approvalId}"]`);
}
