// The scale-out store: MongoDB through mongoose, shared by several stateless server instances, its
// ports sharing one connection (connection.ts).
import { trusted } from 'mongoose';
import type { Backlog, MetaStore, Store } from '../../approvals/ports';
import { MongoApprovals } from './approvals';
import { isDuplicateKey, MongoConnection, type MongoConnectionOptions } from './connection';
import { MongoOutbox } from './outbox';
import { MongoPlatformEvents } from './platform-events';
import { MongoChanges } from './changes';
import { MongoPolicies } from './policies';
import { MongoPostedMessages } from './posted-messages';
import { MongoSessionHandoffs } from './session-handoffs';
import { MongoKeys, MongoWorkspaces } from './tenancy';

export { REPLICA_SET_REQUIRED } from './connection';

class MongoMeta implements MetaStore {
  constructor(private readonly db: MongoConnection) {}

  async get(key: string): Promise<string | null> {
    const doc = await this.db.models.meta.findOne({ _id: key }).lean();
    return doc?.value ?? null;
  }

  async putIfAbsent(key: string, value: string): Promise<string> {
    try {
      await this.db.models.meta.updateOne({ _id: key }, { $setOnInsert: { value } }, { upsert: true });
    } catch (error) {
      // Two first writers raced to insert the key: the loser's upsert fails, the winner's value stands.
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.get(key))!;
  }
}

export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  private readonly db: MongoConnection;
  readonly meta: MetaStore;
  readonly workspaces: MongoWorkspaces;
  readonly keys: MongoKeys;
  readonly approvals: MongoApprovals;
  readonly outbox: MongoOutbox;
  readonly platformEvents: MongoPlatformEvents;
  readonly policies: MongoPolicies;
  readonly changes: MongoChanges;
  readonly postedMessages: MongoPostedMessages;
  readonly sessionHandoffs: MongoSessionHandoffs;

  /**
   * `processedEventRetentionMs`: how long processed-event records are kept (from the
   * de-duplication window); the TTL index is set to it at init. Unset leaves an existing index as it is.
   * `clock`: whose clock decides lease ends, due times and expiry; the server's unless 'caller' (StoreClock).
   */
  constructor(uri: string, options: MongoConnectionOptions = {}) {
    this.db = new MongoConnection(uri, options);
    this.meta = new MongoMeta(this.db);
    this.workspaces = new MongoWorkspaces(this.db);
    this.keys = new MongoKeys(this.db);
    this.approvals = new MongoApprovals(this.db);
    this.outbox = new MongoOutbox(this.db);
    this.platformEvents = new MongoPlatformEvents(this.db);
    this.policies = new MongoPolicies(this.db);
    this.changes = new MongoChanges(this.db);
    this.postedMessages = new MongoPostedMessages(this.db);
    this.sessionHandoffs = new MongoSessionHandoffs(this.db);
  }

  async init(): Promise<void> {
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async ping(): Promise<void> {
    await this.db.database().command({ ping: 1 });
  }
  async probeWrite(): Promise<void> {
    // Majority (and bounded), like every write: one the replica set cannot acknowledge is a failing write.
    await this.db.models.meta.updateOne({ _id: 'write_probe' }, { $set: { value: String(Date.now()) } }, { upsert: true });
  }

  async backlog(failedSince: number): Promise<Backlog> {
    const { approvals, deliveries, processedEvents } = this.db.models;
    const [pendingApprovals, oldestPending, queuedDeliveries, oldestQueued, failedDeliveries, unprocessedEvents] = await Promise.all([
      approvals.countDocuments({ status: 'pending' }),
      approvals.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      deliveries.countDocuments({ status: 'pending' }),
      deliveries.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      deliveries.countDocuments({ status: 'failed', updatedAt: trusted({ $gte: failedSince }) }),
      processedEvents.countDocuments({ processedAt: null, payload: trusted({ $ne: null }) }),
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
}
