// README.md's "Try it with curl", run as a reader runs it: every shell block of the section, in order,
// pasted into one bash session, against the real entry point started the way the README says (first
// start prints the keys; restarted with the environment the README's restart block sets) and the
// reference receiver. Each block is named by a `<!-- readme-test: … -->` comment; the blocks that
// start long-running processes or need the printed keys are done by the test itself, everything
// else runs verbatim. So the walkthrough cannot drift from what Countersign does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleReceiver, type ExampleReceiver } from '../support/example-receiver';
import { readmeBlocks, type ReadmeBlock } from '../support/readme-blocks';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startShellSession, type ShellSession } from '../support/shell-session';
import { call } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');
const SECTION = '## Try it with curl';
const SEED_001_NOTE = 'Customer is in a long-term contract; escalate to retention team.';

/** What the walkthrough holds so far: the test's processes, the keys, and the ids the blocks printed. */
interface Walkthrough {
  dataDir: string;
  server: ServerProcess;
  keys: { intake: string; review: string; callbackSecret: string };
  receiver?: ExampleReceiver;
  shell: ShellSession;
  /** The keys block was reached: export its variables before the next block runs. */
  exportsDue?: boolean;
  refundId?: string;
}

type Step =
  /** Done by the test instead of the shell (keys to paste, processes to start). */
  | { kind: 'by-test'; act: (block: ReadmeBlock, w: Walkthrough) => Promise<void> }
  /** Run verbatim; its output must contain each of `expect`. */
  | { kind: 'run'; expect: string[]; whileRunning?: (w: Walkthrough) => Promise<void>; after?: (output: string, w: Walkthrough) => Promise<void> };

/** The section's shell blocks by label, in README order. */
const STEPS: Record<string, Step> = {
  keys: { kind: 'by-test', act: async (block, w) => exportKeys(block, w) },
  receiver: { kind: 'by-test', act: async (block, w) => startReceiver(block, w) },
  restart: { kind: 'by-test', act: async (block, w) => restartServer(block, w) },
  refund: {
    kind: 'run',
    expect: ['"status":"pending"', '"action":"process_refund"', '"context":{"platform":"zendesk","ticketId":"4512"}'],
    after: async (output, w) => {
      w.refundId = /"approvalId":"(apr_\w+)"/.exec(output)?.[1];
      expect(w.refundId).toBeDefined();
    },
  },
  decide: {
    kind: 'run',
    // The list (still pending), then the decision's answer.
    expect: ['"items":[{', '"status":"pending"', '"status":"approved"', '"amount":"25.00"', '"decisionNote":"Half refund: one charge was a pre-authorisation."'],
    after: async (_output, w) => {
      // The callback reaches the reference receiver, which prints seed 000's line only for a valid signature.
      const line = await eventually(() => w.receiver!.output.find((l) => l.startsWith(`APPROVED ${w.refundId}:`)), 20_000, 'the approval callback at the receiver');
      expect(line).toContain('execute process_refund with');
      expect(line).toContain('"amount":"25.00"');
      expect(line).toContain('"ticketId":"4512"');
    },
  },
  'decide-again': { kind: 'run', expect: ['HTTP 409', '"code":"already_decided"', '"approval":{', '"status":"approved"'] },
  wait: {
    kind: 'run',
    // The README's "a reviewer rejects it within the wait": the test is that reviewer.
    whileRunning: (w) => rejectSeed001WhenItArrives(w),
    expect: ['"status":"rejected"', `"decisionNote":"${SEED_001_NOTE}"`, '"action":"cancel_subscription"'],
  },
  poll: {
    kind: 'run',
    // The seed 001 request, rejected; then the refund's audit trail with its delivered callback.
    expect: ['"status":"rejected"', '"decidedBy":{"id":"admin"', '"type":"approval.created"', '"type":"delivery.attempt"', '"outcome":"delivered"', '"statusCode":200'],
  },
  withdraw: { kind: 'run', expect: ['"status":"cancelled"', '"decisionNote":"Cancelled by the requester."'] },
};

function bannerKeys(banner: string): Walkthrough['keys'] {
  const find = (pattern: RegExp) => {
    const value = pattern.exec(banner)?.[1];
    if (!value) throw new Error(`the first-start banner has no ${pattern}:\n${banner}`);
    return value;
  };
  return { intake: find(/intake key.*?(cs_live_\S+)/), review: find(/review key.*?(cs_review_\S+)/), callbackSecret: find(/callback secret.*?(whsec_\S+)/) };
}

/** The variables the README's first block exports, with the values a reader pastes there. */
function exportedValues(w: Walkthrough): Record<string, string> {
  return { CS: w.server.url, RECEIVER: w.receiver!.url, INTAKE: w.keys.intake, REVIEW: w.keys.review, CALLBACK_SECRET: w.keys.callbackSecret };
}

/** Pasting the printed keys: the values are known once the test's processes run (free ports, not :8080 and :9000). */
async function exportKeys(block: ReadmeBlock, w: Walkthrough): Promise<void> {
  const names = [...block.text.matchAll(/\b([A-Z_]+)=/g)].map((m) => m[1]);
  expect(names).toEqual(['CS', 'RECEIVER', 'INTAKE', 'REVIEW', 'CALLBACK_SECRET']);
  w.exportsDue = true;
}

/** `npm run example:receiver` in a third terminal: the same script, on a free port. */
async function startReceiver(block: ReadmeBlock, w: Walkthrough): Promise<void> {
  expect(block.text).toContain('npm run example:receiver');
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['example:receiver']).toBe('tsx examples/decision-receiver.ts');
  w.receiver = await startExampleReceiver(w.keys.callbackSecret);
}

/** Ctrl-C, then `NAME=value … npm start` again on the same data dir. */
async function restartServer(block: ReadmeBlock, w: Walkthrough): Promise<void> {
  const command = /^((?:[A-Z_]+=\S+\s+)*)npm start\b/m.exec(block.text);
  if (!command) throw new Error(`the restart block does not run npm start:\n${block.text}`);
  const env = Object.fromEntries([...command[1]!.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  expect(env).toEqual({ COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'true' });

  w.server.child.kill('SIGINT');
  expect((await w.server.exited).code).toBe(0);
  w.server = await startServerProcess(serverEnv(w.dataDir, env));
  expect(w.server.stdout()).not.toContain('cs_live_'); // keys are printed on first start only, and stay valid
}

function serverEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  // Loopback on a free port and a temp data dir; everything else is the README's defaults.
  return { PORT: '0', HOST: '127.0.0.1', COUNTERSIGN_DATA_DIR: dataDir, ...extra };
}

/** A reviewer who sees seed 001's request in ticket 9921 and rejects it while the automation waits. */
async function rejectSeed001WhenItArrives(w: Walkthrough): Promise<void> {
  const auth = { authorization: `Bearer ${w.keys.review}` };
  const pending = await eventually(async () => {
    const list = await call(`${w.server.url}/api/approvals?status=pending&ticketId=9921`, { headers: auth });
    return (list.body?.items as Array<{ approvalId: string }> | undefined)?.[0];
  }, 15_000, "seed 001's request in ticket 9921");
  const decided = await call(`${w.server.url}/api/approvals/${pending.approvalId}/decision`, {
    headers: auth,
    // The printed review key is the admin's personal key: the decision is Admin's, no body reviewer.
    json: { decision: 'reject', note: SEED_001_NOTE },
  });
  expect(decided.status).toBe(200);
}

async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the README curl walkthrough', () => {
  const temp = makeTempDir('readme');
  const blocks = readmeBlocks(SECTION);
  let w: Walkthrough;

  beforeAll(async () => {
    // The README's "npm start" on a fresh data dir (the build is the other tests' business).
    const server = await startServerProcess(serverEnv(temp.dir));
    w = { dataDir: temp.dir, server, keys: bannerKeys(server.stdout()), shell: startShellSession() };
  });

  afterAll(async () => {
    await w?.shell.close();
    await w?.receiver?.stop();
    await w?.server.kill();
    temp.remove();
  });

  it('names every shell block of the section, in the order this test runs them', () => {
    const shellBlocks = blocks.filter((block) => block.lang === 'sh');
    for (const block of shellBlocks) expect(block.label, `README.md line ${block.line} has no readme-test label`).not.toBeNull();
    expect(shellBlocks.map((block) => block.label)).toEqual(Object.keys(STEPS));
    // Only shell blocks are labelled: the others show answers and callbacks, they are not run.
    expect(blocks.filter((block) => block.lang !== 'sh').every((block) => block.label === null)).toBe(true);
  });

  it('runs top to bottom in bash, every block succeeding with the answers the README describes', async () => {
    for (const block of blocks.filter((b) => b.lang === 'sh')) {
      const step = STEPS[block.label!];
      if (!step) throw new Error(`README.md line ${block.line}: unknown readme-test label "${block.label}"`);
      if (step.kind === 'by-test') {
        await step.act(block, w);
        continue;
      }
      if (w.exportsDue) {
        const values = Object.entries(exportedValues(w)).map(([name, value]) => `export ${name}='${value}'`);
        await w.shell.run('the exports', `${values.join('\n')}\n`);
        w.exportsDue = false;
      }
      const running = w.shell.run(`README.md line ${block.line} (${block.label})`, block.text);
      const [output] = await Promise.all([running, step.whileRunning?.(w)]);
      for (const expected of step.expect) expect(output, `README.md line ${block.line} (${block.label})`).toContain(expected);
      await step.after?.(output, w);
    }
  }, 180_000);
});
