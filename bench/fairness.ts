// Fairness between workspaces: a second workspace ("flood", made with the admin CLI on the part's
// data dir) creates and cancels many requests whose callbacks go to eight loopback hosts that accept
// the connection and never answer, so every attempt holds its slot for the whole delivery timeout.
// Then the default workspace's callbacks are measured as in the callbacks part, one decision at a
// time: they must not wait behind the flood.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CountersignClient } from '@countersign/shared';
import { measureCallbackLatency, type CallbackLatencyResult, type CallbackTarget } from './callback-latency';
import { inParallel } from './in-parallel';
import { REPO_ROOT } from './processes';
import { SEED_INTAKE_BODY } from './seed-request';

export interface FairnessRun {
  /** Callbacks the flooding workspace queues. */
  flood: number;
  /** The measured workspace's decisions, one at a time. */
  approvals: number;
  timeoutMs: number;
}

export interface FairnessResult {
  flood: number;
  floodHosts: number;
  /** Requests that reached the hanging hosts by the end of the measurement (at most the per-workspace cap while they hang). */
  floodRequestsReceived: number;
  /** The other workspace's callbacks while the flood holds its slots. */
  measured: CallbackLatencyResult;
}

/** Eight addresses that all reach loopback on Linux, so each counts as another host. */
const FLOOD_HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];
const FLOOD_CONCURRENCY = 16;

const run = promisify(execFile);

/** `env` is the Countersign child's environment, so the admin CLI opens the same store. */
export async function measureFairness(target: CallbackTarget, env: Record<string, string | undefined>, settings: FairnessRun): Promise<FairnessResult> {
  const hanging = await Promise.all(FLOOD_HOSTS.map(startHangingReceiver));
  try {
    const floodKey = await floodWorkspaceKey(env);
    const flooder = new CountersignClient({ baseUrl: target.baseUrl, intakeKey: floodKey });
    await inParallel([...Array(settings.flood).keys()], FLOOD_CONCURRENCY, async (i) => {
      const { approval } = await flooder.createApproval({ ...SEED_INTAKE_BODY, callbackUrl: `${hanging[i % hanging.length]!.url}/never-answers` });
      await flooder.cancelApproval(approval.approvalId);
    });
    const measured = await measureCallbackLatency(target, { approvals: settings.approvals, concurrency: 1, timeoutMs: settings.timeoutMs });
    return { flood: settings.flood, floodHosts: hanging.length, floodRequestsReceived: hanging.reduce((sum, h) => sum + h.received(), 0), measured };
  } finally {
    // Cutting the connections ends the attempts still waiting, so the server stops promptly.
    await Promise.all(hanging.map((h) => h.close()));
  }
}

async function floodWorkspaceKey(env: Record<string, string | undefined>): Promise<string> {
  const admin = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', ...args, '--json'], { cwd: REPO_ROOT, env: env as NodeJS.ProcessEnv });
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  await admin('workspace', 'create', 'flood');
  return (await admin('key', 'create', '--workspace', 'flood', '--scope', 'intake')).key as string;
}

interface HangingReceiver {
  url: string;
  received(): number;
  close(): Promise<void>;
}

async function startHangingReceiver(host: string): Promise<HangingReceiver> {
  let received = 0;
  const server = http.createServer((req) => {
    received++;
    req.resume(); // read the body, never answer
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received: () => received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
