// The outbox in the embedded store: fair claims under a lease, attempt outcomes, due times.
import type { AttemptOutcome, DeliveryClaim, DeliveryExclusion, OutboxStore } from '../../approvals/ports';
import type { DeliveryRecord } from '../../approvals/records';
import { fairShare, hostRoom, HOSTS_PER_WORKSPACE, HostRotation, workspaceRoom, type ClaimCandidate } from '../../delivery/fair-share';
import type { SqliteDatabase } from './database';
import { deliveryFromRow, eventParams, INSERT_EVENT, type Row } from './rows';

export class SqliteOutbox implements OutboxStore {
  private readonly rotation = new HostRotation();

  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Reads the head of every queue (workspace × host) the claim may take from, chooses among them with
   * fairShare, and leases the chosen, all in one IMMEDIATE transaction. Queues are found by seeking
   * through the deliveries_queues index, so a workspace at its cap or a host without room costs one
   * seek however many deliveries wait in it; a scan in due order would read every held-back row on
   * every claim.
   */
  async claim(claim: DeliveryClaim): Promise<DeliveryRecord[]> {
    return this.db.immediate(() => {
      const candidates: ClaimCandidate[] = [];
      for (const workspaceId of this.pendingWorkspaces()) {
        const room = workspaceRoom(claim, workspaceId);
        if (room === 0) continue;
        for (const host of this.rotation.pick(workspaceId, (after, max) => this.pendingHosts(workspaceId, after, max))) {
          const take = Math.min(room, hostRoom(claim, host));
          if (take > 0) candidates.push(...this.db.all(QUEUE_HEAD, workspaceId, host, claim.now, claim.now, take).map(candidateFromRow));
        }
      }
      const lease = { owner: claim.owner, leaseUntil: claim.now + claim.leaseMs, now: claim.now };
      return fairShare(candidates, claim).flatMap((id) => this.db.all(LEASE_CHOSEN, { ...lease, id }).map(deliveryFromRow));
    });
  }

  /** Workspaces with pending deliveries, one index seek each. */
  private pendingWorkspaces(): string[] {
    const found: string[] = [];
    for (let row = this.db.one(NEXT_WORKSPACE, ''); row; row = this.db.one(NEXT_WORKSPACE, row.workspace_id)) found.push(row.workspace_id as string);
    return found;
  }

  /** Up to `max` hosts the workspace has pending deliveries for, above `after` (null: from the first). */
  private pendingHosts(workspaceId: string, after: string | null, max: number): string[] {
    const found: string[] = [];
    let row = after === null ? this.db.one(FIRST_HOST, workspaceId) : this.db.one(NEXT_HOST, workspaceId, after);
    while (row && found.length < max) {
      found.push(row.target_host as string);
      row = this.db.one(NEXT_HOST, workspaceId, row.target_host);
    }
    return found;
  }

  /**
   * Lazily committed (SqliteDatabase.lazy): an outcome is never on a request's path, and sharing the
   * next decision's commit halves the WAL syncs of a busy outbox. The lease still fences it.
   */
  async finishAttempt(o: AttemptOutcome): Promise<boolean> {
    return this.db.lazy(() => {
      const changed = this.db.run(
        `UPDATE deliveries
            SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
          WHERE id = ? AND lease_owner = ? AND attempts = ? AND status = 'pending'`,
        o.status, o.nextAttemptAt, o.lastError, o.now, o.deliveryId, o.owner, o.attempt,
      );
      if (changed === 1) this.db.run(INSERT_EVENT, eventParams(o.event));
      return changed === 1;
    });
  }

  /**
   * Queue by queue, like the claim, so deliveries held back in excluded queues cost a seek, not a scan.
   * Only a workspace's first HOSTS_PER_WORKSPACE hosts are read: the others' due times are missed at
   * worst until the worker's next poll.
   */
  async nextDueAt(exclude?: DeliveryExclusion): Promise<number | null> {
    const workspaces = new Set(exclude?.workspaceIds);
    const hosts = new Set(exclude?.hosts);
    let due: number | null = null;
    for (const workspaceId of this.pendingWorkspaces()) {
      if (workspaces.has(workspaceId)) continue;
      for (const host of this.pendingHosts(workspaceId, null, HOSTS_PER_WORKSPACE)) {
        if (hosts.has(host)) continue;
        const queueDue = this.db.one(QUEUE_DUE, workspaceId, host)?.due as number | null | undefined;
        if (queueDue != null && (due === null || queueDue < due)) due = queueDue;
      }
    }
    return due;
  }

  async list(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]> {
    return this.db.all('SELECT * FROM deliveries WHERE workspace_id = ? AND approval_id = ? ORDER BY created_at, id', workspaceId, approvalId).map(deliveryFromRow);
  }
}

// The outbox's queues: pending deliveries by workspace and host, read through deliveries_queues. The
// index is named because the planner, without statistics, prefers deliveries_due and then sorts.
const NEXT_WORKSPACE = "SELECT workspace_id FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id > ? ORDER BY workspace_id LIMIT 1";
const FIRST_HOST = "SELECT target_host FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? ORDER BY target_host LIMIT 1";
const NEXT_HOST = "SELECT target_host FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? AND target_host > ? ORDER BY target_host LIMIT 1";
const QUEUE_HEAD = `SELECT id, workspace_id, target_host, next_attempt_at FROM deliveries INDEXED BY deliveries_queues
  WHERE status = 'pending' AND workspace_id = ? AND target_host = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  ORDER BY next_attempt_at LIMIT ?`;
/**
 * When a queue's first delivery becomes claimable. Leased rows keep their due time, so they sit at the
 * head of their queue; a queue never has more leased than all instances' attempts to one host in
 * flight, so its first rows decide (past that the answer may come out late, which only makes the worker
 * look later, and it looks at least once a poll interval anyway).
 */
const QUEUE_DUE = `SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) AS due FROM (
  SELECT next_attempt_at, lease_until FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? AND target_host = ?
  ORDER BY next_attempt_at LIMIT 64)`;
/** Leases one chosen delivery, checking again that it is still due and free (the claim's transaction makes that certain). */
const LEASE_CHOSEN = `UPDATE deliveries
    SET lease_owner = @owner, lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
  WHERE id = @id AND status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
  RETURNING *`;

function candidateFromRow(row: Row): ClaimCandidate {
  return { id: row.id as string, workspaceId: row.workspace_id as string, host: row.target_host as string, nextAttemptAt: row.next_attempt_at as number };
}
