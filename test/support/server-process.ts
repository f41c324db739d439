// The real entry point (`node --import tsx server/src/main.ts`) as a child process, for tests that
// must kill it the hard way (SIGKILL) and start it again on the same data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Keep only the end of the child's output: enough to explain a failure, bounded in memory. */
const KEEP_CHARS = 64 * 1024;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last part of stdout and stderr, for failure messages. */
  output(): string;
  /** SIGKILL: no drain, no shutdown hook; resolves once the process is gone. */
  kill(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, bannerTimeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-KEEP_CHARS);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no banner within ${bannerTimeoutMs} ms:\n${out}`)), bannerTimeoutMs);
    const check = () => {
      // The banner is one write: the URL line carries the store, and it ends with a blank line.
      const match = /running at (http:\/\/\S+)\s+\(store: \w+\)[\s\S]*\n\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before printing its banner:\n${out}`));
    });
  });
  return {
    child,
    url,
    exited,
    output: () => out,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
