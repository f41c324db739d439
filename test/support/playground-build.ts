// The built playground page (npm run build): Vite's manifest names the hashed file each source file
// of playground/src/browser became, for tests that fetch or load one of them.
import fs from 'node:fs';
import { PAGE_BASE, PAGE_MANIFEST } from '../../playground/src/built-page';

/** The URL path of what `source` ('index.html', 'intercom/canvas-renderer.ts') was built into. */
export function builtPageAsset(source: string): string {
  if (!fs.existsSync(PAGE_MANIFEST)) {
    throw new Error(`The playground page is not built (${PAGE_MANIFEST} is missing): run npm run build first (npm test does it).`);
  }
  const manifest = JSON.parse(fs.readFileSync(PAGE_MANIFEST, 'utf8')) as Record<string, { file: string } | undefined>;
  const entry = manifest[source];
  if (!entry) throw new Error(`The playground build has no entry for ${source}: it names ${Object.keys(manifest).join(', ')}.`);
  return `${PAGE_BASE}${entry.file}`;
}
