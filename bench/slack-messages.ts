// Slack through the outbox: a fake Slack Web API in the bench process (the playground's fake Slack
// workspace behind a plain HTTP server, SLACK_API_URL of the Countersign child) notes when each call
// arrives. Requests are posted to intake a few at a time; each sample runs from just before the
// intake request is sent to the arrival of that request's chat.postMessage; then each is decided, and
// timed from just before the decision request to the arrival of its message's chat.update. The
// workspace is linked as an operator links it, with the admin CLI beside the running server.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeSlackWorkspace, slackFormArgs } from '@countersign/playground';
import { CountersignClient } from '@countersign/shared';
import { inParallel } from './in-parallel';
import { ascending, percentile } from './percentile';
import { REPO_ROOT } from './processes';
import { SEED_INTAKE_BODY } from './seed-request';

const run = promisify(execFile);
export const BENCH_SLACK_CHANNEL = 'C0BENCHAPPROVALS';
const ARRIVAL_TIMEOUT_MS = 15_000;

export interface SlackRun {
  requests: number;
  concurrency: number;
}

export interface LatencySummary {
  measured: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SlackResult {
  requests: number;
  concurrency: number;
  /** Intake request sent → its chat.postMessage at the fake Slack API. */
  post: LatencySummary;
  /** Decision request sent → its message's chat.update at the fake Slack API. */
  update: LatencySummary;
  /** Requests whose message, or whose update, never arrived. */
  missingPosts: number;
  missingUpdates: number;
  /** Messages posted more than once for one request. */
  duplicatePosts: number;
  /** Intake or decision requests that failed. */
  requestErrors: number;
}

/** The fake Slack Web API, noting each request's post and update arrival (performance.now()). */
export class BenchSlackApi {
  readonly workspace = new FakeSlackWorkspace('T0BENCH', 'Bench');
  readonly posts = new Map<string, number[]>();
  readonly updates = new Map<string, number>();
  private readonly approvalByTs = new Map<string, string>();
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const arrived = performance.now();
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const args = slackFormArgs(Buffer.concat(chunks).toString('utf8'));
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const answer = this.workspace.handle(method, args, token);
      this.note(method, args, answer, arrived);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });

  constructor() {
    this.workspace.channels.add(BENCH_SLACK_CHANNEL);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private note(method: string, args: Record<string, unknown>, answer: { ok: boolean; ts?: unknown }, arrived: number): void {
    if (!answer.ok) return;
    if (method === 'chat.postMessage' && !args.thread_ts) {
      const approvalId = /"(apr_[0-9a-z]+)"/.exec(JSON.stringify(args.blocks ?? []))?.[1];
      if (!approvalId) return;
      this.posts.set(approvalId, [...(this.posts.get(approvalId) ?? []), arrived]);
      this.approvalByTs.set(String(answer.ts), approvalId);
    } else if (method === 'chat.update') {
      const approvalId = this.approvalByTs.get(String(args.ts));
      if (approvalId && !this.updates.has(approvalId)) this.updates.set(approvalId, arrived);
    }
  }
}

/** Links the child's default workspace to the fake, as an operator would: `npm run admin -- slack link`. */
export async function linkBenchWorkspace(api: BenchSlackApi, dataDir: string): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'admin', 'cli.ts'), 'slack', 'link', '--workspace', 'default', '--channel', BENCH_SLACK_CHANNEL, '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COUNTERSIGN_DATA_DIR: dataDir, SLACK_API_URL: api.url, SLACK_BOT_TOKEN: api.workspace.botToken, SLACK_SIGNING_SECRET: api.workspace.signingSecret, MONGODB_URI: '' },
  });
}

export async function measureSlackMessages(api: BenchSlackApi, target: { baseUrl: string; intakeKey: string; reviewKey: string }, slackRun: SlackRun): Promise<SlackResult> {
  const client = new CountersignClient({ baseUrl: target.baseUrl, intakeKey: target.intakeKey, reviewKey: target.reviewKey });
  let requestErrors = 0;
  const created: Array<{ approvalId: string; sentAt: number }> = [];
  await inParallel(Array.from({ length: slackRun.requests }, (_, i) => i), slackRun.concurrency, async (i) => {
    const sentAt = performance.now();
    try {
      const { approval } = await client.createApproval({ ...SEED_INTAKE_BODY, details: { ...SEED_INTAKE_BODY.details, ticketId: String(700_000 + i) } });
      created.push({ approvalId: approval.approvalId, sentAt });
    } catch {
      requestErrors++;
    }
  });
  const postLatencies = await arrivals(created, (id) => api.posts.get(id)?.[0]);
  const decided: Array<{ approvalId: string; sentAt: number }> = [];
  await inParallel([...created], slackRun.concurrency, async ({ approvalId }) => {
    const sentAt = performance.now();
    try {
      await client.decide(approvalId, { decision: 'approve', note: 'bench' });
      decided.push({ approvalId, sentAt });
    } catch {
      requestErrors++;
    }
  });
  const updateLatencies = await arrivals(decided, (id) => api.updates.get(id));
  return {
    requests: slackRun.requests,
    concurrency: slackRun.concurrency,
    post: summarise(postLatencies.latencies),
    update: summarise(updateLatencies.latencies),
    missingPosts: postLatencies.missing,
    missingUpdates: updateLatencies.missing,
    duplicatePosts: [...api.posts.values()].filter((times) => times.length > 1).length,
    requestErrors,
  };
}

/** Each sample's latency once its arrival is noted (waiting up to ARRIVAL_TIMEOUT_MS for the last). */
async function arrivals(sent: Array<{ approvalId: string; sentAt: number }>, arrivedAt: (approvalId: string) => number | undefined): Promise<{ latencies: number[]; missing: number }> {
  const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
  while (sent.some((s) => arrivedAt(s.approvalId) === undefined) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const latencies = sent.flatMap((s) => {
    const at = arrivedAt(s.approvalId);
    return at === undefined ? [] : [at - s.sentAt];
  });
  return { latencies, missing: sent.length - latencies.length };
}

function summarise(latencies: number[]): LatencySummary {
  const sorted = ascending(latencies);
  return { measured: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) };
}
