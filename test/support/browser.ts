// Launches the system Chromium (Debian's /usr/bin/chromium) headless through playwright-core, with a
// throwaway profile, for the end-to-end tests. Never downloads a browser.
import fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir } from './temp-dir';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Quiet, deterministic, offline: no GPU, no QUIC, no first-run UI, no background traffic to Google.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile directory. */
  close(): Promise<void>;
}

export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  // Playwright insists on owning the user data dir: it is the first argument here, never a flag.
  const profile = makeTempDir('chromium-profile');
  try {
    const context = await chromium.launchPersistentContext(profile.dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: options.viewport ?? { width: 1280, height: 900 },
      timeout: 30_000,
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          profile.remove();
        }
      },
    };
  } catch (error) {
    profile.remove();
    throw error;
  }
}

/**
 * Collects what a healthy page never produces: uncaught exceptions, and Content-Security-Policy
 * refusals (Chromium reports those on the console, from the page and its frames).
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error' || !/Content Security Policy/i.test(message.text())) return;
    // The built app opens its live stream to the Countersign URL it was built for (localhost:8080 by
    // default); a test server on another port refuses that by CSP and the sidebar polls instead, the
    // fallback the README describes. test/e2e/live-queue.test.ts builds the app for its server and
    // proves the stream itself.
    if (/Connecting to 'http:\/\/localhost:8080\/api\/approvals\/stream\?/.test(message.text()) && !page.url().startsWith('http://localhost:8080/')) return;
    problems.push(`CSP: ${message.text()}`);
  });
  return problems;
}
