// Following up a request that waits for a human: a reminder after the rule's remindAfterSeconds and an
// escalation after its escalateAfterSeconds, each at most once, counted from when the request came in,
// and none at or after its expiry (it ends then). Pure: the service makes each follow-up with a
// compare-and-set on the approval's version, so of several instances sweeping at once one makes it.
import type { ApprovalRecord } from './records';

export type FollowUp = 'reminded' | 'escalated';

interface Scheduled {
  followUp: FollowUp;
  at: number;
}

/** The follow-ups the rule asked for that are not made yet, earliest first. */
function outstanding(approval: ApprovalRecord): Scheduled[] {
  const reach = approval.requirement?.reach;
  if (!reach) return [];
  const scheduled: Scheduled[] = [];
  if (reach.remindAfterSeconds !== undefined && approval.remindedAt == null) scheduled.push({ followUp: 'reminded', at: approval.createdAt + reach.remindAfterSeconds * 1000 });
  if (reach.escalateAfterSeconds !== undefined && reach.escalateTo && approval.escalatedAt == null) scheduled.push({ followUp: 'escalated', at: approval.createdAt + reach.escalateAfterSeconds * 1000 });
  return scheduled.filter((s) => s.at < approval.expiresAt).sort((a, b) => a.at - b.at);
}

/** When the sweep next has something to do for this approval; null when nothing remains. */
export function nextFollowUpAt(approval: ApprovalRecord): number | null {
  if (approval.status !== 'pending') return null;
  return outstanding(approval)[0]?.at ?? null;
}

/** The follow-up due now, if any (the earlier one first, when both are). */
export function dueFollowUp(approval: ApprovalRecord, now: number): FollowUp | null {
  if (approval.status !== 'pending' || approval.expiresAt <= now) return null;
  const first = outstanding(approval)[0];
  return first && first.at <= now ? first.followUp : null;
}

/** The approval with `followUp` made at `now`, and its next follow-up time. */
export function withFollowUp(approval: ApprovalRecord, followUp: FollowUp, now: number): ApprovalRecord {
  const marked: ApprovalRecord = followUp === 'reminded' ? { ...approval, remindedAt: now } : { ...approval, escalatedAt: now };
  return { ...marked, followUpAt: nextFollowUpAt(marked) };
}
