// Which requests belong in an agent's queue, and in what order: the ones this agent may decide now,
// on a Zendesk ticket (the queue opens tickets), most urgent first.
import { PRIORITIES, RISK_LEVELS, type ApprovalView } from '@countersign/shared';

export type QueueItem = ApprovalView & { context: { platform: 'zendesk'; ticketId: string } };

export function belongsInQueue(approval: ApprovalView): approval is QueueItem {
  return approval.status === 'pending' && approval.canDecide === true && approval.context?.platform === 'zendesk';
}

/** Priority first, then risk (highest first), then the expiry that comes soonest, then the oldest request. */
export function byUrgency(a: ApprovalView, b: ApprovalView): number {
  return (
    PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority) ||
    RISK_LEVELS.indexOf(b.riskLevel) - RISK_LEVELS.indexOf(a.riskLevel) ||
    Date.parse(a.expiresAt) - Date.parse(b.expiresAt) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    a.approvalId.localeCompare(b.approvalId)
  );
}
