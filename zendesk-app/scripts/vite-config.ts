// How Vite bundles the app's pages (the sidebar, the top-bar queue, the background page): relative
// URLs (Zendesk serves the package from its own CDN path), stable file names, no source maps, the
// backend URL baked in, and the code the pages share in common chunks loaded once.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';

export const SOURCE_DIR = fileURLToPath(new URL('../src/', import.meta.url));
export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';
/** Each page of the package, by the name its script gets. */
export const PAGES = { index: 'index.html', top_bar: 'top_bar.html', background: 'background.html' } as const;

export interface SidebarBuildOptions {
  /** Where index.html and its script land: the package's assets/ folder. */
  assetsDir: string;
  publicUrl: string;
}

export function sidebarViteConfig({ assetsDir, publicUrl }: SidebarBuildOptions): InlineConfig {
  return {
    configFile: false,
    root: SOURCE_DIR,
    base: './',
    mode: 'production',
    logLevel: 'error',
    plugins: [react()],
    // Vite picks JSX's development transform (jsxDEV calls) unless NODE_ENV is production, which a
    // test runner's is not; React's production build below has no jsxDEV, so every page would fail.
    oxc: { jsx: { development: false } },
    define: {
      __COUNTERSIGN_PUBLIC_URL__: JSON.stringify(publicUrl),
      // Test runners set NODE_ENV=test; the package must still get React's production build.
      'process.env.NODE_ENV': JSON.stringify('production'),
    },
    build: {
      outDir: assetsDir,
      emptyOutDir: true,
      assetsDir: '.',
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: Object.fromEntries(Object.entries(PAGES).map(([name, page]) => [name, `${SOURCE_DIR}${page}`])),
        output: {
          entryFileNames: '[name].js',
          // Shared chunks are named after the pages that load them ("shared~index~top_bar"); plain names travel better.
          chunkFileNames: (chunk) => `${chunk.name.replace(/[^\w-]+/g, '-')}.js`,
          assetFileNames: '[name][extname]',
          // Code two or more pages use goes into shared chunks, each page loading only the ones it
          // needs (the background page wants the ZAF SDK, not React).
          codeSplitting: { groups: [{ name: 'shared', minShareCount: 2, entriesAware: true }] },
        },
      },
    },
  };
}
