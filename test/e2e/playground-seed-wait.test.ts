// Seed 001's synchronous wait running out: with a short COUNTERSIGN_MAX_WAIT_MS the playground holds
// the AI agent's request for that long (not the 25 s it asks for), counts down, and shows the
// agent getting "pending" when nobody decided in time.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { playgroundSidebarForEachTest } from '../support/playground-sidebar';
import { postHeldSeed, sidebar } from './playground-page';

const CAP_MS = 5000;

describe('playground: seed 001 held until the wait ends', () => {
  const playground = playgroundSidebarForEachTest({ env: { COUNTERSIGN_MAX_WAIT_MS: String(CAP_MS) } });
  let page: Page;
  beforeEach(() => void ({ page } = playground));

  it('counts down the server\'s cap, then shows the AI agent\'s answer: pending, the request still open in the sidebar', async () => {
    const response = page.waitForResponse((r) => r.url().endsWith('/playground/api/seeds/cancellation') && r.request().method() === 'POST', { timeout: 20_000 });
    response.catch(() => undefined); // awaited below; a failing test must not also leave it unhandled
    const approvalId = await postHeldSeed(page);
    const wait = page.getByTestId('seed-wait');
    expect(Number(await wait.getAttribute('data-seconds-left'))).toBeLessThanOrEqual(CAP_MS / 1000);

    const answer = (await (await response).json()) as { status: number; body: Record<string, unknown> };
    expect(answer).toMatchObject({ status: 201, body: { approvalId, status: 'pending', decisionNote: null } });
    await expect.poll(() => wait.getAttribute('data-state')).toBe('released');
    expect(await wait.getAttribute('data-status')).toBe('pending');
    expect(await page.getByTestId('seed-wait-text').textContent()).toContain('the AI agent got pending');
    expect(await page.getByTestId('seed-wait-countdown').textContent()).toContain('GET /api/approvals/{approvalId}');
    // Nobody decided: the request waits in the sidebar for a reviewer (and its callback).
    await sidebar(page).locator(`[data-testid=approval-card][data-approval-id="${approvalId}"]`).waitFor();
  });
});
