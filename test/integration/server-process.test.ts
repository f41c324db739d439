// The real entry point, as `npm start` runs it: banner, keys, SIGTERM drain, exit code.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { spawnNpmStart, spawnServerProcess } from '../support/server-process';
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
    // Signalled the moment the banner is out: the handlers must already be in place.
    expect(await run.exited).toEqual({ code: 0, signal: null });
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

/** Live processes below `root` (zombies count as gone), from /proc: pid → command line. */
function descendants(root: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(entry)]);
      commands.set(Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // exited while we looked
    }
  }
  const found = new Map<number, string>();
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.set(child, commands.get(child) ?? '');
      walk(child);
    }
  };
  walk(root);
  return found;
}

function isRunning(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('npm start, stopped the way a user stops it', () => {
  const temp = makeTempDir('npm-start');
  const leftovers: number[] = [];
  afterAll(() => {
    for (const pid of leftovers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    temp.remove();
  });

  // Each case runs the whole of `npm start`, build included (about 10 s, much more on a busy machine).
  it.each([
    ['SIGTERM to npm (kill <pid>)', (npm: number): void => void process.kill(npm, 'SIGTERM'), true],
    ['SIGINT to npm', (npm: number): void => void process.kill(npm, 'SIGINT'), true],
    // Ctrl-C: the terminal signals the whole process group, so the server gets SIGINT twice (npm forwards it too).
    ['SIGINT to the process group (Ctrl-C)', (npm: number): void => void process.kill(-npm, 'SIGINT'), true],
    // npm killed outright forwards nothing: the server notices that its parent is gone.
    ['SIGKILL to npm', (npm: number): void => void process.kill(npm, 'SIGKILL'), false],
  ] as const)('%s stops the server: it drains, exits, and the port refuses connections', async (_name, stop, npmExitsCleanly) => {
    const run = spawnNpmStart({ PORT: '0', HOST: '127.0.0.1', COUNTERSIGN_DATA_DIR: temp.dir, COUNTERSIGN_PLAYGROUND: 'false', COUNTERSIGN_LOG_LEVEL: 'info' });
    const npm = run.child.pid!;
    try {
      const { url } = await run.banner;
      // The node process itself (without exec, a shell sits between npm and node: its command line names countersign.ts too).
      const servers = [...descendants(npm)].filter(([, command]) => /(^|\/)node\s.*bin\/countersign\.ts/.test(command)).map(([pid]) => pid);
      leftovers.push(...servers);
      expect(servers).toHaveLength(1);
      const server = servers[0]!;
      expect((await call(`${url}/healthz`)).status).toBe(200);

      stop(npm);
      expect(await within(30_000, () => !isRunning(server)), `server ${server} still running:\n${run.output()}`).toBe(true);
      expect(await within(10_000, () => refusesConnections(url))).toBe(true);
      const { code, signal } = await run.exited;
      if (npmExitsCleanly) expect({ code, signal }).toEqual({ code: 0, signal: null });
      // It drained and closed the store, rather than being cut off.
      expect(run.stdout()).toContain('"msg":"stopped"');
    } finally {
      // The whole group: npm, and a shell or server it left behind.
      try {
        process.kill(-npm, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 240_000);
});
