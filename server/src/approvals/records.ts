// What the domain keeps about an approval: the request, its audit trail, and the deliveries its
// changes cause (the outbox). The stores persist these records as they are; field types come from the
// public API's schemas in @countersign/shared wherever the shapes are the same. Times are epoch ms.
import type { ApprovalContext, ApprovalStatus, JsonObject, Priority, Reviewer, RiskLevel } from '@countersign/shared';

export interface ApprovalRecord {
  id: string;
  workspaceId: string;
  status: ApprovalStatus;
  action: string;
  summary: string;
  details: JsonObject;
  riskLevel: RiskLevel;
  priority: Priority;
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
  /** The complete effective details a reviewer approved with, or null when they approved them as asked. */
  modifiedDetails: JsonObject | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdByKeyId: string | null;
}

/** The fields a transition out of `pending` sets. */
export type Settlement = Pick<ApprovalRecord, 'status' | 'decidedAt' | 'decidedBy' | 'decisionNote' | 'modifiedDetails'>;

export interface AuditEventRecord {
  id: string;
  workspaceId: string;
  approvalId: string;
  type: string;
  at: number;
  data: JsonObject;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/**
 * One message an approval's change sends somewhere (its callback, a ticket note, …): written in the
 * same transaction as the change, then sent by the outbox worker. `kind` names the delivery kind that
 * planned it and sends it (delivery/delivery-kind.ts).
 */
export interface DeliveryRecord {
  id: string;
  workspaceId: string;
  approvalId: string;
  kind: string;
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

/** A platform's notification (an Intercom webhook), recorded before it is acknowledged. */
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
