// The playground's ZAF host emulator, tested against the real zendesk_app_framework_sdk (a probe
// app stands in for the sidebar, so this needs only the playground page built, not the sidebar app).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, type Browser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/test-server';
import { appFrame, openPlayground, postSeed } from './playground-page';
import { bundleProbeApp, serveProbeApp } from './probe-app';

type Settled = { ok: true; value: any } | { ok: false; error: any };

/** Calls a method of the probe's ZAF client inside the app frame; Errors come back as {name, message}. */
function callClient(frame: Frame, method: 'get' | 'set' | 'invoke' | 'request', ...args: unknown[]): Promise<Settled> {
  return frame.evaluate(async ([name, list]) => {
    const client = (window as any).zafProbe.client;
    try {
      return { ok: true as const, value: await client[name as string](...(list as unknown[])) };
    } catch (error) {
      return { ok: false as const, error: error instanceof Error ? { name: error.name, message: error.message, isError: true } : error };
    }
  }, [method, args] as const);
}

const probeEvents = (frame: Frame) => frame.evaluate(() => (window as any).zafProbe.events as Array<{ name: string; data: any }>);

describe('ZAF host emulator (real SDK, probe app)', () => {
  let server: TestServer;
  let browser: Browser;
  let probeScript: string;
  let page: Page;
  let frame: Frame;
  let errors: string[];

  beforeAll(async () => {
    [server, browser, probeScript] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }), launchChromium(), bundleProbeApp()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    await serveProbeApp(page, probeScript);
    ({ errors } = await openPlayground(page, server.url));
    frame = await appFrame(page);
    await frame.waitForFunction(() => (window as any).zafProbe?.client?.ready === true, null, { timeout: 10_000 });
  });

  afterEach(async () => {
    await page?.close();
    expect(errors).toEqual([]);
  });

  it('registers the app with metadata and context (no secrets), then activates it', async () => {
    const [registered, activated] = await probeEvents(frame);
    expect(registered?.name).toBe('app.registered');
    const query = new URL(frame.url()).searchParams;
    expect(query.get('origin')).toBe(new URL(server.url).origin);
    expect(query.get('colorScheme')).toMatch(/^(light|dark)$/);
    const appGuid = query.get('app_guid');
    expect(registered!.data.metadata).toEqual({ appId: 1, installationId: 1, name: 'ZAF probe', version: '9.9.9', settings: {} });
    expect(registered!.data.context).toEqual({ instanceGuid: appGuid, product: 'support', account: { subdomain: 'playground' }, location: 'ticket_sidebar', ticketId: 9921 });
    expect(JSON.stringify(registered)).not.toMatch(/review|secure/i);
    expect(activated).toEqual({ name: 'app.activated', data: { firstLoad: true } });
  });

  it('answers get like Zendesk: one key per path, per-path errors, single unknown path rejects', async () => {
    expect(await callClient(frame, 'get', 'ticket.id')).toEqual({ ok: true, value: { 'ticket.id': 9921, errors: {} } });
    const bulk = await callClient(frame, 'get', ['ticket.subject', 'ticket.requester', 'currentUser', 'currentUser.locale', 'colorScheme', 'ticket.nope']);
    expect(bulk.ok).toBe(true);
    const value = (bulk as { value: Record<string, any> }).value;
    expect(value['ticket.subject']).toBe('Please refund my Premium plan and cancel it');
    expect(value['ticket.requester']).toMatchObject({ name: 'Jordan Rivera', email: 'jordan.rivera@example.com' });
    expect(value.currentUser).toEqual({ id: 1001, name: 'Avery Agent', email: 'avery@example.com', locale: 'en' });
    expect(value['currentUser.locale']).toBe('en');
    expect(value.colorScheme).toMatch(/^(light|dark)$/);
    expect(value.errors).toEqual({ 'ticket.nope': { name: 'APIUnavailable', message: 'Could not find handler for: "ticket.nope"', path: 'ticket.nope' } });
    // Own properties only: prototype names are not paths.
    const unknown = await callClient(frame, 'get', 'ticket.constructor');
    expect(unknown).toEqual({ ok: false, error: { name: 'APIUnavailable', message: '"ticket.constructor" Could not find handler for: "ticket.constructor"', isError: true } });
    expect((await callClient(frame, 'set', 'ticket.subject', 'x')).ok).toBe(false);
  });

  it('invoke: resize sizes the frame, notify shows a toast as text, anything else is an error', async () => {
    expect(await callClient(frame, 'invoke', 'resize', { width: '100%', height: '321px' })).toEqual({ ok: true, value: { errors: {} } });
    await expect.poll(() => page.getByTestId('zaf-app-frame').evaluate((node: HTMLElement) => node.getBoundingClientRect().height)).toBe(321);
    await callClient(frame, 'invoke', 'resize', { height: 280 });
    await expect.poll(() => page.getByTestId('zaf-app-frame').evaluate((node: HTMLElement) => node.style.height)).toBe('280px');

    expect((await callClient(frame, 'invoke', 'notify', '<b>Refund</b> approved', 'error')).ok).toBe(true);
    const toast = page.getByTestId('toast').filter({ hasText: 'approved' });
    await expect.poll(() => toast.textContent()).toBe('<b>Refund</b> approved');
    expect(await toast.getAttribute('data-kind')).toBe('error');
    expect(await toast.locator('b').count()).toBe(0);

    const unsupported = await callClient(frame, 'invoke', 'instances.create', {});
    expect(unsupported).toMatchObject({ ok: false, error: { name: 'APIUnavailable' } });
  });

  it('client.request goes through the server proxy with the placeholder and settles jQuery-style', async () => {
    const approvalId = await postSeed(page, 'refund');
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/playground/api/zaf-request')) sent.push(request.postData() ?? '');
    });
    const auth = { Authorization: 'Bearer {{setting.review_key}}' };

    const complete = await callClient(frame, 'request', { url: `https://ignored.example/api/approvals/${approvalId}`, type: 'GET', secure: true, headers: auth, httpCompleteResponse: true });
    expect(complete).toMatchObject({ ok: true, value: { status: 200, statusText: 'OK', headers: { 'content-type': expect.stringContaining('application/json') }, responseJSON: { approvalId, status: 'pending', action: 'process_refund' } } });
    expect(JSON.parse((complete as { value: { responseText: string } }).value.responseText)).toMatchObject({ approvalId });
    // The browser only ever sends the placeholder; the server substitutes the key.
    expect(sent.some((body) => body.includes('{{setting.review_key}}'))).toBe(true);

    const plain = await callClient(frame, 'request', { url: `/api/approvals?status=pending&ticketId=9921`, type: 'GET', secure: true, headers: auth });
    expect(plain.ok).toBe(true);
    expect((plain as { value: { items: Array<{ approvalId: string }> } }).value.items.map((item) => item.approvalId)).toContain(approvalId);

    const unauthorised = await callClient(frame, 'request', { url: '/api/approvals', type: 'GET', httpCompleteResponse: true });
    expect(unauthorised).toMatchObject({ ok: false, error: { status: 401, statusText: 'Unauthorized', responseJSON: { error: { code: 'missing_credentials' } } } });
    expect(unauthorised.ok || 'isError' in unauthorised.error).toBe(false);

    const notFound = await callClient(frame, 'request', { url: '/api/approvals/apr_nope', type: 'GET', headers: auth });
    expect(notFound).toMatchObject({ ok: false, error: { status: 404, responseJSON: { error: { code: expect.any(String) } } } });

    // The proxy cannot be reached at all: Zendesk rejects with status 0.
    await page.route('**/playground/api/zaf-request', (route) => route.abort('connectionrefused'));
    const unreachable = await callClient(frame, 'request', { url: '/api/approvals', type: 'GET', headers: auth });
    expect(unreachable).toMatchObject({ ok: false, error: { status: 0, responseText: '' } });
  });

  it('sends colorScheme.changed and ticket.updated to the app, and get(colorScheme) follows the switch', async () => {
    const before = ((await callClient(frame, 'get', 'colorScheme')) as { value: { colorScheme: string } }).value.colorScheme;
    await page.getByTestId('color-scheme-toggle').click();
    const after = before === 'dark' ? 'light' : 'dark';
    await expect.poll(async () => (await probeEvents(frame)).filter((e) => e.name === 'colorScheme.changed').map((e) => e.data)).toEqual([after]);
    expect(await page.evaluate(() => document.documentElement.dataset.colorScheme)).toBe(after);
    expect(await callClient(frame, 'get', 'colorScheme')).toEqual({ ok: true, value: { colorScheme: after, errors: {} } });

    await postSeed(page, 'cancellation');
    await expect.poll(async () => (await probeEvents(frame)).filter((e) => e.name === 'ticket.updated').length).toBe(1);
  });

  it('ignores messages from any frame other than the app', async () => {
    // A second same-origin frame posts a get to the host; it must never be answered or even logged.
    await page.evaluate(() => {
      const rogue = document.createElement('iframe');
      rogue.dataset.testid = 'rogue-frame';
      document.body.append(rogue);
      const win = rogue.contentWindow as Window & { answers?: unknown[] };
      win.answers = [];
      win.addEventListener('message', (event) => win.answers!.push(event.data));
      win.parent.postMessage(JSON.stringify({ id: 1, request: 'get', params: ['rogue.path'], appGuid: 'x' }), '*');
      win.parent.postMessage(JSON.stringify({ key: 'iframe.handshake', message: { version: '2.0.9' } }), '*');
    });
    // Messages are handled in order: once the app's later call is answered, the rogue ones were seen and dropped.
    expect((await callClient(frame, 'get', 'after.rogue')).ok).toBe(false);
    const traffic = await page.getByTestId('zaf-traffic').textContent();
    expect(traffic).toContain('after.rogue');
    expect(traffic).not.toContain('rogue.path');
    expect((await probeEvents(frame)).filter((e) => e.name === 'app.registered')).toHaveLength(1);
    const rogueAnswers = await page.evaluate(() => ((document.querySelector('[data-testid=rogue-frame]') as HTMLIFrameElement).contentWindow as Window & { answers: unknown[] }).answers);
    expect(rogueAnswers).toEqual([]);
  });
});
