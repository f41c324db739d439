// The MongoDB collections: schemas with their indexes, and the models bound to one connection.
// Models are created on the store's own connection (never the global mongoose one) so several stores
// can live in one process. Index building is left to MongoStore.init, not to mongoose's autoIndex,
// so that a store is only ready once its unique indexes exist (idempotency depends on them).
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  ApiKeyDocument,
  ApprovalDocument,
  DeliveryDocument,
  EventDocument,
  MetaDocument,
  ProcessedEventDocument,
  WorkspaceDocument,
} from './documents';

/** Platform event ids are remembered this long (the MongoDB TTL monitor deletes them afterwards). */
export const PROCESSED_EVENT_TTL_SECONDS = 7 * 24 * 3600;

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
// SQLite's index is partial on status <> 'pending'; a partial filter cannot say $ne, so it is whole.
approvalSchema.index({ updatedAt: 1 }, { name: 'approvals_settled' });

export const eventSchema = new Schema<EventDocument>(
  { _id: text, workspaceId: text, approvalId: text, type: text, at: time, data: text, seq: time },
  options('events'),
);
eventSchema.index({ workspaceId: 1, approvalId: 1, seq: 1 }, { name: 'events_approval' });

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
deliverySchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'deliveries_due' });
// The claim's queues (workspace × host, in due order), found with distinct scans and read head first.
deliverySchema.index({ status: 1, workspaceId: 1, host: 1, nextAttemptAt: 1 }, { name: 'deliveries_queues' });
deliverySchema.index({ approvalId: 1, createdAt: 1 }, { name: 'deliveries_approval' });

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
  options('processed_events'),
);
// The unique index is what makes a claim atomic: the second insert of an id fails.
processedEventSchema.index({ source: 1, eventId: 1 }, { unique: true, name: 'processed_events_id' });
processedEventSchema.index({ claimedAt: 1 }, { name: 'processed_events_age' });
processedEventSchema.index({ source: 1, claimedAt: 1 }, { name: 'processed_events_unprocessed', partialFilterExpression: { processedAt: null } });
// pruneProcessedEvents is the primary cleanup; the TTL index keeps the collection bounded without it.
processedEventSchema.index({ claimedAtDate: 1 }, { expireAfterSeconds: PROCESSED_EVENT_TTL_SECONDS, name: 'processed_events_ttl' });

export interface Models {
  meta: Model<MetaDocument>;
  workspaces: Model<WorkspaceDocument>;
  apiKeys: Model<ApiKeyDocument>;
  approvals: Model<ApprovalDocument>;
  events: Model<EventDocument>;
  deliveries: Model<DeliveryDocument>;
  processedEvents: Model<ProcessedEventDocument>;
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
