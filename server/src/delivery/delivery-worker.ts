// The outbox worker: claims due deliveries under a lease, sends them, records every attempt in the
// audit trail and schedules the next one. Woken when a delivery is written; polls for the rest
// (retries coming due, leases left by a process that died, work written by other instances).
//
// Fairness: no workspace may have more than `perWorkspace` attempts in flight, no destination host
// more than `perHost`, and claims let workspaces take turns (Store.claimDeliveries), so a workspace
// whose receivers hang can fill only its own share of the slots. A host that keeps failing is left
// alone for a cool-down (host-breaker.ts) without its deliveries being claimed. The counts and the
// breakers are this instance's, in memory: several instances each apply the caps to their own slots.
import type { Logger } from 'pino';
import { newId } from '../approvals/ids';
import { deliveryHost } from './delivery-host';
import type { DeliveryClaim, DeliveryExclusion, OutboxStore, WorkspaceStore } from '../approvals/ports';
import type { DeliveryRecord, DeliveryStatus } from '../approvals/records';
import { givenUp, type AttemptResult, type DeliveryKinds } from './delivery-kind';
import { HostBreakers } from './host-breaker';

export type { AttemptResult } from './delivery-kind';

export interface DeliveryWorkerOptions {
  outbox: OutboxStore;
  /** Each delivery is sent for its workspace as it is now (credentials and secrets may have changed). */
  workspaces: WorkspaceStore;
  kinds: DeliveryKinds;
  /** Delays after the 1st, 2nd, … failed attempt; when they run out the delivery has failed. */
  retrySchedule: number[];
  attemptTimeoutMs: number;
  /** Attempts in flight on this instance, all workspaces together. */
  concurrency: number;
  /** Attempts in flight for one workspace. */
  perWorkspace: number;
  /** Attempts in flight to one destination host. */
  perHost: number;
  /** A failing host's first cool-down; it doubles with each failed probe. */
  hostCooldownMs: number;
  pollIntervalMs: number;
  owner: string;
  log: Logger;
  clock?: () => number;
}

/** Longest a Retry-After may push an attempt back. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;
/** Shortest pause between claims, so a row another instance holds cannot make us spin. */
const MIN_PAUSE_MS = 20;

/** A slot set aside by adopt() for a delivery not yet committed, so a burst of decisions cannot overrun the caps. */
interface Reservation {
  workspaceId: string;
  host: string;
  until: number;
}

export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  /** Requests out to receivers (or set aside by adopt), by workspace and by host. */
  private readonly busyWorkspaces = new Map<string, number>();
  private readonly busyHosts = new Map<string, number>();
  private readonly reserved = new Map<string, Reservation>();
  private readonly breakers: HostBreakers;
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
    this.breakers = new HostBreakers(options.hostCooldownMs, this.clock);
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /**
   * Marks deliveries about to be written as already claimed by this instance (attempt 1 under our
   * lease), so they can be sent the moment their transaction commits instead of after a claim round
   * trip. If this process dies before sending, the lease runs out and any instance retries them.
   * Only within the caps and to hosts whose circuit is closed; each adopted one holds its slot until
   * dispatch (or discard) so a burst of decisions cannot all adopt past a cap.
   */
  adopt(deliveries: DeliveryRecord[]): DeliveryRecord[] {
    const now = this.clock();
    this.expireReservations(now);
    return deliveries.map((d) => {
      // Over a cap, or to a host cooling down: left unleased for a claim to take in its turn.
      if (this.stopped || !this.mayAdopt(d)) return d;
      const host = deliveryHost(d.target);
      this.reserved.set(d.id, { workspaceId: d.workspaceId, host, until: now + this.leaseMs });
      this.occupy(d.workspaceId, host, 1);
      return { ...d, attempts: d.attempts + 1, leaseOwner: this.options.owner, leaseUntil: now + this.leaseMs, updatedAt: now };
    });
  }

  /** After commit: sends what this instance adopted at once and looks for the rest. */
  dispatch(committed: DeliveryRecord[]): void {
    for (const delivery of committed) {
      // No reservation left: it outlived the lease it was adopted under, so a claim will take it.
      if (delivery.leaseOwner !== this.options.owner || !this.release(delivery.id)) continue;
      if (!this.stopped) this.launch(delivery);
    }
    this.wake();
  }

  /** The settlement these were adopted for was not written: gives their slots back. */
  discard(planned: DeliveryRecord[]): void {
    for (const delivery of planned) this.release(delivery.id);
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
    const now = this.clock();
    this.expireReservations(now);
    const capacity = this.capacity();
    if (capacity <= 0 || this.stopped) return;
    const claimed = await this.options.outbox.claim({ now, owner: this.options.owner, leaseMs: this.leaseMs, limit: capacity, ...this.shares() });
    for (const delivery of claimed) this.launch(delivery);
    if (claimed.length === capacity) this.tickAgain = true;
  }

  private async pauseUntilNextDue(): Promise<number> {
    // Full: every attempt that ends wakes the worker, so there is nothing to look for until then.
    if (this.capacity() <= 0) return this.options.pollIntervalMs;
    const now = this.clock();
    let pause = this.options.pollIntervalMs;
    const due = await this.options.outbox.nextDueAt(this.exclusions());
    if (due !== null) pause = Math.min(pause, Math.max(MIN_PAUSE_MS, due - now));
    // A cool-down ending lets a probe go; one already ended waits for attempts in flight, which wake us.
    const probeAt = this.breakers.nextProbeAt();
    if (probeAt !== null && probeAt > now) pause = Math.min(pause, Math.max(MIN_PAUSE_MS, probeAt - now));
    return pause;
  }

  private capacity(): number {
    return this.options.concurrency - this.inFlight.size - this.reserved.size;
  }

  private mayAdopt(d: DeliveryRecord): boolean {
    const host = deliveryHost(d.target);
    return (
      this.capacity() > 0 &&
      (this.busyWorkspaces.get(d.workspaceId) ?? 0) < this.options.perWorkspace &&
      this.breakers.isClosed(host) &&
      this.hostRoom(host) > 0
    );
  }

  private hostRoom(host: string): number {
    return this.breakers.room(host, this.options.perHost, this.busyHosts.get(host) ?? 0);
  }

  /** What a claim must respect: the caps, what is already busy, and each host's room (none while its circuit is open). */
  private shares(): Pick<DeliveryClaim, 'perWorkspace' | 'workspaceBusy' | 'perHost' | 'hostRoom'> {
    const hosts = new Set([...this.busyHosts.keys(), ...this.breakers.known()]);
    return {
      perWorkspace: this.options.perWorkspace,
      workspaceBusy: Object.fromEntries(this.busyWorkspaces),
      perHost: this.options.perHost,
      hostRoom: Object.fromEntries([...hosts].map((host) => [host, this.hostRoom(host)])),
    };
  }

  /** Workspaces and hosts a claim would take nothing from now, so their due deliveries must not wake the worker. */
  private exclusions(): DeliveryExclusion {
    const { workspaceBusy, hostRoom } = this.shares();
    return {
      workspaceIds: Object.entries(workspaceBusy ?? {}).filter(([, busy]) => busy >= this.options.perWorkspace).map(([id]) => id),
      hosts: Object.entries(hostRoom ?? {}).filter(([, room]) => room <= 0).map(([host]) => host),
    };
  }

  private occupy(workspaceId: string, host: string, change: 1 | -1): void {
    adjust(this.busyWorkspaces, workspaceId, change);
    adjust(this.busyHosts, host, change);
  }

  /** Gives back an adopted delivery's reserved slot; false when it held none. */
  private release(deliveryId: string): boolean {
    const reservation = this.reserved.get(deliveryId);
    if (!reservation) return false;
    this.reserved.delete(deliveryId);
    this.occupy(reservation.workspaceId, reservation.host, -1);
    return true;
  }

  /** A reservation outlives its settlement only if the store failed oddly; by the lease's end it is surely moot. */
  private expireReservations(now: number): void {
    for (const [id, reservation] of this.reserved) if (reservation.until <= now) this.release(id);
  }

  /** Counts the delivery as busy (until its request ends, see attempt) and runs its attempt. */
  private launch(delivery: DeliveryRecord): void {
    this.occupy(delivery.workspaceId, deliveryHost(delivery.target), 1);
    const attempt = this.attempt(delivery)
      .catch((error: unknown) => this.options.log.error({ err: error, deliveryId: delivery.id }, 'could not record a delivery attempt; its lease will expire and it will be retried'))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  private async attempt(delivery: DeliveryRecord): Promise<void> {
    const host = deliveryHost(delivery.target);
    this.breakers.started(host, delivery.id);
    const result = await this.send(delivery);
    // The slot is the request to the receiver: it is free again before the outcome is written.
    this.occupy(delivery.workspaceId, host, -1);
    this.breakers.finished(host, delivery.id, hostFailing(result));
    const now = this.clock();
    const next = this.nextStep(delivery.attempts, result, now);
    const recorded = await this.options.outbox.finishAttempt({
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
          outcome: attemptOutcome(next.status, result),
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
    else if (result.superseded) log.info({ reason: result.error }, 'superseded; not sent');
    else log.info({ statusCode: result.statusCode, durationMs: result.durationMs }, 'delivered');
  }

  private async send(delivery: DeliveryRecord): Promise<AttemptResult> {
    const kind = this.options.kinds.get(delivery.kind);
    if (!kind) return { ok: false, statusCode: null, error: `no sender for ${delivery.kind} deliveries`, retryAfterMs: null, permanent: false, durationMs: 0 };
    try {
      const workspace = await this.options.workspaces.get(delivery.workspaceId);
      if (!workspace) return givenUp('workspace no longer exists');
      return await kind.send(delivery, workspace);
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

/** The audit trail's word for an attempt's outcome. */
function attemptOutcome(status: DeliveryStatus, result: AttemptResult): string {
  if (status === 'succeeded') return result.superseded ? 'superseded' : 'delivered';
  return status === 'failed' ? 'gave_up' : 'retrying';
}

/**
 * Whether an attempt says its host is in trouble: no answer at all (a timeout, a refused or reset
 * connection, a name that does not resolve), a 5xx, or a 429 (the receiver asking for less). Any other
 * answer, including a 4xx, comes from a receiver that is up and answering promptly: its deliveries
 * succeed or fail on their own merits, and holding back the host would only delay the others. A
 * permanent refusal without a status (no credentials, a deleted workspace) never reached the host, and
 * neither did an attempt the callback guard refused (SSRF): the refusal is ours, every time, so
 * backing the host off would only hide the audit trail's record of each refused attempt.
 */
export function hostFailing(result: AttemptResult): boolean {
  if (result.blocked) return false;
  if (result.statusCode === null) return !result.permanent;
  return result.statusCode >= 500 || result.statusCode === 429;
}

function adjust(counts: Map<string, number>, key: string, change: number): void {
  const next = (counts.get(key) ?? 0) + change;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
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
