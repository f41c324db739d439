// One bash process that runs shell snippets one after another, as a reader pastes README blocks into
// one terminal: variables set by one snippet are there for the next. Strict mode (set -euo pipefail)
// so a failing command anywhere in a snippet, or an unset variable, ends the session with its exit code.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir';

export interface ShellSession {
  /** Runs a snippet to its end and returns what it printed (stdout and stderr); rejects if the shell exits. */
  run(name: string, script: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export function startShellSession(env: Record<string, string> = {}): ShellSession {
  const temp = makeTempDir('shell');
  // The snippets call node (no jq): the running Node comes first on PATH.
  const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  const shell = spawn('bash', ['--noprofile', '--norc'], { cwd: temp.dir, env: { ...process.env, ...env, PATH }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => shell.once('exit', (code) => resolve(code)));
  shell.stdin.on('error', () => undefined); // writing to a shell that has exited: reported by run() through `exited`
  shell.stdin.write('set -euo pipefail\nexec 2>&1\n');
  let count = 0;

  return {
    async run(name, script, timeoutMs = 30_000) {
      // Each snippet is sourced from its own file, so the shell's stdin only ever holds the next command:
      // a program in the snippet that reads stdin cannot swallow the snippets after it.
      const file = path.join(temp.dir, `snippet-${++count}.sh`);
      writeFileSync(file, script);
      const begin = `@@begin ${count}`;
      const end = `@@end ${count}`;
      const from = output.length;
      shell.stdin.write(`printf '%s\\n' '${begin}'; source '${file}'; printf '\\n%s\\n' '${end}'\n`);
      const deadline = Date.now() + timeoutMs;
      let exitCode: number | null | undefined;
      void exited.then((code) => (exitCode = code));
      while (!output.includes(end, from)) {
        const printed = output.slice(output.indexOf(begin, from) + begin.length + 1);
        if (exitCode !== undefined) throw new Error(`"${name}" failed: the shell exited with code ${exitCode}. It printed:\n${printed}`);
        if (Date.now() > deadline) throw new Error(`"${name}" did not finish within ${timeoutMs} ms. It printed:\n${printed}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return output.slice(output.indexOf(begin, from) + begin.length + 1, output.indexOf(end, from));
    },
    async close() {
      if (shell.exitCode === null) shell.stdin.end('exit 0\n');
      // A snippet that never finished keeps the shell from reading `exit`.
      const stuck = setTimeout(() => shell.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(stuck);
      temp.remove();
    },
  };
}
