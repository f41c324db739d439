// The live sidebar and the top-bar queue end to end in Chromium: the real app, built for this test's
// server, in the playground's ZAF host emulator, and the agent signed in with a real reviewer session
// (issued here with the server's secret key, as the Zendesk sign-in would have it issued, and left in
// the app's storage where the sign-in keeps it).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FrameLocator, Page, Request } from 'playwright-core';
import { CountersignClient } from '@countersign/shared';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
// Where the sidebar's sign-in keeps the session (zendesk-app/src/sign-in/session-keeper.ts).
const REVIEWER_SESSION_STORAGE_KEY = 'countersign.reviewerSession';
import { SAMPLE_AGENT, SAMPLE_TICKET } from '../../playground/src/sample-ticket';
import { PLAYGROUND_WORKSPACE } from '../../playground/src/playground-workspace';
import { launchChromium, type Browser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/test-server';
import { buildAppFor, serveAppBuild, type AppBuild } from './app-for-server';
import { openPlayground, sidebar } from './playground-page';

const TICKET = String(SAMPLE_TICKET.id);
/** Polling would take 20 s; the stream must do much better (the bench measures how much). */
const LIVE_WITHIN_MS = 5_000;

describe('the live sidebar and the top-bar queue (Chromium, playground)', () => {
  let server: TestServer;
  let browser: Browser;
  let app: AppBuild;
  let page: Page;
  let errors: string[];
  let intake: CountersignClient;
  let colleague: CountersignClient;
  /** Every call the app frames made through the playground's ZAF request proxy. */
  let proxied: Request[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }), launchChromium()]);
    app = await buildAppFor(server.url);
    const workspace = await server.app.workspaces.byName(PLAYGROUND_WORKSPACE);
    intake = new CountersignClient({ baseUrl: server.url, intakeKey: (await server.app.workspaces.issueKey(workspace, 'intake', { label: 'e2e automation' })).key });
    const delegating = await server.app.workspaces.issueKey(workspace, 'review', { label: 'e2e colleague', reviewer: { kind: 'delegating' } });
    colleague = new CountersignClient({ baseUrl: server.url, reviewKey: delegating.key });

    // The agent's session, as Countersign issues it once Zendesk has vouched for them.
    const sessions = new ReviewerSessions(loadSecretKey(server.config.secretKey, server.dataDir).key);
    const issued = sessions.issue(workspace.id, { id: String(SAMPLE_AGENT.id), name: SAMPLE_AGENT.name, email: SAMPLE_AGENT.email, role: 'agent', groups: [] });
    const stored = JSON.stringify({ value: issued.token, expiresAt: new Date(issued.expiresAt).toISOString(), reviewer: { id: String(SAMPLE_AGENT.id), name: SAMPLE_AGENT.name, email: SAMPLE_AGENT.email, via: 'zendesk' } });
    await browser.context.addInitScript(({ key, value }) => localStorage.setItem(key, value), { key: REVIEWER_SESSION_STORAGE_KEY, value: stored });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    app?.remove();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    await serveAppBuild(page, app.packageDir);
    proxied = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/playground/api/zaf-request')) proxied.push(request);
    });
    ({ errors } = await openPlayground(page, server.url));
    await sidebar(page).getByTestId('sidebar-root').waitFor();
  });

  afterEach(async () => {
    await page?.close();
    expect(errors, 'uncaught exceptions in the page or the app').toEqual([]);
  });

  const post = async (summary: string) =>
    (await intake.createApproval({ action: 'process_refund', summary, riskLevel: 'high', details: { amount: '12.00' }, context: { platform: 'zendesk', ticketId: TICKET } })).approval;

  it('shows a request posted while the sidebar is open without a reload, and a decision taken elsewhere in place', async () => {
    const status = sidebar(page).getByTestId('live-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    expect(await status.textContent()).toBe('Live');
    const before = proxied.length;

    const approval = await post('Refund posted while the agent looks');
    const card = sidebar(page).locator(`[data-testid=approval-card][data-approval-id="${approval.approvalId}"]`);
    await card.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await card.textContent()).toContain('Refund posted while the agent looks');
    // It came by the stream: the sidebar asked Countersign for nothing (no list call, no ticket.updated).
    expect(proxied.length).toBe(before);

    await colleague.decide(approval.approvalId, { decision: 'reject', note: 'Outside the refund window.', reviewer: { id: 'sam', name: 'Sam Colleague', via: 'api' } });
    const decided = sidebar(page).locator(`[data-testid=decided-card][data-approval-id="${approval.approvalId}"]`);
    await decided.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await decided.getByTestId('decided-by').textContent()).toContain('Rejected by Sam Colleague');
    expect(await card.count()).toBe(0);
    expect(proxied.length).toBe(before);
  });

  it('counts a new request in the top-bar queue, announces it, and opens its ticket', async () => {
    const queue: FrameLocator = page.frameLocator('[data-testid=zaf-queue-frame]');
    const section = queue.getByTestId('queue');
    await section.waitFor({ timeout: 10_000 });
    await expect.poll(() => section.getAttribute('data-stream'), { timeout: 10_000 }).toBe('live');
    const countBefore = Number(await section.getAttribute('data-count'));

    const approval = await post('Refund the queue should show');
    const item = queue.locator(`[data-testid=queue-item][data-approval-id="${approval.approvalId}"]`);
    await item.waitFor({ timeout: LIVE_WITHIN_MS });
    const count = countBefore + 1;
    expect(await section.getAttribute('data-count')).toBe(String(count));
    expect(await queue.getByTestId('queue-heading').textContent()).toBe(`Waiting for you (${count})`);
    expect(await item.textContent()).toContain(`Ticket #${TICKET}`);
    expect(await item.getByTestId('risk-tag').getAttribute('data-risk')).toBe('high');
    // The icon's badge (the symbol the app set) and Zendesk's notification.
    await expect.poll(() => page.getByTestId('queue-badge').textContent()).toBe(count > 9 ? '9+' : String(count));
    await page.getByTestId('toast').filter({ hasText: `a new request waits for you on ticket #${TICKET}: Refund the queue should show` }).waitFor();

    await item.click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.routedTo)).toBe(`ticket/${TICKET}`);
    await page.getByTestId('toast').filter({ hasText: `Opened ticket #${TICKET}.` }).waitFor();

    // Loaded afresh, the queue lists it from Countersign's list, which answered for this agent (their session went along).
    const frame = (await (await page.locator('[data-testid=zaf-queue-frame]').elementHandle())!.contentFrame())!;
    await frame.evaluate(() => {
      (window as { beforeReload?: boolean }).beforeReload = true;
      setTimeout(() => location.reload(), 0);
    });
    await frame.waitForFunction(() => !(window as { beforeReload?: boolean }).beforeReload && document.querySelector('[data-testid=queue]') !== null, null, { timeout: 10_000 });
    await item.waitFor({ timeout: 10_000 });
    expect(await section.getAttribute('data-count')).toBe(String(count));

    // Decided elsewhere, it leaves the queue and the count drops.
    await colleague.decide(approval.approvalId, { decision: 'approve', reviewer: { id: 'sam', name: 'Sam Colleague', via: 'api' } });
    await item.waitFor({ state: 'detached', timeout: LIVE_WITHIN_MS });
    expect(await section.getAttribute('data-count')).toBe(String(countBefore));
  });
});
