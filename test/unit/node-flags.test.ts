import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '@countersign/server/app';

describe('server node flags', () => {
  it('npm start runs the server with the flags the benchmark measures', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts.start!;
    const nodeCommand = start.slice(start.indexOf('node '));
    for (const flag of SERVER_NODE_FLAGS) expect(nodeCommand.split(' ')).toContain(flag);
    expect(nodeCommand).toContain('bin/countersign.ts');
  });
});
