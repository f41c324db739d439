// Thousands of automations waiting synchronously for a decision: N intake requests with maxWaitMs
// near the cap are held open at once (one socket each), found pending through the reviewers' list
// endpoint (intake answers only after the wait, so ids come from each request's metadata), then
// approved a few at a time. For each approval, the release latency is the time from the decision's
// 200 arriving to the held intake response arriving, both seen by this process's clock.
import http from 'node:http';
import { exchange, exchangeJson, type Answer } from './http-exchange';
import { inParallel } from './in-parallel';
import { INTAKE_PATH } from './intake-load';
import { watchMemory, type MemoryTrace } from './memory-watch';
import { ascending, percentile } from './percentile';
import type { RunningServer } from './processes';
import { SEED_INTAKE_BODY } from './seed-request';

export interface WaiterRun {
  waiters: number;
  /** maxWaitMs each request asks for (the server's cap is set at least this high). */
  maxWaitMs: number;
  /** Decision requests in flight at once. */
  decisionConcurrency: number;
  /** Intake requests opened per second at most (also held back by what the server has created so far). */
  openPerSec: number;
}

export interface WaiterResult {
  waiters: number;
  maxWaitMs: number;
  decisionConcurrency: number;
  /** Seconds to send every intake request. */
  openS: number;
  /** Bench requests found pending through the list endpoint. */
  pendingConfirmed: number;
  /** Seconds from the first request sent until all were listed pending. */
  confirmS: number;
  /** RSS when all were confirmed pending (KiB), and the peak so far (VmHWM, KiB). */
  holdingRssKb: number;
  holdingPeakRssKb: number | null;
  /** Whole measurement: samples each second and the final VmHWM. */
  memory: MemoryTrace;
  decided: number;
  decisionErrors: number;
  /** Seconds to decide all of them. */
  decideS: number;
  /** Time for each decision request to be answered, ms. */
  decisionP50Ms: number;
  decisionP99Ms: number;
  /** Held intake requests answered 200 with status approved. */
  releasedApproved: number;
  /** Status codes of the held intake responses. */
  waiterStatusCounts: Record<string, number>;
  /** Held requests that failed at the socket (reset, refused) or timed out on our side. */
  waiterErrors: number;
  /** Those failures by error code (ECONNRESET, TimeoutError…). */
  waiterErrorCodes: Record<string, number>;
  /** Held responses that arrived before their decision's 200 did (clamped to 0 ms below). */
  releasedBeforeDecisionAnswer: number;
  /** Approvals with both a decision 200 and a held 200 response, i.e. with a release latency. */
  releaseMeasured: number;
  releaseP50Ms: number;
  releaseP99Ms: number;
  releaseMaxMs: number;
}

const LIST_PAGE = 100;
const DECISION_TIMEOUT_MS = 30_000;
/** Held requests sent but not yet created, at most: well inside the server's listen backlog of 511. */
const OPEN_WINDOW = 256;
const PROBE_INTERVAL_MS = 50;

interface Held {
  answer?: Answer;
  error?: unknown;
  approvalId?: string;
  decisionAnsweredAt?: number;
}

export async function measureSyncWaiters(
  server: RunningServer,
  keys: { intakeKey: string; reviewKey: string },
  run: WaiterRun,
  progress: (message: string) => void,
): Promise<WaiterResult> {
  // One socket per held request: a keep-alive pool would queue requests behind held ones.
  const heldAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const reviewAgent = new http.Agent({ keepAlive: true, maxSockets: run.decisionConcurrency + 2 });
  const memory = watchMemory(server);
  const held: Held[] = Array.from({ length: run.waiters }, () => ({}));
  try {
    const started = performance.now();
    const { answered } = await openWaiters(server.url, keys, run, held, { held: heldAgent, review: reviewAgent });
    const openS = (performance.now() - started) / 1000;
    progress(`waiters: ${run.waiters} intake requests sent in ${openS.toFixed(1)} s; listing pending approvals`);

    const review = { authorization: `Bearer ${keys.reviewKey}` };
    const confirmDeadline = started + run.maxWaitMs / 2;
    let pendingConfirmed = 0;
    for (;;) {
      pendingConfirmed = await listPendingWaiters(server.url, review, reviewAgent, held);
      const failedEarly = held.filter((h) => h.answer !== undefined || h.error !== undefined).length;
      if (pendingConfirmed + failedEarly >= run.waiters || performance.now() > confirmDeadline) break;
      progress(`waiters: ${pendingConfirmed} of ${run.waiters} pending so far`);
      await sleep(1000);
    }
    const confirmS = (performance.now() - started) / 1000;
    const holding = memory.mark();
    progress(
      `waiters: ${pendingConfirmed} of ${run.waiters} pending after ${confirmS.toFixed(1)} s; server RSS ${(holding.rssKb / 1024).toFixed(1)} MB` +
        (holding.peakRssKb === null ? '' : ` (peak ${(holding.peakRssKb / 1024).toFixed(1)} MB)`) +
        `; approving them ${run.decisionConcurrency} at a time`,
    );

    const decisionMs: number[] = [];
    let decisionErrors = 0;
    const decideStarted = performance.now();
    const toDecide = held.filter((h) => h.approvalId !== undefined);
    await inParallel(toDecide, run.decisionConcurrency, async (h) => {
      const sentAt = performance.now();
      try {
        const answer = await exchange({
          method: 'POST',
          url: `${server.url}/api/approvals/${h.approvalId}/decision`,
          headers: { ...review, 'content-type': 'application/json' },
          // The bootstrap review key is the admin's personal key: no reviewer in the body.
          body: JSON.stringify({ decision: 'approve' }),
          agent: reviewAgent,
          timeoutMs: DECISION_TIMEOUT_MS,
        });
        if (answer.status !== 200) {
          decisionErrors++;
          return;
        }
        h.decisionAnsweredAt = answer.endedAt;
        decisionMs.push(answer.endedAt - sentAt);
      } catch {
        decisionErrors++;
      }
    });
    const decideS = (performance.now() - decideStarted) / 1000;
    progress(`waiters: ${toDecide.length - decisionErrors} decided in ${decideS.toFixed(1)} s; waiting for the held responses`);
    await answered;

    const release: number[] = [];
    let early = 0;
    let releasedApproved = 0;
    let waiterErrors = 0;
    const waiterErrorCodes: Record<string, number> = {};
    const waiterStatusCounts: Record<string, number> = {};
    for (const h of held) {
      if (!h.answer) {
        waiterErrors++;
        const code = errorCode(h.error);
        waiterErrorCodes[code] = (waiterErrorCodes[code] ?? 0) + 1;
        continue;
      }
      waiterStatusCounts[h.answer.status] = (waiterStatusCounts[h.answer.status] ?? 0) + 1;
      const approved = h.answer.status === 200 && statusOf(h.answer.body) === 'approved';
      if (approved) releasedApproved++;
      if (approved && h.decisionAnsweredAt !== undefined) {
        const ms = h.answer.endedAt - h.decisionAnsweredAt;
        if (ms < 0) early++;
        release.push(Math.max(0, ms));
      }
    }
    const sortedRelease = ascending(release);
    const sortedDecision = ascending(decisionMs);
    return {
      waiters: run.waiters,
      maxWaitMs: run.maxWaitMs,
      decisionConcurrency: run.decisionConcurrency,
      openS,
      pendingConfirmed,
      confirmS,
      holdingRssKb: holding.rssKb,
      holdingPeakRssKb: holding.peakRssKb,
      memory: memory.stop(),
      decided: decisionMs.length,
      decisionErrors,
      decideS,
      decisionP50Ms: percentile(sortedDecision, 50),
      decisionP99Ms: percentile(sortedDecision, 99),
      releasedApproved,
      waiterStatusCounts,
      waiterErrors,
      waiterErrorCodes,
      releasedBeforeDecisionAnswer: early,
      releaseMeasured: release.length,
      releaseP50Ms: percentile(sortedRelease, 50),
      releaseP99Ms: percentile(sortedRelease, 99),
      releaseMaxMs: percentile(sortedRelease, 100),
    };
  } finally {
    memory.stop();
    heldAgent.destroy();
    reviewAgent.destroy();
  }
}

/**
 * Sends every held request, each with a distinct body tagged with its index in metadata, at most
 * openPerSec and never more than OPEN_WINDOW ahead of what the server has created (read from the
 * newest pending approval): opened faster than the server accepts them, connections overflow its
 * listen backlog (511) and the kernel drops them, which would measure TCP retries instead of
 * Countersign. Resolves once all are out; `answered` resolves when every one has its answer.
 */
async function openWaiters(
  baseUrl: string,
  keys: { intakeKey: string; reviewKey: string },
  run: WaiterRun,
  held: Held[],
  agents: { held: http.Agent; review: http.Agent },
): Promise<{ answered: Promise<void> }> {
  const headers = { 'x-api-key': keys.intakeKey, 'content-type': 'application/json' };
  const answers: Promise<void>[] = [];
  const started = performance.now();
  let created = 0;
  let opening = true;
  const probe = (async () => {
    while (opening) {
      created = Math.max(created, await newestPendingWaiter(baseUrl, { authorization: `Bearer ${keys.reviewKey}` }, agents.review));
      await sleep(PROBE_INTERVAL_MS);
    }
  })();
  try {
    for (let i = 0; i < run.waiters; i++) {
      const dueAt = started + (i * 1000) / run.openPerSec;
      if (dueAt > performance.now()) await sleep(dueAt - performance.now());
      while (i - created >= OPEN_WINDOW) await sleep(PROBE_INTERVAL_MS / 2);
      const body = JSON.stringify({
        ...SEED_INTAKE_BODY,
        summary: `${SEED_INTAKE_BODY.summary} (waiter ${i})`,
        details: { ...SEED_INTAKE_BODY.details, benchWaiter: String(i) },
        metadata: { benchWaiter: i },
        maxWaitMs: run.maxWaitMs,
      });
      const h = held[i]!;
      answers.push(
        exchange({ method: 'POST', url: baseUrl + INTAKE_PATH, headers, body, agent: agents.held, timeoutMs: run.maxWaitMs + 60_000 }).then(
          (answer) => void (h.answer = answer),
          (error: unknown) => void (h.error = error),
        ),
      );
    }
  } finally {
    opening = false;
    await probe;
  }
  return { answered: Promise.all(answers).then(() => undefined) };
}

/** One more than the index of the newest pending bench request (0 when there is none). */
async function newestPendingWaiter(baseUrl: string, headers: Record<string, string>, agent: http.Agent): Promise<number> {
  const page: { items: { metadata: Record<string, unknown> | null }[] } = await exchangeJson({
    method: 'GET',
    url: `${baseUrl}/api/approvals?status=pending&limit=1`,
    headers,
    agent,
    timeoutMs: DECISION_TIMEOUT_MS,
  });
  const index = page.items[0]?.metadata?.benchWaiter;
  return typeof index === 'number' ? index + 1 : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Pages through the pending approvals, noting each bench request's approval id; answers how many were found. */
async function listPendingWaiters(baseUrl: string, headers: Record<string, string>, agent: http.Agent, held: Held[]): Promise<number> {
  let found = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ status: 'pending', limit: String(LIST_PAGE) });
    if (cursor) query.set('cursor', cursor);
    const page: { items: { approvalId: string; metadata: Record<string, unknown> | null }[]; nextCursor: string | null } = await exchangeJson({
      method: 'GET',
      url: `${baseUrl}/api/approvals?${query}`,
      headers,
      agent,
      timeoutMs: DECISION_TIMEOUT_MS,
    });
    for (const item of page.items) {
      const index = item.metadata?.benchWaiter;
      if (typeof index !== 'number' || !held[index]) continue;
      held[index].approvalId = item.approvalId;
      found++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return 'unknown';
}

function statusOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { status?: unknown }).status;
  } catch {
    return undefined;
  }
}
