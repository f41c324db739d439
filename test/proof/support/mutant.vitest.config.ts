// The vitest configuration test/proof/mutation-check.test.ts runs a mutant under: the repository's own
// tests, with one source file's text replaced by the mutant's. A Vite `load` hook answers the
// module's absolute path with the mutant (so every import of it, relative or through a package
// entry, gets the mutant, and the imports inside it resolve as the original's would); nothing is
// copied and nothing in the tree is changed. Without MUTANT_TARGET it runs the tests unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = process.env.MUTANT_TARGET ? path.resolve(process.env.MUTANT_TARGET) : null;
const source = process.env.MUTANT_SOURCE ?? null;

export default defineConfig({
  root,
  plugins: [
    {
      name: 'countersign-mutant',
      enforce: 'pre',
      load(id) {
        if (target === null || source === null) return null;
        return path.resolve(id.split('?')[0]!) === target ? fs.readFileSync(source, 'utf8') : null;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['json'],
  },
});
