// What the domain keeps about an approval: the request, its audit trail, and the deliveries its
// changes cause (the outbox). The stores persist these records as they are; field types come from the
// public API's schemas in @countersign/shared wherever the shapes are the same. Times are epoch ms.
import type { ApprovalContext, ApprovalStatus, EligibleReviewers, JsonObject, Priority, Reviewer, RiskLevel, SlackChannelRef } from '@countersign/shared';

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
  /** Incremented by every change; a change applies only to the version it was computed from. */
  version: number;
  /** Who asked for the action, as the automation says (intake's requestedBy): they may not decide it. */
  requestedBy: RequesterRecord | null;
  /** What the policy required when the request came in; null for requests older than policies. */
  requirement: Requirement | null;
  /** Approvals by distinct eligible reviewers so far, of the details as they now stand. */
  approvals: ApprovalVote[];
  /**
   * When the sweep next has a follow-up to make (a reminder, an escalation) while the request waits;
   * absent or null when none remains. The one follow-up field the stores query (follow-ups.ts).
   */
  followUpAt?: number | null;
  /** When the waiting request was reminded of, and escalated; absent or null: not (yet). */
  remindedAt?: number | null;
  escalatedAt?: number | null;
}

/**
 * What a stored approval that predates a field reads as: the adapters spread these under what they
 * stored, so adding a field (and its default here) needs no change to any adapter.
 */
export const APPROVAL_DEFAULTS: Pick<ApprovalRecord, 'requestedBy' | 'requirement' | 'approvals'> = { requestedBy: null, requirement: null, approvals: [] };

export interface RequesterRecord {
  id?: string;
  email?: string;
}

/** The policy's verdict for a request needing a human, fixed at intake. */
export interface Requirement {
  /** The matching rule, or null when none matched (one approval by anyone). */
  ruleId: string | null;
  /** The policy version that decided; 0 for the empty policy. */
  policyVersion: number;
  approvalsRequired: number;
  /** Who may decide; null is anyone in the workspace. */
  reviewers: EligibleReviewers | null;
  /** Where the request is announced and when it is followed up, as the rule said; absent: the defaults, no follow-ups. */
  reach?: RequestReach;
}

/** The rule's `notify`, `remindAfterSeconds`, `escalateAfterSeconds` and `escalateTo`. */
export interface RequestReach {
  notify?: SlackChannelRef;
  remindAfterSeconds?: number;
  escalateAfterSeconds?: number;
  escalateTo?: SlackChannelRef;
}

export interface ApprovalVote {
  reviewer: Reviewer;
  at: number;
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

/**
 * A message Countersign posted about an approval on a chat platform (a Slack request message), kept so
 * later deliveries can edit it when the request is decided, or reply in its thread.
 */
export interface PostedMessageRecord {
  workspaceId: string;
  approvalId: string;
  /** Which of the approval's messages: the request as first announced, or its escalation. */
  role: 'request' | 'escalation';
  platform: 'slack';
  channel: string;
  /** The platform's id of the message (Slack's `ts`). */
  messageId: string;
  postedAt: number;
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
