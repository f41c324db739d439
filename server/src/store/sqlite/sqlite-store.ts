// The embedded store: one SQLite file in WAL mode. Writes that must be atomic across processes
// sharing the file run in IMMEDIATE transactions, which take the write lock up front.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
  ListFilter,
  NewInboundEvent,
  PagePosition,
  Store,
  TransitionRequest,
  TransitionResult,
  WorkspaceRecord,
} from '../port';
import { deliveryHost } from '../../delivery/delivery-host';
import { fairShare, hostRoom, HOSTS_PER_WORKSPACE, HostRotation, workspaceRoom, type ClaimCandidate } from '../../delivery/fair-share';
import { MIGRATIONS } from './schema';
import {
  approvalFromRow,
  approvalParams,
  contextColumns,
  deliveryFromRow,
  deliveryParams,
  eventFromRow,
  eventParams,
  inboundEventFromRow,
  keyFromRow,
  workspaceFromRow,
  type Row,
} from './rows';

export interface SqliteOptions {
  synchronous: 'full' | 'normal';
}

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  private queued: QueuedWrite[] = [];
  /** Runs one queued write; inside the batch's transaction better-sqlite3 makes it a SAVEPOINT. */
  private savepoint: ((work: () => unknown) => unknown) | null = null;
  private flushScheduled = false;
  private readonly rotation = new HostRotation();

  constructor(
    readonly file: string,
    private readonly options: SqliteOptions = { synchronous: 'full' },
  ) {}

  async init(): Promise<void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged request survives power loss, not just a process crash.
    db.pragma(`synchronous = ${this.options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // better-sqlite3 waits for a foreign write lock synchronously, stalling the event loop, so the
    // wait is kept short; past it the caller gets a 503 and retries. Our own writes hold the lock
    // for milliseconds (group commit).
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    this.db = db;
    this.savepoint = db.transaction((work: () => unknown) => work());
    db.function('delivery_host', { deterministic: true }, (target: unknown) => deliveryHost(String(target)));
    this.migrate();
  }

  async close(): Promise<void> {
    if (this.queued.length > 0) this.flush();
    this.statements.clear();
    this.db?.close();
    this.db = null;
    this.savepoint = null;
  }

  async ping(): Promise<void> {
    this.one('SELECT 1 AS ok');
  }

  probeWrite(): Promise<void> {
    return this.immediate(() => {
      this.run("INSERT INTO meta (key, value) VALUES ('write_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", String(Date.now()));
    });
  }

  private migrate(): void {
    const db = this.connection();
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[i]!);
        db.pragma(`user_version = ${i + 1}`);
      }).immediate();
    }
  }

  private connection(): Database.Database {
    if (!this.db) throw new AppError('unavailable', 'store_closed', 'The store is not open.');
    return this.db;
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection().prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.stmt(sql).run(...params).changes;
  }

  /**
   * Group commit: write transactions queued during one event-loop turn share a single IMMEDIATE
   * transaction (one WAL sync instead of one each), each in its own savepoint so one failure does not
   * undo the others. Every caller is answered only after the commit, so durability is unchanged.
   */
  private immediate<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      const db = this.connection();
      const savepoint = this.savepoint!;
      db.transaction(() => {
        for (const { work } of batch) {
          try {
            outcomes.push({ ok: true, value: savepoint(work) });
          } catch (error) {
            // SQLITE_FULL, SQLITE_IOERR… can roll back the whole transaction, earlier savepoints
            // included. Then the batch is abandoned: a later write would run, and commit, on its own.
            if (!db.inTransaction) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      }).immediate();
    } catch (error) {
      // BEGIN or COMMIT failed, the transaction was rolled back (or the store is closed): nothing in
      // the batch was written, so no caller is answered as if it had been.
      for (const queued of batch) queued.reject(error);
      return;
    }
    batch.forEach((queued, i) => (outcomes[i]!.ok ? queued.resolve(outcomes[i]!.value) : queued.reject(outcomes[i]!.value)));
  }

  // ---- meta

  async getMeta(key: string): Promise<string | null> {
    return (this.one('SELECT value FROM meta WHERE key = ?', key)?.value as string | undefined) ?? null;
  }

  async putMetaIfAbsent(key: string, value: string): Promise<string> {
    this.run('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)', key, value);
    return (await this.getMeta(key))!;
  }

  // ---- workspaces

  async createWorkspace(w: WorkspaceRecord): Promise<void> {
    try {
      this.run(
        'INSERT INTO workspaces (id, name, created_at, settings, secrets) VALUES (?, ?, ?, ?, ?)',
        w.id, w.name, w.createdAt, JSON.stringify(w.settings), JSON.stringify(w.secrets),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', 'workspace_exists', `A workspace named "${w.name}" already exists.`);
      throw error;
    }
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    const row = this.one('SELECT * FROM workspaces WHERE id = ?', id);
    return row ? workspaceFromRow(row) : null;
  }

  async findWorkspaceByName(name: string): Promise<WorkspaceRecord | null> {
    const row = this.one('SELECT * FROM workspaces WHERE name = ?', name);
    return row ? workspaceFromRow(row) : null;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    return this.all('SELECT * FROM workspaces ORDER BY created_at, id').map(workspaceFromRow);
  }

  async updateWorkspace(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void> {
    this.run('UPDATE workspaces SET settings = ?, secrets = ? WHERE id = ?', JSON.stringify(change.settings), JSON.stringify(change.secrets), id);
  }

  // ---- keys

  async createKey(k: ApiKeyRecord): Promise<void> {
    this.run(
      'INSERT INTO api_keys (id, workspace_id, scope, prefix, hash, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      k.id, k.workspaceId, k.scope, k.prefix, k.hash, k.label, k.createdAt, k.revokedAt,
    );
  }

  async findKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const row = this.one('SELECT * FROM api_keys WHERE hash = ?', hash);
    return row ? keyFromRow(row) : null;
  }

  async listKeys(workspaceId?: string): Promise<ApiKeyRecord[]> {
    const rows = workspaceId
      ? this.all('SELECT * FROM api_keys WHERE workspace_id = ? ORDER BY created_at, id', workspaceId)
      : this.all('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows.map(keyFromRow);
  }

  async revokeKey(id: string, at: number): Promise<boolean> {
    return this.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id) === 1;
  }

  // ---- approvals

  async createApproval(approval: ApprovalRecord, event: AuditEventRecord): Promise<{ created: boolean; approval: ApprovalRecord }> {
    return this.immediate(() => {
      if (approval.idempotencyKey !== null) {
        const existing = this.one(
          'SELECT * FROM approvals WHERE workspace_id = ? AND idempotency_key = ?',
          approval.workspaceId, approval.idempotencyKey,
        );
        if (existing) return { created: false, approval: approvalFromRow(existing) };
      }
      this.run(INSERT_APPROVAL, approvalParams(approval));
      this.run(INSERT_EVENT, eventParams(event));
      return { created: true, approval };
    });
  }

  async getApproval(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    const row = this.one('SELECT * FROM approvals WHERE workspace_id = ? AND id = ?', workspaceId, id);
    return row ? approvalFromRow(row) : null;
  }

  async findApprovalByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const row = this.one('SELECT * FROM approvals WHERE workspace_id = ? AND idempotency_key = ?', workspaceId, idempotencyKey);
    return row ? approvalFromRow(row) : null;
  }

  async listApprovals(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]> {
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
    return this.all(sql, params).map(approvalFromRow);
  }

  async transitionApproval(request: TransitionRequest): Promise<TransitionResult> {
    const s = request.settlement;
    return this.immediate(() => {
      const changed = this.run(
        `UPDATE approvals
            SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, modified_details = ?, updated_at = ?
          WHERE workspace_id = ? AND id = ? AND status = 'pending' AND (? = 0 OR expires_at > ?)`,
        s.status, s.decidedAt, s.decidedBy ? JSON.stringify(s.decidedBy) : null, s.decisionNote,
        s.modifiedDetails ? JSON.stringify(s.modifiedDetails) : null, request.now,
        request.workspaceId, request.approvalId, request.requireUnexpired ? 1 : 0, request.now,
      );
      if (changed === 1) {
        for (const event of request.events) this.run(INSERT_EVENT, eventParams(event));
        for (const delivery of request.deliveries) this.run(INSERT_DELIVERY, deliveryParams(delivery));
      }
      const row = this.one('SELECT * FROM approvals WHERE workspace_id = ? AND id = ?', request.workspaceId, request.approvalId);
      const approval = row ? approvalFromRow(row) : null;
      return changed === 1 ? { applied: true, approval: approval! } : { applied: false, approval };
    });
  }

  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    return this.all(
      "SELECT * FROM approvals WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
      now, limit,
    ).map(approvalFromRow);
  }

  async listSettledSince(since: number): Promise<string[]> {
    return this.all("SELECT id FROM approvals WHERE status <> 'pending' AND updated_at >= ?", since).map((r) => r.id as string);
  }

  // ---- audit events

  async appendEvent(event: AuditEventRecord): Promise<void> {
    this.run(INSERT_EVENT, eventParams(event));
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    return this.all('SELECT * FROM events WHERE workspace_id = ? AND approval_id = ? ORDER BY seq', workspaceId, approvalId).map(eventFromRow);
  }

  // ---- outbox

  /**
   * Reads the head of every queue (workspace × host) the claim may take from, chooses among them with
   * fairShare, and leases the chosen, all in one IMMEDIATE transaction. Queues are found by seeking
   * through the deliveries_queues index, so a workspace at its cap or a host without room costs one
   * seek however many deliveries wait in it; a scan in due order would read every held-back row on
   * every claim.
   */
  async claimDeliveries(claim: DeliveryClaim): Promise<DeliveryRecord[]> {
    return this.immediate(() => {
      const candidates: ClaimCandidate[] = [];
      for (const workspaceId of this.pendingWorkspaces()) {
        const room = workspaceRoom(claim, workspaceId);
        if (room === 0) continue;
        for (const host of this.rotation.pick(workspaceId, (after, max) => this.pendingHosts(workspaceId, after, max))) {
          const take = Math.min(room, hostRoom(claim, host));
          if (take > 0) candidates.push(...this.all(QUEUE_HEAD, workspaceId, host, claim.now, claim.now, take).map(candidateFromRow));
        }
      }
      const lease = { owner: claim.owner, leaseUntil: claim.now + claim.leaseMs, now: claim.now };
      return fairShare(candidates, claim).flatMap((id) => this.all(LEASE_CHOSEN, { ...lease, id }).map(deliveryFromRow));
    });
  }

  /** Workspaces with pending deliveries, one index seek each. */
  private pendingWorkspaces(): string[] {
    const found: string[] = [];
    for (let row = this.one(NEXT_WORKSPACE, ''); row; row = this.one(NEXT_WORKSPACE, row.workspace_id)) found.push(row.workspace_id as string);
    return found;
  }

  /** Up to `max` hosts the workspace has pending deliveries for, above `after` (null: from the first). */
  private pendingHosts(workspaceId: string, after: string | null, max: number): string[] {
    const found: string[] = [];
    let row = after === null ? this.one(FIRST_HOST, workspaceId) : this.one(NEXT_HOST, workspaceId, after);
    while (row && found.length < max) {
      found.push(row.target_host as string);
      row = this.one(NEXT_HOST, workspaceId, row.target_host);
    }
    return found;
  }

  async finishAttempt(o: AttemptOutcome): Promise<boolean> {
    return this.immediate(() => {
      const changed = this.run(
        `UPDATE deliveries
            SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
          WHERE id = ? AND lease_owner = ? AND attempts = ? AND status = 'pending'`,
        o.status, o.nextAttemptAt, o.lastError, o.now, o.deliveryId, o.owner, o.attempt,
      );
      if (changed === 1) this.run(INSERT_EVENT, eventParams(o.event));
      return changed === 1;
    });
  }

  /**
   * Queue by queue, like the claim, so deliveries held back in excluded queues cost a seek, not a scan.
   * Only a workspace's first HOSTS_PER_WORKSPACE hosts are read: the others' due times are missed at
   * worst until the worker's next poll.
   */
  async nextDeliveryDueAt(exclude?: DeliveryExclusion): Promise<number | null> {
    const workspaces = new Set(exclude?.workspaceIds);
    const hosts = new Set(exclude?.hosts);
    let due: number | null = null;
    for (const workspaceId of this.pendingWorkspaces()) {
      if (workspaces.has(workspaceId)) continue;
      for (const host of this.pendingHosts(workspaceId, null, HOSTS_PER_WORKSPACE)) {
        if (hosts.has(host)) continue;
        const queueDue = this.one(QUEUE_DUE, workspaceId, host)?.due as number | null | undefined;
        if (queueDue != null && (due === null || queueDue < due)) due = queueDue;
      }
    }
    return due;
  }

  async backlog(failedSince: number): Promise<Backlog> {
    const approvals = this.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM approvals WHERE status = 'pending'");
    const queued = this.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries WHERE status = 'pending'");
    const failed = this.one("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'failed' AND updated_at >= ?", failedSince);
    const events = this.one('SELECT COUNT(*) AS n FROM processed_events WHERE processed_at IS NULL AND payload IS NOT NULL');
    return {
      pendingApprovals: Number(approvals?.n ?? 0),
      oldestPendingCreatedAt: (approvals?.oldest as number | null | undefined) ?? null,
      queuedDeliveries: Number(queued?.n ?? 0),
      oldestQueuedCreatedAt: (queued?.oldest as number | null | undefined) ?? null,
      failedDeliveries: Number(failed?.n ?? 0),
      unprocessedEvents: Number(events?.n ?? 0),
    };
  }

  async listDeliveries(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]> {
    return this.all('SELECT * FROM deliveries WHERE workspace_id = ? AND approval_id = ? ORDER BY created_at, id', workspaceId, approvalId).map(deliveryFromRow);
  }

  // ---- processed platform events

  async claimProcessedEvent(source: string, eventId: string, now: number): Promise<boolean> {
    return this.run('INSERT OR IGNORE INTO processed_events (source, event_id, claimed_at, processed_at) VALUES (?, ?, ?, ?)', source, eventId, now, now) === 1;
  }

  recordInboundEvent(event: NewInboundEvent): Promise<boolean> {
    return this.immediate(
      () =>
        this.run(
          'INSERT OR IGNORE INTO processed_events (source, event_id, claimed_at, topic, payload) VALUES (?, ?, ?, ?, ?)',
          event.source, event.eventId, event.receivedAt, event.topic, event.payload,
        ) === 1,
    );
  }

  async listUnprocessedEvents(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]> {
    return this.all(
      `SELECT * FROM processed_events WHERE source = ? AND processed_at IS NULL AND claimed_at < ? AND attempts < ? AND payload IS NOT NULL
       ORDER BY claimed_at LIMIT ?`,
      source, before, maxAttempts, limit,
    ).map(inboundEventFromRow);
  }

  async markEventProcessed(source: string, eventId: string, at: number): Promise<void> {
    await this.immediate(() => this.run('UPDATE processed_events SET processed_at = ? WHERE source = ? AND event_id = ?', at, source, eventId));
  }

  async noteEventFailure(source: string, eventId: string): Promise<void> {
    await this.immediate(() => this.run('UPDATE processed_events SET attempts = attempts + 1 WHERE source = ? AND event_id = ?', source, eventId));
  }

  async pruneProcessedEvents(before: number): Promise<number> {
    return this.run('DELETE FROM processed_events WHERE claimed_at < ?', before);
  }
}

const INSERT_APPROVAL = `INSERT INTO approvals (
  id, workspace_id, status, action, summary, details, risk_level, priority, justification, agent_name, metadata,
  context_platform, context_id, callback_url, created_at, updated_at, expires_at, decided_at, decided_by,
  decision_note, modified_details, idempotency_key, request_hash, created_by_key
) VALUES (
  @id, @workspaceId, @status, @action, @summary, @details, @riskLevel, @priority, @justification, @agentName, @metadata,
  @contextPlatform, @contextId, @callbackUrl, @createdAt, @updatedAt, @expiresAt, @decidedAt, @decidedBy,
  @decisionNote, @modifiedDetails, @idempotencyKey, @requestHash, @createdByKeyId
)`;

const INSERT_EVENT = 'INSERT INTO events (id, workspace_id, approval_id, type, at, data) VALUES (@id, @workspaceId, @approvalId, @type, @at, @data)';

const INSERT_DELIVERY = `INSERT INTO deliveries (
  id, workspace_id, approval_id, kind, target, target_host, body, status, attempts, next_attempt_at, lease_owner, lease_until,
  last_error, created_at, updated_at
) VALUES (
  @id, @workspaceId, @approvalId, @kind, @target, @targetHost, @body, @status, @attempts, @nextAttemptAt, @leaseOwner, @leaseUntil,
  @lastError, @createdAt, @updatedAt
)`;

// The outbox's queues: pending deliveries by workspace and host, read through deliveries_queues. The
// index is named because the planner, without statistics, prefers deliveries_due and then sorts.
const NEXT_WORKSPACE = "SELECT workspace_id FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id > ? ORDER BY workspace_id LIMIT 1";
const FIRST_HOST = "SELECT target_host FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? ORDER BY target_host LIMIT 1";
const NEXT_HOST = "SELECT target_host FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? AND target_host > ? ORDER BY target_host LIMIT 1";
const QUEUE_HEAD = `SELECT id, workspace_id, target_host, next_attempt_at FROM deliveries INDEXED BY deliveries_queues
  WHERE status = 'pending' AND workspace_id = ? AND target_host = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  ORDER BY next_attempt_at LIMIT ?`;
/**
 * When a queue's first delivery becomes claimable. Leased rows keep their due time, so they sit at the
 * head of their queue; a queue never has more leased than all instances' attempts to one host in
 * flight, so its first rows decide (past that the answer may come out late, which only makes the worker
 * look later, and it looks at least once a poll interval anyway).
 */
const QUEUE_DUE = `SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) AS due FROM (
  SELECT next_attempt_at, lease_until FROM deliveries INDEXED BY deliveries_queues WHERE status = 'pending' AND workspace_id = ? AND target_host = ?
  ORDER BY next_attempt_at LIMIT 64)`;
/** Leases one chosen delivery, checking again that it is still due and free (the claim's transaction makes that certain). */
const LEASE_CHOSEN = `UPDATE deliveries
    SET lease_owner = @owner, lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
  WHERE id = @id AND status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
  RETURNING *`;

function candidateFromRow(row: Row): ClaimCandidate {
  return { id: row.id as string, workspaceId: row.workspace_id as string, host: row.target_host as string, nextAttemptAt: row.next_attempt_at as number };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
