// The scale-out store: MongoDB through mongoose, shared by several stateless server instances.
// Writes that must be atomic (create with its event, a transition with its outbox rows, an attempt's
// outcome with its event) run in multi-document transactions, so the server must be a replica set
// or a sharded cluster. Single-document races (delivery claims, event-id claims, idempotency keys)
// are settled by atomic findOneAndUpdate and unique indexes.
import mongoose, { type ClientSession, type Connection, type mongo, type QueryFilter } from 'mongoose';
import { AppError } from '../../approvals/errors';
import type {
  ApiKeyRecord,
  ApprovalRecord,
  AttemptOutcome,
  AuditEventRecord,
  Backlog,
  DeliveryClaim,
  DeliveryExclusion,
  DeliveryRecord,
  InboundEventRecord,
  NewInboundEvent,
  ListFilter,
  PagePosition,
  Store,
  TransitionRequest,
  TransitionResult,
  WorkspaceRecord,
} from '../port';
import {
  approvalDocument,
  approvalFromDocument,
  contextFields,
  deliveryDocument,
  deliveryFromDocument,
  eventDocument,
  eventFromDocument,
  keyDocument,
  keyFromDocument,
  settlementFields,
  workspaceDocument,
  workspaceFromDocument,
  type ApprovalDocument,
  type DeliveryDocument,
} from './documents';
import { deliveryHost } from '../../delivery/delivery-host';
import { fairShare, hostRoom, HostRotation, workspaceRoom, type ClaimCandidate } from '../../delivery/fair-share';
import { bindModels, IDEMPOTENCY_INDEX, prepareCollections, syncProcessedEventTtl, type Models } from './models';

export const REPLICA_SET_REQUIRED =
  'MongoDB at MONGODB_URI must be a replica set (transactions are required); for a single node start mongod with --replSet rs0 and run rs.initiate()';

// bufferCommands: false makes a call on a lost connection fail through the driver's own server
// selection timeout instead of queueing in mongoose; indexes are built by init, not in the background.
const CONNECTION_OPTIONS = { bufferCommands: false, autoIndex: false, autoCreate: false };

// Snapshot reads so a transaction's checks and writes see one state; majority commits so an
// acknowledged decision survives a primary failover.
const TRANSACTION_OPTIONS: mongo.TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } };

const DUPLICATE_KEY = 11000;

interface OpenStore {
  connection: Connection;
  models: Models;
}

export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  // A private field: the URI may hold a password and must not show up when the store is inspected or logged.
  readonly #uri: string;
  private opened: OpenStore | null = null;
  private readonly rotation = new HostRotation();

  /**
   * `processedEventRetentionMs`: how long processed-event records are kept (from the
   * de-duplication window); the TTL index is set to it at init. Unset leaves an existing index as it is.
   */
  constructor(uri: string, private readonly options: { processedEventRetentionMs?: number } = {}) {
    this.#uri = uri;
  }

  async init(): Promise<void> {
    const connection = mongoose.createConnection(this.#uri, CONNECTION_OPTIONS);
    try {
      await connection.asPromise();
      await requireTransactions(database(connection));
      const models = bindModels(connection);
      await prepareCollections(models);
      const retention = this.options.processedEventRetentionMs;
      await syncProcessedEventTtl(database(connection), retention === undefined ? undefined : Math.ceil(retention / 1000));
      this.opened = { connection, models };
    } catch (error) {
      await connection.destroy().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = null;
    // destroy, not close: it also drops the connection from mongoose's list, and a store never reopens one.
    await opened?.connection.destroy();
  }

  async ping(): Promise<void> {
    await database(this.open().connection).command({ ping: 1 });
  }

  async probeWrite(): Promise<void> {
    // Majority, like the transactions: a write the replica set cannot acknowledge is a failing write.
    await this.models.meta.updateOne({ _id: 'write_probe' }, { $set: { value: String(Date.now()) } }, { upsert: true, writeConcern: { w: 'majority' } });
  }

  private open(): OpenStore {
    if (!this.opened) throw new AppError('unavailable', 'store_closed', 'The store is not open.');
    return this.opened;
  }

  private get models(): Models {
    return this.open().models;
  }

  /** Runs `work` in a transaction; the driver retries it whole on transient errors (write conflicts). */
  private async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = await this.open().connection.startSession();
    try {
      return await session.withTransaction(work, TRANSACTION_OPTIONS);
    } finally {
      await session.endSession();
    }
  }

  // ---- meta

  async getMeta(key: string): Promise<string | null> {
    const doc = await this.models.meta.findOne({ _id: key }).lean();
    return doc?.value ?? null;
  }

  async putMetaIfAbsent(key: string, value: string): Promise<string> {
    try {
      await this.models.meta.updateOne({ _id: key }, { $setOnInsert: { value } }, { upsert: true });
    } catch (error) {
      // Two first writers raced to insert the key: the loser's upsert fails, the winner's value stands.
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.getMeta(key))!;
  }

  // ---- workspaces

  async createWorkspace(w: WorkspaceRecord): Promise<void> {
    try {
      await this.models.workspaces.insertOne(workspaceDocument(w));
    } catch (error) {
      if (isDuplicateKey(error, 'workspaces_name')) throw new AppError('conflict', 'workspace_exists', `A workspace named "${w.name}" already exists.`);
      throw error;
    }
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    const doc = await this.models.workspaces.findOne({ _id: id }).lean();
    return doc ? workspaceFromDocument(doc) : null;
  }

  async findWorkspaceByName(name: string): Promise<WorkspaceRecord | null> {
    const doc = await this.models.workspaces.findOne({ name }).lean();
    return doc ? workspaceFromDocument(doc) : null;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    const docs = await this.models.workspaces.find().sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(workspaceFromDocument);
  }

  async updateWorkspace(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void> {
    await this.models.workspaces.updateOne(
      { _id: id },
      { $set: { settings: JSON.stringify(change.settings), secrets: JSON.stringify(change.secrets) } },
    );
  }

  // ---- keys

  async createKey(k: ApiKeyRecord): Promise<void> {
    await this.models.apiKeys.insertOne(keyDocument(k));
  }

  async findKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const doc = await this.models.apiKeys.findOne({ hash }).lean();
    return doc ? keyFromDocument(doc) : null;
  }

  async listKeys(workspaceId?: string): Promise<ApiKeyRecord[]> {
    const filter = workspaceId ? { workspaceId } : {};
    const docs = await this.models.apiKeys.find(filter).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(keyFromDocument);
  }

  async revokeKey(id: string, at: number): Promise<boolean> {
    const result = await this.models.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    return result.matchedCount === 1;
  }

  // ---- approvals

  async createApproval(approval: ApprovalRecord, event: AuditEventRecord): Promise<{ created: boolean; approval: ApprovalRecord }> {
    const { approvals, events } = this.models;
    try {
      return await this.transaction(async (session) => {
        const existing = await this.findByIdempotencyKey(approval, session);
        if (existing) return { created: false, approval: existing };
        await approvals.insertOne(approvalDocument(approval), { session });
        await events.insertOne(eventDocument(event), { session });
        return { created: true, approval };
      });
    } catch (error) {
      // A concurrent request with the same key committed between our check and our insert: the
      // unique index refused ours (the transaction is aborted), so answer the one that won.
      if (!isDuplicateKey(error, IDEMPOTENCY_INDEX)) throw error;
      const winner = await this.findByIdempotencyKey(approval, null);
      if (!winner) throw error;
      return { created: false, approval: winner };
    }
  }

  private async findByIdempotencyKey(approval: ApprovalRecord, session: ClientSession | null): Promise<ApprovalRecord | null> {
    // A null key must not match: approvals without a key all store null.
    if (approval.idempotencyKey === null) return null;
    const doc = await this.models.approvals
      .findOne({ workspaceId: approval.workspaceId, idempotencyKey: approval.idempotencyKey })
      .session(session)
      .lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  async getApproval(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    return this.findApproval(workspaceId, id, null);
  }

  async findApprovalByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const doc = await this.models.approvals.findOne({ workspaceId, idempotencyKey }).lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  private async findApproval(workspaceId: string, id: string, session: ClientSession | null): Promise<ApprovalRecord | null> {
    const doc = await this.models.approvals.findOne({ _id: id, workspaceId }).session(session).lean();
    return doc ? approvalFromDocument(doc) : null;
  }

  async listApprovals(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]> {
    // MongoDB reads limit(0) as "no limit"; SQLite's LIMIT 0 answers nothing.
    if (limit < 1) return [];
    const docs = await this.models.approvals
      .find({ $and: listConditions(workspaceId, filter, after) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async transitionApproval(request: TransitionRequest): Promise<TransitionResult> {
    const { approvals, events, deliveries } = this.models;
    return this.transaction(async (session): Promise<TransitionResult> => {
      const { matchedCount } = await approvals.updateOne(
        pendingFilter(request),
        { $set: { ...settlementFields(request.settlement), updatedAt: request.now } },
        { session },
      );
      if (matchedCount === 1) {
        if (request.events.length > 0) await events.insertMany(request.events.map(eventDocument), { session });
        if (request.deliveries.length > 0) await deliveries.insertMany(request.deliveries.map(deliveryDocument), { session });
      }
      const approval = await this.findApproval(request.workspaceId, request.approvalId, session);
      return matchedCount === 1 && approval ? { applied: true, approval } : { applied: false, approval };
    });
  }

  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    if (limit < 1) return [];
    const docs = await this.models.approvals
      .find({ status: 'pending', expiresAt: { $lte: now } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(approvalFromDocument);
  }

  async listSettledSince(since: number): Promise<string[]> {
    const docs = await this.models.approvals
      .find({ status: { $ne: 'pending' }, updatedAt: { $gte: since } }, { _id: 1 })
      .lean();
    return docs.map((doc) => doc._id);
  }

  // ---- audit events

  async appendEvent(event: AuditEventRecord): Promise<void> {
    await this.models.events.insertOne(eventDocument(event));
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    const docs = await this.models.events.find({ workspaceId, approvalId }).sort({ seq: 1, _id: 1 }).lean();
    return docs.map(eventFromDocument);
  }

  // ---- outbox

  /**
   * Reads the head of every queue (workspace × host) the claim may take from, chooses among them with
   * fairShare (as SQLite does), then leases each chosen delivery with its own atomic findOneAndUpdate,
   * which checks again that it is due and free: of two instances reaching for one delivery only one
   * gets it, and the other simply claims fewer this time. If the store fails part-way, the deliveries
   * already leased are answered (their attempts must run, or they would sit out their lease); the
   * error is thrown only when nothing was leased.
   */
  async claimDeliveries(claim: DeliveryClaim): Promise<DeliveryRecord[]> {
    const chosen = fairShare(await this.claimCandidates(claim), claim);
    const claimed: DeliveryRecord[] = [];
    for (const id of chosen) {
      try {
        const delivery = await this.claimOne(id, claim);
        if (delivery) claimed.push(delivery);
      } catch (error) {
        if (claimed.length === 0) throw error;
        break;
      }
    }
    return claimed;
  }

  /**
   * Queues are found with distinct scans of deliveries_queues (one index walk per workspace, not a
   * read of every pending delivery), so held-back deliveries are not read at all. Documents written
   * before the host was stored form a queue of their own (host null), their host worked out from
   * their target.
   */
  private async claimCandidates(claim: DeliveryClaim): Promise<ClaimCandidate[]> {
    const { deliveries } = this.models;
    const workspaceIds = (await deliveries.distinct('workspaceId', { status: 'pending' })) as string[];
    const perWorkspace = await Promise.all(
      workspaceIds
        .filter((workspaceId) => workspaceRoom(claim, workspaceId) > 0)
        .map(async (workspaceId) => {
          const stored = ((await deliveries.distinct('host', { status: 'pending', workspaceId })) as Array<string | null>).filter((h): h is string => typeof h === 'string').sort();
          const hosts = this.rotation.pick(workspaceId, (after, max) => stored.filter((host) => after === null || host > after).slice(0, max));
          const room = workspaceRoom(claim, workspaceId);
          const queues = [...hosts.filter((host) => hostRoom(claim, host) > 0), null];
          return Promise.all(queues.map((host) => this.queueHead(workspaceId, host, host === null ? room : Math.min(room, hostRoom(claim, host)), claim.now)));
        }),
    );
    return perWorkspace.flat(2);
  }

  private async queueHead(workspaceId: string, host: string | null, limit: number, now: number): Promise<ClaimCandidate[]> {
    if (limit < 1) return []; // MongoDB reads limit(0) as no limit
    const docs = await this.models.deliveries
      .find({ ...dueFilter(now), workspaceId, host }, { _id: 1, workspaceId: 1, host: 1, target: 1, nextAttemptAt: 1 })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({ id: d._id, workspaceId: d.workspaceId, host: d.host ?? deliveryHost(d.target), nextAttemptAt: d.nextAttemptAt }));
  }

  private async claimOne(id: string, { now, owner, leaseMs }: DeliveryClaim): Promise<DeliveryRecord | null> {
    const doc = await this.models.deliveries
      .findOneAndUpdate(
        { _id: id, ...dueFilter(now) },
        { $set: { leaseOwner: owner, leaseUntil: now + leaseMs, updatedAt: now }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean();
    return doc ? deliveryFromDocument(doc) : null;
  }

  async finishAttempt(o: AttemptOutcome): Promise<boolean> {
    const { deliveries, events } = this.models;
    return this.transaction(async (session) => {
      // Fenced on owner and attempt number: a worker whose lease was taken over cannot overwrite
      // the newer attempt's state.
      const { matchedCount } = await deliveries.updateOne(
        { _id: o.deliveryId, leaseOwner: o.owner, attempts: o.attempt, status: 'pending' },
        {
          $set: {
            status: o.status,
            nextAttemptAt: o.nextAttemptAt,
            lastError: o.lastError,
            leaseOwner: null,
            leaseUntil: null,
            updatedAt: o.now,
          },
        },
        { session },
      );
      if (matchedCount !== 1) return false;
      await events.insertOne(eventDocument(o.event), { session });
      return true;
    });
  }

  async nextDeliveryDueAt(exclude?: DeliveryExclusion): Promise<number | null> {
    const [row] = await this.models.deliveries.aggregate<{ due: number | null }>([
      { $match: { status: 'pending', workspaceId: { $nin: exclude?.workspaceIds ?? [] }, host: { $nin: exclude?.hosts ?? [] } } },
      // A leased delivery becomes claimable when its lease ends, not at its nextAttemptAt.
      { $group: { _id: null, due: { $min: { $max: ['$nextAttemptAt', { $ifNull: ['$leaseUntil', 0] }] } } } },
    ]);
    return row?.due ?? null;
  }

  async backlog(failedSince: number): Promise<Backlog> {
    const { approvals, deliveries, processedEvents } = this.models;
    const [pendingApprovals, oldestPending, queuedDeliveries, oldestQueued, failedDeliveries, unprocessedEvents] = await Promise.all([
      approvals.countDocuments({ status: 'pending' }),
      approvals.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      deliveries.countDocuments({ status: 'pending' }),
      deliveries.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      deliveries.countDocuments({ status: 'failed', updatedAt: { $gte: failedSince } }),
      processedEvents.countDocuments({ processedAt: null, payload: { $ne: null } }),
    ]);
    return {
      pendingApprovals,
      oldestPendingCreatedAt: oldestPending?.createdAt ?? null,
      queuedDeliveries,
      oldestQueuedCreatedAt: oldestQueued?.createdAt ?? null,
      failedDeliveries,
      unprocessedEvents,
    };
  }

  async listDeliveries(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]> {
    const docs = await this.models.deliveries
      .find({ workspaceId, approvalId })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    return docs.map(deliveryFromDocument);
  }

  // ---- processed platform events

  async claimProcessedEvent(source: string, eventId: string, now: number): Promise<boolean> {
    try {
      await this.models.processedEvents.insertOne({ source, eventId, claimedAt: now, claimedAtDate: ttlAnchor(now), processedAt: now, attempts: 0 });
      return true;
    } catch (error) {
      // The unique (source, eventId) index refused a second claim.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async recordInboundEvent(event: NewInboundEvent): Promise<boolean> {
    try {
      await this.models.processedEvents.insertOne({
        source: event.source,
        eventId: event.eventId,
        claimedAt: event.receivedAt,
        claimedAtDate: ttlAnchor(event.receivedAt),
        topic: event.topic,
        payload: event.payload,
        processedAt: null,
        attempts: 0,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async listUnprocessedEvents(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]> {
    const docs = await this.models.processedEvents
      .find({ source, processedAt: null, claimedAt: { $lt: before }, attempts: { $lt: maxAttempts }, payload: { $ne: null } })
      .sort({ claimedAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      source: d.source,
      eventId: d.eventId,
      topic: d.topic ?? '',
      payload: d.payload ?? '',
      receivedAt: d.claimedAt,
      processedAt: d.processedAt ?? null,
      attempts: d.attempts ?? 0,
    }));
  }

  async markEventProcessed(source: string, eventId: string, at: number): Promise<void> {
    await this.models.processedEvents.updateOne({ source, eventId }, { $set: { processedAt: at } });
  }

  async noteEventFailure(source: string, eventId: string): Promise<void> {
    await this.models.processedEvents.updateOne({ source, eventId }, { $inc: { attempts: 1 } });
  }

  async pruneProcessedEvents(before: number): Promise<number> {
    const result = await this.models.processedEvents.deleteMany({ claimedAt: { $lt: before } });
    return result.deletedCount;
  }
}

function database(connection: Connection): mongo.Db {
  if (!connection.db) throw new AppError('unavailable', 'store_closed', 'The MongoDB connection is not open.');
  return connection.db;
}

/** Transactions exist only on replica sets and sharded clusters (mongos answers msg 'isdbgrid'). */
async function requireTransactions(db: mongo.Db): Promise<void> {
  const hello = await db.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new Error(REPLICA_SET_REQUIRED);
}

/** A pending delivery whose attempt is due and that nobody holds (or whose holder's lease ran out). */
function dueFilter(now: number): QueryFilter<DeliveryDocument> {
  return { status: 'pending', nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}

/** The compare-and-set: only a pending approval (still unexpired, when required) transitions. */
function pendingFilter(request: TransitionRequest): QueryFilter<ApprovalDocument> {
  const filter: QueryFilter<ApprovalDocument> = { _id: request.approvalId, workspaceId: request.workspaceId, status: 'pending' };
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

/**
 * The date the TTL index counts from. The logical `now` can lie in the past (a test clock, a replay),
 * and a claim must not vanish before it has guarded the whole window in real time, so the later of the two is used.
 */
function ttlAnchor(now: number): Date {
  return new Date(Math.max(now, Date.now()));
}

/** A unique-index violation, optionally only on the named index (MongoServerError and bulk write errors alike). */
function isDuplicateKey(error: unknown, index?: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== DUPLICATE_KEY) return false;
  return index === undefined || (typeof message === 'string' && message.includes(`index: ${index} `));
}
