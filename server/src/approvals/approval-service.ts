// The approval domain: create (idempotent; the policy decides at once, or fixes who must decide),
// decide (verified reviewers, eligibility, quorum; one winner), cancel, expire, over the approval store
// port; its effects (deliveries, observers) through the ports of approval-effects.ts. No HTTP, no
// database driver.
import { canTransition, type DecisionRequest, type IntakeRequest } from '@countersign/shared';
import type { ApprovalObserver, ApprovalTransition, CallbackUrlPolicy, DeliveryPlanner } from './approval-effects';
import { deriveContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { applyDecision } from './decision-rules';
import { eligibility } from './eligibility';
import { AppError, approvalNotFound } from './errors';
import { dueFollowUp, nextFollowUpAt, withFollowUp, type FollowUp } from './follow-ups';
import { newId } from './ids';
import type { PolicyInForce } from './policies';
import { evaluatePolicy } from './policy';
import type { ApprovalStore, ListFilter, TransitionResult } from './ports';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord, Settlement } from './records';
import { requestHash } from './request-hash';
import { policyReviewer, reviewerKey, verifyReviewer, type ReviewerPrincipal, type VerifiedReviewer } from './reviewer-identity';
import type { ApiKeyRecord, WorkspaceRecord } from './workspace-records';

export interface ApprovalServiceDeps {
  store: { approvals: ApprovalStore };
  /** The policy in force for a workspace (approvals/policies.ts). */
  policies: { current(workspaceId: string): Promise<PolicyInForce> };
  clock: () => number;
  callbackUrls: CallbackUrlPolicy;
  /** Plans the deliveries each change writes (its callback, notes, messages…) and sends them once written. */
  outbox: DeliveryPlanner;
  /** Told of every committed change (waiters holding intake responses, …). */
  observers: ApprovalObserver[];
}

export interface Requester {
  workspace: WorkspaceRecord;
  keyId: string;
}

/**
 * Who asks to see or withdraw one approval. `key` is the API key that asks; platform integrations
 * (the canvas, signed page links, Intercom notifications) act for the whole workspace and pass none.
 */
export interface Viewer {
  workspaceId: string;
  key?: Pick<ApiKeyRecord, 'id' | 'scope'>;
}

/**
 * Who may see an approval, in one place: an intake key sees only the requests it created (a key
 * reissued after a revocation is a new key id, and does not see its predecessor's); everyone else
 * in the workspace sees all of them. Anything else is answered exactly like an unknown id, so it
 * is no oracle of what exists.
 */
function mayView(viewer: Viewer, approval: ApprovalRecord): boolean {
  return viewer.key?.scope !== 'intake' || approval.createdByKeyId === viewer.key.id;
}

export type DecisionAccess = { canDecide: true; reason: null; code: null } | { canDecide: false; reason: string; code: string };

/**
 * Whether `who` may decide `approval` now, and if not, why (for apps to show before a click). A
 * reviewer whose approval is already counted is told so: approving again is 409 already_approved,
 * and the apps show the request as waiting for someone else.
 */
export function decisionAccess(approval: ApprovalRecord, who: VerifiedReviewer): DecisionAccess {
  if (approval.status !== 'pending') return { canDecide: false, reason: `It is already ${approval.status}.`, code: 'not_pending' };
  const allowed = eligibility(approval.requirement?.reviewers ?? null, approval.requestedBy, who, approval.requirement?.ruleId ?? null);
  if (!allowed.eligible) return { canDecide: false, reason: allowed.reason, code: allowed.code };
  if (approval.approvals.some((vote) => reviewerKey(vote.reviewer) === reviewerKey(who.reviewer))) {
    const remaining = Math.max(1, (approval.requirement?.approvalsRequired ?? 1) - approval.approvals.length);
    return { canDecide: false, reason: `Your approval is recorded; ${remaining} more ${remaining === 1 ? 'approval' : 'approvals'} from other reviewers must follow.`, code: 'already_approved' };
  }
  return { canDecide: true, reason: null, code: null };
}

export const EXPIRED_NOTE = 'Expired before a reviewer decided.';
export const CANCELLED_NOTE = 'Cancelled by the requester.';
/** Decisions computed again when another got to the same pending request first (quorum approvals racing). */
const MAX_DECISION_ATTEMPTS = 8;

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  /**
   * The request, with what the workspace's policy says of it: settled at once by an auto-decision
   * (its events and deliveries written in the same transaction), or the requirement a human must meet.
   */
  async create(requester: Requester, body: IntakeRequest, idempotencyKey: string | null): Promise<{ created: boolean; approval: ApprovalRecord }> {
    const callbackUrl = body.callbackUrl ?? body.webhookUrl ?? null;
    if (callbackUrl) await this.refuseUnsafeCallback(callbackUrl, body.callbackUrl ? 'callbackUrl' : 'webhookUrl');
    const now = this.deps.clock();
    const policy = await this.deps.policies.current(requester.workspace.id);
    const requested = newApproval(requester, body, callbackUrl, idempotencyKey, now);
    const verdict = evaluatePolicy(policy.document, requested);
    const ruleId = verdict.rule?.id ?? null;
    const events = [event(requested, 'approval.created', now, {
      action: requested.action,
      riskLevel: requested.riskLevel,
      keyId: requester.keyId,
      callback: callbackUrl !== null,
      ruleId,
      policyVersion: policy.version,
    })];
    const requirement = { ruleId, policyVersion: policy.version, approvalsRequired: verdict.approvalsRequired, reviewers: verdict.reviewers, ...(verdict.reach ? { reach: verdict.reach } : {}) };
    let approval: ApprovalRecord = { ...requested, requirement };
    let deliveries: DeliveryRecord[];
    if (verdict.outcome !== 'human') {
      const status = verdict.outcome === 'approve' ? 'approved' : 'rejected';
      const decidedBy = policyReviewer(ruleId!);
      approval = { ...approval, status, decidedAt: now, decidedBy, decisionNote: verdict.note ?? `Decided by the policy (rule "${ruleId}").` };
      events.push(event(approval, `approval.${status}`, now, { reviewer: decidedBy, verification: 'policy', keyId: null, ruleId, policyVersion: policy.version, note: approval.decisionNote }));
      deliveries = await this.deps.outbox.plan(approval, 'settled', requester.workspace);
    } else {
      approval = { ...approval, followUpAt: nextFollowUpAt(approval) };
      // Announced to reviewers (a Slack message…) in the same transaction as the request itself.
      deliveries = await this.deps.outbox.plan(approval, 'created', requester.workspace);
    }
    const created = await this.deps.store.approvals.create(approval, events, deliveries).catch((error: unknown) => {
      this.deps.outbox.discarded(deliveries);
      throw error;
    });
    if (!created.created) {
      this.deps.outbox.discarded(deliveries);
      if (created.approval.createdByKeyId !== requester.keyId) {
        // Idempotency keys are unique per workspace; a replay must not show another key's request.
        throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used by another key of this workspace.');
      }
      if (created.approval.requestHash !== approval.requestHash) {
        throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
      }
      return created;
    }
    this.committed(created.approval, deliveries);
    return created;
  }

  /** The request created earlier under this idempotency key, if any. */
  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    return this.deps.store.approvals.findByIdempotencyKey(workspaceId, idempotencyKey);
  }

  private async refuseUnsafeCallback(url: string, field: string): Promise<void> {
    const problem = await this.deps.callbackUrls.intakeProblem(url);
    if (!problem) return;
    throw new AppError('unprocessable', 'callback_url_refused', `The callback URL was refused: ${problem}.`, {
      issues: [{ code: 'callback_url_refused', path: [field], message: problem }],
    });
  }

  async get(viewer: Viewer, id: string): Promise<ApprovalRecord> {
    const approval = await this.deps.store.approvals.get(viewer.workspaceId, id);
    if (!approval || !mayView(viewer, approval)) throw approvalNotFound();
    return approval;
  }

  async list(workspaceId: string, filter: ListFilter, limit: number, cursor?: string): Promise<{ items: ApprovalRecord[]; nextCursor: string | null }> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.deps.store.approvals.list(workspaceId, filter, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async events(viewer: Viewer, id: string): Promise<AuditEventRecord[]> {
    await this.get(viewer, id);
    return this.deps.store.approvals.listEvents(viewer.workspaceId, id);
  }

  /**
   * A decision by the reviewer the principal proves. Exactly one settling decision wins; every other
   * one, and any decision after expiry, is a conflict. A quorum approval that does not settle yet
   * answers the request still pending, with the approval recorded.
   */
  async decide(workspaceId: string, id: string, decision: DecisionRequest, principal: ReviewerPrincipal): Promise<ApprovalRecord> {
    let who: VerifiedReviewer | undefined;
    for (let attempt = 1; ; attempt++) {
      const approval = await this.get({ workspaceId }, id);
      // After the read: an id that is not the workspace's is 404 whoever asks.
      who ??= verifyReviewer(principal, decision.reviewer);
      const now = this.deps.clock();
      // Whether it expired is the store's compare-and-set to say, not this instance's clock (below).
      if (approval.status !== 'pending') throw conflict(approval);
      const outcome = applyDecision(approval, who, decision, now);
      const result = await this.change(approval, outcome.next, outcome.eventType, outcome.eventData, now, true, outcome.settles ? 'settled' : 'voted');
      if (result.applied) return result.approval;
      const current = result.approval ?? approval;
      if (current.status !== 'pending') throw conflict(current);
      if (result.approval && current.version === approval.version) throw await this.expiredConflict(current, now);
      // Another approval was recorded first: decide again against the request as it now stands.
      if (attempt === MAX_DECISION_ATTEMPTS) throw contended();
    }
  }

  async cancel(viewer: Viewer, id: string, reason?: string): Promise<ApprovalRecord> {
    for (let attempt = 1; ; attempt++) {
      const approval = await this.get(viewer, id);
      const now = this.deps.clock();
      const settlement: Settlement = { status: 'cancelled', decidedAt: now, decidedBy: null, decisionNote: reason || CANCELLED_NOTE, modifiedDetails: null };
      try {
        return await this.settleOrConflict(approval, settlement, { reason: reason ?? null }, now);
      } catch (error) {
        // Still pending: an approval was recorded in between; withdraw the request as it now stands.
        if (!(error instanceof StillPending) || attempt === MAX_DECISION_ATTEMPTS) throw error instanceof StillPending ? contended() : error;
      }
    }
  }

  /** Expires up to `limit` overdue approvals; safe to run on every instance at once. */
  async expireOverdue(limit = 100): Promise<number> {
    const now = this.deps.clock();
    const overdue = await this.deps.store.approvals.listOverdue(now, limit);
    let expired = 0;
    for (const approval of overdue) if ((await this.expire(approval, now)).applied) expired++;
    return expired;
  }

  private expire(approval: ApprovalRecord, now: number) {
    const settlement: Settlement = { status: 'expired', decidedAt: now, decidedBy: null, decisionNote: EXPIRED_NOTE, modifiedDetails: null };
    return this.change(approval, { ...approval, ...settlement }, 'approval.expired', { expiresAt: new Date(approval.expiresAt).toISOString() }, now, false, 'settled');
  }

  /**
   * Makes the reminders and escalations that are due (up to `limit` approvals); safe to run on every
   * instance at once: each is a compare-and-set on the approval's version, so it is made once. Answers
   * how many approvals were looked at.
   */
  async followUpOverdue(limit = 100): Promise<number> {
    const now = this.deps.clock();
    const due = await this.deps.store.approvals.listFollowUpsDue(now, limit);
    for (const approval of due) await this.followUp(approval, now);
    return due.length;
  }

  /** Each follow-up due for the approval, in turn; stops when another change got there first. */
  private async followUp(approval: ApprovalRecord, now: number): Promise<void> {
    let current = approval;
    for (let followUp = dueFollowUp(current, now); followUp; followUp = dueFollowUp(current, now)) {
      const result = await this.change(current, withFollowUp(current, followUp, now), `approval.${followUp}`, followUpData(current, followUp), now, true, followUp);
      // Lost to another change (a decision, another instance's sweep): whatever is still due is found next time.
      if (!result.applied) return;
      current = result.approval;
    }
  }

  private async settleOrConflict(approval: ApprovalRecord, settlement: Settlement, data: Record<string, unknown>, now: number): Promise<ApprovalRecord> {
    // Whether it expired is the store's to say (its compare-and-set), not this instance's clock: with
    // several instances, the store may judge by a clock of its own (MongoDB's), and one instance whose
    // clock runs ahead must not expire an approval that a reviewer may still decide.
    if (!canTransition(approval.status, settlement.status)) throw conflict(approval);
    const result = await this.change(approval, { ...approval, ...settlement }, `approval.${settlement.status}`, data, now, true, 'settled');
    if (result.applied) return result.approval;
    const current = result.approval ?? approval;
    if (current.status !== 'pending') throw conflict(current);
    if (result.approval && current.version === approval.version) throw await this.expiredConflict(current, now);
    throw new StillPending();
  }

  /**
   * A change that required the approval unexpired did not apply, though it is still pending at the
   * version the change was computed from: by the store's clock it has expired (a change that got in
   * first would have moved the version, and is decided again instead).
   */
  private async expiredConflict(approval: ApprovalRecord, now: number): Promise<AppError> {
    const expired = await this.expire(approval, now);
    return conflict(expired.approval ?? approval);
  }

  /**
   * One change of a pending approval, as a compare-and-set on the version it was computed from, with
   * its event and (for a transition that causes any) its deliveries, in one transaction.
   */
  private async change(approval: ApprovalRecord, next: ApprovalRecord, eventType: string, data: Record<string, unknown>, now: number, requireUnexpired: boolean, transition: ApprovalTransition | null): Promise<TransitionResult> {
    const changed: ApprovalRecord = { ...next, updatedAt: now };
    const deliveries = transition ? await this.deps.outbox.plan(changed, transition) : [];
    const result = await this.deps.store.approvals
      .transition({ approval: changed, now, expectedVersion: approval.version, requireUnexpired, events: [event(changed, eventType, now, data)], deliveries })
      .catch((error: unknown) => {
        this.deps.outbox.discarded(deliveries);
        throw error;
      });
    if (!result.applied) {
      this.deps.outbox.discarded(deliveries);
      return result;
    }
    this.committed(result.approval, deliveries);
    return result;
  }

  private committed(approval: ApprovalRecord, deliveries: DeliveryRecord[]): void {
    for (const observer of this.deps.observers) observer.approvalChanged(approval);
    this.deps.outbox.committed(deliveries);
  }
}

/** A compare-and-set lost to another change of a request that is still pending. */
class StillPending extends Error {}

function contended(): AppError {
  return new AppError('unavailable', 'approval_contended', 'Other decisions on this request kept arriving at the same moment; retry.', { headers: { 'retry-after': '1' } });
}

function newApproval(requester: Requester, body: IntakeRequest, callbackUrl: string | null, idempotencyKey: string | null, now: number): ApprovalRecord {
  return {
    id: newId('apr', now),
    workspaceId: requester.workspace.id,
    status: 'pending',
    action: body.action,
    summary: body.summary,
    details: body.details,
    riskLevel: body.riskLevel,
    priority: body.priority,
    justification: body.justification ?? null,
    agentName: body.agentName || null,
    metadata: body.metadata ?? null,
    context: deriveContext(body.context, body.details),
    callbackUrl,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 1000 * (body.expiresInSeconds ?? requester.workspace.settings.defaultExpiresInSeconds),
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
    modifiedDetails: null,
    idempotencyKey,
    requestHash: idempotencyKey === null ? null : requestHash(body),
    createdByKeyId: requester.keyId,
    version: 0,
    requestedBy: body.requestedBy ?? null,
    requirement: null,
    approvals: [],
  };
}

/** The audit trail's account of a follow-up: how long the request had waited, and where it went. */
function followUpData(approval: ApprovalRecord, followUp: FollowUp): Record<string, unknown> {
  const reach = approval.requirement?.reach ?? {};
  return followUp === 'reminded'
    ? { afterSeconds: reach.remindAfterSeconds ?? null }
    : { afterSeconds: reach.escalateAfterSeconds ?? null, escalateTo: reach.escalateTo ?? null };
}

function conflict(approval: ApprovalRecord): AppError {
  const by = approval.decidedBy ? ` by ${approval.decidedBy.name}` : '';
  return new AppError('conflict', 'already_decided', `This approval is already ${approval.status}${by}.`, { approval });
}

function event(approval: ApprovalRecord, type: string, at: number, data: Record<string, unknown>): AuditEventRecord {
  return { id: newId('evt', at), workspaceId: approval.workspaceId, approvalId: approval.id, type, at, data };
}

