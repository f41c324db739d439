// The playground's sidebar app in Chromium for an e2e file: one server with the playground on and one
// browser for the file, and for each test a fresh page with the playground open and the sidebar shown.
// A test fails when the page or the app threw.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { openPlayground, sidebar } from '../e2e/playground-page';
import { launchChromium, type Browser } from './browser';
import { startTestServer, type TestServer } from './test-server';

const APP_MANIFEST = fileURLToPath(new URL('../../zendesk-app/dist/app/manifest.json', import.meta.url));

export interface PlaygroundSidebar {
  server: TestServer;
  browser: Browser;
  /** This test's page. */
  page: Page;
}

export interface PlaygroundSidebarOptions {
  /** More server environment (COUNTERSIGN_PLAYGROUND is on). */
  env?: Record<string, string>;
  /** Fail at once, saying what to run, when the Zendesk app is not built. */
  requireBuiltApp?: boolean;
}

/** Registers the file's hooks; the answer's fields are set once they have run. */
export function playgroundSidebarForEachTest({ env = {}, requireBuiltApp = false }: PlaygroundSidebarOptions = {}): PlaygroundSidebar {
  const opened = {} as PlaygroundSidebar;
  let errors: string[] = [];

  beforeAll(async () => {
    if (requireBuiltApp && !fs.existsSync(APP_MANIFEST)) {
      throw new Error(`The Zendesk app is not built (${APP_MANIFEST} is missing): run npm run build first (npm test does it).`);
    }
    [opened.server, opened.browser] = await Promise.all([startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true', ...env } }), launchChromium()]);
  });

  afterAll(async () => {
    await opened.browser?.close();
    await opened.server?.close();
  });

  beforeEach(async () => {
    opened.page = await opened.browser.context.newPage();
    ({ errors } = await openPlayground(opened.page, opened.server.url));
    await sidebar(opened.page).getByTestId('sidebar-root').waitFor();
  });

  afterEach(async () => {
    await opened.page?.close();
    expect(errors, 'uncaught exceptions in the page or the app').toEqual([]);
  });

  return opened;
}
