// Records as the domain writes them, for suites that drive a store directly (the MongoDB adapter's own).
import { newId } from '@countersign/server/approvals';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '@countersign/server/approvals';
import type { TransitionRequest } from '@countersign/server/approvals/ports';
import type { WorkspaceRecord } from '@countersign/server/approvals';

export function workspaceRecord(name: string, createdAt = Date.now()): WorkspaceRecord {
  return { id: newId('ws'), name, createdAt, settings: { defaultExpiresInSeconds: 86_400 }, secrets: { callback: 'v1:sealed' } };
}

export function approvalRecord(workspaceId: string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  const createdAt = overrides.createdAt ?? Date.now();
  return {
    id: newId('apr', createdAt), workspaceId, status: 'pending', action: 'process_refund', summary: 'Refund', details: { ticketId: '4512' },
    riskLevel: 'high', priority: 'normal', justification: null, agentName: null, metadata: null, context: { platform: 'zendesk', ticketId: '4512' },
    callbackUrl: 'https://example.com/callback', createdAt, updatedAt: createdAt, expiresAt: createdAt + 86_400_000, decidedAt: null,
    decidedBy: null, decisionNote: null, modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: 'key_x',
    version: 0, requestedBy: null, requirement: null, approvals: [],
    ...overrides,
  };
}

export function eventRecord(a: ApprovalRecord, type: string, at = a.createdAt): AuditEventRecord {
  return { id: newId('evt', at), workspaceId: a.workspaceId, approvalId: a.id, type, at, data: { type } };
}

export function deliveryRecord(a: ApprovalRecord, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  const at = overrides.createdAt ?? a.createdAt;
  return {
    id: newId('msg', at), workspaceId: a.workspaceId, approvalId: a.id, kind: 'callback', target: 'https://example.com/callback',
    body: '{"status":"APPROVED"}', status: 'pending', attempts: 0, nextAttemptAt: at, leaseOwner: null, leaseUntil: null, lastError: null,
    createdAt: at, updatedAt: at, ...overrides,
  };
}

/** The approval of `a` at `now`, with its event and the given deliveries. */
export function approveRequest(a: ApprovalRecord, now: number, deliveries: DeliveryRecord[] = [], overrides: Partial<TransitionRequest> = {}): TransitionRequest {
  return {
    approval: { ...a, status: 'approved', decidedAt: now, decidedBy: { id: '7', name: 'Ana', via: 'api' }, decisionNote: null, modifiedDetails: null, updatedAt: now },
    now,
    expectedVersion: a.version,
    requireUnexpired: true,
    events: [eventRecord(a, 'approval.approved', now)],
    deliveries,
    ...overrides,
  };
}
