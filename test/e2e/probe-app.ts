// Serves a tiny probe app (the real zendesk_app_framework_sdk, bundled by esbuild) in place of the
// built sidebar app, so the ZAF host emulator can be tested on its own protocol.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

const ENTRY = fileURLToPath(new URL('./fixtures/zaf-probe-app.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function bundleProbeApp(): Promise<string> {
  const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'iife', write: false, absWorkingDir: REPO_ROOT, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** Answers the page's /playground/zendesk-app/* requests with the probe app. */
export async function serveProbeApp(page: Page, script: string): Promise<void> {
  await page.route('**/playground/zendesk-app/**', async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname.endsWith('/manifest.json')) {
      return route.fulfill({ json: { name: 'ZAF probe', version: '9.9.9', location: { support: { ticket_sidebar: { url: 'assets/index.html', flexible: true } } } } });
    }
    if (pathname.endsWith('/assets/index.html')) {
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><p>probe</p><script src="probe.js"></script></body></html>' });
    }
    if (pathname.endsWith('/assets/probe.js')) return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"probe"}}' });
  });
}
