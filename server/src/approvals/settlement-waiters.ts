// Intake requests waiting for a decision. A decision taken in this process wakes its waiters at once;
// a poll of recently settled approvals wakes waiters whose approval was decided on another instance,
// and a slower look-up of the waited-for approvals wakes those whose settlement committed late.
import type { ApprovalObserver } from './approval-effects';
import type { ApprovalStore } from './ports';
import type { ApprovalRecord } from './records';

export type WaitOutcome = 'settled' | 'timeout' | 'released';

/** Allowance for clock differences between instances sharing a store. */
const CLOCK_SKEW_MS = 5000;
/**
 * How often waiters' own approvals are looked up by id (ApprovalStore.listSettledAmong), whatever time
 * their settlement was stamped with: the look-back above misses a commit that landed later than it.
 */
const SWEEP_EVERY_MS = 2000;
const SWEEP_BATCH = 500;

export class SettlementWaiters implements ApprovalObserver {
  private readonly waiting = new Map<string, Set<(outcome: WaitOutcome) => void>>();
  private lastPollAt: number;
  private lastSweepAt: number;
  private closed = false;

  constructor(
    private readonly store: { approvals: Pick<ApprovalStore, 'listSettledSince' | 'listSettledAmong'> },
    private readonly clock: () => number = Date.now,
  ) {
    this.lastPollAt = clock();
    this.lastSweepAt = this.lastPollAt;
  }

  get size(): number {
    return this.waiting.size;
  }

  /**
   * `settled` resolves when the approval settles, the time is up, `cancel` is called (the caller went
   * away) or the server shuts down. No AbortController: thousands may wait at once, so each costs
   * only a timer and one closure.
   */
  wait(approvalId: string, timeoutMs: number): { settled: Promise<WaitOutcome>; cancel: () => void } {
    if (this.closed) return { settled: Promise.resolve('released'), cancel: () => undefined };
    let finish: (outcome: WaitOutcome) => void = () => undefined;
    const settled = new Promise<WaitOutcome>((resolve) => {
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      finish = (outcome) => {
        clearTimeout(timer);
        const set = this.waiting.get(approvalId);
        set?.delete(finish);
        if (set?.size === 0) this.waiting.delete(approvalId);
        resolve(outcome);
      };
      let set = this.waiting.get(approvalId);
      if (!set) this.waiting.set(approvalId, (set = new Set()));
      set.add(finish);
    });
    return { settled, cancel: () => finish('released') };
  }

  /** A change committed in this process: its waiters answer at once once it has settled. */
  approvalChanged(approval: ApprovalRecord): void {
    if (approval.status !== 'pending') this.notify(approval.id);
  }

  notify(approvalId: string): void {
    const set = this.waiting.get(approvalId);
    if (set) for (const finish of [...set]) finish('settled');
  }

  /** On shutdown: every waiter, now and later, answers with the state as it stands. */
  releaseAll(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const finish of [...set]) finish('released');
  }

  /**
   * The cross-instance fallback; cheap when nobody waits. Recent settlements first (one read however
   * many wait), then, every SWEEP_EVERY_MS, the waited-for approvals themselves, so a settlement whose
   * commit landed late still releases its waiters.
   */
  async poll(): Promise<void> {
    const now = this.clock();
    if (this.waiting.size === 0) {
      this.lastPollAt = now;
      this.lastSweepAt = now;
      return;
    }
    const since = this.lastPollAt - CLOCK_SKEW_MS;
    this.lastPollAt = now;
    for (const id of await this.store.approvals.listSettledSince(since)) this.notify(id);
    if (now - this.lastSweepAt >= SWEEP_EVERY_MS) await this.sweep(now);
  }

  private async sweep(now: number): Promise<void> {
    const approvals = this.store.approvals;
    if (!approvals.listSettledAmong) return;
    this.lastSweepAt = now;
    const ids = [...this.waiting.keys()];
    for (let i = 0; i < ids.length; i += SWEEP_BATCH) {
      for (const id of await approvals.listSettledAmong(ids.slice(i, i + SWEEP_BATCH))) this.notify(id);
    }
  }
}
