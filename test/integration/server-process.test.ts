// The real entry point, as `npm start` runs it: banner, keys, SIGTERM drain, exit code.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { spawnServerProcess } from '../support/server-process';
import { call } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

function startProcess(dataDir: string, env: Record<string, string> = {}) {
  return spawnServerProcess({ PORT: '0', HOST: '127.0.0.1', COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_LOG_LEVEL: 'info', ...env }, 20_000);
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
    const { text: banner, url } = await run.banner;
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
    expect((await run.exited).code).toBe(0);

    const logLines = run.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logLines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(logLines.map((l) => JSON.stringify(l)).join('\n')).not.toContain(intakeKey);
  });

  it('keeps its keys across a restart and prints none the second time', async () => {
    const run = startProcess(temp.dir);
    children.push(run.child);
    const { text: banner } = await run.banner;
    expect(banner).not.toContain('cs_live_');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('drains and exits 0 on a Ctrl-C sent the moment the banner appears, every time', async () => {
    // What a quick Ctrl-C or a supervisor does. With the signal handlers installed after the banner,
    // most of these starts died of the signal instead (writing the banner wakes this test first).
    for (let start = 0; start < 5; start++) {
      const run = startProcess(temp.dir);
      children.push(run.child);
      await run.banner;
      run.child.kill('SIGINT');
      expect(await run.exited).toEqual({ code: 0, signal: null });
    }
  }, 90_000);

  it('refuses to start with a secret key other than the one the store was set up with', async () => {
    const run = startProcess(temp.dir, { COUNTERSIGN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    children.push(run.child);
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('The secret key does not match');
  });

  it('explains a bad configuration and exits 1', async () => {
    const run = startProcess(temp.dir, { COUNTERSIGN_RETRY_SCHEDULE: 'often' });
    children.push(run.child);
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('COUNTERSIGN_RETRY_SCHEDULE');
  });
});
