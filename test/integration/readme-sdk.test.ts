// README.md's "The Node SDK" example, run as a reader would run it: the block saved as a file beside
// the repo's node_modules, type-checked strictly, then run with tsx against a real server while a
// reviewer approves the refund it asks for with an edit. So the documented SDK cannot drift from
// the SDK.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideWhenPending } from '../support/mcp-agent';
import { readmeBlocks } from '../support/readme-blocks';
import { INTAKE_KEY, startTestServer, type TestServer } from '../support/test-server';

const ROOT = path.resolve(__dirname, '../..');
const block = readmeBlocks('## The Node SDK').find((b) => b.label === 'sdk')!;

describe('README: the Node SDK example', () => {
  let server: TestServer;
  // Inside the repository, so that '@countersign/shared' resolves as it does for a user of the package.
  const dir = path.join(ROOT, 'test-artifacts', `readme-sdk-${process.pid}`);
  const file = path.join(dir, 'example.ts');

  beforeAll(async () => {
    expect(block?.lang).toBe('ts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, block.text);
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks under strict TypeScript', async () => {
    const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
    const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', '--types', 'node'];
    const result = await promisify(execFile)(tsc, [...flags, file], { cwd: ROOT }).catch((error: { stdout: string }) => error);
    expect((result as { stdout: string }).stdout).toBe('');
  }, 120_000);

  it('asks, is approved with the reviewer\'s edit while it waits, refunds what was approved, and learns the withdrawal came too late', async () => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [file], { cwd: ROOT, env: { ...process.env, COUNTERSIGN_URL: server.url, COUNTERSIGN_INTAKE_KEY: INTAKE_KEY } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await decideWhenPending(server, 'Refund 49.00 to jane@example.com on ticket #4512', { decision: 'approve', modifiedDetails: { amount: '25.00' }, note: 'Half.' });
    expect(await exited, stderr).toBe(0);
    expect(stdout).toBe('refund {"ticketId":"4512","amount":"25.00"}\nalready approved\n');
  }, 60_000);
});
