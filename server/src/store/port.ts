// The Store port: everything the domain needs from persistence. Two adapters implement it (sqlite,
// mongo) and both pass test/contract/store.contract.ts. Times are epoch milliseconds throughout.
import type { ApprovalContext, ApprovalStatus, JsonObject, Reviewer } from '@countersign/shared';

export type KeyScope = 'intake' | 'review';

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
  settings: WorkspaceSettings;
  /** Secret name → sealed ciphertext (see keys/secret-box.ts). Never plaintext. */
  secrets: Record<string, string>;
}

export interface WorkspaceSettings {
  defaultExpiresInSeconds: number;
  /** While a callback-secret rotation is in its grace period, the previous secret also signs until then. */
  previousCallbackSecretUntil?: number;
  [name: string]: unknown;
}

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  scope: KeyScope;
  /** The first characters of the key, enough to recognise it in a list; never the whole key. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface ApprovalRecord {
  id: string;
  workspaceId: string;
  status: ApprovalStatus;
  action: string;
  summary: string;
  details: JsonObject;
  riskLevel: 'low' | 'medium' | 'high' | 'critical';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  justification: string | null;
  agentName: string | null;
  metadata: JsonObject | null;
  context: ApprovalContext | null;
  callbackUrl: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  decidedAt: number | null;
  decidedBy: Reviewer | null;
  decisionNote: string | null;
  modifiedDetails: JsonObject | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdByKeyId: string | null;
}

export interface AuditEventRecord {
  id: string;
  workspaceId: string;
  approvalId: string;
  type: string;
  at: number;
  data: JsonObject;
}

export type DeliveryKind = 'callback' | 'zendesk_note' | 'intercom_note';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface NewInboundEvent {
  source: string;
  eventId: string;
  topic: string;
  /** The raw body, as received. */
  payload: string;
  receivedAt: number;
}

export interface InboundEventRecord extends NewInboundEvent {
  processedAt: number | null;
  attempts: number;
}

export interface DeliveryRecord {
  id: string;
  workspaceId: string;
  approvalId: string;
  kind: DeliveryKind;
  target: string;
  /** The exact bytes to send, fixed when the delivery is written so every retry sends the same body. */
  body: string;
  status: DeliveryStatus;
  /** Attempts started so far; a claim starts the next one. */
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export type Settlement = Pick<ApprovalRecord, 'status' | 'decidedAt' | 'decidedBy' | 'decisionNote' | 'modifiedDetails'>;

export interface TransitionRequest {
  workspaceId: string;
  approvalId: string;
  settlement: Settlement;
  now: number;
  /** Refuse the transition if the approval's expiresAt has passed (a decision after expiry must lose). */
  requireUnexpired: boolean;
  /** Written in the same transaction as the transition, and only if it applies. */
  events: AuditEventRecord[];
  deliveries: DeliveryRecord[];
}

export type TransitionResult =
  | { applied: true; approval: ApprovalRecord }
  | { applied: false; approval: ApprovalRecord | null };

export interface ListFilter {
  status?: ApprovalStatus;
  ticketId?: string;
  conversationId?: string;
}

export interface PagePosition {
  createdAt: number;
  id: string;
}

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

/** What an operator watches: work waiting and work that failed. Times are epoch ms. */
export interface Backlog {
  pendingApprovals: number;
  oldestPendingCreatedAt: number | null;
  /** Deliveries not yet sent successfully and not given up: the outbox queue. */
  queuedDeliveries: number;
  oldestQueuedCreatedAt: number | null;
  /** Deliveries that ran out of attempts (or met a permanent refusal) at or after `failedSince`. */
  failedDeliveries: number;
  /** Platform events recorded but not yet processed. */
  unprocessedEvents: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  init(): Promise<void>;
  close(): Promise<void>;
  /** Cheap round trip proving the store answers (readiness). */
  ping(): Promise<void>;
  /** A tiny harmless write (one meta row), committed like any other: proves writes succeed (readiness). */
  probeWrite(): Promise<void>;

  getMeta(key: string): Promise<string | null>;
  /** Stores the value unless the key exists; answers whichever value is stored afterwards. */
  putMetaIfAbsent(key: string, value: string): Promise<string>;

  /** Throws AppError('conflict') when the name is taken. */
  createWorkspace(workspace: WorkspaceRecord): Promise<void>;
  getWorkspace(id: string): Promise<WorkspaceRecord | null>;
  findWorkspaceByName(name: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  updateWorkspace(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void>;

  createKey(key: ApiKeyRecord): Promise<void>;
  findKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  listKeys(workspaceId?: string): Promise<ApiKeyRecord[]>;
  revokeKey(id: string, at: number): Promise<boolean>;

  /**
   * Inserts the approval with its creation event, unless the workspace already holds one with the
   * same idempotency key: then nothing is written and the existing approval is answered.
   */
  createApproval(approval: ApprovalRecord, event: AuditEventRecord): Promise<{ created: boolean; approval: ApprovalRecord }>;
  getApproval(workspaceId: string, id: string): Promise<ApprovalRecord | null>;
  findApprovalByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null>;
  /**
   * Newest first (createdAt, then id, descending), strictly after `after` in that order; at most
   * `limit` (≥ 1). ticketId and conversationId filters are ANDed with each other and with status.
   */
  listApprovals(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]>;
  /** Compare-and-set from `pending`; events and deliveries are written atomically with it. */
  transitionApproval(request: TransitionRequest): Promise<TransitionResult>;
  /** Pending approvals whose expiresAt is at or before `now`, any workspace, oldest expiry first. */
  listOverdue(now: number, limit: number): Promise<ApprovalRecord[]>;
  /** Ids of approvals that left `pending` at or after `since` (lets waiters on other instances wake). */
  listSettledSince(since: number): Promise<string[]>;

  appendEvent(event: AuditEventRecord): Promise<void>;
  /** In the order they were written. */
  listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]>;

  /**
   * Leases up to `limit` due, unleased (or lease-expired) pending deliveries and starts an attempt on
   * each, atomically. Within the caps (`perWorkspace` counting `workspaceBusy`, `perHost` or
   * `hostRoom`), workspaces take turns: a workspace's k-th due delivery (earliest first) is ranked
   * busy + k, and deliveries are taken by rank, then by due time, then id. So one workspace's backlog
   * never keeps another workspace's first delivery waiting, and a workspace already busy comes after
   * idle ones. Within a host the same order decides who gets its room. A delivery that is not claimed
   * keeps its attempt count and due time.
   */
  claimDeliveries(claim: DeliveryClaim): Promise<DeliveryRecord[]>;
  /** Records an attempt's outcome if the caller still holds the lease for that attempt. */
  finishAttempt(outcome: AttemptOutcome): Promise<boolean>;
  /** Earliest time a pending delivery (outside `exclude`) becomes claimable, or null when none is pending. */
  nextDeliveryDueAt(exclude?: DeliveryExclusion): Promise<number | null>;
  listDeliveries(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]>;

  /**
   * Durably records a platform event (a webhook notification) for processing, and claims its id in
   * the same write; false when the id was recorded before (a duplicate delivery).
   */
  recordInboundEvent(event: NewInboundEvent): Promise<boolean>;
  /** Recorded, unprocessed events received before `before`, with fewer than `maxAttempts` failed tries; oldest first. */
  listUnprocessedEvents(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]>;
  markEventProcessed(source: string, eventId: string, at: number): Promise<void>;
  /** Counts a failed processing try, so a poisonous event stops being retried. */
  noteEventFailure(source: string, eventId: string): Promise<void>;
  /** Atomically claims a platform event id; false when it was claimed before (a duplicate delivery). */
  claimProcessedEvent(source: string, eventId: string, now: number): Promise<boolean>;
  /** Counts for monitoring; `failedSince` bounds the failed-delivery count. */
  backlog(failedSince: number): Promise<Backlog>;
  /** Deletes claims older than `before`; answers how many. (MongoDB also expires them by TTL after the de-duplication window.) */
  pruneProcessedEvents(before: number): Promise<number>;
}
