// Load at a fixed arrival rate, open loop: request i is due at start + i / rate whatever became of the
// earlier ones, and its latency runs from when it was due, not from when it went out. A server (or a
// client) that falls behind therefore shows up as queueing delay in the percentiles rather than as
// fewer requests sent (no coordinated omission, unlike autocannon's overallRate, which only paces
// connections that are free). The bench's own event loop lag is reported as the send lag.
import { ExchangeTimeout, type Answer } from './http-exchange';
import { ascending, percentile } from './percentile';

export interface OpenLoopPlan {
  ratePerSec: number;
  durationS: number;
  /** Sends request `index` and answers when its whole response is in (or fails). */
  send: (index: number) => Promise<Answer>;
  /** Whether an answer is what was asked for; by default any 2xx. A false counts as an error. */
  accept?: (answer: Answer) => boolean;
}

export interface OpenLoopResult {
  ratePerSec: number;
  /** Requests scheduled: rate × duration. */
  offered: number;
  /** Responses received (any status). */
  completed: number;
  /** From the first due time to the last response. */
  elapsedS: number;
  /** Completed responses per second over elapsedS. */
  achievedPerSec: number;
  /** Per response, from when the request was due to when its body had arrived (ms), ascending. */
  latenciesMs: number[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statusCounts: Record<string, number>;
  ok2xx: number;
  non2xx: number;
  /** Answers `accept` refused although their status was 2xx (wrong body). */
  rejected: number;
  /** Socket errors (refused, reset…), not counting timeouts. */
  socketErrors: number;
  timeouts: number;
  /** The latest any request went out after it was due (the bench's own lag), ms. */
  maxSendLagMs: number;
  /** The three seconds (by due time, from the start) whose slowest response was slowest: spikes versus steady queueing. */
  slowestSeconds: { atS: number; maxMs: number; over100Ms: number }[];
}

export async function runOpenLoop(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  const offered = Math.max(1, Math.round(plan.ratePerSec * plan.durationS));
  const intervalMs = 1000 / plan.ratePerSec;
  const accept = plan.accept ?? ((answer: Answer) => answer.status >= 200 && answer.status < 300);
  const latencies: number[] = [];
  const bySecond = new Map<number, { maxMs: number; over100Ms: number }>();
  const statusCounts: Record<string, number> = {};
  let rejected = 0;
  let socketErrors = 0;
  let timeouts = 0;
  let maxSendLagMs = 0;
  let lastEnd = 0;
  let outstanding = 0;
  let allSent = false;
  let drained!: () => void;
  const done = new Promise<void>((resolve) => (drained = resolve));

  const start = performance.now();
  const fire = (index: number, dueAt: number) => {
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - dueAt);
    outstanding++;
    plan.send(index).then(
      (answer) => {
        const ms = answer.endedAt - dueAt;
        latencies.push(ms);
        const second = Math.floor((dueAt - start) / 1000);
        const slot = bySecond.get(second) ?? { maxMs: 0, over100Ms: 0 };
        slot.maxMs = Math.max(slot.maxMs, ms);
        if (ms > 100) slot.over100Ms++;
        bySecond.set(second, slot);
        lastEnd = Math.max(lastEnd, answer.endedAt);
        statusCounts[answer.status] = (statusCounts[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300 && !accept(answer)) rejected++;
      },
      (error: unknown) => {
        lastEnd = Math.max(lastEnd, performance.now());
        if (error instanceof ExchangeTimeout) timeouts++;
        else socketErrors++;
      },
    ).finally(() => {
      outstanding--;
      if (allSent && outstanding === 0) drained();
    });
  };

  let next = 0;
  while (next < offered) {
    const now = performance.now();
    while (next < offered && start + next * intervalMs <= now) {
      fire(next, start + next * intervalMs);
      next++;
    }
    if (next < offered) await sleep(start + next * intervalMs - performance.now());
  }
  allSent = true;
  if (outstanding === 0) drained();
  await done;

  const sorted = ascending(latencies);
  const elapsedS = (Math.max(lastEnd, start) - start) / 1000;
  const ok2xx = Object.entries(statusCounts).reduce((sum, [code, count]) => sum + (code.startsWith('2') ? count : 0), 0);
  return {
    ratePerSec: plan.ratePerSec,
    offered,
    completed: latencies.length,
    elapsedS,
    achievedPerSec: elapsedS > 0 ? latencies.length / elapsedS : Number.NaN,
    latenciesMs: sorted,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: percentile(sorted, 100),
    statusCounts,
    ok2xx,
    non2xx: latencies.length - ok2xx,
    rejected,
    socketErrors,
    timeouts,
    maxSendLagMs,
    slowestSeconds: [...bySecond]
      .sort((a, b) => b[1].maxMs - a[1].maxMs)
      .slice(0, 3)
      .map(([atS, slot]) => ({ atS, ...slot })),
  };
}

/** No request had a problem: every one answered 2xx with an accepted body. */
export function openLoopClean(r: OpenLoopResult): boolean {
  return r.completed === r.offered && r.non2xx === 0 && r.rejected === 0 && r.socketErrors === 0 && r.timeouts === 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
