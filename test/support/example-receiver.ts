// examples/decision-receiver.ts as its own process, started as `npm run example:receiver` starts it,
// on a free port (PORT=0; it prints the port it got).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ExampleReceiver {
  process: ChildProcess;
  /** Where it listens, as it printed it, without the /callback path. */
  url: string;
  /** Every line it printed (stdout and stderr). */
  output: string[];
  stop(): Promise<void>;
}

export async function startExampleReceiver(secret: string, startTimeoutMs = 20_000): Promise<ExampleReceiver> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'examples/decision-receiver.ts')], {
    env: { ...process.env, CALLBACK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + startTimeoutMs;
  let url: string | undefined;
  while (!(url = output.map((line) => /listening on (http:\/\/\S+?)\/callback/.exec(line)?.[1]).find(Boolean))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the example receiver did not start:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    process: child,
    url,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
