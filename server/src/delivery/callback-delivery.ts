// The decision callback: planned inside the settlement's transaction, sent later by the worker.
import { approvalChanges, callbackStatus, type CallbackBody, type TerminalStatus } from '@countersign/shared';
import { newId } from '../approvals/ids';
import type { ApprovalRecord, DeliveryRecord } from '../approvals/records';

export function callbackBody(approval: ApprovalRecord): CallbackBody {
  return {
    type: 'approval.decided',
    approvalId: approval.id,
    action: approval.action,
    status: callbackStatus(approval.status as TerminalStatus),
    details: approval.details,
    modifiedDetails: approval.modifiedDetails,
    changes: approvalChanges(approval.details, approval.modifiedDetails),
    decisionNote: approval.decisionNote,
    decidedBy: approval.decidedBy,
    decidedAt: new Date(approval.decidedAt ?? approval.updatedAt).toISOString(),
    riskLevel: approval.riskLevel,
    context: approval.context,
  };
}

/** A new pending delivery, due now. Its id doubles as the Standard Webhooks `webhook-id`. */
export function newDelivery(approval: ApprovalRecord, kind: DeliveryRecord['kind'], target: string, body: string): DeliveryRecord {
  const now = approval.updatedAt;
  return {
    id: newId('msg', now),
    workspaceId: approval.workspaceId,
    approvalId: approval.id,
    kind,
    target,
    body,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    leaseOwner: null,
    leaseUntil: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function planCallback(approval: ApprovalRecord): DeliveryRecord[] {
  if (!approval.callbackUrl) return [];
  return [newDelivery(approval, 'callback', approval.callbackUrl, JSON.stringify(callbackBody(approval)))];
}
