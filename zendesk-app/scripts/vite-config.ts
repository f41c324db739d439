// How Vite bundles the sidebar page: relative URLs (Zendesk serves the package from its own CDN
// path), stable file names, no source maps, and the backend URL baked in.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';

export const SOURCE_DIR = fileURLToPath(new URL('../src/', import.meta.url));
export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

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
        output: { entryFileNames: '[name].js', chunkFileNames: '[name].js', assetFileNames: '[name][extname]' },
      },
    },
  };
}
