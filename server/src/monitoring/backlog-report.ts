// The figures an operator alerts on, as ages rather than timestamps: how long the oldest request has
// waited for a human, how long the oldest callback has waited to be delivered, and what failed.
import type { Store } from '../approvals/ports';

export const FAILED_WINDOW_MS = 3600_000;

export interface BacklogReport {
  pendingApprovals: number;
  oldestPendingAgeS: number | null;
  queuedDeliveries: number;
  oldestQueuedAgeS: number | null;
  failedDeliveriesLastHour: number;
  unprocessedEvents: number;
}

export async function backlogReport(store: Store, now = Date.now()): Promise<BacklogReport> {
  const b = await store.backlog(now - FAILED_WINDOW_MS);
  const age = (at: number | null) => (at === null ? null : Math.max(0, Math.round((now - at) / 1000)));
  return {
    pendingApprovals: b.pendingApprovals,
    oldestPendingAgeS: age(b.oldestPendingCreatedAt),
    queuedDeliveries: b.queuedDeliveries,
    oldestQueuedAgeS: age(b.oldestQueuedCreatedAt),
    failedDeliveriesLastHour: b.failedDeliveries,
    unprocessedEvents: b.unprocessedEvents,
  };
}
