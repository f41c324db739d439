// The Store: every focused port the domain needs from persistence, on one connection. Three adapters
// implement it (store/sqlite, store/mongo, and store/memory for tests and embedding) and all pass
// test/contract/store.contract.ts. Consumers take the port they use (an ApprovalStore, an
// OutboxStore…), not the whole store.
import type { ApprovalStore } from './approval-store';
import type { ChangeFeed } from './change-feed';
import type { MetaStore } from './meta-store';
import type { OutboxStore } from './outbox-store';
import type { PlatformEventStore } from './platform-event-store';
import type { PolicyStore } from './policy-store';
import type { PostedMessageStore } from './posted-message-store';
import type { SessionHandoffStore } from './session-handoff-store';
import type { KeyStore, WorkspaceStore } from './workspace-store';

/** What an operator watches: work waiting and work that failed. Times are epoch ms. */
export interface Backlog {
  pendingApprovals: number;
  oldestPendingCreatedAt: number | null;
  /** Deliveries not yet sent successfully and not given up: the outbox queue. */
  queuedDeliveries: number;
  oldestQueuedCreatedAt: number | null;
  /** Deliveries that ran out of attempts (or met a permanent refusal) at or after `failedSince`. */
  failedDeliveries: number;
  /** Platform events recorded but not yet processed. */
  unprocessedEvents: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo' | 'memory';
  readonly meta: MetaStore;
  readonly workspaces: WorkspaceStore;
  readonly keys: KeyStore;
  readonly approvals: ApprovalStore;
  readonly outbox: OutboxStore;
  readonly platformEvents: PlatformEventStore;
  readonly policies: PolicyStore;
  readonly changes: ChangeFeed;
  readonly postedMessages: PostedMessageStore;
  readonly sessionHandoffs: SessionHandoffStore;
  init(): Promise<void>;
  close(): Promise<void>;
  /** Cheap round trip proving the store answers (readiness). */
  ping(): Promise<void>;
  /** A tiny harmless write (one meta row), committed like any other: proves writes succeed (readiness). */
  probeWrite(): Promise<void>;
  /** Counts for monitoring; `failedSince` bounds the failed-delivery count. */
  backlog(failedSince: number): Promise<Backlog>;
}
