// Approvals and their audit trail. A transition is the one way an approval changes, and it writes its
// events and the deliveries it causes in the same transaction.
import type { ApprovalStatus } from '@countersign/shared';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '../records';

export interface ListFilter {
  status?: ApprovalStatus;
  ticketId?: string;
  conversationId?: string;
}

export interface PagePosition {
  createdAt: number;
  id: string;
}

export interface TransitionRequest {
  /**
   * The approval as the transition leaves it, written if the stored one is still pending: every
   * field a transition may change (status, the decision fields, updatedAt, and every field without
   * a column of its own). What was requested (action, details, context…) and the idempotency key
   * never change after creation.
   */
  approval: ApprovalRecord;
  now: number;
  /** The version the change was computed from: it applies only if the stored approval still has it. */
  expectedVersion: number;
  /** Refuse the transition if the approval's expiresAt has passed (a decision after expiry must lose). */
  requireUnexpired: boolean;
  /** Written in the same transaction as the transition, and only if it applies. */
  events: AuditEventRecord[];
  deliveries: DeliveryRecord[];
}

export type TransitionResult =
  | { applied: true; approval: ApprovalRecord }
  | { applied: false; approval: ApprovalRecord | null };

export interface ApprovalStore {
  /**
   * Inserts the approval with its events (its creation, and its settlement when the policy decided it
   * at intake) and the deliveries that settlement causes, all in one transaction, unless the workspace
   * already holds one with the same idempotency key: then nothing is written and the existing approval
   * is answered.
   */
  create(approval: ApprovalRecord, events: AuditEventRecord[], deliveries?: DeliveryRecord[]): Promise<{ created: boolean; approval: ApprovalRecord }>;
  get(workspaceId: string, id: string): Promise<ApprovalRecord | null>;
  findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null>;
  /**
   * Newest first (createdAt, then id, descending), strictly after `after` in that order; at most
   * `limit` (≥ 1). ticketId and conversationId filters are ANDed with each other and with status.
   */
  list(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]>;
  /**
   * Compare-and-set on a pending approval at `expectedVersion`: writes the next record (which may
   * settle it, or stay pending with another approval recorded) at the version after, with its events
   * and deliveries, atomically. Not applied: the approval as it stands (settled, changed, or gone).
   */
  transition(request: TransitionRequest): Promise<TransitionResult>;
  /** Pending approvals whose expiresAt is at or before `now`, any workspace, oldest expiry first. */
  listOverdue(now: number, limit: number): Promise<ApprovalRecord[]>;
  /**
   * Pending, unexpired approvals whose followUpAt is at or before `now` (a reminder or an escalation is
   * due), any workspace, earliest first. Transitions write followUpAt with the rest of the record.
   */
  listFollowUpsDue(now: number, limit: number): Promise<ApprovalRecord[]>;
  /** Ids of approvals that left `pending` at or after `since` (lets waiters on other instances wake). */
  listSettledSince(since: number): Promise<string[]>;
  /**
   * Of these approval ids (any workspace; at most 500 at a time), those no longer pending. Waiters on
   * other instances learn of a settlement through it however late its commit landed: listSettledSince
   * goes by updatedAt, a time the deciding instance takes before its transaction, and waiters look back
   * only a few seconds, so a commit delayed past that (contention retries, an election, a slow majority
   * wait) would never wake them. Optional, so an adapter without it still serves; waiters on it then
   * have listSettledSince alone.
   */
  listSettledAmong?(ids: string[]): Promise<string[]>;
  appendEvent(event: AuditEventRecord): Promise<void>;
  /** In the order they were written. */
  listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]>;
}
