// Where `npm run build` puts the playground page (scripts/build.ts, Vite) and the routes serve it
// from: dist/page/index.html at /playground, its hashed script and stylesheet under
// dist/page/static/ at /playground/static/.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGE_DIR = fileURLToPath(new URL('../dist/page/', import.meta.url));
export const PAGE_ASSETS_DIR = join(PAGE_DIR, 'static');
/** The URL path the page's own files are referenced under (Vite's base). */
export const PAGE_BASE = '/playground/';
/** Vite's manifest (source file → built file), for tests that load one module of the page. */
export const PAGE_MANIFEST = join(PAGE_DIR, '.vite', 'manifest.json');
