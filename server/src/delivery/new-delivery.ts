// A delivery as a kind plans it: pending, due at once, no attempt made yet.
import { newId } from '../approvals/ids';
import type { ApprovalRecord, DeliveryRecord } from '../approvals/records';

/** Its id doubles as the Standard Webhooks `webhook-id`, the same on every retry. */
export function newDelivery(approval: ApprovalRecord, kind: string, target: string, body: string): DeliveryRecord {
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
