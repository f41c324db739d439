// The real entry point, started as `npm start` starts it, as a child process: for tests of the
// process itself (banner, signals, exit codes) and tests that must kill it the hard way (SIGKILL)
// and start it again on the same data dir. spawnNpmStart runs `npm start` itself.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '@countersign/server/app';

const ROOT = path.resolve(__dirname, '../..');
/** Keep only the end of the child's output: enough to explain a failure, bounded in memory. */
const KEEP_CHARS = 64 * 1024;

export interface SpawnedServer {
  child: ChildProcess;
  /** The start-up banner and the URL in it; rejects if the process exits (or stays silent) first. */
  banner: Promise<{ url: string; text: string }>;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last part of stdout (banner and log lines), of stderr, and of both. */
  stdout(): string;
  stderr(): string;
  output(): string;
  /** SIGKILL: no drain, no shutdown hook; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface ServerProcess extends SpawnedServer {
  url: string;
}

export function spawnServerProcess(env: Record<string, string>, bannerTimeoutMs = 30_000): SpawnedServer {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bin/countersign.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watched(child, bannerTimeoutMs);
}

/**
 * `npm start` exactly as a user runs it (it builds the Zendesk app first, then runs the server), in
 * its own process group as a terminal would start it; `child` is npm.
 */
export function spawnNpmStart(env: Record<string, string>, bannerTimeoutMs = 180_000): SpawnedServer {
  // Without vitest's NODE_ENV=test, as a user's shell has it: the build it runs replaces
  // zendesk-app/dist, and a test-mode build there would break the browser tests that load it.
  const { NODE_ENV, ...inherited } = process.env;
  const base = NODE_ENV === 'test' ? inherited : process.env;
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return watched(child, bannerTimeoutMs);
}

function watched(child: ChildProcess, bannerTimeoutMs: number): SpawnedServer {
  const tails = { stdout: '', stderr: '', both: '' };
  const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tails[stream] = (tails[stream] + text).slice(-KEEP_CHARS);
    tails.both = (tails.both + text).slice(-KEEP_CHARS);
  };
  child.stdout!.on('data', keep('stdout'));
  child.stderr!.on('data', keep('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const banner = new Promise<{ url: string; text: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no banner within ${bannerTimeoutMs} ms:\n${tails.both}`)), bannerTimeoutMs);
    const check = () => {
      // The banner is one write: the URL line carries the store, and it ends with a blank line.
      const match = /running at (http:\/\/\S+)\s+\(store: \w+\)[\s\S]*\n\n/.exec(tails.stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, text: tails.stdout });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before printing its banner:\n${tails.both}`));
    });
  });
  // Tests of failed start-ups only look at the exit; their banner's rejection is expected.
  banner.catch(() => undefined);
  return {
    child,
    banner,
    exited,
    stdout: () => tails.stdout,
    stderr: () => tails.stderr,
    output: () => tails.both,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Spawns the server and waits for its banner. */
export async function startServerProcess(env: Record<string, string>, bannerTimeoutMs = 30_000): Promise<ServerProcess> {
  const spawned = spawnServerProcess(env, bannerTimeoutMs);
  return { ...spawned, url: (await spawned.banner).url };
}
