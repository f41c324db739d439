// Platform notifications (Intercom webhooks) recorded before they are acknowledged, and the claims that
// de-duplicate them (Intercom notification ids, Zendesk signatures).
import type { InboundEventRecord, NewInboundEvent } from '../records';

export interface PlatformEventStore {
  /**
   * Durably records a platform event (a webhook notification) for processing, and claims its id in
   * the same write; false when the id was recorded before (a duplicate delivery).
   */
  record(event: NewInboundEvent): Promise<boolean>;
  /** Recorded, unprocessed events received before `before`, with fewer than `maxAttempts` failed tries; oldest first. */
  listUnprocessed(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]>;
  markProcessed(source: string, eventId: string, at: number): Promise<void>;
  /** Counts a failed processing try, so a poisonous event stops being retried. */
  noteFailure(source: string, eventId: string): Promise<void>;
  /** Atomically claims a platform event id; false when it was claimed before (a duplicate delivery). */
  claim(source: string, eventId: string, now: number): Promise<boolean>;
  /** Deletes claims older than `before`; answers how many. (MongoDB also expires them by TTL after the de-duplication window.) */
  prune(before: number): Promise<number>;
}
