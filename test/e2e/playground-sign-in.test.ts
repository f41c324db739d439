// Zendesk vouches for the agent, end to end in Chromium: the sidebar's "Confirm it's you" opens the
// playground's fake Zendesk consent page in a window of its own, the agent allows as one of the sample
// agents, and the decision is that agent's everywhere (callback, audit trail, ticket note). A session
// that ends, by its expiry or because Countersign no longer accepts it, makes the sidebar ask again.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
import { openPlaygroundWorkspace } from '../../playground/src/playground-workspace';
import { playgroundSidebarForEachTest } from '../support/playground-sidebar';
import { screenshotPath } from '../support/screenshots';
import type { TestServer } from '../support/test-server';
import { playgroundReviewer } from './intercom-page';
import { appFrame, postSeed, receivedCallback, sidebar, signIn } from './playground-page';

const SESSION_KEY = 'countersign.reviewerSession';
const MORGAN = { id: '1002', name: 'Morgan Lead', email: 'morgan@example.com' };

describe('playground: Zendesk sign-in from the sidebar', () => {
  const playground = playgroundSidebarForEachTest({ requireBuiltApp: true });
  let server: TestServer;
  let page: Page;
  beforeEach(() => void ({ server, page } = playground));

  const card = (approvalId: string) => sidebar(page).locator(`[data-testid=approval-card][data-approval-id="${approvalId}"]`);
  const prompt = () => sidebar(page).getByTestId('sign-in-banner');

  /** Rewrites the session the sidebar keeps in its frame's storage, then reloads the page so the sidebar reads it. */
  async function keepSession(change: (kept: Record<string, unknown> | null) => Record<string, unknown>): Promise<void> {
    const frame = await appFrame(page);
    await frame.evaluate(([key, next]) => localStorage.setItem(key, JSON.stringify(next)), [SESSION_KEY, change(await frame.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), SESSION_KEY))] as const);
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await sidebar(page).getByTestId('sidebar-root').waitFor();
  }

  it('signs in through the consent window as a sample agent, and the decision is that agent\'s: callback, audit trail and ticket note', async () => {
    const approvalId = await postSeed(page, 'refund');
    await card(approvalId).waitFor();
    // No session yet: the prompt, not a decision the server would refuse.
    await prompt().waitFor();
    expect(await prompt().textContent()).toContain('Confirm it\'s you');
    await page.locator('[data-testid=zaf-app-frame]').screenshot({ path: screenshotPath('sidebar-sign-in') });

    await signIn(page, MORGAN.id);
    expect(await sidebar(page).getByTestId('signed-in-as').textContent()).toBe(`Deciding as ${MORGAN.name}, confirmed by Zendesk`);
    expect(await prompt().count()).toBe(0);
    await card(approvalId).getByTestId('approve-button').click();

    const callback = await receivedCallback(page, approvalId);
    expect(callback.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: MORGAN.id, name: MORGAN.name, email: MORGAN.email, via: 'zendesk' } });
    const events = (await (await playgroundReviewer(server)).listEvents(approvalId)).items;
    expect(events.find((event) => event.type === 'approval.approved')?.data).toMatchObject({ verification: 'zendesk_oauth' });
    const note = page.getByTestId('ticket-note').filter({ hasText: approvalId }).first();
    await note.waitFor({ timeout: 15_000 });
    expect(await note.getAttribute('data-author-id')).toBe(MORGAN.id);
    expect(await note.getByTestId('ticket-note-author').textContent()).toBe(`${MORGAN.name} (through Countersign)`);
  });

  it('asks again when the session expires, by itself, and signing in again lets the agent decide', async () => {
    const approvalId = await postSeed(page, 'refund');
    // The kept session (from the test before) now ends in a few seconds.
    await keepSession((kept) => ({ ...kept!, expiresAt: new Date(Date.now() + 4000).toISOString() }));
    await sidebar(page).getByTestId('signed-in-as').waitFor();
    await prompt().waitFor({ timeout: 15_000 });
    expect(await prompt().textContent()).toContain('Your confirmation has ended');

    await signIn(page, MORGAN.id);
    await card(approvalId).getByTestId('approve-button').click();
    expect((await receivedCallback(page, approvalId)).body).toMatchObject({ status: 'APPROVED', decidedBy: { id: MORGAN.id, via: 'zendesk' } });
  });

  it('drops a kept session that Countersign no longer accepts (ended on the server) and asks again', async () => {
    const approvalId = await postSeed(page, 'refund');
    const { workspace } = await openPlaygroundWorkspace(server.app.workspaces);
    const ended = new ReviewerSessions(loadSecretKey(undefined, server.dataDir).key).issue(workspace.id, { id: MORGAN.id, name: MORGAN.name, role: 'admin', groups: [] }, -1000);
    // The sidebar would still believe it for an hour; Countersign does not.
    await keepSession((kept) => ({ ...kept!, value: ended.token, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
    await prompt().waitFor({ timeout: 15_000 });
    expect(await prompt().textContent()).toContain('Your confirmation has ended');
    expect(await (await appFrame(page)).evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();

    await signIn(page, MORGAN.id);
    await card(approvalId).getByTestId('reject-button').click();
    await card(approvalId).getByTestId('reject-confirm').click();
    expect((await receivedCallback(page, approvalId)).body).toMatchObject({ status: 'REJECTED', decidedBy: { id: MORGAN.id, via: 'zendesk' } });
  });
});
