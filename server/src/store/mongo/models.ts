// The MongoDB collections: schemas with their indexes, and the models bound to one connection.
// Models are created on the store's own connection (never the global mongoose one) so several stores
// can live in one process. Index building is left to MongoStore.init, not to mongoose's autoIndex,
// so that a store is only ready once its unique indexes exist (idempotency depends on them).
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type {
  ApiKeyDocument,
  ApprovalDocument,
  DeliveryDocument,
  PostedMessageDocument,
  EventDocument,
  MetaDocument,
  ProcessedEventDocument,
  WorkspaceDocument,
} from './documents';
import { DEFAULT_DEDUP_WINDOW_MS, dedupRecordRetentionMs } from '../../config/dedup-window';

/**
 * The TTL index that drops processed-event records. It is not declared on the schema: its
 * expireAfterSeconds follows COUNTERSIGN_EVENT_DEDUP_WINDOW (see syncProcessedEventTtl), and a
 * declared index with other options would make createIndexes fail.
 */
export const PROCESSED_EVENT_TTL_INDEX = 'processed_events_ttl';
const PROCESSED_EVENTS = 'processed_events';

function options(collection: string) {
  // minimize: false keeps empty objects; versionKey: false because every write is a targeted update.
  return { collection, versionKey: false, minimize: false, autoIndex: false, autoCreate: false, id: false } as const;
}

const text = { type: String };
const optionalText = { type: String, default: null };
const time = { type: Number };
const optionalTime = { type: Number, default: null };

export const metaSchema = new Schema<MetaDocument>({ _id: text, value: text }, options('meta'));

export const workspaceSchema = new Schema<WorkspaceDocument>(
  { _id: text, name: text, createdAt: time, settings: text, secrets: text },
  options('workspaces'),
);
workspaceSchema.index({ name: 1 }, { unique: true, name: 'workspaces_name' });

export const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: text,
    workspaceId: text,
    scope: text,
    prefix: text,
    hash: text,
    label: optionalText,
    createdAt: time,
    revokedAt: optionalTime,
    reviewer: optionalText,
  },
  options('api_keys'),
);
apiKeySchema.index({ hash: 1 }, { unique: true, name: 'api_keys_hash' });
apiKeySchema.index({ workspaceId: 1, createdAt: 1 }, { name: 'api_keys_workspace' });

export const approvalSchema = new Schema<ApprovalDocument>(
  {
    _id: text,
    workspaceId: text,
    status: text,
    action: text,
    summary: text,
    details: text,
    riskLevel: text,
    priority: text,
    justification: optionalText,
    agentName: optionalText,
    metadata: optionalText,
    contextPlatform: optionalText,
    contextId: optionalText,
    callbackUrl: optionalText,
    createdAt: time,
    updatedAt: time,
    expiresAt: time,
    decidedAt: optionalTime,
    decidedBy: optionalText,
    decisionNote: optionalText,
    modifiedDetails: optionalText,
    idempotencyKey: optionalText,
    requestHash: optionalText,
    createdByKeyId: optionalText,
    extra: optionalText,
    version: { type: Number, default: 0 },
    followUpAt: optionalTime,
  },
  options('approvals'),
);
/** Name of the index that makes an idempotency key usable once per workspace. */
export const IDEMPOTENCY_INDEX = 'approvals_idempotency';
// Partial on $type string: approvals without a key store null, and many of them must coexist.
approvalSchema.index(
  { workspaceId: 1, idempotencyKey: 1 },
  { unique: true, name: IDEMPOTENCY_INDEX, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);
approvalSchema.index({ workspaceId: 1, createdAt: -1, _id: -1 }, { name: 'approvals_newest' });
approvalSchema.index({ workspaceId: 1, contextPlatform: 1, contextId: 1, createdAt: -1, _id: -1 }, { name: 'approvals_context' });
approvalSchema.index({ status: 1, expiresAt: 1 }, { name: 'approvals_overdue' });
// Whole, not partial like SQLite's: a range on followUpAt does not prove to the planner that it is a number.
approvalSchema.index({ status: 1, followUpAt: 1 }, { name: 'approvals_follow_up' });
// SQLite's index is partial on status <> 'pending'; a partial filter cannot say $ne, so it is whole.
approvalSchema.index({ updatedAt: 1 }, { name: 'approvals_settled' });

export const eventSchema = new Schema<EventDocument>(
  { _id: text, workspaceId: text, approvalId: text, type: text, at: time, data: text, seq: time, feedSeq: { type: Number, required: false } },
  options('events'),
);
// An approval's audit trail in the order listEvents sorts it (seq, then _id for events of one moment on
// two instances), so the index gives the order and no sort runs. It supersedes events_approval (the
// same keys without _id), which stores created by earlier versions still hold: drop that one once every
// instance runs this version.
eventSchema.index({ workspaceId: 1, approvalId: 1, seq: 1, _id: 1 }, { name: 'events_approval_order' });
// The change feed (changes.ts): all of it in order, and one workspace's for a stream's replay.
eventSchema.index({ feedSeq: 1 }, { name: 'events_feed', partialFilterExpression: { feedSeq: { $exists: true } } });
eventSchema.index({ workspaceId: 1, feedSeq: 1 }, { name: 'events_feed_workspace', partialFilterExpression: { feedSeq: { $exists: true } } });

/** Named counters: the change feed's sequence (changes.ts). */
export interface CounterDocument {
  _id: string;
  seq: number;
}
export const counterSchema = new Schema<CounterDocument>({ _id: text, seq: time }, options('counters'));

export const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: text,
    workspaceId: text,
    approvalId: text,
    kind: text,
    target: text,
    host: optionalText,
    body: text,
    status: text,
    attempts: time,
    nextAttemptAt: time,
    leaseOwner: optionalText,
    leaseUntil: optionalTime,
    lastError: optionalText,
    createdAt: time,
    updatedAt: time,
  },
  options('deliveries'),
);
// The claim's queues (workspace × host), found with distinct scans and read head first from their
// unleased part (leaseUntil null) in due order: deliveries leased but past their due time, as every
// attempt in flight is, are never read by a claim.
deliverySchema.index({ status: 1, workspaceId: 1, host: 1, leaseUntil: 1, nextAttemptAt: 1 }, { name: 'deliveries_queue_heads' });
// Unleased deliveries in due order, leased ones in lease order: the next due time is the head of each,
// and the leases that ran out (their instance died) are found without reading live ones.
deliverySchema.index({ status: 1, leaseUntil: 1, nextAttemptAt: 1 }, { name: 'deliveries_leases' });
// A request's deliveries in the order outbox.list sorts them, so no sort runs.
deliverySchema.index({ workspaceId: 1, approvalId: 1, createdAt: 1, _id: 1 }, { name: 'deliveries_approval_order' });
// These supersede deliveries_due, deliveries_queues and deliveries_approval, which stores created by
// earlier versions still hold (createIndexes never drops one): drop those once every instance runs this version.

export const processedEventSchema = new Schema<ProcessedEventDocument>(
  {
    source: text,
    eventId: text,
    claimedAt: time,
    claimedAtDate: { type: Date },
    topic: { type: String, default: null },
    payload: { type: String, default: null },
    processedAt: { type: Number, default: null },
    attempts: { type: Number, default: 0 },
  },
  options(PROCESSED_EVENTS),
);
// The unique index is what makes a claim atomic: the second insert of an id fails.
processedEventSchema.index({ source: 1, eventId: 1 }, { unique: true, name: 'processed_events_id' });
processedEventSchema.index({ claimedAt: 1 }, { name: 'processed_events_age' });
processedEventSchema.index({ source: 1, claimedAt: 1 }, { name: 'processed_events_unprocessed', partialFilterExpression: { processedAt: null } });
// pruneProcessedEvents is the primary cleanup; the TTL index (syncProcessedEventTtl) keeps the
// collection bounded without it.

export interface PolicyDocumentRow {
  workspaceId: string;
  version: number;
  /** The policy document as JSON. */
  document: string;
  createdAt: number;
  setBy: string;
}

export const policySchema = new Schema<PolicyDocumentRow>(
  { workspaceId: text, version: time, document: text, createdAt: time, setBy: text },
  options('policies'),
);
// The unique index makes saving a version a compare-and-set: a second writer of the same version loses.
policySchema.index({ workspaceId: 1, version: -1 }, { unique: true, name: 'policies_version' });

export const postedMessageSchema = new Schema<PostedMessageDocument>(
  { _id: text, workspaceId: text, approvalId: text, role: text, platform: text, channel: text, messageId: text, postedAt: time },
  options('posted_messages'),
);
postedMessageSchema.index({ workspaceId: 1, approvalId: 1, postedAt: 1 }, { name: 'posted_messages_approval' });
export interface SessionHandoffDocument {
  /** The claim secret's hash. */
  _id: string;
  workspaceId: string;
  sealedSession: string;
  expiresAt: number;
  /** expiresAt as a Date, for the TTL index. */
  expiresAtDate: Date;
}

export const sessionHandoffSchema = new Schema<SessionHandoffDocument>(
  { _id: text, workspaceId: text, sealedSession: text, expiresAt: time, expiresAtDate: { type: Date } },
  options('session_handoffs'),
);
sessionHandoffSchema.index({ expiresAt: 1 }, { name: 'session_handoffs_expiry' });
// MongoDB drops what nobody collected by itself (within a minute of expiry); take() checks the expiry too.
sessionHandoffSchema.index({ expiresAtDate: 1 }, { name: 'session_handoffs_ttl', expireAfterSeconds: 0 });

export interface Models {
  meta: Model<MetaDocument>;
  workspaces: Model<WorkspaceDocument>;
  apiKeys: Model<ApiKeyDocument>;
  approvals: Model<ApprovalDocument>;
  events: Model<EventDocument>;
  deliveries: Model<DeliveryDocument>;
  processedEvents: Model<ProcessedEventDocument>;
  policies: Model<PolicyDocumentRow>;
  counters: Model<CounterDocument>;
  postedMessages: Model<PostedMessageDocument>;
  sessionHandoffs: Model<SessionHandoffDocument>;
}

export function bindModels(connection: Connection): Models {
  return {
    meta: connection.model<MetaDocument>('Meta', metaSchema),
    workspaces: connection.model<WorkspaceDocument>('Workspace', workspaceSchema),
    apiKeys: connection.model<ApiKeyDocument>('ApiKey', apiKeySchema),
    approvals: connection.model<ApprovalDocument>('Approval', approvalSchema),
    events: connection.model<EventDocument>('Event', eventSchema),
    deliveries: connection.model<DeliveryDocument>('Delivery', deliverySchema),
    processedEvents: connection.model<ProcessedEventDocument>('ProcessedEvent', processedEventSchema),
    policies: connection.model<PolicyDocumentRow>('Policy', policySchema),
    counters: connection.model<CounterDocument>('Counter', counterSchema),
    postedMessages: connection.model<PostedMessageDocument>('PostedMessage', postedMessageSchema),
    sessionHandoffs: connection.model<SessionHandoffDocument>('SessionHandoff', sessionHandoffSchema),
  };
}

/**
 * Creates every collection (transactions on older servers cannot create one) and every declared
 * index. createIndexes only adds: unlike syncIndexes it never drops an index another instance of a
 * different version still relies on during a rolling deploy.
 */
export async function prepareCollections(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection();
    await model.createIndexes();
  }
}

/** What the TTL index needs: nothing, creating, or its expiry changed in place (collMod). */
export function ttlIndexChange(existing: { key: Record<string, unknown>; expireAfterSeconds?: number } | undefined, wantedSeconds: number | undefined): 'none' | 'create' | 'collMod' {
  if (!existing) return 'create';
  if (wantedSeconds === undefined || existing.expireAfterSeconds === wantedSeconds) return 'none';
  return 'collMod';
}

/**
 * Makes the TTL index expire records after `wantedSeconds` (the de-duplication window). Undefined
 * (the admin CLI, whose environment may not be the server's) only creates a missing index with the
 * default and never changes an existing one. collMod changes the expiry in place, so the index is
 * never dropped and rebuilt and the records stay guarded throughout. Every instance should have the
 * same setting: the last one to start decides.
 */
export async function syncProcessedEventTtl(db: mongo.Db, wantedSeconds: number | undefined): Promise<void> {
  const collection = db.collection(PROCESSED_EVENTS);
  const existing = (await collection.indexes()).find((index) => index.name === PROCESSED_EVENT_TTL_INDEX);
  const change = ttlIndexChange(existing as { key: Record<string, unknown>; expireAfterSeconds?: number } | undefined, wantedSeconds);
  const seconds = wantedSeconds ?? Math.ceil(dedupRecordRetentionMs(DEFAULT_DEDUP_WINDOW_MS) / 1000);
  if (change === 'create') {
    try {
      await collection.createIndex({ claimedAtDate: 1 }, { name: PROCESSED_EVENT_TTL_INDEX, expireAfterSeconds: seconds });
      return;
    } catch (error) {
      // Another instance created it meanwhile, with another expiry (IndexOptionsConflict): adjust it.
      if ((error as { code?: unknown }).code !== INDEX_OPTIONS_CONFLICT || wantedSeconds === undefined) throw error;
    }
  } else if (change === 'none') {
    return;
  }
  await db.command({ collMod: PROCESSED_EVENTS, index: { name: PROCESSED_EVENT_TTL_INDEX, expireAfterSeconds: seconds } });
}

const INDEX_OPTIONS_CONFLICT = 85;
