// The playground end to end in Chromium: the real built sidebar app inside the ZAF host emulator,
// against a real server. Each test posts its own request, so none depends on another's leftovers.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../support/browser';
import { playgroundSidebarForEachTest } from '../support/playground-sidebar';
import { screenshotPath } from '../support/screenshots';
import type { TestServer } from '../support/test-server';
import { approvalFromNotification, playgroundReviewer } from './intercom-page';
import { luminance, openPlayground, postHeldSeed, postSeed, receivedCallback, sidebar, signIn } from './playground-page';

const OTHER_AGENT = 'Sam (another agent)';

describe('playground: the sidebar app in the ZAF host emulator', () => {
  const playground = playgroundSidebarForEachTest({ requireBuiltApp: true });
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  beforeEach(() => void ({ server, browser, page } = playground));

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
    await signIn(page);
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
    await signIn(page);
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
    await signIn(page);
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

  it('reports a rejection taken elsewhere in plain words: "rejected", never "rejectd"', async () => {
    const approvalId = await postSeed(page, 'refund');
    await card(approvalId).waitFor();
    await page.getByTestId('decide-elsewhere-reject').click();
    const result = page.getByTestId('decide-elsewhere-result');
    await expect.poll(() => result.getAttribute('data-status')).toBe('rejected');
    expect(await result.textContent()).toContain(`${OTHER_AGENT} rejected ${approvalId}`);
    expect(await result.textContent()).not.toContain('rejectd');
  });

  it('loads every resource it asks for, /favicon.ico included (no 404 in the console)', async () => {
    const fresh = await browser.context.newPage();
    const failed: string[] = [];
    fresh.on('console', (message) => {
      if (/Failed to load resource/i.test(message.text())) failed.push(`${message.text()} ${message.location().url}`);
    });
    try {
      await openPlayground(fresh, server.url);
      await fresh.waitForLoadState('networkidle');
      // The favicon is fetched by the browser itself, outside the page's requests; read it the same way.
      const icon = await fresh.evaluate(async () => {
        const response = await fetch('/favicon.ico');
        return { status: response.status, type: response.headers.get('content-type') };
      });
      expect(icon).toEqual({ status: 200, type: 'image/png' });
      expect(failed).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('lists the internal notes oldest first, like the conversation above them', async () => {
    const review = await playgroundReviewer(server);
    const noteFor = (approvalId: string) => page.getByTestId('ticket-note').filter({ hasText: approvalId });
    const decided: string[] = [];
    for (const decision of ['approve', 'reject'] as const) {
      const approvalId = await postSeed(page, 'refund');
      await review.decide(approvalId, { decision, reviewer: { id: 'sam', name: OTHER_AGENT, via: 'api' } });
      // One at a time, so the fake Zendesk receives them in this order.
      await noteFor(approvalId).waitFor({ timeout: 15_000 });
      decided.push(approvalId);
    }
    const texts = await page.getByTestId('ticket-note').allTextContents();
    const positions = decided.map((approvalId) => texts.findIndex((text) => text.includes(approvalId)));
    expect(positions[0]).toBeLessThan(positions[1]!);
    expect(positions[1]).toBe(texts.length - 1);
  });

  it('gives each tab its own callback panel, showing the newest 20 until "show all" is pressed', async () => {
    const review = await playgroundReviewer(server);
    const reviewer = { id: 'sam', name: OTHER_AGENT, via: 'api' as const };
    const zendeskIds: string[] = [];
    for (let i = 0; i < 22; i++) {
      const approvalId = await postSeed(page, 'refund');
      await review.decide(approvalId, { decision: i % 2 ? 'approve' : 'reject', reviewer });
      zendeskIds.push(approvalId);
    }
    // One Intercom request decided too: its callback belongs to the Intercom tab only.
    // Read in the page: Chromium does not hand a no-store answer's body to the driver reliably.
    const webhook = await page.evaluate(async () => (await fetch('/playground/api/intercom/webhooks/gated', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json() as Promise<{ notificationId: string }>);
    const intercomApproval = await approvalFromNotification(review, webhook.notificationId);
    await review.decide(intercomApproval.approvalId, { decision: 'approve', reviewer });

    const zendeskPanel = page.getByTestId('receiver-zendesk');
    const intercomPanel = page.getByTestId('receiver-intercom');
    const items = (panel: typeof zendeskPanel) => panel.getByTestId('receiver-item');
    const newest = zendeskIds[zendeskIds.length - 1]!;
    await zendeskPanel.locator(`[data-testid=receiver-item][data-approval-id="${newest}"]`).waitFor({ timeout: 15_000 });
    await expect.poll(() => zendeskPanel.getByTestId('receiver-show-all').textContent(), { timeout: 15_000 }).toMatch(/show all/i);
    expect(await items(zendeskPanel).count()).toBe(20);
    expect(await items(zendeskPanel).first().getAttribute('data-approval-id')).toBe(newest);
    expect(await zendeskPanel.locator(`[data-approval-id="${intercomApproval.approvalId}"]`).count()).toBe(0);
    // Short enough to see the panels side by side with the controls, not a page of JSON.
    expect((await zendeskPanel.boundingBox())!.height).toBeLessThan(1600);

    await zendeskPanel.getByTestId('receiver-show-all').click();
    await expect.poll(() => items(zendeskPanel).count()).toBeGreaterThanOrEqual(22);
    for (const approvalId of zendeskIds) expect(await zendeskPanel.locator(`[data-testid=receiver-item][data-approval-id="${approvalId}"]`).count()).toBe(1);
    await zendeskPanel.getByTestId('receiver-show-all').click();
    expect(await items(zendeskPanel).count()).toBe(20);

    await page.getByTestId('tab-intercom').click();
    expect(await zendeskPanel.isVisible()).toBe(false);
    const intercomItem = intercomPanel.locator(`[data-testid=receiver-item][data-approval-id="${intercomApproval.approvalId}"]`);
    await intercomItem.waitFor({ timeout: 15_000 });
    expect(await intercomPanel.locator(`[data-approval-id="${newest}"]`).count()).toBe(0);
    expect(await intercomItem.getAttribute('data-status')).toBe('APPROVED');
  });

  it('fits a 390 px wide phone: no sideways scrolling, the top bar inside the screen, and an intro true at any width', async () => {
    const narrow = await browser.context.newPage();
    try {
      await narrow.setViewportSize({ width: 390, height: 844 });
      const problems = (await openPlayground(narrow, server.url)).errors;
      for (const view of ['zendesk', 'intercom']) {
        await narrow.getByTestId(`tab-${view}`).click();
        expect(await narrow.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(390);
        const outside = await narrow.evaluate(() => Array.from(document.querySelectorAll('.topbar *'))
          .filter((node) => {
            const box = node.getBoundingClientRect();
            return box.width > 0 && (box.left < 0 || box.right > window.innerWidth);
          })
          .map((node) => node.textContent));
        expect(outside, view).toEqual([]);
        const intro = (await narrow.locator(`[data-view-panel=${view}] .intro`).textContent()) ?? '';
        // The panels sit beside the ticket on a wide screen and below it on a narrow one.
        expect(intro, view).not.toMatch(/on the (right|left)|below|above/i);
      }
      await narrow.screenshot({ path: screenshotPath('playground-390') });
      expect(problems).toEqual([]);
    } finally {
      await narrow.close();
    }
  });

  it('holds seed 001 while the reviewer decides: a countdown, then the answer the AI agent got (rejected, with the note)', async () => {
    let answered = false;
    const response = page
      .waitForResponse((r) => r.url().endsWith('/playground/api/seeds/cancellation') && r.request().method() === 'POST', { timeout: 40_000 })
      .then((r) => {
        answered = true;
        return r;
      });
    response.catch(() => undefined); // awaited below; a failing test must not also leave it unhandled
    const approvalId = await postHeldSeed(page);
    await signIn(page);
    const wait = page.getByTestId('seed-wait');
    const secondsLeft = async () => Number(await wait.getAttribute('data-seconds-left'));
    const first = await secondsLeft();
    expect(first).toBeLessThanOrEqual(25);
    expect(first).toBeGreaterThan(10);
    expect(await page.getByTestId('seed-wait-countdown').textContent()).toBe(`${first} s left`);
    await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThan(first);
    // Really held by the server: the page's call to the intake proxy is still open.
    expect(answered).toBe(false);
    expect(await wait.getAttribute('data-state')).toBe('held');
    await page.getByTestId('seed-wait').screenshot({ path: screenshotPath('seed-001-held') });

    const pending = card(approvalId);
    await pending.getByTestId('reject-button').click();
    const note = 'Customer is in a long-term contract; escalate to retention team.';
    await pending.getByTestId('reject-note').fill(note);
    await pending.getByTestId('reject-confirm').click();

    const answer = (await (await response).json()) as { status: number; body: Record<string, unknown> };
    expect(answer).toMatchObject({ status: 200, body: { approvalId, status: 'rejected', decisionNote: note, modifiedDetails: null } });
    await expect.poll(() => wait.getAttribute('data-state')).toBe('released');
    expect(await wait.getAttribute('data-status')).toBe('rejected');
    expect(await page.getByTestId('seed-wait-text').textContent()).toContain('the AI agent got rejected');
    expect(JSON.parse((await page.getByTestId('seed-wait-answer').textContent()) ?? '{}')).toMatchObject({ approvalId, status: 'rejected', decisionNote: note });
    await page.getByTestId('seed-wait').screenshot({ path: screenshotPath('seed-001-released') });
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
