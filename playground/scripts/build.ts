// Builds the playground page: Vite bundles src/browser/ into dist/page/, which the playground
// routes serve (/playground and /playground/static/…).
//   npm run build    → both the Zendesk app and this page (root package.json)
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { PAGE_ASSETS_DIR, PAGE_DIR } from '../src/built-page';
import { pageViteConfig } from './vite-config';

const PLAYGROUND_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds next to the served page and swaps it in with two renames: a server running meanwhile
 * (tests running while another one's `npm start` builds, say) finds the old page or the new one,
 * never one half written (and no page only for the instant between the renames).
 */
export async function buildPlaygroundPage(pageDir = PAGE_DIR): Promise<string> {
  const served = pageDir.replace(/\/+$/, '');
  const next = `${served}.next-${process.pid}`;
  const previous = `${served}.previous-${process.pid}`;
  try {
    await build(pageViteConfig({ outDir: next }));
    if (existsSync(served)) renameSync(served, previous);
    renameSync(next, served);
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
  return served;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildPlaygroundPage().then(
    (pageDir) => {
      const files = readdirSync(PAGE_ASSETS_DIR).sort().join(', ');
      console.log(`Playground page:     ${relative(join(PLAYGROUND_DIR, '..'), pageDir)} (static/: ${files})`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
