// The outbox: deliveries written by transitions, claimed under a lease, attempted, and recorded.
import type { AuditEventRecord, DeliveryRecord, DeliveryStatus } from '../records';

export interface DeliveryClaim {
  now: number;
  owner: string;
  leaseMs: number;
  /** Most deliveries to claim in all. */
  limit: number;
  /**
   * Cap on one workspace's attempts in flight, counting those the claimer already has
   * (`workspaceBusy`): a workspace with that many busy gets nothing. Unset: no cap.
   */
  perWorkspace?: number;
  /** Attempts the claimer already has in flight, by workspace id. */
  workspaceBusy?: Record<string, number>;
  /** Most deliveries to one destination host (deliveryHost(target)) a claim may take, unless `hostRoom` names it. Unset: no cap. */
  perHost?: number;
  /** Room left per destination host; 0 takes none of that host's deliveries (it is full, or its circuit is open). */
  hostRoom?: Record<string, number>;
}

/** Deliveries the claimer would not claim now, so their due times must not wake it. */
export interface DeliveryExclusion {
  workspaceIds: string[];
  hosts: string[];
}

export interface AttemptOutcome {
  deliveryId: string;
  owner: string;
  /** The attempt number the claim started; the write is refused if the delivery moved on since. */
  attempt: number;
  status: DeliveryStatus;
  nextAttemptAt: number;
  lastError: string | null;
  now: number;
  event: AuditEventRecord;
}

export interface OutboxStore {
  /**
   * Leases up to `limit` due, unleased (or lease-expired) pending deliveries and starts an attempt on
   * each, atomically. Within the caps (`perWorkspace` counting `workspaceBusy`, `perHost` or
   * `hostRoom`), workspaces take turns: a workspace's k-th due delivery (earliest first) is ranked
   * busy + k, and deliveries are taken by rank, then by due time, then id. So one workspace's backlog
   * never keeps another workspace's first delivery waiting, and a workspace already busy comes after
   * idle ones. Within a host the same order decides who gets its room. A delivery that is not claimed
   * keeps its attempt count and due time.
   */
  claim(claim: DeliveryClaim): Promise<DeliveryRecord[]>;
  /** Records an attempt's outcome if the caller still holds the lease for that attempt. */
  finishAttempt(outcome: AttemptOutcome): Promise<boolean>;
  /** Earliest time a pending delivery (outside `exclude`) becomes claimable, or null when none is pending. */
  nextDueAt(exclude?: DeliveryExclusion): Promise<number | null>;
  list(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]>;
}
