// What one verified reviewer's decision does to a pending request, by the rules its policy fixed at
// intake: who is eligible (and never the requester: four eyes), how many distinct approvals settle it,
// and that an approval which changes the details discards the earlier ones (they approved something
// else). One eligible rejection settles it. Pure: the service stores the outcome with a
// compare-and-set, and computes it again if another decision got there first.
// A `mutation-check: <name>` comment marks a check test/proof/mutation-check.test.ts removes, to show its tests fail.
import { applyMergePatch, detailChanges, jsonDepth, MAX_JSON_DEPTH, ownValue, sameJson, type DecisionRequest, type JsonObject, type Reviewer } from '@countersign/shared';
import { eligibility } from './eligibility';
import { AppError } from './errors';
import type { ApprovalRecord, ApprovalVote } from './records';
import { reviewerKey, type VerifiedReviewer } from './reviewer-identity';

export interface DecisionOutcome {
  /** The approval as the decision leaves it: settled, or still pending with one more approval. */
  next: ApprovalRecord;
  settles: boolean;
  eventType: 'approval.approved' | 'approval.rejected' | 'approval.approval_recorded';
  eventData: Record<string, unknown>;
}

export function applyDecision(approval: ApprovalRecord, who: VerifiedReviewer, decision: DecisionRequest, now: number): DecisionOutcome {
  const requirement = approval.requirement;
  const allowed = eligibility(requirement?.reviewers ?? null, approval.requestedBy, who, requirement?.ruleId ?? null);
  if (!allowed.eligible) throw new AppError('forbidden', allowed.code, allowed.reason);
  const note = decision.note || null;
  if (decision.decision === 'reject') {
    const next: ApprovalRecord = { ...approval, status: 'rejected', decidedAt: now, decidedBy: who.reviewer, decisionNote: note, modifiedDetails: null };
    return { next, settles: true, eventType: 'approval.rejected', eventData: { ...auditData(approval, who, note, [], approval.approvals.length), modifiedKeys: [] } };
  }
  const current = approval.modifiedDetails ?? approval.details;
  const proposed = decision.modifiedDetails ? patched(current, decision.modifiedDetails) : current;
  const changed = !sameJson(proposed, current);
  // mutation-check: distinct-reviewers
  if (!changed && approval.approvals.some((vote) => sameReviewer(vote.reviewer, who.reviewer))) {
    throw new AppError('conflict', 'already_approved', `${who.reviewer.name} has already approved this request; it needs another reviewer.`, { approval });
  }
  // Earlier approvals were of the details as they stood; a change makes them approvals of something else.
  // mutation-check: change-discards-approvals
  const approvals: ApprovalVote[] = [...(changed ? [] : approval.approvals), { reviewer: who.reviewer, at: now }];
  const modifiedDetails = sameJson(proposed, approval.details) ? null : proposed;
  const required = requirement?.approvalsRequired ?? 1;
  const changedPaths = modifiedDetails ? detailChanges(approval.details, modifiedDetails).map((change) => change.path) : [];
  const data = { ...auditData(approval, who, note, changedPaths, approvals.length), modifiedKeys: modifiedDetails ? changedTopLevelKeys(approval.details, modifiedDetails) : [], discardedApprovals: changed ? approval.approvals.length : 0 };
  // mutation-check: quorum
  if (approvals.length >= required) {
    const next: ApprovalRecord = { ...approval, status: 'approved', decidedAt: now, decidedBy: who.reviewer, decisionNote: note, modifiedDetails, approvals };
    return { next, settles: true, eventType: 'approval.approved', eventData: data };
  }
  return { next: { ...approval, modifiedDetails, approvals }, settles: false, eventType: 'approval.approval_recorded', eventData: data };
}

/**
 * One person, whichever credential they came with: the same channel and id, or the same email (a
 * personal key and a Zendesk agent session of one person are two ids but one reviewer, and a quorum
 * of two needs two people).
 */
function sameReviewer(a: Reviewer, b: Reviewer): boolean {
  return reviewerKey(a) === reviewerKey(b) || (a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase());
}

/** The audit trail's account of a decision: who, proven how, with which key, under which rule. */
function auditData(approval: ApprovalRecord, who: VerifiedReviewer, note: string | null, changedPaths: string[], approvalsSoFar: number): Record<string, unknown> {
  return {
    reviewer: who.reviewer,
    verification: who.verification,
    keyId: who.keyId,
    ...(who.assertedByKey ? { assertedByKey: who.assertedByKey } : {}),
    note,
    changedPaths,
    approvals: approvalsSoFar,
    approvalsRequired: approval.requirement?.approvalsRequired ?? 1,
    ruleId: approval.requirement?.ruleId ?? null,
    policyVersion: approval.requirement?.policyVersion ?? null,
  };
}

/**
 * A decision's modifiedDetails is a JSON merge patch over the details as they now stand; what is
 * stored (and sent to the automation) is the complete effective object.
 */
function patched(details: JsonObject, patch: JsonObject): JsonObject {
  const effective = applyMergePatch(details, patch);
  // Cannot happen for schema-valid inputs (a merge nests no deeper than its parts); checked all the same.
  if (jsonDepth(effective, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new AppError('unprocessable', 'invalid_request', `The details with modifiedDetails applied would nest deeper than ${MAX_JSON_DEPTH} levels.`, {
      issues: [{ code: 'too_deep', path: ['modifiedDetails'], message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  return effective;
}

/** The top-level details that differ (the audit trail's older, coarser field beside changedPaths). */
function changedTopLevelKeys(details: JsonObject, modified: JsonObject): string[] {
  const keys = new Set([...Object.keys(details), ...Object.keys(modified)]);
  return [...keys].filter((key) => !sameJson(ownValue(details, key), ownValue(modified, key)) || Object.hasOwn(details, key) !== Object.hasOwn(modified, key));
}
