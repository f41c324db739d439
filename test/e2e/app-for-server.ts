// Builds the Zendesk app for one test server (COUNTERSIGN_PUBLIC_URL = that server) and serves it to
// the playground page in place of zendesk-app/dist. The app opens its live stream straight to its
// COUNTERSIGN_PUBLIC_URL, not through Zendesk's proxy, so a build for another port would never reach
// a test server on a random one (nor pass its Content-Security-Policy).
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { buildZendeskApp } from '../../zendesk-app/scripts/build';
import { makeTempDir } from '../support/temp-dir';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface AppBuild {
  packageDir: string;
  remove(): void;
}

export async function buildAppFor(serverUrl: string): Promise<AppBuild> {
  const temp = makeTempDir('zendesk-app');
  try {
    const built = await buildZendeskApp({ outDir: join(temp.dir, 'dist'), publicUrl: serverUrl });
    return { packageDir: built.packageDir, remove: () => temp.remove() };
  } catch (error) {
    temp.remove();
    throw error;
  }
}

/**
 * Answers the page's /playground/zendesk-app/* requests from `packageDir`, under the
 * Content-Security-Policy the server itself sends with them (the app must still work within it).
 */
export async function serveAppBuild(page: Page, packageDir: string): Promise<void> {
  await page.route('**/playground/zendesk-app/**', async (route) => {
    const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/playground\/zendesk-app\//, '')));
    if (path.startsWith('..')) return route.fulfill({ status: 404 });
    const policy = (await route.fetch()).headers()['content-security-policy'];
    try {
      const body = await readFile(join(packageDir, path));
      return route.fulfill({ status: 200, body, contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', headers: policy ? { 'content-security-policy': policy } : {} });
    } catch {
      return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"not in the build"}}' });
    }
  });
}
