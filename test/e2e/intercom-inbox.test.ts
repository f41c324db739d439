// The playground's Intercom inbox end to end in Chromium: signed webhooks from the emulated Intercom
// become requests, the inbox app's canvas (Countersign's real Canvas Kit JSON, rendered by the page)
// lists and decides them, and the automation's receiver and the conversation's notes show the outcome.
// Each test posts its own webhook, so none depends on another's leftovers.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CountersignClient } from '@countersign/shared';
import { initializeRequest, submitRequest } from '../../playground/src/intercom/intercom-requests';
import { openPlaygroundWorkspace } from '../../playground/src/playground-workspace';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { launchChromium, type Browser } from '../support/browser';
import { builtPageAsset } from '../support/playground-build';
import { call, startTestServer, type TestServer } from '../support/test-server';
import {
  ADMIN,
  CONVERSATION_ID,
  approvalFromNotification,
  approvalsFromNotification,
  canvasPanel,
  component,
  listItem,
  openInbox,
  openInboxApp,
  playgroundReviewer,
  sendWebhook,
  submitVia,
} from './intercom-page';
import { receivedCallback } from './playground-page';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const screenshotPath = (name: string) => `${SCREENSHOTS}${name}.png`;

describe('playground: the Intercom inbox view', () => {
  let server: TestServer;
  let browser: Browser;
  let review: CountersignClient;
  /** Decides outside the inbox: a delegating key's tool names its reviewer (the playground's own key is the Zendesk app's). */
  let decider: CountersignClient;
  let adminKey: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }), launchChromium({ viewport: { width: 1280, height: 1000 } })]);
    review = await playgroundReviewer(server);
    const { workspace } = await openPlaygroundWorkspace(server.app.workspaces);
    decider = new CountersignClient({ baseUrl: server.url, reviewKey: (await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } })).key });
    adminKey = (await server.app.workspaces.issueKey(workspace, 'admin')).key;
  });

  /** The playground workspace's policy (an empty one restores "one approval by anyone"). */
  async function setPolicy(rules: unknown[]): Promise<void> {
    expect((await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}` }, json: { rules } })).status).toBe(200);
  }

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    ({ errors } = await openInbox(page, server.url));
  });

  afterEach(async () => {
    await page?.close();
    expect(errors, 'uncaught exceptions in the page').toEqual([]);
  });

  /** The same page loaded again, once it says it is ready (its problems still collected by openInbox's listeners). */
  async function reloaded(target: Page): Promise<void> {
    await target.reload();
    await target.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
    expect(await target.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
  }

  /** A gated webhook, its request, and the inbox app opened on its detail canvas. */
  async function requestOpenedInApp() {
    const delivery = await sendWebhook(page, 'gated');
    expect(delivery).toMatchObject({ status: 200, body: { received: true, duplicate: false }, topic: 'conversation.operator.replied' });
    const approval = await approvalFromNotification(review, delivery.notificationId);
    await openInboxApp(page);
    await listItem(page, approval.approvalId).waitFor();
    await submitVia(page, listItem(page, approval.approvalId));
    await component(page, `approve:${approval.approvalId}`).waitFor();
    return { delivery, approval };
  }

  it('shows the sample conversation with Fin\'s reply', async () => {
    expect(await page.getByTestId('intercom-conversation-id').textContent()).toBe(`#${CONVERSATION_ID}`);
    expect(await page.getByTestId('intercom-contact').textContent()).toContain('jordan.rivera@example.com');
    const parts = page.getByTestId('intercom-part');
    expect(await parts.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid=intercom-part][data-author-type=bot]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('intercom-admin').textContent()).toContain(ADMIN.name);
    // The Zendesk view is one click away and hidden meanwhile.
    expect(await page.getByTestId('zaf-app-frame').isVisible()).toBe(false);
    await page.getByTestId('tab-zendesk').click();
    expect(await page.getByTestId('zaf-app-frame').isVisible()).toBe(true);
    expect(await canvasPanel(page).isVisible()).toBe(false);
  });

  it('a gated webhook becomes a request in the inbox app; approving it sends APPROVED to the automation and notes it on the conversation', async () => {
    const delivery = await sendWebhook(page, 'gated');
    expect(delivery).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    const approval = await approvalFromNotification(review, delivery.notificationId);
    expect(approval).toMatchObject({
      status: 'pending',
      action: 'send_fin_reply',
      summary: `Fin's reply to jordan.rivera@example.com on conversation #${CONVERSATION_ID}`,
      agentName: 'Intercom Fin',
      context: { platform: 'intercom', conversationId: CONVERSATION_ID },
      details: { conversationId: CONVERSATION_ID, contactEmail: 'jordan.rivera@example.com', assignedAdmin: ADMIN.email, lastMessage: FIN_REPLY_TEXT },
    });

    await openInboxApp(page);
    const item = listItem(page, approval.approvalId);
    await item.waitFor();
    expect(await item.textContent()).toContain('send_fin_reply');
    expect(await item.locator('button').count()).toBe(1);
    await page.locator('.inbox').screenshot({ path: screenshotPath('inbox-list') });

    await submitVia(page, item);
    const approve = component(page, `approve:${approval.approvalId}`);
    await approve.waitFor();
    expect(await approve.evaluate((node) => node.tagName)).toBe('BUTTON');
    expect(await approve.textContent()).toBe('Approve');
    const details = canvasPanel(page).locator('[data-component-type=data-table] tr[data-field=conversationId] td');
    expect(await details.textContent()).toBe(CONVERSATION_ID);
    expect(await canvasPanel(page).locator('[data-component-type=data-table] tr[data-field=contactEmail] td').textContent()).toBe('jordan.rivera@example.com');
    expect(await canvasPanel(page).locator('[data-component-type=data-table] tr[data-field="Requested by"] td').textContent()).toBe('Intercom Fin');
    // Fin's HTML reply reads as text in the canvas: no tag shows, the link keeps its URL.
    expect(await canvasPanel(page).locator('[data-component-type=data-table] tr[data-field=lastMessage] td').getAttribute('title')).toBe(FIN_REPLY_TEXT);
    await page.locator('.inbox').screenshot({ path: screenshotPath('inbox-detail') });

    await submitVia(page, approve);
    await expect.poll(() => canvasPanel(page).textContent()).toContain('Approved');
    expect(await canvasPanel(page).textContent()).toContain(ADMIN.name);
    expect(await component(page, `approve:${approval.approvalId}`).count()).toBe(0);

    const callback = await receivedCallback(page, approval.approvalId);
    expect(callback.status).toBe('APPROVED');
    expect(callback.body).toMatchObject({
      type: 'approval.decided',
      approvalId: approval.approvalId,
      action: 'send_fin_reply',
      status: 'APPROVED',
      details: { conversationId: CONVERSATION_ID, lastMessage: FIN_REPLY_TEXT },
      decidedBy: { id: ADMIN.id, name: ADMIN.name, via: 'intercom' },
    });
    expect(await page.locator(`[data-testid=receiver-item][data-approval-id="${approval.approvalId}"] [data-testid=receiver-signature]`).textContent()).toBe('signature valid');

    // The internal note Countersign wrote through the (fake) Intercom REST API, shown as text.
    const note = page.getByTestId('intercom-note').filter({ hasText: approval.approvalId });
    await note.waitFor({ timeout: 15_000 });
    const noteText = (await note.textContent()) ?? '';
    expect(noteText).toContain(`Approved by ${ADMIN.name} (${ADMIN.email}) via Intercom`);
    expect(noteText).not.toContain('<p>');
    expect(await page.getByTestId('intercom-notes-empty').isVisible()).toBe(false);
  });

  it('rejects with a note from the reject form: the automation receives REJECTED with the decisionNote', async () => {
    const { approval } = await requestOpenedInApp();
    await submitVia(page, component(page, `reject:${approval.approvalId}`));
    const note = component(page, 'note');
    await note.waitFor();
    expect(await note.evaluate((node) => node.tagName)).toBe('TEXTAREA');
    await note.fill(`${REJECT_NOTE}\n${NOTE_TAIL}`);
    await submitVia(page, component(page, `reject-confirm:${approval.approvalId}`));
    await expect.poll(() => canvasPanel(page).textContent()).toContain('Rejected');

    const callback = await receivedCallback(page, approval.approvalId);
    expect(callback.status).toBe('REJECTED');
    expect(callback.body).toMatchObject({ status: 'REJECTED', decisionNote: `${REJECT_NOTE}\n${NOTE_TAIL}`, decidedBy: { via: 'intercom' } });
    // The note came back in a canvas as text, never as markup.
    expect(await canvasPanel(page).locator('b').count()).toBe(0);
    expect(await canvasPanel(page).textContent()).toContain('<b>not</b>');
    // The whole note and the reviewer are on screen, wrapped, not cut at the edge of a table cell.
    for (const shown of [REJECT_NOTE, NOTE_TAIL, `Decided by ${ADMIN.name} (${ADMIN.email})`]) {
      const line = canvasPanel(page).locator('[data-component-type=text]', { hasText: shown });
      expect(await line.textContent()).toBe(shown);
      expect(await line.evaluate((node) => node.scrollWidth <= node.clientWidth && node.getBoundingClientRect().height > 0)).toBe(true);
    }
    await page.locator('.inbox').screenshot({ path: screenshotPath('inbox-decided') });

    const conversationNote = page.getByTestId('intercom-note').filter({ hasText: approval.approvalId });
    await conversationNote.waitFor({ timeout: 15_000 });
    expect(await conversationNote.textContent()).toContain(`Note: ${REJECT_NOTE}`);
  });

  it('edits a detail, then approves: the automation receives APPROVED with modifiedDetails', async () => {
    const { approval } = await requestOpenedInApp();
    await submitVia(page, component(page, `edit:${approval.approvalId}`));
    const email = component(page, 'detail:contactEmail');
    await email.waitFor();
    expect(await email.evaluate((node) => node.tagName)).toBe('INPUT');
    expect(await email.inputValue()).toBe('jordan.rivera@example.com');
    await email.fill('jordan@rivera.example');
    await page.locator('.inbox').screenshot({ path: screenshotPath('inbox-edit') });
    await submitVia(page, component(page, `edit-approve:${approval.approvalId}`));
    await expect.poll(() => canvasPanel(page).textContent()).toContain('Approved');
    expect(await canvasPanel(page).textContent()).toContain('jordan@rivera.example');

    const callback = await receivedCallback(page, approval.approvalId);
    expect(callback.status).toBe('APPROVED');
    expect(callback.body.modifiedDetails).toMatchObject({ contactEmail: 'jordan@rivera.example', conversationId: CONVERSATION_ID });
    expect(callback.body.details.contactEmail).toBe('jordan.rivera@example.com');
    // The canvas sent a merge patch; the automation gets the complete object and the list of changes.
    expect(callback.body.modifiedDetails).toEqual({ ...callback.body.details, contactEmail: 'jordan@rivera.example' });
    expect(callback.body.changes).toEqual([{ path: 'contactEmail', from: 'jordan.rivera@example.com', to: 'jordan@rivera.example' }]);
  });

  it('carries stored_data: Back from a detail canvas returns to the list', async () => {
    const { approval } = await requestOpenedInApp();
    const submits: Array<Record<string, any>> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/playground/api/intercom/canvas/submit')) submits.push(request.postDataJSON() as Record<string, any>);
    });
    await submitVia(page, component(page, 'back'));
    await listItem(page, approval.approvalId).waitFor();
    expect(submits).toHaveLength(1);
    expect(submits[0]).toMatchObject({ component_id: 'back', stored_data: expect.any(Object), current_canvas: { content: { components: expect.any(Array) } } });
    expect(submits[0]!.current_canvas.stored_data).toEqual(submits[0]!.stored_data);
    // What the server signs and sends on: Intercom's submit shape, the stored_data inside current_canvas.
    const forwarded = submitRequest('playgroundapp', submits[0] as Parameters<typeof submitRequest>[1]);
    expect(forwarded).toMatchObject({
      ...initializeRequest('playgroundapp'),
      workspace_region: 'US',
      admin: { type: 'admin', id: ADMIN.id, email: ADMIN.email },
      conversation: { type: 'conversation', id: CONVERSATION_ID },
      contact: { type: 'contact', email: 'jordan.rivera@example.com' },
      component_id: 'back',
      input_values: {},
      current_canvas: { stored_data: submits[0]!.stored_data },
    });
    // Clean up: reject it so later tests' lists stay short.
    await decider.decide(approval.approvalId, { decision: 'reject', reviewer: { id: 'cleanup', name: 'Cleanup', via: 'api' } });
  });

  it('under a rule that needs two approvals, the canvas records the first and waits for another teammate, its buttons disabled', async () => {
    await setPolicy([{ id: 'fin-two', when: { action: 'send_fin_reply' }, then: { approvals: 2 } }]);
    try {
      const { approval } = await requestOpenedInApp();
      expect(await canvasPanel(page).textContent()).toContain('2 approvals needed.');
      expect(await canvasPanel(page).textContent()).toContain('Rule: fin-two');
      await submitVia(page, component(page, `approve:${approval.approvalId}`));
      await expect.poll(() => canvasPanel(page).textContent()).toContain('Your approval is recorded; 1 more approval is needed.');
      expect(await canvasPanel(page).textContent()).toContain(`2 approvals needed: ${ADMIN.name} approved, 1 more.`);
      for (const verb of ['approve', 'edit', 'reject']) expect(await component(page, `${verb}:${approval.approvalId}`).isDisabled()).toBe(true);
      expect(await component(page, 'back').isDisabled()).toBe(false);
      expect((await review.getApproval(approval.approvalId)).status).toBe('pending');
      await page.locator('.inbox').screenshot({ path: screenshotPath('inbox-approval-recorded') });

      // Another reviewer's approval settles it: the automation hears once, approved.
      await decider.decide(approval.approvalId, { decision: 'approve', reviewer: { id: 'second', name: 'Second Reviewer', via: 'api' } });
      const callback = await receivedCallback(page, approval.approvalId);
      expect(callback.status).toBe('APPROVED');
      await submitVia(page, component(page, 'back'));
      await submitVia(page, page.getByTestId('canvas-panel').locator('[data-component-id=refresh]'));
      expect(await listItem(page, approval.approvalId).count()).toBe(0);
    } finally {
      await setPolicy([]);
    }
  });

  it('skips a duplicate delivery of the same notification: no second request', async () => {
    const first = await sendWebhook(page, 'gated');
    const approval = await approvalFromNotification(review, first.notificationId);
    const again = await sendWebhook(page, 'duplicate');
    expect(again).toMatchObject({ status: 200, body: { received: true, duplicate: true }, notificationId: first.notificationId, topic: first.topic });
    expect(await page.getByTestId('intercom-webhook-duplicate-status').getAttribute('data-duplicate')).toBe('true');
    // A later notification is processed after the duplicate was answered: by then a second request would exist.
    const later = await sendWebhook(page, 'gated');
    await approvalFromNotification(review, later.notificationId);
    expect((await approvalsFromNotification(review, first.notificationId)).map((a) => a.approvalId)).toEqual([approval.approvalId]);
    await openInboxApp(page);
    expect(await listItem(page, approval.approvalId).count()).toBe(1);
  });

  it('closing the conversation cancels its pending requests: the automation receives CANCELLED', async () => {
    const delivery = await sendWebhook(page, 'gated');
    const approval = await approvalFromNotification(review, delivery.notificationId);
    await openInboxApp(page);
    await listItem(page, approval.approvalId).waitFor();

    const renders = Number(await canvasPanel(page).getAttribute('data-renders'));
    const closed = await sendWebhook(page, 'closed');
    expect(closed).toMatchObject({ status: 200, body: { received: true, duplicate: false }, topic: 'conversation.admin.closed' });
    expect(await page.getByTestId('intercom-conversation-state').textContent()).toBe('closed');
    const callback = await receivedCallback(page, approval.approvalId);
    expect(callback.status).toBe('CANCELLED');
    expect((await review.getApproval(approval.approvalId)).status).toBe('cancelled');

    // The open inbox app refreshes by itself once the cancellation is visible: nothing pending is listed.
    await expect.poll(() => listItem(page, approval.approvalId).count(), { timeout: 10_000 }).toBe(0);
    expect(Number(await canvasPanel(page).getAttribute('data-renders'))).toBeGreaterThan(renders);
    expect(await canvasPanel(page).getAttribute('data-busy')).toBe('false');
    expect(await page.getByTestId('canvas-status').getAttribute('data-http-status')).toBe('200');
    expect(await review.listApprovals({ conversationId: CONVERSATION_ID, status: 'pending' })).toMatchObject({ items: [] });

    // The conversation stays closed across a reload: its state lives on the server, not in the page.
    await reloaded(page);
    expect(await page.getByTestId('intercom-conversation-state').textContent()).toBe('closed');
    // Fin acting on it again reopens it (a new reply reopens an Intercom conversation), and that lasts too.
    await sendWebhook(page, 'gated');
    expect(await page.getByTestId('intercom-conversation-state').textContent()).toBe('open');
    await reloaded(page);
    expect(await page.getByTestId('intercom-conversation-state').textContent()).toBe('open');
  });

  it('refreshes the open inbox app when Fin wants to act: the new request is listed without clicking Refresh', async () => {
    await openInboxApp(page);
    const renders = Number(await canvasPanel(page).getAttribute('data-renders'));
    const delivery = await sendWebhook(page, 'gated');
    const approval = await approvalFromNotification(review, delivery.notificationId);
    await listItem(page, approval.approvalId).waitFor({ timeout: 10_000 });
    expect(Number(await canvasPanel(page).getAttribute('data-renders'))).toBeGreaterThan(renders);
    // A duplicate changes nothing, so the panel is left as it is.
    const settled = Number(await canvasPanel(page).getAttribute('data-renders'));
    await sendWebhook(page, 'duplicate');
    await submitVia(page, listItem(page, approval.approvalId));
    expect(Number(await canvasPanel(page).getAttribute('data-renders'))).toBe(settled + 1);
    await component(page, `approve:${approval.approvalId}`).waitFor();
  });

  it('lists the conversation\'s internal notes oldest first, as in the Zendesk ticket', async () => {
    const noteFor = (approvalId: string) => page.getByTestId('intercom-note').filter({ hasText: approvalId });
    const decided: string[] = [];
    for (const decision of ['approve', 'reject'] as const) {
      const approval = await approvalFromNotification(review, (await sendWebhook(page, 'gated')).notificationId);
      await decider.decide(approval.approvalId, { decision, reviewer: { id: ADMIN.id, name: ADMIN.name, via: 'api' } });
      // One at a time, so the fake Intercom receives them in this order.
      await noteFor(approval.approvalId).waitFor({ timeout: 15_000 });
      decided.push(approval.approvalId);
    }
    const texts = await page.getByTestId('intercom-note').allTextContents();
    const positions = decided.map((approvalId) => texts.findIndex((text) => text.includes(approvalId)));
    expect(positions[0]).toBeLessThan(positions[1]!);
    expect(positions[1]).toBe(texts.length - 1);
  });

  it('renders one of each Canvas Kit component from a hand-written canvas, and collects input values for submit', async () => {
    // A string, so that vitest's transform leaves this import() alone: the page loads the module itself.
    await page.evaluate(`import('${builtPageAsset('intercom/canvas-renderer.ts')}').then((module) => { window.__renderer = module; })`);
    const result = await page.evaluate((canvas) => {
      const { renderCanvas, COMPONENT_TYPES } = (window as any).__renderer;
      const root = document.createElement('div');
      root.dataset.testid = 'fixture-canvas';
      document.body.append(root);
      const submits: unknown[] = [];
      const urls: string[] = [];
      const notices: string[] = [];
      (window as any).__fixture = { submits, urls, notices };
      renderCanvas(root, canvas, {
        onSubmit: (id: string, values: unknown) => submits.push({ id, values }),
        onUrl: (url: string) => urls.push(url),
        onNotice: (message: string) => notices.push(message),
      });
      return { types: COMPONENT_TYPES as string[] };
    }, FIXTURE_CANVAS);
    const root = page.getByTestId('fixture-canvas');
    for (const type of result.types) expect(await root.locator(`[data-component-type="${type}"]`).count(), type).toBeGreaterThan(0);
    expect(result.types).toHaveLength(12);

    // text: styles, alignment, and only bold and https links out of Markdown.
    const header = root.locator('[data-component-id=title]');
    expect(await header.evaluate((n) => [n.tagName, n.getAttribute('data-style'), n.getAttribute('data-align')])).toEqual(['H3', 'header', 'center']);
    const rich = root.locator('[data-component-id=rich]');
    expect(await rich.locator('strong').textContent()).toBe('bold');
    expect(await rich.locator('a').count()).toBe(1);
    expect(await rich.locator('a').evaluate((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel'), a.textContent])).toEqual(['https://example.com/docs', '_blank', 'noopener noreferrer', 'docs']);
    expect(await rich.textContent()).toBe('Some bold, docs, [bad](javascript:alert(1)), <img src=x onerror=alert(1)>, *not italic* and \\n literal [x].');
    expect(await root.locator('img[src=x]').count()).toBe(0);
    expect(await root.locator('[data-component-id=muted]').getAttribute('data-style')).toBe('muted');
    expect(await root.locator('[data-component-id=err]').getAttribute('data-style')).toBe('error');

    // buttons: real buttons, styles, disabled; url actions open through onUrl, javascript: never.
    const primary = root.locator('button[data-component-id=go]');
    expect(await primary.textContent()).toBe('Go');
    expect(await primary.getAttribute('data-style')).toBe('primary');
    expect(await root.locator('button[data-component-id=off]').isDisabled()).toBe(true);
    expect(await root.locator('button[data-component-id=docs]').getAttribute('data-style')).toBe('link');
    await root.locator('button[data-component-id=docs]').click();
    await root.locator('button[data-component-id=evil]').click();

    // inputs: fill the form, then submit: every value arrives keyed by component id.
    await root.locator('input[data-component-id=amount]').fill('42.00');
    await root.locator('textarea[data-component-id=why]').fill('Because.');
    await root.locator('[data-component-id=speed] label', { hasText: 'Fast' }).click();
    await root.locator('select[data-component-id=plan]').selectOption('pro');
    await root.locator('[data-component-id=flags] label', { hasText: 'Email' }).click();
    expect(await root.locator('textarea[data-component-id=why]').getAttribute('aria-invalid')).toBe('true');
    await primary.click();

    // list items with actions are buttons; a disabled item is not; data-table cells keep the full value as a tooltip.
    await root.locator('[data-item-id=row-1] button').click();
    expect(await root.locator('[data-item-id=row-2] button').count()).toBe(0);
    expect(await root.locator('[data-item-id=row-1]').textContent()).toContain('Subtitle one');
    expect(await root.locator('[data-item-id=row-1] img').evaluate((img) => [img.getAttribute('width'), img.className])).toEqual(['24', 'ck-item-image ck-rounded']);
    expect(await root.locator('[data-component-type=data-table] tr[data-field=Amount] td').getAttribute('title')).toBe('$129.00');
    expect(await root.locator('[data-component-id=gap]').getAttribute('data-size')).toBe('l');
    expect(await root.locator('[data-component-id=logo] img').evaluate((img) => [img.getAttribute('width'), img.getAttribute('height'), img.className])).toEqual(['32', '16', 'ck-rounded']);
    expect(await root.locator('[data-component-id=logo]').getAttribute('data-align')).toBe('center');

    const recorded = await page.evaluate(() => (window as any).__fixture);
    expect(recorded.urls).toEqual(['https://example.com/help']);
    expect(recorded.notices.join(' ')).toContain('javascript:alert(1)');
    expect(recorded.submits).toEqual([
      { id: 'go', values: { amount: '42.00', why: 'Because.', speed: 'fast', plan: 'pro', flags: ['sms', 'email'], prefilled: 'kept' } },
      { id: 'row-1', values: { amount: '42.00', why: 'Because.', speed: 'fast', plan: 'pro', flags: ['sms', 'email'], prefilled: 'kept' } },
    ]);
  });

  it('the fake Intercom REST API checks the token and Intercom-Version like Intercom, and keeps a note as text', async () => {
    const url = `${server.url}/playground/intercom-api/conversations/${CONVERSATION_ID}/reply`;
    const json = { message_type: 'note', type: 'admin', admin_id: ADMIN.id, body: '<p>hi</p>' };
    const wrong = await call(url, { json, headers: { authorization: 'Bearer not-the-token', 'intercom-version': '2.14' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ type: 'error.list', errors: [{ code: 'unauthorized' }] });
    const missing = await call(url, { json, headers: { 'intercom-version': '2.14' } });
    expect(missing.status).toBe(401);
    // With the token Countersign holds for the playground workspace: the version header is required, then a note is recorded as text.
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    const token = intercom.accessToken(await server.app.workspaces.byName('playground'));
    expect(token).toEqual(expect.any(String));
    const bearer = { authorization: `Bearer ${token}` };
    const noVersion = await call(url, { json, headers: bearer });
    expect(noVersion).toMatchObject({ status: 400, body: { type: 'error.list', errors: [{ code: 'intercom_version_invalid' }] } });
    const notANote = await call(url, { json: { ...json, message_type: 'comment' }, headers: { ...bearer, 'intercom-version': '2.14' } });
    expect(notANote.status).toBe(400);
    const marker = `fake-rest-${Date.now()}`;
    const accepted = await call(url, { json: { ...json, body: `<p><b>${marker}</b> &amp; &#60;script&#62;</p><p>line two</p>` }, headers: { ...bearer, 'intercom-version': '2.14' } });
    expect(accepted).toMatchObject({ status: 200, body: { type: 'conversation', id: CONVERSATION_ID } });
    const note = page.getByTestId('intercom-note').filter({ hasText: marker });
    await note.waitFor();
    expect(await note.locator('.note-body').textContent()).toBe(`${marker} & <script>\nline two`);
    expect(await note.locator('script, b').count()).toBe(0);
    // The canvas endpoints behind the page's proxy insist on a signature, too.
    const unsigned = await call(`${server.url}/intercom/canvas/initialize`, { json: { workspace_id: 'playgroundapp', admin: { id: '1' } } });
    expect(unsigned.status).toBe(401);
  });
});

/** The sample conversation's last Fin reply (HTML with a list, a link and an entity), as plain text. */
const FIN_REPLY_TEXT =
  'I can refund the $129.00 and cancel Premium for you:\n\n- Refund of $129.00 to the card ending 4242\n- Premium cancelled today, no further charges\n\n' +
  "A teammate needs to approve the refund first; I'll be right back. Our refund policy [https://example.com/help/refunds] has the details.";
const REJECT_NOTE = 'Refunds over $100 need a manager — <b>not</b> Fin. Ask the billing team to confirm the duplicate charge on 1 November first, then send it again.';
const NOTE_TAIL = 'Jordan was told to expect an answer by Friday.';

const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** One of each component type of the Canvas Kit catalogue, with the options that change rendering. */
const FIXTURE_CANVAS = {
  content: {
    components: [
      { type: 'text', id: 'title', text: 'Fixture **canvas**', style: 'header', align: 'center' },
      {
        type: 'text',
        id: 'rich',
        text: 'Some **bold**, [docs](https://example.com/docs), [bad](javascript:alert(1)), <img src=x onerror=alert(1)>, *not italic* and \\\\n literal \\[x\\].',
      },
      { type: 'text', id: 'muted', text: 'Muted', style: 'muted', align: 'right', bottom_margin: 'none' },
      { type: 'text', id: 'err', text: 'Error', style: 'error' },
      { type: 'input', id: 'amount', label: 'Amount', placeholder: '0.00', value: '129.00' },
      { type: 'input', id: 'prefilled', label: 'Saved', value: 'kept', save_state: 'saved' },
      { type: 'textarea', id: 'why', label: 'Why', placeholder: 'Reason', error: true },
      { type: 'single-select', id: 'speed', label: 'Speed', options: [{ type: 'option', id: 'slow', text: 'Slow' }, { type: 'option', id: 'fast', text: 'Fast' }] },
      { type: 'dropdown', id: 'plan', label: 'Plan', options: [{ type: 'option', id: 'basic', text: 'Basic' }, { type: 'option', id: 'pro', text: 'Pro' }] },
      { type: 'checkbox', id: 'flags', label: 'Notify', value: ['sms'], option: [{ type: 'option', id: 'sms', text: 'SMS' }, { type: 'option', id: 'email', text: 'Email' }, { type: 'option', id: 'fax', text: 'Fax', disabled: true }] },
      { type: 'divider', id: 'line' },
      { type: 'spacer', id: 'gap', size: 'l' },
      { type: 'image', id: 'logo', url: PIXEL, width: 32, height: 16, align: 'center', rounded: true },
      {
        type: 'list',
        items: [
          { type: 'item', id: 'row-1', title: 'Row one', subtitle: 'Subtitle one', tertiary_text: 'Third', image: PIXEL, image_width: 24, image_height: 24, rounded_image: true, action: { type: 'submit' } },
          { type: 'item', id: 'row-2', title: 'Row two', disabled: true, action: { type: 'submit' } },
        ],
      },
      { type: 'data-table', items: [{ type: 'field-value', field: 'Amount', value: '$129.00' }] },
      { type: 'button', id: 'go', label: 'Go', action: { type: 'submit' } },
      { type: 'button', id: 'off', label: 'Off', style: 'secondary', disabled: true, action: { type: 'submit' } },
      { type: 'button', id: 'docs', label: 'Help', style: 'link', action: { type: 'url', url: 'https://example.com/help' } },
      { type: 'button', id: 'evil', label: 'Evil', style: 'link', action: { type: 'url', url: 'javascript:alert(1)' } },
    ],
  },
  stored_data: { view: 'fixture' },
};
