// The fenced code blocks of one README.md section, each with the label of the
// `<!-- readme-test: label -->` comment on the line just above it (invisible on GitHub), so a test can
// run the blocks the README shows and know which is which without matching their text.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const README_PATH = path.resolve(__dirname, '../../README.md');

export interface ReadmeBlock {
  /** The readme-test label, or null when the block has none. */
  label: string | null;
  /** The fence's info string: sh, json, http… */
  lang: string;
  text: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
}

export function readmeBlocks(heading: string, readme = readFileSync(README_PATH, 'utf8')): ReadmeBlock[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no line "${heading}"`);
  const level = /^#+ /.exec(heading)![0];
  const blocks: ReadmeBlock[] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith(level); i++) {
    const fence = /^```(\S*)$/.exec(lines[i]!);
    if (!fence) continue;
    const close = lines.indexOf('```', i + 1);
    if (close < 0) throw new Error(`README.md line ${i + 1}: the code block is never closed`);
    const label = /^<!-- readme-test: (\S+) -->$/.exec(lines[i - 1] ?? '')?.[1] ?? null;
    blocks.push({ label, lang: fence[1]!, text: `${lines.slice(i + 1, close).join('\n')}\n`, line: i + 1 });
    i = close;
  }
  return blocks;
}
