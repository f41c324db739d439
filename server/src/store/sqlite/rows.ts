// Conversions between SQLite rows and the store's records.
import type { ApprovalContext } from '@countersign/shared';
import { deliveryHost } from '../../delivery/delivery-host';
import { APPROVAL_DEFAULTS, type ApprovalRecord, type AuditEventRecord, type DeliveryRecord, type InboundEventRecord, type PostedMessageRecord } from '../../approvals/records';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';

export type Row = Record<string, unknown>;

const parse = <T>(text: unknown): T => JSON.parse(text as string) as T;
const parseOrNull = <T>(text: unknown): T | null => (text === null || text === undefined ? null : parse<T>(text));
const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

export function contextColumns(context: ApprovalContext): { platform: string; id: string } {
  return context.platform === 'zendesk'
    ? { platform: 'zendesk', id: context.ticketId }
    : { platform: 'intercom', id: context.conversationId };
}

function contextFromColumns(platform: unknown, id: unknown): ApprovalContext | null {
  if (platform === 'zendesk') return { platform, ticketId: id as string };
  if (platform === 'intercom') return { platform, conversationId: id as string };
  return null;
}

export function workspaceFromRow(row: Row): WorkspaceRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    createdAt: row.created_at as number,
    settings: parse(row.settings),
    secrets: parse(row.secrets),
  };
}

export function keyFromRow(row: Row): ApiKeyRecord {
  return {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    scope: row.scope as ApiKeyRecord['scope'],
    prefix: row.prefix as string,
    hash: row.hash as string,
    label: (row.label as string | null) ?? null,
    createdAt: row.created_at as number,
    revokedAt: (row.revoked_at as number | null) ?? null,
    reviewer: parseOrNull(row.reviewer),
  };
}

/** The approval fields with a column of their own (queried, or there before `extra`); the rest go in `extra`. */
const APPROVAL_COLUMNS = new Set<string>([
  'id', 'workspaceId', 'status', 'action', 'summary', 'details', 'riskLevel', 'priority', 'justification', 'agentName',
  'metadata', 'context', 'callbackUrl', 'createdAt', 'updatedAt', 'expiresAt', 'decidedAt', 'decidedBy', 'decisionNote',
  'modifiedDetails', 'idempotencyKey', 'requestHash', 'createdByKeyId', 'version',
] satisfies Array<keyof ApprovalRecord>);

/** The record's fields without a column, as stored in `extra` (null when there are none). */
export function approvalExtra(a: ApprovalRecord): string | null {
  const extra = Object.entries(a).filter(([key]) => !APPROVAL_COLUMNS.has(key));
  return extra.length > 0 ? JSON.stringify(Object.fromEntries(extra)) : null;
}

export function approvalParams(a: ApprovalRecord): Row {
  const context = a.context ? contextColumns(a.context) : null;
  return {
    ...a,
    extra: approvalExtra(a),
    details: JSON.stringify(a.details),
    metadata: jsonOrNull(a.metadata),
    contextPlatform: context?.platform ?? null,
    contextId: context?.id ?? null,
    decidedBy: jsonOrNull(a.decidedBy),
    modifiedDetails: jsonOrNull(a.modifiedDetails),
    followUpAt: a.followUpAt ?? null,
    context: undefined,
  };
}

export function approvalFromRow(row: Row): ApprovalRecord {
  return {
    ...APPROVAL_DEFAULTS,
    ...parseOrNull<Partial<ApprovalRecord>>(row.extra),
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    status: row.status as ApprovalRecord['status'],
    action: row.action as string,
    summary: row.summary as string,
    details: parse(row.details),
    riskLevel: row.risk_level as ApprovalRecord['riskLevel'],
    priority: row.priority as ApprovalRecord['priority'],
    justification: (row.justification as string | null) ?? null,
    agentName: (row.agent_name as string | null) ?? null,
    metadata: parseOrNull(row.metadata),
    context: contextFromColumns(row.context_platform, row.context_id),
    callbackUrl: (row.callback_url as string | null) ?? null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    expiresAt: row.expires_at as number,
    decidedAt: (row.decided_at as number | null) ?? null,
    decidedBy: parseOrNull(row.decided_by),
    decisionNote: (row.decision_note as string | null) ?? null,
    modifiedDetails: parseOrNull(row.modified_details),
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    requestHash: (row.request_hash as string | null) ?? null,
    createdByKeyId: (row.created_by_key as string | null) ?? null,
    version: (row.version as number | undefined) ?? 0,
  };
}

export function eventParams(e: AuditEventRecord): Row {
  return { ...e, data: JSON.stringify(e.data) };
}

export function eventFromRow(row: Row): AuditEventRecord {
  return {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    approvalId: row.approval_id as string,
    type: row.type as string,
    at: row.at as number,
    data: parse(row.data),
  };
}

export function deliveryParams(d: DeliveryRecord): Row {
  return { ...d, targetHost: deliveryHost(d.target) };
}

export function deliveryFromRow(row: Row): DeliveryRecord {
  return {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    approvalId: row.approval_id as string,
    kind: row.kind as DeliveryRecord['kind'],
    target: row.target as string,
    body: row.body as string,
    status: row.status as DeliveryRecord['status'],
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as number,
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseUntil: (row.lease_until as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}

export function inboundEventFromRow(row: Row): InboundEventRecord {
  return {
    source: row.source as string,
    eventId: row.event_id as string,
    topic: (row.topic as string | null) ?? '',
    payload: (row.payload as string | null) ?? '',
    receivedAt: row.claimed_at as number,
    processedAt: (row.processed_at as number | null) ?? null,
    attempts: row.attempts as number,
  };
}

export const INSERT_EVENT = 'INSERT INTO events (id, workspace_id, approval_id, type, at, data) VALUES (@id, @workspaceId, @approvalId, @type, @at, @data)';

export const INSERT_DELIVERY = `INSERT INTO deliveries (
  id, workspace_id, approval_id, kind, target, target_host, body, status, attempts, next_attempt_at, lease_owner, lease_until,
  last_error, created_at, updated_at
) VALUES (
  @id, @workspaceId, @approvalId, @kind, @target, @targetHost, @body, @status, @attempts, @nextAttemptAt, @leaseOwner, @leaseUntil,
  @lastError, @createdAt, @updatedAt
)`;

export function postedMessageFromRow(row: Row): PostedMessageRecord {
  return {
    workspaceId: row.workspace_id as string,
    approvalId: row.approval_id as string,
    role: row.role as PostedMessageRecord['role'],
    platform: row.platform as PostedMessageRecord['platform'],
    channel: row.channel as string,
    messageId: row.message_id as string,
    postedAt: row.posted_at as number,
  };
}
