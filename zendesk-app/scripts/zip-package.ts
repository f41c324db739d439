// Zips a package directory with manifest.json at the archive root, ready for "Upload private app".
import { createWriteStream, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { once } from 'node:events';
import { ZipFile } from 'yazl';

// A fixed timestamp keeps the zip identical for identical contents.
const ENTRY_TIME = new Date('2020-01-01T00:00:00Z');

export async function zipPackage(packageDir: string, zipPath: string): Promise<string[]> {
  const entries = listFiles(packageDir).sort();
  const zip = new ZipFile();
  for (const entry of entries) zip.addFile(join(packageDir, entry), entry, { mtime: ENTRY_TIME, mode: 0o100644 });
  zip.end();
  const output = createWriteStream(zipPath);
  zip.outputStream.pipe(output);
  await once(output, 'close');
  return entries;
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(root, path);
    return statSync(path).isFile() ? [relative(root, path).split(sep).join('/')] : [];
  });
}
