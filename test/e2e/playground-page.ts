// Shared steps for driving the playground page (test/e2e): open it, find the app's frame, post
// seeds, sign in through the fake Zendesk's consent window, read the callback receiver.
import { expect } from 'vitest';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { collectPageProblems } from '../support/browser';

export const APP_FRAME = '[data-testid=zaf-app-frame]';

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions in the page or the app: a healthy run has none. */
  errors: string[];
}

export async function openPlayground(page: Page, baseUrl: string): Promise<OpenedPage> {
  const errors = collectPageProblems(page);
  const response = await page.goto(`${baseUrl}/playground`);
  // Not built: the answer says what to run (npm test builds first).
  if (response?.status() === 404) throw new Error(`/playground answered 404: ${await response.text()}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
  expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
  return { page, errors };
}

/** The app frame as a Frame (for evaluate), once it has navigated to the app's page. */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.locator(APP_FRAME).elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the playground has no app frame');
  await expect.poll(() => frame.url(), { timeout: 10_000 }).toContain('/playground/zendesk-app/');
  return frame;
}

export function sidebar(page: Page): FrameLocator {
  return page.frameLocator(APP_FRAME);
}

/** Avery, the agent the sample ticket's ZAF host says is signed in (playground/src/zendesk/sample-agents.ts). */
export const AVERY = { id: '1001', name: 'Avery Agent' };

/**
 * "Confirm it's you" in the sidebar, as `agentId` on the fake Zendesk's consent page: the consent
 * window opens, the agent allows, the window closes and the sidebar says who decides. Nothing to do
 * when this browser already holds that agent's session (it is kept for the hour). The prompt shows
 * only while something waits for a decision: post a request first.
 */
export async function signIn(page: Page, agentId = AVERY.id): Promise<void> {
  const frame = sidebar(page);
  const signedIn = frame.getByTestId('signed-in-as');
  const button = frame.getByTestId('sign-in-button');
  await expect.poll(async () => (await signedIn.count()) + (await button.count()), { timeout: 15_000 }).toBeGreaterThan(0);
  if ((await signedIn.count()) > 0 && (await signedIn.getAttribute('data-reviewer-id')) === agentId) return;
  if ((await signedIn.count()) > 0) throw new Error(`signed in as ${await signedIn.getAttribute('data-reviewer-id')}, not ${agentId}: use a fresh browser`);
  const [consent] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await consent.waitForURL(/\/playground\/zendesk\/oauth\/authorizations\/new\?/, { timeout: 15_000 });
  await consent.getByTestId(`consent-agent-${agentId}`).check();
  await Promise.all([consent.waitForEvent('close', { timeout: 15_000 }), consent.getByTestId('consent-allow').click()]);
  await signedIn.waitFor({ timeout: 15_000 });
  expect(await signedIn.getAttribute('data-reviewer-id')).toBe(agentId);
}

/**
 * Clicks a seed button and answers the new approval's id: seed 000's from the intake answer the page
 * got, seed 001's from the page once it found the request Countersign is holding (its answer comes
 * only with the decision, or after the wait).
 */
export async function postSeed(page: Page, kind: 'refund' | 'cancellation'): Promise<string> {
  if (kind === 'cancellation') return postHeldSeed(page);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/playground/api/seeds/${kind}`) && r.request().method() === 'POST'),
    page.getByTestId(`seed-${kind}`).click(),
  ]);
  const answer = (await response.json()) as { status: number; body: { approvalId?: string; status?: string } };
  expect(answer.status, JSON.stringify(answer)).toBe(201);
  expect(answer.body.status).toBe('pending');
  return answer.body.approvalId!;
}

/** Clicks the seed 001 button and answers the id of the request the page shows as held. */
export async function postHeldSeed(page: Page): Promise<string> {
  const wait = page.getByTestId('seed-wait');
  const previous = await wait.getAttribute('data-approval-id');
  await page.getByTestId('seed-cancellation').click();
  await expect.poll(async () => {
    const id = await wait.getAttribute('data-approval-id');
    return id && id !== previous ? id : null;
  }, { timeout: 10_000 }).toMatch(/^apr_/);
  expect(await wait.getAttribute('data-state')).toBe('held');
  return (await wait.getAttribute('data-approval-id'))!;
}

export function receiverItem(page: Page, approvalId: string): Locator {
  return page.locator(`[data-testid=receiver-item][data-approval-id="${approvalId}"]`);
}

/** Waits for the receiver to list a callback for this approval and answers its body. */
export async function receivedCallback(page: Page, approvalId: string): Promise<{ status: string; body: Record<string, any> }> {
  const item = receiverItem(page, approvalId).first();
  await item.waitFor({ timeout: 15_000 });
  const status = (await item.getAttribute('data-status')) ?? '';
  const body = JSON.parse((await item.getByTestId('receiver-body').textContent()) ?? 'null') as Record<string, any>;
  return { status, body };
}

/** WCAG relative luminance of a CSS rgb()/rgba() colour. */
export function luminance(cssColor: string): number {
  const [r, g, b] = (cssColor.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  if (r === undefined || g === undefined || b === undefined) throw new Error(`not an rgb colour: ${cssColor}`);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
