// What a request needs before it settles, in parts each app puts into words in its own language: how
// many approvals, whose are in, how many more, who may give them, and whether a policy rule decided it.
import type { ApprovalView } from './approval';
import type { EligibleReviewers } from './policy';

/** One entry of a rule's `reviewers` (any one match makes a reviewer eligible). */
export type EligibleReviewerPart =
  | { kind: 'email'; email: string }
  /** A named reviewer, as rules write them: "zendesk:381" is {via: "zendesk", id: "381"}. */
  | { kind: 'reviewer'; via: string; id: string }
  | { kind: 'zendeskGroup'; id: string }
  /** "admin", "agent", or a custom role id. */
  | { kind: 'zendeskRole'; role: string }
  | { kind: 'intercomTeam'; id: string };

export interface ApprovalNeeds {
  /** Distinct approvals that settle the request. */
  required: number;
  /** Who has approved so far (names, in order). */
  approvedBy: string[];
  /** Approvals still missing (0 once it is settled). */
  remaining: number;
  /** Who may decide; [] means anyone in the workspace. */
  eligible: EligibleReviewerPart[];
  /** The policy rule that set this, or null (no rule matched, or a request older than policies). */
  ruleId: string | null;
}

export function approvalNeeds(approval: Pick<ApprovalView, 'policy' | 'approvals'>): ApprovalNeeds {
  const required = Math.max(1, approval.policy?.approvalsRequired ?? 1);
  const approvedBy = approval.approvals.map((vote) => vote.reviewer.name);
  return {
    required,
    approvedBy,
    remaining: Math.max(0, required - approvedBy.length),
    eligible: eligibleReviewerParts(approval.policy?.reviewers ?? null),
    ruleId: approval.policy?.ruleId ?? null,
  };
}

/** True when nothing restricts the request: one approval by anyone settles it. */
export function anyReviewerCanApprove(needs: ApprovalNeeds): boolean {
  return needs.required === 1 && needs.eligible.length === 0;
}

export function eligibleReviewerParts(reviewers: EligibleReviewers | null): EligibleReviewerPart[] {
  if (!reviewers) return [];
  return [
    ...(reviewers.emails ?? []).map((email) => ({ kind: 'email', email }) as const),
    ...(reviewers.ids ?? []).map((key) => namedReviewer(key)),
    ...(reviewers.zendeskGroups ?? []).map((id) => ({ kind: 'zendeskGroup', id }) as const),
    ...(reviewers.zendeskRoles ?? []).map((role) => ({ kind: 'zendeskRole', role }) as const),
    ...(reviewers.intercomTeams ?? []).map((id) => ({ kind: 'intercomTeam', id }) as const),
  ];
}

/** The rule id when a policy rule settled the request by itself (decidedBy.via "policy"), else null. */
export function decidingRule(approval: Pick<ApprovalView, 'decidedBy'>): string | null {
  return approval.decidedBy?.via === 'policy' ? approval.decidedBy.id : null;
}

function namedReviewer(key: string): EligibleReviewerPart {
  const colon = key.indexOf(':');
  return colon > 0 ? { kind: 'reviewer', via: key.slice(0, colon), id: key.slice(colon + 1) } : { kind: 'reviewer', via: 'api', id: key };
}
