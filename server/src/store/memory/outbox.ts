// The outbox in memory: fair claims under a lease, attempt outcomes, due times. Claims choose with
// fairShare and HostRotation, as both other adapters do, so tests on this store see the same order.
import type { AttemptOutcome, DeliveryClaim, DeliveryExclusion, OutboxStore } from '../../approvals/ports';
import type { DeliveryRecord } from '../../approvals/records';
import { fairShare, hostRoom, HostRotation, workspaceRoom, type ClaimCandidate } from '../../delivery/fair-share';
import { compareIds, copy, type MemoryTables, type StoredDelivery } from './tables';

/** Pending deliveries by workspace, then by host, each queue in due order. */
type Queues = Map<string, Map<string, StoredDelivery[]>>;

export class MemoryOutbox implements OutboxStore {
  private readonly rotation = new HostRotation();

  constructor(private readonly tables: MemoryTables) {}

  /** Reads the head of every queue the claim may take from, chooses with fairShare, and leases the chosen. */
  async claim(claim: DeliveryClaim): Promise<DeliveryRecord[]> {
    const candidates: ClaimCandidate[] = [];
    for (const [workspaceId, byHost] of this.queues()) {
      const room = workspaceRoom(claim, workspaceId);
      if (room === 0) continue;
      const hosts = [...byHost.keys()].sort(compareIds);
      for (const host of this.rotation.pick(workspaceId, (after, max) => hosts.filter((h) => after === null || h > after).slice(0, max))) {
        const take = Math.min(room, hostRoom(claim, host));
        const head = byHost.get(host)!.filter((d) => claimable(d.record, claim.now)).slice(0, take);
        candidates.push(...head.map(({ record, host }) => ({ id: record.id, workspaceId, host, nextAttemptAt: record.nextAttemptAt })));
      }
    }
    return fairShare(candidates, claim).map((id) => {
      const delivery = this.tables.deliveries.get(id)!.record;
      Object.assign(delivery, { leaseOwner: claim.owner, leaseUntil: claim.now + claim.leaseMs, attempts: delivery.attempts + 1, updatedAt: claim.now });
      return copy(delivery);
    });
  }

  async finishAttempt(o: AttemptOutcome): Promise<boolean> {
    const delivery = this.tables.deliveries.get(o.deliveryId)?.record;
    // Fenced on owner and attempt number: a worker whose lease was taken over cannot overwrite the newer attempt's state.
    if (!delivery || delivery.leaseOwner !== o.owner || delivery.attempts !== o.attempt || delivery.status !== 'pending') return false;
    Object.assign(delivery, { status: o.status, nextAttemptAt: o.nextAttemptAt, lastError: o.lastError, leaseOwner: null, leaseUntil: null, updatedAt: o.now });
    this.tables.writeEvent(o.event);
    return true;
  }

  /** Exact over every pending delivery (no queue-head approximation as in SQLite: nothing here costs a seek). */
  async nextDueAt(exclude?: DeliveryExclusion): Promise<number | null> {
    const workspaces = new Set(exclude?.workspaceIds);
    const hosts = new Set(exclude?.hosts);
    let due: number | null = null;
    for (const { record, host } of this.tables.deliveries.values()) {
      if (record.status !== 'pending' || workspaces.has(record.workspaceId) || hosts.has(host)) continue;
      // A leased delivery becomes claimable when its lease ends, not at its nextAttemptAt.
      const at = Math.max(record.nextAttemptAt, record.leaseUntil ?? 0);
      if (due === null || at < due) due = at;
    }
    return due;
  }

  async list(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]> {
    return [...this.tables.deliveries.values()]
      .map((d) => d.record)
      .filter((d) => d.workspaceId === workspaceId && d.approvalId === approvalId)
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id))
      .map(copy);
  }

  private queues(): Queues {
    const queues: Queues = new Map();
    for (const stored of this.tables.deliveries.values()) {
      if (stored.record.status !== 'pending') continue;
      let byHost = queues.get(stored.record.workspaceId);
      if (!byHost) queues.set(stored.record.workspaceId, (byHost = new Map()));
      const queue = byHost.get(stored.host);
      if (queue) queue.push(stored);
      else byHost.set(stored.host, [stored]);
    }
    for (const byHost of queues.values()) for (const queue of byHost.values()) queue.sort((a, b) => a.record.nextAttemptAt - b.record.nextAttemptAt || compareIds(a.record.id, b.record.id));
    return queues;
  }
}

/** Pending, due, and held by nobody (or by a holder whose lease ran out). */
function claimable(d: DeliveryRecord, now: number): boolean {
  return d.status === 'pending' && d.nextAttemptAt <= now && (d.leaseUntil === null || d.leaseUntil <= now);
}
