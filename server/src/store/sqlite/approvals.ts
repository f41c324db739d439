// Approvals and their audit trail in the embedded store.
import type { ApprovalStore, ListFilter, PagePosition, TransitionRequest, TransitionResult } from '../../approvals/ports';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '../../approvals/records';
import type { SqliteDatabase } from './database';
import { approvalExtra, approvalFromRow, approvalParams, contextColumns, deliveryParams, eventFromRow, eventParams, INSERT_DELIVERY, INSERT_EVENT } from './rows';

export class SqliteApprovals implements ApprovalStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(approval: ApprovalRecord, events: AuditEventRecord[], deliveries: DeliveryRecord[] = []): Promise<{ created: boolean; approval: ApprovalRecord }> {
    return this.db.immediate(() => {
      if (approval.idempotencyKey !== null) {
        const existing = this.db.one(
          'SELECT * FROM approvals WHERE workspace_id = ? AND idempotency_key = ?',
          approval.workspaceId, approval.idempotencyKey,
        );
        if (existing) return { created: false, approval: approvalFromRow(existing) };
      }
      this.db.run(INSERT_APPROVAL, approvalParams(approval));
      for (const event of events) this.db.run(INSERT_EVENT, eventParams(event));
      for (const delivery of deliveries) this.db.run(INSERT_DELIVERY, deliveryParams(delivery));
      return { created: true, approval };
    });
  }

  async get(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    const row = this.db.one('SELECT * FROM approvals WHERE workspace_id = ? AND id = ?', workspaceId, id);
    return row ? approvalFromRow(row) : null;
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const row = this.db.one('SELECT * FROM approvals WHERE workspace_id = ? AND idempotency_key = ?', workspaceId, idempotencyKey);
    return row ? approvalFromRow(row) : null;
  }

  async list(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]> {
    const where = ['workspace_id = @workspaceId'];
    const params: Record<string, unknown> = { workspaceId, limit };
    if (filter.status) {
      where.push('status = @status');
      params.status = filter.status;
    }
    const contexts = [
      filter.ticketId !== undefined && contextColumns({ platform: 'zendesk', ticketId: filter.ticketId }),
      filter.conversationId !== undefined && contextColumns({ platform: 'intercom', conversationId: filter.conversationId }),
    ].filter((c) => c !== false);
    contexts.forEach((c, i) => {
      where.push(`(context_platform = @platform${i} AND context_id = @contextId${i})`);
      params[`platform${i}`] = c.platform;
      params[`contextId${i}`] = c.id;
    });
    if (after) {
      where.push('(created_at < @afterAt OR (created_at = @afterAt AND id < @afterId))');
      params.afterAt = after.createdAt;
      params.afterId = after.id;
    }
    const sql = `SELECT * FROM approvals WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return this.db.all(sql, params).map(approvalFromRow);
  }

  async transition(request: TransitionRequest): Promise<TransitionResult> {
    const next = request.approval;
    return this.db.immediate(() => {
      const changed = this.db.run(
        `UPDATE approvals
            SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, modified_details = ?, updated_at = ?, extra = ?, follow_up_at = ?, version = version + 1
          WHERE workspace_id = ? AND id = ? AND status = 'pending' AND version = ? AND (? = 0 OR expires_at > ?)`,
        next.status, next.decidedAt, next.decidedBy ? JSON.stringify(next.decidedBy) : null, next.decisionNote,
        next.modifiedDetails ? JSON.stringify(next.modifiedDetails) : null, request.now, approvalExtra(next), next.followUpAt ?? null,
        next.workspaceId, next.id, request.expectedVersion, request.requireUnexpired ? 1 : 0, request.now,
      );
      if (changed === 1) {
        for (const event of request.events) this.db.run(INSERT_EVENT, eventParams(event));
        for (const delivery of request.deliveries) this.db.run(INSERT_DELIVERY, deliveryParams(delivery));
      }
      const row = this.db.one('SELECT * FROM approvals WHERE workspace_id = ? AND id = ?', next.workspaceId, next.id);
      const approval = row ? approvalFromRow(row) : null;
      return changed === 1 ? { applied: true, approval: approval! } : { applied: false, approval };
    });
  }

  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    return this.db.all(
      "SELECT * FROM approvals WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
      now, limit,
    ).map(approvalFromRow);
  }

  async listFollowUpsDue(now: number, limit: number): Promise<ApprovalRecord[]> {
    return this.db.all(
      "SELECT * FROM approvals WHERE status = 'pending' AND follow_up_at IS NOT NULL AND follow_up_at <= ? AND expires_at > ? ORDER BY follow_up_at LIMIT ?",
      now, now, limit,
    ).map(approvalFromRow);
  }

  async listSettledSince(since: number): Promise<string[]> {
    return this.db.all("SELECT id FROM approvals WHERE status <> 'pending' AND updated_at >= ?", since).map((r) => r.id as string);
  }

  async listSettledAmong(ids: string[]): Promise<string[]> {
    // One statement for any number of ids: they come as one JSON array.
    return this.db.all("SELECT id FROM approvals WHERE id IN (SELECT value FROM json_each(?)) AND status <> 'pending'", JSON.stringify(ids)).map((r) => r.id as string);
  }

  async appendEvent(event: AuditEventRecord): Promise<void> {
    this.db.run(INSERT_EVENT, eventParams(event));
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    return this.db.all('SELECT * FROM events WHERE workspace_id = ? AND approval_id = ? ORDER BY seq', workspaceId, approvalId).map(eventFromRow);
  }
}

const INSERT_APPROVAL = `INSERT INTO approvals (
  id, workspace_id, status, action, summary, details, risk_level, priority, justification, agent_name, metadata,
  context_platform, context_id, callback_url, created_at, updated_at, expires_at, decided_at, decided_by,
  decision_note, modified_details, idempotency_key, request_hash, created_by_key, extra, version, follow_up_at
) VALUES (
  @id, @workspaceId, @status, @action, @summary, @details, @riskLevel, @priority, @justification, @agentName, @metadata,
  @contextPlatform, @contextId, @callbackUrl, @createdAt, @updatedAt, @expiresAt, @decidedAt, @decidedBy,
  @decisionNote, @modifiedDetails, @idempotencyKey, @requestHash, @createdByKeyId, @extra, @version, @followUpAt
)`;
