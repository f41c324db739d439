// The real entry point, as `npm start` runs it: banner, keys, SIGTERM drain, exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { call } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');

function startProcess(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
    const check = () => {
      if (/running at http:\/\/\S+/.test(stdout) && (stdout.includes('callback secret') || stdout.includes('(store:'))) {
        clearTimeout(timer);
        setTimeout(() => resolve(stdout), 50);
      }
    };
    child.stdout!.on('data', check);
  });
  return { child, banner, exited, output: () => stdout, errors: () => stderr };
}

describe('the server process', () => {
  const temp = makeTempDir('process');
  const children: ChildProcess[] = [];
  afterAll(() => {
    children.forEach((c) => c.kill('SIGKILL'));
    temp.remove();
  });

  it('prints the URL and first-start credentials, serves them, and drains on SIGTERM with exit 0', async () => {
    const run = startProcess(temp.dir);
    children.push(run.child);
    const banner = await run.banner;
    const url = /running at (http:\/\/\S+)/.exec(banner)![1]!;
    const intakeKey = /intake key.*?(cs_live_\S+)/.exec(banner)![1]!;
    expect(/review key.*?(cs_review_\S+)/.test(banner)).toBe(true);
    expect(/callback secret.*?(whsec_\S+)/.test(banner)).toBe(true);

    const created = await call(`${url}/api/webhooks/inbound`, { headers: { 'x-api-key': intakeKey }, json: seed001Sample });
    expect(created.status).toBe(201);
    // A request still waiting for a decision when the signal arrives gets its current state.
    const waiting = call(`${url}/api/webhooks/inbound`, { headers: { 'x-api-key': intakeKey }, json: { ...seed001Sample, maxWaitMs: 20_000 } });
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGTERM');
    const answered = await waiting;
    expect(answered.status).toBe(201);
    expect(answered.body.status).toBe('pending');
    expect(await run.exited).toBe(0);

    const logLines = run.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logLines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(logLines.map((l) => JSON.stringify(l)).join('\n')).not.toContain(intakeKey);
  });

  it('keeps its keys across a restart and prints none the second time', async () => {
    const run = startProcess(temp.dir);
    children.push(run.child);
    const banner = await run.banner;
    expect(banner).not.toContain('cs_live_');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('refuses to start with a secret key other than the one the store was set up with', async () => {
    const run = startProcess(temp.dir, { COUNTERSIGN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    children.push(run.child);
    expect(await run.exited).toBe(1);
    expect(run.errors()).toContain('The secret key does not match');
  });

  it('explains a bad configuration and exits 1', async () => {
    const run = startProcess(temp.dir, { COUNTERSIGN_RETRY_SCHEDULE: 'often' });
    children.push(run.child);
    expect(await run.exited).toBe(1);
    expect(run.errors()).toContain('COUNTERSIGN_RETRY_SCHEDULE');
  });
});
