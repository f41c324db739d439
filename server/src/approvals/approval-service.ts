// The approval domain: create (idempotent), decide (one winner), cancel, expire, over the approval
// store port; its effects (deliveries, observers) through the ports of approval-effects.ts. No HTTP,
// no database driver.
import {
  applyMergePatch,
  canTransition,
  detailChanges,
  jsonDepth,
  MAX_JSON_DEPTH,
  ownValue,
  sameJson,
  type DecisionRequest,
  type IntakeRequest,
  type JsonObject,
  type TerminalStatus,
} from '@countersign/shared';
import { AppError, approvalNotFound } from './errors';
import { newId } from './ids';
import type { ApiKeyRecord, WorkspaceRecord } from './workspace-records';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord, Settlement } from './records';
import type { ApprovalStore, ListFilter } from './ports';
import type { ApprovalObserver, CallbackUrlPolicy, DeliveryPlanner } from './approval-effects';
import { deriveContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { requestHash } from './request-hash';

export interface ApprovalServiceDeps {
  store: { approvals: ApprovalStore };
  clock: () => number;
  callbackUrls: CallbackUrlPolicy;
  /** Plans the deliveries each settlement writes (its callback, notes…) and sends them once written. */
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

export const EXPIRED_NOTE = 'Expired before a reviewer decided.';
export const CANCELLED_NOTE = 'Cancelled by the requester.';

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  async create(requester: Requester, body: IntakeRequest, idempotencyKey: string | null): Promise<{ created: boolean; approval: ApprovalRecord }> {
    const callbackUrl = body.callbackUrl ?? body.webhookUrl ?? null;
    if (callbackUrl) await this.refuseUnsafeCallback(callbackUrl, body.callbackUrl ? 'callbackUrl' : 'webhookUrl');
    const now = this.deps.clock();
    const approval = newApproval(requester, body, callbackUrl, idempotencyKey, now);
    const created = await this.deps.store.approvals.create(approval, event(approval, 'approval.created', now, {
      action: approval.action,
      riskLevel: approval.riskLevel,
      keyId: requester.keyId,
      callback: callbackUrl !== null,
    }));
    if (!created.created && created.approval.createdByKeyId !== requester.keyId) {
      // Idempotency keys are unique per workspace; a replay must not show another key's request.
      throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used by another key of this workspace.');
    }
    if (!created.created && created.approval.requestHash !== approval.requestHash) {
      throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
    }
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

  /** Exactly one decision wins; every other one, and any decision after expiry, is a conflict. */
  async decide(workspaceId: string, id: string, decision: DecisionRequest): Promise<ApprovalRecord> {
    const approval = await this.get({ workspaceId }, id);
    const now = this.deps.clock();
    const status: TerminalStatus = decision.decision === 'approve' ? 'approved' : 'rejected';
    const modifiedDetails = status === 'approved' && decision.modifiedDetails ? effectiveDetails(approval.details, decision.modifiedDetails) : null;
    const settlement: Settlement = { status, decidedAt: now, decidedBy: decision.reviewer, decisionNote: decision.note || null, modifiedDetails };
    const changedPaths = modifiedDetails ? detailChanges(approval.details, modifiedDetails).map((change) => change.path) : [];
    const eventData = {
      reviewer: decision.reviewer,
      note: settlement.decisionNote,
      modifiedKeys: modifiedDetails ? changedTopLevelKeys(approval.details, modifiedDetails) : [],
      changedPaths,
    };
    return this.settleOrConflict(approval, settlement, eventData, now);
  }

  async cancel(viewer: Viewer, id: string, reason?: string): Promise<ApprovalRecord> {
    const approval = await this.get(viewer, id);
    const now = this.deps.clock();
    const settlement: Settlement = { status: 'cancelled', decidedAt: now, decidedBy: null, decisionNote: reason || CANCELLED_NOTE, modifiedDetails: null };
    return this.settleOrConflict(approval, settlement, { reason: reason ?? null }, now);
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
    return this.settle(approval, settlement, { expiresAt: new Date(approval.expiresAt).toISOString() }, now, false);
  }

  private async settleOrConflict(approval: ApprovalRecord, settlement: Settlement, data: Record<string, unknown>, now: number): Promise<ApprovalRecord> {
    // Whether it expired is the store's to say (its compare-and-set), not this instance's clock: with
    // several instances, the store may judge by a clock of its own (MongoDB's), and one instance whose
    // clock runs ahead must not expire an approval that a reviewer may still decide.
    if (!canTransition(approval.status, settlement.status)) throw conflict(approval);
    const result = await this.settle(approval, settlement, data, now, true);
    if (result.applied) return result.approval;
    const current = result.approval ?? approval;
    // Still pending yet not applied: it expired between our read and the compare-and-set.
    throw current.status === 'pending' ? await this.expiredConflict(current, now) : conflict(current);
  }

  private async expiredConflict(approval: ApprovalRecord, now: number): Promise<AppError> {
    const expired = await this.expire(approval, now);
    return conflict(expired.approval ?? approval);
  }

  private async settle(approval: ApprovalRecord, settlement: Settlement, data: Record<string, unknown>, now: number, requireUnexpired: boolean) {
    const settled: ApprovalRecord = { ...approval, ...settlement, updatedAt: now };
    const deliveries = await this.deps.outbox.plan(settled);
    const result = await this.deps.store.approvals
      .transition({
        approval: settled,
        now,
        requireUnexpired,
        events: [event(settled, `approval.${settlement.status}`, now, data)],
        deliveries,
      })
      .catch((error: unknown) => {
        this.deps.outbox.discarded(deliveries);
        throw error;
      });
    if (!result.applied) {
      this.deps.outbox.discarded(deliveries);
      return result;
    }
    for (const observer of this.deps.observers) observer.approvalChanged(result.approval);
    this.deps.outbox.committed(deliveries);
    return result;
  }
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
  };
}

/**
 * A decision's modifiedDetails is a JSON merge patch over the details; what is stored (and sent to
 * the automation) is the complete effective object, or null when the patch changes nothing.
 */
function effectiveDetails(details: JsonObject, patch: JsonObject): JsonObject | null {
  const effective = applyMergePatch(details, patch);
  // Cannot happen for schema-valid inputs (a merge nests no deeper than its parts); checked all the same.
  if (jsonDepth(effective, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new AppError('unprocessable', 'invalid_request', `The details with modifiedDetails applied would nest deeper than ${MAX_JSON_DEPTH} levels.`, {
      issues: [{ code: 'too_deep', path: ['modifiedDetails'], message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  return sameJson(effective, details) ? null : effective;
}

/** The top-level details that differ (the audit trail's older, coarser field beside changedPaths). */
function changedTopLevelKeys(details: JsonObject, modified: JsonObject): string[] {
  const keys = new Set([...Object.keys(details), ...Object.keys(modified)]);
  return [...keys].filter((key) => !sameJson(ownValue(details, key), ownValue(modified, key)) || Object.hasOwn(details, key) !== Object.hasOwn(modified, key));
}

function conflict(approval: ApprovalRecord): AppError {
  const by = approval.decidedBy ? ` by ${approval.decidedBy.name}` : '';
  return new AppError('conflict', 'already_decided', `This approval is already ${approval.status}${by}.`, { approval });
}

function event(approval: ApprovalRecord, type: string, at: number, data: Record<string, unknown>): AuditEventRecord {
  return { id: newId('evt', at), workspaceId: approval.workspaceId, approvalId: approval.id, type, at, data };
}

