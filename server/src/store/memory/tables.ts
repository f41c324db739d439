// The memory store's state, shared by its ports like the SQLite ports share one connection. Records
// are cloned on the way in and out: the SQLite adapter serialises, so no caller can reach into stored
// state, and this adapter must behave the same or tests on it would miss aliasing bugs.
//
// Atomicity: every port method does its checks and its writes in one synchronous run (no await in
// between), so on JavaScript's single thread no other call can see or change the state half-way.
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord, PostedMessageRecord } from '../../approvals/records';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';
import type { ApprovalChange, PolicyRecord, SessionHandoffRecord } from '../../approvals/ports';

/** A delivery with its destination host, kept beside it as SQLite keeps target_host. */
export interface StoredDelivery {
  record: DeliveryRecord;
  host: string;
}

/** A recorded platform event or a bare claim (no topic or payload), as SQLite's processed_events row. */
export interface StoredPlatformEvent {
  source: string;
  eventId: string;
  claimedAt: number;
  topic: string | null;
  payload: string | null;
  processedAt: number | null;
  attempts: number;
}

export class MemoryTables {
  readonly meta = new Map<string, string>();
  readonly workspaces = new Map<string, WorkspaceRecord>();
  readonly keys = new Map<string, ApiKeyRecord>();
  readonly approvals = new Map<string, ApprovalRecord>();
  /** `workspaceId \0 idempotencyKey` → approval id: unique per workspace, as SQLite's partial unique index. */
  readonly idempotency = new Map<string, string>();
  /** Every approval's events, in the order they were written. */
  readonly events = new Map<string, AuditEventRecord[]>();
  readonly deliveries = new Map<string, StoredDelivery>();
  /** `source \0 eventId` → the event. */
  readonly platformEvents = new Map<string, StoredPlatformEvent>();
  /** By workspace id, oldest version first. */
  readonly policies = new Map<string, PolicyRecord[]>();
  /** `workspaceId \0 approvalId \0 role` → the message. */
  readonly postedMessages = new Map<string, PostedMessageRecord>();
  /** By id (the claim secret's hash). */
  readonly sessionHandoffs = new Map<string, SessionHandoffRecord>();

  /** Approval changes in commit order (the change feed); seq is the position + 1. */
  readonly changes: ApprovalChange[] = [];

  /** Appends a copy of the event to its approval's trail (and to the change feed if it is an approval change). */
  writeEvent(event: AuditEventRecord): void {
    if (isApprovalChange(event.type)) this.changes.push({ seq: this.changes.length + 1, workspaceId: event.workspaceId, approvalId: event.approvalId, type: event.type, at: event.at });
    const events = this.events.get(event.approvalId);
    if (events) events.push(copy(event));
    else this.events.set(event.approvalId, [copy(event)]);
  }
}

/** The audit events the change feed carries: the approval's own (not delivery attempts). */
export function isApprovalChange(type: string): boolean {
  return type.startsWith('approval.');
}

export const copy = <T>(value: T): T => structuredClone(value);

export const compositeKey = (a: string, b: string): string => `${a}\u0000${b}`;

/** By code unit, as SQLite's default BINARY collation orders the ASCII ids. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A write the store refuses because a record with that key exists (SQLite's UNIQUE and PRIMARY KEY). */
export function duplicateKey(table: string, key: string): Error {
  return new Error(`memory store: ${table} already holds ${key}`);
}
