// Approvals and their audit trail in memory.
import type { ApprovalStore, ListFilter, PagePosition, TransitionRequest, TransitionResult } from '../../approvals/ports';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord } from '../../approvals/records';
import { deliveryHost } from '../../delivery/delivery-host';
import { compareIds, compositeKey, copy, duplicateKey, type MemoryTables } from './tables';

export class MemoryApprovals implements ApprovalStore {
  constructor(private readonly tables: MemoryTables) {}

  async create(approval: ApprovalRecord, events: AuditEventRecord[], deliveries: DeliveryRecord[] = []): Promise<{ created: boolean; approval: ApprovalRecord }> {
    const key = approval.idempotencyKey === null ? null : compositeKey(approval.workspaceId, approval.idempotencyKey);
    const existing = key === null ? undefined : this.tables.idempotency.get(key);
    if (existing !== undefined) return { created: false, approval: copy(this.tables.approvals.get(existing)!) };
    if (this.tables.approvals.has(approval.id)) throw duplicateKey('approvals', approval.id);
    this.refuseStoredDeliveries(deliveries);
    this.tables.approvals.set(approval.id, copy(approval));
    if (key !== null) this.tables.idempotency.set(key, approval.id);
    for (const event of events) this.tables.writeEvent(event);
    this.writeDeliveries(deliveries);
    return { created: true, approval: copy(approval) };
  }

  async get(workspaceId: string, id: string): Promise<ApprovalRecord | null> {
    const approval = this.stored(workspaceId, id);
    return approval ? copy(approval) : null;
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<ApprovalRecord | null> {
    const id = this.tables.idempotency.get(compositeKey(workspaceId, idempotencyKey));
    return id === undefined ? null : copy(this.tables.approvals.get(id)!);
  }

  async list(workspaceId: string, filter: ListFilter, limit: number, after?: PagePosition): Promise<ApprovalRecord[]> {
    return [...this.tables.approvals.values()]
      .filter((a) => a.workspaceId === workspaceId && matches(a, filter) && (!after || newestFirst(a, after) > 0))
      .sort(newestFirst)
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  /**
   * The compare-and-set and its writes in one synchronous run. Every check that could refuse a write
   * (a delivery id already stored) comes before the first write, so a refused transition leaves
   * nothing behind, as SQLite's rolled-back transaction does.
   */
  async transition(request: TransitionRequest): Promise<TransitionResult> {
    const next = request.approval;
    const stored = this.stored(next.workspaceId, next.id);
    const applies = stored !== null && stored.status === 'pending' && stored.version === request.expectedVersion && (!request.requireUnexpired || stored.expiresAt > request.now);
    if (!applies) return { applied: false, approval: stored ? copy(stored) : null };
    this.refuseStoredDeliveries(request.deliveries);
    // Written whole (the port's rule), keeping what the indexes here are keyed by; updatedAt is the
    // transition's time, as both other adapters set it.
    const settled: ApprovalRecord = { ...copy(next), id: stored.id, workspaceId: stored.workspaceId, idempotencyKey: stored.idempotencyKey, updatedAt: request.now, version: stored.version + 1 };
    this.tables.approvals.set(settled.id, settled);
    for (const event of request.events) this.tables.writeEvent(event);
    this.writeDeliveries(request.deliveries);
    return { applied: true, approval: copy(settled) };
  }

  /** Checked before the first write, so a refused write leaves nothing behind. */
  private refuseStoredDeliveries(deliveries: DeliveryRecord[]): void {
    const ids = new Set<string>();
    for (const delivery of deliveries) {
      if (this.tables.deliveries.has(delivery.id) || ids.has(delivery.id)) throw duplicateKey('deliveries', delivery.id);
      ids.add(delivery.id);
    }
  }

  private writeDeliveries(deliveries: DeliveryRecord[]): void {
    for (const delivery of deliveries) this.tables.deliveries.set(delivery.id, { record: copy(delivery), host: deliveryHost(delivery.target) });
  }

  async listOverdue(now: number, limit: number): Promise<ApprovalRecord[]> {
    return [...this.tables.approvals.values()]
      .filter((a) => a.status === 'pending' && a.expiresAt <= now)
      .sort((a, b) => a.expiresAt - b.expiresAt || compareIds(a.id, b.id))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  async listFollowUpsDue(now: number, limit: number): Promise<ApprovalRecord[]> {
    return [...this.tables.approvals.values()]
      .filter((a) => a.status === 'pending' && a.followUpAt != null && a.followUpAt <= now && a.expiresAt > now)
      .sort((a, b) => a.followUpAt! - b.followUpAt! || compareIds(a.id, b.id))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  async listSettledSince(since: number): Promise<string[]> {
    return [...this.tables.approvals.values()].filter((a) => a.status !== 'pending' && a.updatedAt >= since).map((a) => a.id);
  }

  async appendEvent(event: AuditEventRecord): Promise<void> {
    this.tables.writeEvent(event);
  }

  async listEvents(workspaceId: string, approvalId: string): Promise<AuditEventRecord[]> {
    return (this.tables.events.get(approvalId) ?? []).filter((e) => e.workspaceId === workspaceId).map(copy);
  }

  private stored(workspaceId: string, id: string): ApprovalRecord | null {
    const approval = this.tables.approvals.get(id);
    return approval && approval.workspaceId === workspaceId ? approval : null;
  }
}

/** The filters ANDed, as in SQLite: asking for a ticket and a conversation at once matches nothing. */
function matches(a: ApprovalRecord, filter: ListFilter): boolean {
  if (filter.status && a.status !== filter.status) return false;
  if (filter.ticketId !== undefined && !(a.context?.platform === 'zendesk' && a.context.ticketId === filter.ticketId)) return false;
  if (filter.conversationId !== undefined && !(a.context?.platform === 'intercom' && a.context.conversationId === filter.conversationId)) return false;
  return true;
}

/** Negative when `a` lists before `b`: newer createdAt first, then the greater id. */
function newestFirst(a: PagePosition, b: PagePosition): number {
  return b.createdAt - a.createdAt || compareIds(b.id, a.id);
}
