// A Store held in this process's memory, for tests and for embedding Countersign where nothing needs
// to outlive the process. It passes the same contract suite as the durable adapters
// (test/contract/store.contract.ts). Deliberately not selectable by configuration (open-store.ts
// never opens it): a server whose approvals vanish on restart must not be one setting away.
import type { Backlog, MetaStore, Store } from '../../approvals/ports';
import { MemoryApprovals } from './approvals';
import { MemoryChanges } from './changes';
import { MemoryOutbox } from './outbox';
import { MemoryPlatformEvents } from './platform-events';
import { MemoryPolicies } from './policies';
import { MemoryPostedMessages } from './posted-messages';
import { MemorySessionHandoffs } from './session-handoffs';
import { MemoryTables } from './tables';
import { MemoryKeys, MemoryWorkspaces } from './tenancy';

class MemoryMeta implements MetaStore {
  constructor(private readonly tables: MemoryTables) {}

  async get(key: string): Promise<string | null> {
    return this.tables.meta.get(key) ?? null;
  }

  async putIfAbsent(key: string, value: string): Promise<string> {
    if (!this.tables.meta.has(key)) this.tables.meta.set(key, value);
    return this.tables.meta.get(key)!;
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly tables = new MemoryTables();
  readonly meta: MetaStore = new MemoryMeta(this.tables);
  readonly workspaces = new MemoryWorkspaces(this.tables);
  readonly keys = new MemoryKeys(this.tables);
  readonly approvals = new MemoryApprovals(this.tables);
  readonly outbox = new MemoryOutbox(this.tables);
  readonly platformEvents = new MemoryPlatformEvents(this.tables);
  readonly policies = new MemoryPolicies(this.tables);
  readonly changes = new MemoryChanges(this.tables);
  readonly postedMessages = new MemoryPostedMessages(this.tables);
  readonly sessionHandoffs = new MemorySessionHandoffs(this.tables);

  async init(): Promise<void> {}

  /** Nothing to release; the data lives as long as this object. */
  async close(): Promise<void> {}

  async ping(): Promise<void> {}

  async probeWrite(): Promise<void> {
    this.tables.meta.set('write_probe', String(Date.now()));
  }

  async backlog(failedSince: number): Promise<Backlog> {
    const pending = [...this.tables.approvals.values()].filter((a) => a.status === 'pending');
    const deliveries = [...this.tables.deliveries.values()].map((d) => d.record);
    const queued = deliveries.filter((d) => d.status === 'pending');
    return {
      pendingApprovals: pending.length,
      oldestPendingCreatedAt: oldest(pending),
      queuedDeliveries: queued.length,
      oldestQueuedCreatedAt: oldest(queued),
      failedDeliveries: deliveries.filter((d) => d.status === 'failed' && d.updatedAt >= failedSince).length,
      unprocessedEvents: [...this.tables.platformEvents.values()].filter((e) => e.processedAt === null && e.payload !== null).length,
    };
  }
}

function oldest(records: Array<{ createdAt: number }>): number | null {
  return records.length === 0 ? null : Math.min(...records.map((r) => r.createdAt));
}
