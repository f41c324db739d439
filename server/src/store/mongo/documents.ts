// Conversions between MongoDB documents and the store's records. Documents keep the records' field
// names, with `_id` holding the record's id.
//
// JSON-valued fields (details, metadata, modifiedDetails, decidedBy, data, settings, secrets) are
// stored as JSON strings, as the SQLite adapter does, rather than as nested BSON. That is the robust
// choice: an automation's details may hold keys containing '.' or starting with '$', which MongoDB
// and mongoose accept only in some places (not in update operators, not through every mongoose cast),
// and BSON would not give back every JSON value exactly. Nothing ever queries inside these fields.
import type { ApprovalContext } from '@countersign/shared';
import { deliveryHost } from '../../delivery/delivery-host';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';
import { APPROVAL_DEFAULTS, type ApprovalRecord, type AuditEventRecord, type DeliveryRecord, type PostedMessageRecord, type Settlement } from '../../approvals/records';

export interface MetaDocument {
  _id: string;
  value: string;
}

export interface WorkspaceDocument {
  _id: string;
  name: string;
  createdAt: number;
  settings: string;
  secrets: string;
}

export interface ApiKeyDocument {
  _id: string;
  workspaceId: string;
  scope: string;
  prefix: string;
  hash: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
  /** JSON of the key's KeyReviewer (absent: the Zendesk app's key, or not a review key). */
  reviewer?: string | null;
}

export interface ApprovalDocument {
  _id: string;
  workspaceId: string;
  status: string;
  action: string;
  summary: string;
  details: string;
  riskLevel: string;
  priority: string;
  justification: string | null;
  agentName: string | null;
  metadata: string | null;
  /** The context flattened into two indexed fields, as SQLite's context_platform/context_id. */
  contextPlatform: string | null;
  contextId: string | null;
  callbackUrl: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionNote: string | null;
  modifiedDetails: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdByKeyId: string | null;
  /** The record's fields without a field of their own here, as one JSON object (absent on older documents). */
  extra?: string | null;
  /** The compare-and-set counter (absent on older documents: 0). */
  version?: number;
  /** A copy of the record's followUpAt (which `extra` holds), for the sweep's query. */
  followUpAt?: number | null;
}

export interface EventDocument {
  _id: string;
  workspaceId: string;
  approvalId: string;
  type: string;
  at: number;
  data: string;
  /** Sort key giving insertion order (see nextInsertionSeq). */
  seq: number;
  /** An approval change's place in the change feed (store/mongo/changes.ts); absent on other events. */
  feedSeq?: number;
}

/**
 * A delivery has no JSON fields, so its document is the record with `_id` for `id`, plus its
 * destination host (deliveryHost(target)) for claims to group by. Documents written before the host
 * was stored lack it; claims read those as host null.
 */
export type DeliveryDocument = Omit<DeliveryRecord, 'id'> & { _id: string; host?: string | null };

/** A posted message; its `_id` is workspace, approval and role joined, so one is kept per role. */
export type PostedMessageDocument = PostedMessageRecord & { _id: string };

export function postedMessageDocument(m: PostedMessageRecord): PostedMessageDocument {
  return { _id: `${m.workspaceId}\u0000${m.approvalId}\u0000${m.role}`, ...m };
}

export function postedMessageFromDocument(d: PostedMessageDocument): PostedMessageRecord {
  return { workspaceId: d.workspaceId, approvalId: d.approvalId, role: d.role, platform: d.platform, channel: d.channel, messageId: d.messageId, postedAt: d.postedAt };
}

export interface ProcessedEventDocument {
  source: string;
  eventId: string;
  claimedAt: number;
  /** The same moment as a BSON date: TTL indexes only act on dates. */
  claimedAtDate: Date;
  /** Recorded events keep their raw payload until processed (bare claims have none). */
  topic?: string | null;
  payload?: string | null;
  processedAt: number | null;
  attempts: number;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;
const parseOrNull = <T>(text: string | null | undefined): T | null => (text === null || text === undefined ? null : parse<T>(text));
const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

let lastInsertionSeq = 0;

/**
 * Events must list in the order they were written, like SQLite's AUTOINCREMENT seq, even when
 * several share one `at` (ids only sort by millisecond; their tail is random). This process-wide
 * counter, seeded from the wall clock in microseconds, strictly increases within a process and
 * follows the hosts' clocks across instances: only events written on different instances closer
 * together than their clock skew may list in either order, and such writes are concurrent anyway
 * (one approval's events are seconds apart: a human decides, a callback goes out). A global counter
 * document would order everything, but every write would then contend on it. Exact below 2^53,
 * which the clock in microseconds reaches in the year 2255.
 */
export function nextInsertionSeq(): number {
  lastInsertionSeq = Math.max(Date.now() * 1000, lastInsertionSeq + 1);
  return lastInsertionSeq;
}

export function contextFields(context: ApprovalContext | null): Pick<ApprovalDocument, 'contextPlatform' | 'contextId'> {
  if (!context) return { contextPlatform: null, contextId: null };
  return context.platform === 'zendesk'
    ? { contextPlatform: 'zendesk', contextId: context.ticketId }
    : { contextPlatform: 'intercom', contextId: context.conversationId };
}

function contextFromFields(platform: string | null, id: string | null): ApprovalContext | null {
  if (platform === 'zendesk') return { platform, ticketId: id as string };
  if (platform === 'intercom') return { platform, conversationId: id as string };
  return null;
}

export function workspaceDocument(w: WorkspaceRecord): WorkspaceDocument {
  return { _id: w.id, name: w.name, createdAt: w.createdAt, settings: JSON.stringify(w.settings), secrets: JSON.stringify(w.secrets) };
}

export function workspaceFromDocument(d: WorkspaceDocument): WorkspaceRecord {
  return { id: d._id, name: d.name, createdAt: d.createdAt, settings: parse(d.settings), secrets: parse(d.secrets) };
}

export function keyDocument(k: ApiKeyRecord): ApiKeyDocument {
  return {
    _id: k.id,
    workspaceId: k.workspaceId,
    scope: k.scope,
    prefix: k.prefix,
    hash: k.hash,
    label: k.label,
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    reviewer: jsonOrNull(k.reviewer),
  };
}

export function keyFromDocument(d: ApiKeyDocument): ApiKeyRecord {
  return {
    id: d._id,
    workspaceId: d.workspaceId,
    scope: d.scope as ApiKeyRecord['scope'],
    prefix: d.prefix,
    hash: d.hash,
    label: d.label ?? null,
    createdAt: d.createdAt,
    revokedAt: d.revokedAt ?? null,
    reviewer: parseOrNull(d.reviewer),
  };
}

export function approvalDocument(a: ApprovalRecord): ApprovalDocument {
  return {
    _id: a.id,
    workspaceId: a.workspaceId,
    action: a.action,
    summary: a.summary,
    details: JSON.stringify(a.details),
    riskLevel: a.riskLevel,
    priority: a.priority,
    justification: a.justification,
    agentName: a.agentName,
    metadata: jsonOrNull(a.metadata),
    ...contextFields(a.context),
    callbackUrl: a.callbackUrl,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    expiresAt: a.expiresAt,
    ...settlementFields(a), // status and the decision fields
    idempotencyKey: a.idempotencyKey,
    requestHash: a.requestHash,
    createdByKeyId: a.createdByKeyId,
    extra: approvalExtra(a),
    version: a.version,
    followUpAt: a.followUpAt ?? null,
  };
}

/** The approval fields with a document field of their own (queried, or there before `extra`); the rest go in `extra`. */
const APPROVAL_FIELDS = new Set<string>([
  'id', 'workspaceId', 'status', 'action', 'summary', 'details', 'riskLevel', 'priority', 'justification', 'agentName',
  'metadata', 'context', 'callbackUrl', 'createdAt', 'updatedAt', 'expiresAt', 'decidedAt', 'decidedBy', 'decisionNote',
  'modifiedDetails', 'idempotencyKey', 'requestHash', 'createdByKeyId', 'version',
] satisfies Array<keyof ApprovalRecord>);

/** The record's fields without a document field, as stored in `extra` (null when there are none). */
export function approvalExtra(a: ApprovalRecord): string | null {
  const extra = Object.entries(a).filter(([key]) => !APPROVAL_FIELDS.has(key));
  return extra.length > 0 ? JSON.stringify(Object.fromEntries(extra)) : null;
}

/** The fields a transition writes, in document form. */
export function settlementFields(s: Settlement): Pick<ApprovalDocument, 'status' | 'decidedAt' | 'decidedBy' | 'decisionNote' | 'modifiedDetails'> {
  return {
    status: s.status,
    decidedAt: s.decidedAt,
    decidedBy: jsonOrNull(s.decidedBy),
    decisionNote: s.decisionNote,
    modifiedDetails: jsonOrNull(s.modifiedDetails),
  };
}

export function approvalFromDocument(d: ApprovalDocument): ApprovalRecord {
  return {
    ...APPROVAL_DEFAULTS,
    ...parseOrNull<Partial<ApprovalRecord>>(d.extra),
    id: d._id,
    workspaceId: d.workspaceId,
    status: d.status as ApprovalRecord['status'],
    action: d.action,
    summary: d.summary,
    details: parse(d.details),
    riskLevel: d.riskLevel as ApprovalRecord['riskLevel'],
    priority: d.priority as ApprovalRecord['priority'],
    justification: d.justification ?? null,
    agentName: d.agentName ?? null,
    metadata: parseOrNull(d.metadata),
    context: contextFromFields(d.contextPlatform ?? null, d.contextId ?? null),
    callbackUrl: d.callbackUrl ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    expiresAt: d.expiresAt,
    decidedAt: d.decidedAt ?? null,
    decidedBy: parseOrNull(d.decidedBy),
    decisionNote: d.decisionNote ?? null,
    modifiedDetails: parseOrNull(d.modifiedDetails),
    idempotencyKey: d.idempotencyKey ?? null,
    requestHash: d.requestHash ?? null,
    createdByKeyId: d.createdByKeyId ?? null,
    version: d.version ?? 0,
  };
}

/** Call in write order: each call takes the next insertion sequence number. */
export function eventDocument(e: AuditEventRecord): EventDocument {
  return {
    _id: e.id,
    workspaceId: e.workspaceId,
    approvalId: e.approvalId,
    type: e.type,
    at: e.at,
    data: JSON.stringify(e.data),
    seq: nextInsertionSeq(),
  };
}

export function eventFromDocument(d: EventDocument): AuditEventRecord {
  return { id: d._id, workspaceId: d.workspaceId, approvalId: d.approvalId, type: d.type, at: d.at, data: parse(d.data) };
}

export function deliveryDocument({ id, ...fields }: DeliveryRecord): DeliveryDocument {
  return { _id: id, ...fields, host: deliveryHost(fields.target) };
}

export function deliveryFromDocument(d: DeliveryDocument): DeliveryRecord {
  return {
    id: d._id,
    workspaceId: d.workspaceId,
    approvalId: d.approvalId,
    kind: d.kind,
    target: d.target,
    body: d.body,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    leaseOwner: d.leaseOwner ?? null,
    leaseUntil: d.leaseUntil ?? null,
    lastError: d.lastError ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
