// The public face of an approval record.
import { approvalChanges, type ApprovalView, type AuditEventView } from '@countersign/shared';
import { requirementView } from '../approvals/requirement-view';
import type { ApprovalRecord, AuditEventRecord } from '../approvals/records';

const iso = (ms: number) => new Date(ms).toISOString();

export function approvalView(a: ApprovalRecord): ApprovalView {
  return {
    approvalId: a.id,
    status: a.status,
    action: a.action,
    summary: a.summary,
    details: a.details,
    riskLevel: a.riskLevel,
    priority: a.priority,
    justification: a.justification,
    agentName: a.agentName,
    metadata: a.metadata,
    context: a.context,
    modifiedDetails: a.modifiedDetails,
    changes: approvalChanges(a.details, a.modifiedDetails),
    decisionNote: a.decisionNote,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt === null ? null : iso(a.decidedAt),
    createdAt: iso(a.createdAt),
    expiresAt: iso(a.expiresAt),
    policy: requirementView(a),
    approvals: a.approvals.map((vote) => ({ reviewer: vote.reviewer, at: iso(vote.at) })),
    requestedBy: a.requestedBy,
  };
}

export function auditEventView(e: AuditEventRecord): AuditEventView {
  return { id: e.id, type: e.type, at: iso(e.at), data: e.data };
}
