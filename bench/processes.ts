// Servers under test run as child processes: `node --import tsx <entry>` spawned directly (no npx,
// no shell), so the child's pid is the node process serving requests and its RSS is the server's.
// Every child started here is stopped on the way out, even when the bench fails or is interrupted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockTicksPerSecond } from './machine-load';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerSpec {
  /** Shown in messages, e.g. "countersign". */
  name: string;
  /** Script path relative to the repository root. */
  entry: string;
  /** Extra node flags placed before `--import tsx` (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** The child's whole environment: nothing is inherited implicitly. */
  env: Record<string, string | undefined>;
  /** Where stdout and stderr go (the server's logs). */
  logFile: string;
  /** Answers 200 once the server can take load. */
  readyPath: string;
}

export interface MemorySample {
  /** Resident set size now, in KiB. */
  rssKb: number;
  /** Peak resident set size so far (VmHWM), in KiB, where /proc provides it. */
  peakRssKb: number | null;
}

export interface RunningServer {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly logFile: string;
  memory(): MemorySample;
  /** CPU time (user + system) the process has used so far, in ms; NaN where /proc is unavailable. */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL if it has not exited after a while. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** A port nobody is listening on right now: bind port 0, read what the kernel chose, let it go. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const log = fs.openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), '--import', 'tsx', spec.entry], {
    cwd: REPO_ROOT,
    env: { ...spec.env, PORT: String(port), HOST: host },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  if (child.pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${spec.name}: ${process.execPath} did not spawn`);
  }
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  const url = `http://${host}:${port}`;
  const server: RunningServer = {
    name: spec.name,
    pid: child.pid,
    port,
    url,
    logFile: spec.logFile,
    memory: () => memoryOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    stop: () => stopChild(child, exited),
  };
  try {
    await waitUntilReady(spec, url, exited);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(spec: ServerSpec, url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${spec.name} exited before it was ready. Its output ends with:\n${logTail(spec.logFile)}`);
    try {
      const response = await fetch(url + spec.readyPath, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${spec.name} was not ready within ${READY_TIMEOUT_MS / 1000} s. Its output ends with:\n${logTail(spec.logFile)}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running (used on errors and interrupts). */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...live].map((child) => {
      const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
      return stopChild(child, exited);
    }),
  );
}

// Last resort when the bench process exits without having stopped its children.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function memoryOf(pid: number): MemorySample {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return match ? Number(match[1]) : null;
    };
    const rss = field('VmRSS');
    if (rss !== null) return { rssKb: rss, peakRssKb: field('VmHWM') };
  } catch {
    // no /proc (macOS): fall back to ps
  }
  const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  return { rssKb: rss, peakRssKb: null };
}

function cpuMsOf(pid: number): number {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / clockTicksPerSecond();
  } catch {
    return Number.NaN;
  }
}

function logTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
