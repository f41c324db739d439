// What the policy required of a request, as answers, callbacks and notes carry it.
import type { PolicyRequirementView } from '@countersign/shared';
import type { ApprovalRecord } from './records';

export function requirementView(a: ApprovalRecord): PolicyRequirementView | null {
  const r = a.requirement;
  return r ? { ruleId: r.ruleId, version: r.policyVersion, approvalsRequired: r.approvalsRequired, reviewers: r.reviewers } : null;
}
