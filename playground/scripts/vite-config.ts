// How Vite bundles the playground page: src/browser/index.html and the TypeScript it loads, with
// hashed file names under /playground/static/ (so a browser may keep them), no inline script (the
// CSP allows scripts from 'self' only), and a manifest naming each built file.
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';
import { PAGE_BASE } from '../src/built-page';

export const SOURCE_DIR = fileURLToPath(new URL('../src/browser/', import.meta.url));

/**
 * The canvas renderer is an entry of its own, its exports kept (the code the page shares with it
 * lives in its file), so that a canvas can be rendered outside the inbox panel: the e2e suite
 * renders a hand-written one with every component type.
 */
const CANVAS_RENDERER = 'intercom/canvas-renderer.ts';

export function pageViteConfig({ outDir }: { outDir: string }): InlineConfig {
  return {
    configFile: false,
    root: SOURCE_DIR,
    base: PAGE_BASE,
    mode: 'production',
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      assetsDir: 'static',
      manifest: true,
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: { index: `${SOURCE_DIR}index.html`, 'canvas-renderer': `${SOURCE_DIR}${CANVAS_RENDERER}` },
        preserveEntrySignatures: 'allow-extension',
      },
    },
  };
}
