// The outbox worker: claims due deliveries under a lease, sends them, records every attempt in the
// audit trail and schedules the next one. Woken when a delivery is written; polls for the rest
// (retries coming due, leases left by a process that died, work written by other instances).
import type { Logger } from 'pino';
import { newId } from '../ids';
import type { DeliveryKind, DeliveryRecord, DeliveryStatus, Store } from '../store/port';

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
  /** The receiver asked us to stop (410) or the delivery can never succeed. */
  permanent: boolean;
  durationMs: number;
}

export type DeliverySender = (delivery: DeliveryRecord) => Promise<AttemptResult>;

export interface DeliveryWorkerOptions {
  store: Store;
  senders: Partial<Record<DeliveryKind, DeliverySender>>;
  /** Delays after the 1st, 2nd, … failed attempt; when they run out the delivery has failed. */
  retrySchedule: number[];
  attemptTimeoutMs: number;
  concurrency: number;
  pollIntervalMs: number;
  owner: string;
  log: Logger;
  clock?: () => number;
}

/** Longest a Retry-After may push an attempt back. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;
/** Shortest pause between claims, so a row another instance holds cannot make us spin. */
const MIN_PAUSE_MS = 20;

export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private tickAgain = false;
  private stopped = true;
  private readonly clock: () => number;
  /** Longer than any attempt can last, so a live attempt is never sent twice. */
  readonly leaseMs: number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.clock = options.clock ?? Date.now;
    this.leaseMs = options.attemptTimeoutMs + Math.max(5000, options.attemptTimeoutMs);
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /**
   * Marks deliveries about to be written as already claimed by this instance (attempt 1 under our
   * lease), so they can be sent the moment their transaction commits instead of after a claim round
   * trip. If this process dies before sending, the lease runs out and any instance retries them.
   */
  adopt(deliveries: DeliveryRecord[]): DeliveryRecord[] {
    if (this.stopped || this.inFlight.size >= this.options.concurrency) return deliveries;
    const now = this.clock();
    return deliveries.map((d) => ({ ...d, attempts: d.attempts + 1, leaseOwner: this.options.owner, leaseUntil: now + this.leaseMs, updatedAt: now }));
  }

  /** After commit: sends what this instance adopted at once and looks for the rest. */
  dispatch(committed: DeliveryRecord[]): void {
    if (this.stopped) return;
    for (const delivery of committed) if (delivery.leaseOwner === this.options.owner) this.launch(delivery);
    this.wake();
  }

  /** Look for work now (a delivery was just written, or an attempt finished). */
  wake(): void {
    if (this.stopped) return;
    this.setTimer(0);
  }

  /** Stops claiming and waits for attempts in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.ticking || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.ticking) await new Promise((r) => setTimeout(r, 5));
    }
  }

  get activeAttempts(): number {
    return this.inFlight.size;
  }

  private setTimer(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    let pause = this.options.pollIntervalMs;
    try {
      do {
        this.tickAgain = false;
        await this.claimAndLaunch();
      } while (this.tickAgain && !this.stopped);
      pause = await this.pauseUntilNextDue();
    } catch (error) {
      this.options.log.error({ err: error }, 'delivery worker could not reach the store; retrying');
    } finally {
      this.ticking = false;
    }
    if (!this.stopped) this.setTimer(pause);
  }

  private async claimAndLaunch(): Promise<void> {
    const capacity = this.options.concurrency - this.inFlight.size;
    if (capacity <= 0 || this.stopped) return;
    const claimed = await this.options.store.claimDeliveries({ now: this.clock(), owner: this.options.owner, leaseMs: this.leaseMs, limit: capacity });
    for (const delivery of claimed) this.launch(delivery);
    if (claimed.length === capacity) this.tickAgain = true;
  }

  private async pauseUntilNextDue(): Promise<number> {
    const due = await this.options.store.nextDeliveryDueAt();
    if (due === null) return this.options.pollIntervalMs;
    return Math.min(this.options.pollIntervalMs, Math.max(MIN_PAUSE_MS, due - this.clock()));
  }

  private launch(delivery: DeliveryRecord): void {
    const attempt = this.attempt(delivery)
      .catch((error: unknown) => this.options.log.error({ err: error, deliveryId: delivery.id }, 'could not record a delivery attempt; its lease will expire and it will be retried'))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  private async attempt(delivery: DeliveryRecord): Promise<void> {
    const result = await this.send(delivery);
    const now = this.clock();
    const next = this.nextStep(delivery.attempts, result, now);
    const recorded = await this.options.store.finishAttempt({
      deliveryId: delivery.id,
      owner: this.options.owner,
      attempt: delivery.attempts,
      status: next.status,
      nextAttemptAt: next.at,
      lastError: result.error,
      now,
      event: {
        id: newId('evt', now),
        workspaceId: delivery.workspaceId,
        approvalId: delivery.approvalId,
        type: 'delivery.attempt',
        at: now,
        data: {
          deliveryId: delivery.id,
          kind: delivery.kind,
          target: describeTarget(delivery.target),
          attempt: delivery.attempts,
          outcome: next.status === 'succeeded' ? 'delivered' : next.status === 'failed' ? 'gave_up' : 'retrying',
          statusCode: result.statusCode,
          error: result.error,
          durationMs: result.durationMs,
          nextAttemptAt: next.status === 'pending' ? new Date(next.at).toISOString() : null,
        },
      },
    });
    const log = this.options.log.child({ deliveryId: delivery.id, approvalId: delivery.approvalId, kind: delivery.kind, attempt: delivery.attempts });
    if (!recorded) log.warn('attempt finished after its lease was taken over; outcome not recorded');
    else if (next.status === 'failed') log.warn({ error: result.error }, 'delivery gave up');
    else if (next.status === 'pending') log.info({ error: result.error, nextAttemptAt: next.at }, 'delivery attempt failed; will retry');
    else log.info({ statusCode: result.statusCode, durationMs: result.durationMs }, 'delivered');
  }

  private async send(delivery: DeliveryRecord): Promise<AttemptResult> {
    const sender = this.options.senders[delivery.kind];
    if (!sender) return { ok: false, statusCode: null, error: `no sender for ${delivery.kind} deliveries`, retryAfterMs: null, permanent: false, durationMs: 0 };
    try {
      return await sender(delivery);
    } catch (error) {
      return { ok: false, statusCode: null, error: (error as Error).message || 'sender failed', retryAfterMs: null, permanent: false, durationMs: 0 };
    }
  }

  private nextStep(attempt: number, result: AttemptResult, now: number): { status: DeliveryStatus; at: number } {
    if (result.ok) return { status: 'succeeded', at: now };
    const delay = this.options.retrySchedule[attempt - 1];
    if (result.permanent || delay === undefined) return { status: 'failed', at: now };
    const retryAfter = Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
    return { status: 'pending', at: now + Math.max(delay, retryAfter) };
  }
}

/** The target as the audit trail shows it: no query string, which may carry a receiver's token. */
function describeTarget(target: string): string {
  try {
    const url = new URL(target);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'invalid URL';
  }
}
