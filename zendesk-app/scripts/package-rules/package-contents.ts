// A package directory as the checks see it: its regular files and its symlinks, by relative path.
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageContents {
  dir: string;
  files: string[];
  symlinks: string[];
  has(path: string): boolean;
  read(path: string): Buffer;
}

export function readPackageContents(dir: string): PackageContents {
  const files: string[] = [];
  const symlinks: string[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(join(dir, relativeDir), { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      // lstat, not stat: a symlink must be reported, never followed out of the package.
      const stats = lstatSync(join(dir, path));
      if (stats.isSymbolicLink()) symlinks.push(path);
      else if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) files.push(path);
    }
  };
  walk('');
  const fileSet = new Set(files);
  return { dir, files: files.sort(), symlinks, has: (path) => fileSet.has(path), read: (path) => readFileSync(join(dir, path)) };
}
