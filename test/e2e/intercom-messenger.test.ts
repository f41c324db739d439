// The playground boots the real Intercom Messenger (@intercom/messenger-js-sdk, served as an ES module)
// only when INTERCOM_APP_ID is set. No network: Intercom's widget script is answered by the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../support/browser';
import { call, startTestServer, type TestServer } from '../support/test-server';
import { openInbox } from './intercom-page';

const APP_ID = 'pg0test1';

describe('playground: the Intercom Messenger', () => {
  let withAppId: TestServer;
  let withoutAppId: TestServer;
  let browser: Browser;
  let page: Page | undefined;
  const widgetRequests: string[] = [];

  beforeAll(async () => {
    [withAppId, withoutAppId, browser] = await Promise.all([
      startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true', INTERCOM_APP_ID: APP_ID } }),
      startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } }),
      launchChromium(),
    ]);
    // Every request off this machine is refused, except Intercom's widget, answered with a stub.
    await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, async (route) => {
      const url = route.request().url();
      if (url.startsWith('https://widget.intercom.io/widget/')) {
        widgetRequests.push(url);
        await route.fulfill({ contentType: 'text/javascript', body: 'window.__intercomWidgetLoaded = true;' });
      } else {
        await route.abort();
      }
    });
  });

  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([withAppId?.close(), withoutAppId?.close()]);
  });

  it('boots the Messenger with the configured app id through the SDK', async () => {
    page = await browser.context.newPage();
    const { errors } = await openInbox(page, withAppId.url);
    const status = page.getByTestId('messenger-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('booted');
    expect(await status.textContent()).toContain(APP_ID);
    await page.waitForFunction(() => (window as any).__intercomWidgetLoaded === true);
    const settings = await page.evaluate(() => (window as any).intercomSettings);
    expect(settings).toMatchObject({ app_id: APP_ID, api_base: 'https://api-iam.intercom.io', installation_type: 'npm-package' });
    expect(await page.locator('script#_intercom_npm_loader').getAttribute('src')).toBe(`https://widget.intercom.io/widget/${APP_ID}`);
    expect(widgetRequests).toEqual([`https://widget.intercom.io/widget/${APP_ID}`]);
    expect(errors).toEqual([]);
  });

  it('loads nothing of Intercom\'s without an app id', async () => {
    widgetRequests.length = 0;
    page = await browser.context.newPage();
    const sdkRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('messenger-sdk')) sdkRequests.push(request.url());
    });
    const { errors } = await openInbox(page, withoutAppId.url);
    expect(await page.getByTestId('messenger-status').getAttribute('data-state')).toBe('off');
    expect(sdkRequests).toEqual([]);
    expect(widgetRequests).toEqual([]);
    expect(await page.evaluate(() => 'intercomSettings' in window)).toBe(false);
    expect((await call(`${withoutAppId.url}/playground/intercom/messenger-sdk.js`)).status).toBe(404);
    expect(errors).toEqual([]);
  });
});
