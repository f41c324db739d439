// Approvals and their audit trail on MongoDB. Creation and transitions run in transactions, so an
// approval is never written without its event, or settled without its outbox rows.
import { setTimeout as sleep } from 'node:timers/promises';
import { trusted, type ClientSession, type PipelineStage, type QueryFilter } from 'mongoose';
import { AppError } from '../../approvals/errors';
import type { ApprovalStore, ListFilter, PagePosition, TransitionRequest, TransitionResult } from '../../approvals/ports';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '../../approvals/records';
import { stampFeedSeq } from './changes';
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
    const { approvals, events } = this.db.models;
    try {
      return await this.db.transaction(async (session) => {
        const existing = await this.existingFor(approval, session);
        if (existing) return { created: false, approval: existing };
        await approvals.insertOne(approvalDocument(approval), { session });
        if (createdEvents.length > 0) await events.insertMany(await stampFeedSeq(this.db.models, createdEvents.map((e) => eventDocument(e)), session), { session });
        await this.insertDeliveries(createdDeliveries, approval.updatedAt, session);
        return { created: true, approval };
      });
    } catch (error) {
      // A concurrent request with the same key committed between our check and our insert: the
      // unique index refused ours (the transaction is aborted), so answer the one that won.
      if (!isDuplicateKey(error, IDEMPOTENCY_INDEX)) throw error;
      const winner = await this.majorityCommittedWinner(approval);
      if (!winner) throw idempotencyKeyBeingSaved();
      return { created: false, approval: winner };
    }
  }

  /**
   * The approval that won the key, once a majority holds it: reads are majority (connection.ts), and the
   * winner's commit, though visible to the unique index on the primary, may not be majority-committed
   * yet. Waits at most as long as a majority acknowledgement may take; null if it never showed (its
   * commit may even be rolled back by a failover), and the caller is asked to retry with the same key.
   */
  private async majorityCommittedWinner(approval: ApprovalRecord): Promise<ApprovalRecord | null> {
    const deadline = performance.now() + this.db.majorityWaitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
      const winner = await this.existingFor(approval, null);
      if (winner || performance.now() + wait > deadline) return winner;
      await sleep(wait);
    }
  }

  private async existingFor(approval: ApprovalRecord, session: ClientSession | null): Promise<ApprovalRecord | null> {
    // A null key must not match: approvals without a key all store null.
    if (approval.idempotencyKey === null) return null;
    const doc = await this.db.models.approvals.findOne(idempotencyFilter(approval.workspaceId, approval.idempotencyKey)).session(session).lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  async get(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    return this.findApproval(workspaceId, id, null);
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const doc = await this.db.models.approvals.findOne(idempotencyFilter(workspaceId, idempotencyKey)).lean();
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
    const { approvals, events } = this.db.models;
    return this.db.transaction(async (session): Promise<TransitionResult> => {
      const { matchedCount } = await approvals.updateOne(
        pendingFilter(request, this.db.nowExpression(request.now)),
        { $set: { ...settlementFields(request.approval), updatedAt: request.now, extra: approvalExtra(request.approval), followUpAt: request.approval.followUpAt ?? null }, $inc: { version: 1 } },
        { session },
      );
      if (matchedCount === 1) {
        if (request.events.length > 0) await events.insertMany(await stampFeedSeq(this.db.models, request.events.map(eventDocument), session), { session });
        await this.insertDeliveries(request.deliveries, request.now, session);
      }
      const approval = await this.findApproval(request.approval.workspaceId, request.approval.id, session);
      return matchedCount === 1 && approval ? { applied: true, approval } : { applied: false, approval };
    });
  }

  /** Deliveries a creation or a transition causes, written at `callerNow`, their due times and leases then moved onto the store's clock. */
  private async insertDeliveries(written: DeliveryRecord[], callerNow: number, session: ClientSession): Promise<void> {
    if (written.length === 0) return;
    const { deliveries } = this.db.models;
    await deliveries.insertMany(written.map((d) => deliveryDocument(d)), { session });
    await deliveries.updateMany({ _id: trusted({ $in: written.map((d) => d.id) }) }, onStoreClock(this.db.nowExpression(callerNow), callerNow), { session, updatePipeline: true });
  }

  /** Overdue by the store's clock (the server's, by default: an instance whose clock runs ahead expires nothing early). */
  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    if (limit < 1) return [];
    const storeNow = await this.db.now(now);
    const docs = await this.db.models.approvals
      .find({ status: 'pending', expiresAt: trusted({ $lte: storeNow }) })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async listFollowUpsDue(now: number, limit: number): Promise<ApprovalRecord[]> {
    if (limit < 1) return [];
    const docs = await this.db.models.approvals
      .find({ status: 'pending', followUpAt: trusted({ $lte: now }), expiresAt: trusted({ $gt: now }) })
      .sort({ followUpAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async listSettledSince(since: number): Promise<string[]> {
    const docs = await this.db.models.approvals
      .find({ status: trusted({ $ne: 'pending' }), updatedAt: trusted({ $gte: since }) }, { _id: 1 })
      .lean();
    return docs.map((doc) => doc._id);
  }

  async listSettledAmong(ids: string[]): Promise<string[]> {
    const docs = await this.db.models.approvals.find({ _id: trusted({ $in: ids }), status: trusted({ $ne: 'pending' }) }, { _id: 1 }).lean();
    return docs.map((doc) => doc._id);
  }

  async appendEvent(event: AuditEventRecord): Promise<void> {
    const doc = eventDocument(event);
    if (!doc.type.startsWith('approval.')) return void (await this.db.models.events.insertOne(doc));
    // An approval change joins the change feed: numbered and inserted in one transaction (changes.ts).
    await this.db.transaction(async (session) => {
      await this.db.models.events.insertMany(await stampFeedSeq(this.db.models, [doc], session), { session });
    });
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    const docs = await this.db.models.events.find({ workspaceId, approvalId }).sort({ seq: 1, _id: 1 }).lean();
    return docs.map(eventFromDocument);
  }
}

const idempotencyKeyBeingSaved = () =>
  new AppError('unavailable', 'store_unavailable', 'A request with this Idempotency-Key is being saved; retry shortly, with the same key.', { headers: { 'retry-after': '1' } });

/**
 * An idempotency key's lookup. `$type: 'string'` repeats the partial filter of the unique index
 * (models.ts, IDEMPOTENCY_INDEX): MongoDB uses a partial index only for a query it can prove lies within
 * the index's filter, and equality with a string does not prove that to the planner, so a plain
 * `{ idempotencyKey: key }` scanned the whole workspace on every intake that carried a key.
 */
export function idempotencyFilter(workspaceId: string, idempotencyKey: string): QueryFilter<ApprovalDocument> {
  return { workspaceId, idempotencyKey: trusted({ $eq: idempotencyKey, $type: 'string' }) };
}

/**
 * The compare-and-set: only a pending approval at the version the change was computed from transitions.
 * Expiry is judged by the store's clock (`now`, see MongoConnection.nowExpression), whichever instance
 * asks: a change that requires the approval unexpired loses once expiresAt has passed, and an expiry
 * applies only once it has.
 */
function pendingFilter(request: TransitionRequest, now: Record<string, unknown>): QueryFilter<ApprovalDocument> {
  // A document from before versions has none: it is version 0.
  const version = request.expectedVersion === 0 ? trusted({ $in: [0, null] }) : request.expectedVersion;
  const filter: QueryFilter<ApprovalDocument> = { _id: request.approval.id, workspaceId: request.approval.workspaceId, status: 'pending', version };
  if (request.requireUnexpired) return { ...filter, $expr: trusted({ $gt: ['$expiresAt', now] }) };
  if (request.approval.status === 'expired') return { ...filter, $expr: trusted({ $lte: ['$expiresAt', now] }) };
  return filter;
}

/**
 * Moves the due time and lease of deliveries just written (by the caller, at `callerNow`) onto the
 * store's clock, keeping the durations the caller chose. A delivery adopted by an instance whose clock
 * runs behind would otherwise carry a lease already over by the server's clock, and another instance
 * would send it at the same time.
 */
function onStoreClock(now: Record<string, unknown>, callerNow: number): PipelineStage[] {
  const shifted = (field: string) => ({ $add: [now, { $subtract: [field, { $literal: callerNow }] }] });
  return [{ $set: { nextAttemptAt: shifted('$nextAttemptAt'), leaseUntil: { $cond: [{ $eq: [{ $ifNull: ['$leaseUntil', null] }, null] }, null, shifted('$leaseUntil')] } } }];
}

/** Filters are ANDed, as in SQLite: asking for a ticket and a conversation at once matches nothing. */
function listConditions(workspaceId: string, filter: ListFilter, after?: PagePosition): QueryFilter<ApprovalDocument>[] {
  const conditions: QueryFilter<ApprovalDocument>[] = [{ workspaceId }];
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.ticketId !== undefined) conditions.push(contextFields({ platform: 'zendesk', ticketId: filter.ticketId }));
  if (filter.conversationId !== undefined) conditions.push(contextFields({ platform: 'intercom', conversationId: filter.conversationId }));
  if (after) {
    conditions.push({ $or: [{ createdAt: trusted({ $lt: after.createdAt }) }, { createdAt: after.createdAt, _id: trusted({ $lt: after.id }) }] });
  }
  return conditions;
}
