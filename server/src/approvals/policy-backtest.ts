// A candidate policy over past requests: what it would have done with each, rule by rule, and which
// requests would have ended differently. Nothing is written; the requests are what the store holds.
import type { PolicyDocument, PolicyOutcome, PolicyTestResult } from '@countersign/shared';
import { evaluatePolicy } from './policy';
import type { ApprovalRecord } from './records';

/** At most this many changed requests are listed (the counts cover them all). */
export const MAX_CHANGED_LISTED = 200;

export function backtestPolicy(candidate: PolicyDocument, past: readonly ApprovalRecord[], since: number): PolicyTestResult {
  const outcomes = { approve: 0, reject: 0, human: 0 };
  const byRule = new Map<string | null, { approve: number; reject: number; human: number }>([...candidate.rules.map((rule) => [rule.id, { approve: 0, reject: 0, human: 0 }] as const), [null, { approve: 0, reject: 0, human: 0 }]]);
  const changed: PolicyTestResult['changed'] = [];
  let changedCount = 0;
  for (const approval of past) {
    const verdict = evaluatePolicy(candidate, approval);
    const ruleId = verdict.rule?.id ?? null;
    outcomes[verdict.outcome]++;
    byRule.get(ruleId)![verdict.outcome]++;
    if (!endsTheSame(verdict.outcome, approval)) {
      changedCount++;
      if (changed.length < MAX_CHANGED_LISTED) changed.push({ approvalId: approval.id, action: approval.action, riskLevel: approval.riskLevel, actual: actualOutcome(approval), wouldBe: verdict.outcome, ruleId });
    }
  }
  return {
    evaluated: past.length,
    since: new Date(since).toISOString(),
    outcomes,
    byRule: [...byRule].map(([ruleId, counts]) => ({ ruleId, ...counts })),
    changed,
    changedTruncated: changedCount > changed.length,
  };
}

/**
 * An auto-decision ends a request differently unless the request ended the same way (approved for
 * approve, rejected for reject). Needing a human changes nothing that a human then decided.
 */
function endsTheSame(wouldBe: PolicyOutcome, approval: ApprovalRecord): boolean {
  if (wouldBe === 'human') return approval.decidedBy?.via !== 'policy';
  return approval.status === (wouldBe === 'approve' ? 'approved' : 'rejected');
}

/** How the request actually ended: "approved", "rejected by policy", "expired", "pending"… */
function actualOutcome(approval: ApprovalRecord): string {
  return approval.decidedBy?.via === 'policy' ? `${approval.status} by policy` : approval.status;
}
