// Approvals and their audit trail on MongoDB. Creation and transitions run in transactions, so an
// approval is never written without its event, or settled without its outbox rows.
import type { ClientSession, QueryFilter } from 'mongoose';
import type { ApprovalStore, ListFilter, PagePosition, TransitionRequest, TransitionResult } from '../../approvals/ports';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '../../approvals/records';
import { isDuplicateKey, type MongoConnection } from './connection';
import {
  approvalDocument,
  approvalExtra,
  approvalFromDocument,
  contextFields,
  deliveryDocument,
  eventDocument,
  eventFromDocument,
  settlementFields,
  type ApprovalDocument,
} from './documents';
import { IDEMPOTENCY_INDEX } from './models';

export class MongoApprovals implements ApprovalStore {
  constructor(private readonly db: MongoConnection) {}

  async create(approval: ApprovalRecord, createdEvents: AuditEventRecord[], createdDeliveries: DeliveryRecord[] = []): Promise<{ created: boolean; approval: ApprovalRecord }> {
    const { approvals, events, deliveries } = this.db.models;
    try {
      return await this.db.transaction(async (session) => {
        const existing = await this.existingFor(approval, session);
        if (existing) return { created: false, approval: existing };
        await approvals.insertOne(approvalDocument(approval), { session });
        if (createdEvents.length > 0) await events.insertMany(createdEvents.map((e) => eventDocument(e)), { session });
        if (createdDeliveries.length > 0) await deliveries.insertMany(createdDeliveries.map((d) => deliveryDocument(d)), { session });
        return { created: true, approval };
      });
    } catch (error) {
      // A concurrent request with the same key committed between our check and our insert: the
      // unique index refused ours (the transaction is aborted), so answer the one that won.
      if (!isDuplicateKey(error, IDEMPOTENCY_INDEX)) throw error;
      const winner = await this.existingFor(approval, null);
      if (!winner) throw error;
      return { created: false, approval: winner };
    }
  }

  private async existingFor(approval: ApprovalRecord, session: ClientSession | null): Promise<ApprovalRecord | null> {
    // A null key must not match: approvals without a key all store null.
    if (approval.idempotencyKey === null) return null;
    const doc = await this.db.models.approvals
      .findOne({ workspaceId: approval.workspaceId, idempotencyKey: approval.idempotencyKey })
      .session(session)
      .lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  async get(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    return this.findApproval(workspaceId, id, null);
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const doc = await this.db.models.approvals.findOne({ workspaceId, idempotencyKey }).lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  private async findApproval(workspaceId: string, id: string, session: ClientSession | null): Promise<ApprovalRecord | null> {
    const doc = await this.db.models.approvals.findOne({ _id: id, workspaceId }).session(session).lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  async list(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]> {
    // MongoDB reads limit(0) as "no limit"; SQLite's LIMIT 0 answers nothing.
    if (limit < 1) return [];
    const docs = await this.db.models.approvals
      .find({ $and: listConditions(workspaceId, filter, after) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async transition(request: TransitionRequest): Promise<TransitionResult> {
    const { approvals, events, deliveries } = this.db.models;
    return this.db.transaction(async (session): Promise<TransitionResult> => {
      const { matchedCount } = await approvals.updateOne(
        pendingFilter(request),
        { $set: { ...settlementFields(request.approval), updatedAt: request.now, extra: approvalExtra(request.approval), followUpAt: request.approval.followUpAt ?? null }, $inc: { version: 1 } },
        { session },
      );
      if (matchedCount === 1) {
        if (request.events.length > 0) await events.insertMany(request.events.map(eventDocument), { session });
        if (request.deliveries.length > 0) await deliveries.insertMany(request.deliveries.map((d) => deliveryDocument(d)), { session });
      }
      const approval = await this.findApproval(request.approval.workspaceId, request.approval.id, session);
      return matchedCount === 1 && approval ? { applied: true, approval } : { applied: false, approval };
    });
  }

  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    if (limit < 1) return [];
    const docs = await this.db.models.approvals
      .find({ status: 'pending', expiresAt: { $lte: now } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async listFollowUpsDue(now: number, limit: number): Promise<ApprovalRecord[]> {
    if (limit < 1) return [];
    const docs = await this.db.models.approvals
      .find({ status: 'pending', followUpAt: { $lte: now }, expiresAt: { $gt: now } })
      .sort({ followUpAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async listSettledSince(since: number): Promise<string[]> {
    const docs = await this.db.models.approvals
      .find({ status: { $ne: 'pending' }, updatedAt: { $gte: since } }, { _id: 1 })
      .lean();
    return docs.map((doc) => doc._id);
  }

  async appendEvent(event: AuditEventRecord): Promise<void> {
    await this.db.models.events.insertOne(eventDocument(event));
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    const docs = await this.db.models.events.find({ workspaceId, approvalId }).sort({ seq: 1, _id: 1 }).lean();
    return docs.map(eventFromDocument);
  }
}

/** The compare-and-set: only a pending approval (still unexpired, when required) transitions. */
function pendingFilter(request: TransitionRequest): QueryFilter<ApprovalDocument> {
  // A document from before versions has none: it is version 0.
  const version = request.expectedVersion === 0 ? { $in: [0, null] } : request.expectedVersion;
  const filter: QueryFilter<ApprovalDocument> = { _id: request.approval.id, workspaceId: request.approval.workspaceId, status: 'pending', version };
  return request.requireUnexpired ? { ...filter, expiresAt: { $gt: request.now } } : filter;
}

/** Filters are ANDed, as in SQLite: asking for a ticket and a conversation at once matches nothing. */
function listConditions(workspaceId: string, filter: ListFilter, after?: PagePosition): QueryFilter<ApprovalDocument>[] {
  const conditions: QueryFilter<ApprovalDocument>[] = [{ workspaceId }];
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.ticketId !== undefined) conditions.push(contextFields({ platform: 'zendesk', ticketId: filter.ticketId }));
  if (filter.conversationId !== undefined) conditions.push(contextFields({ platform: 'intercom', conversationId: filter.conversationId }));
  if (after) {
    conditions.push({ $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] });
  }
  return conditions;
}
