// Recorded platform notifications and de-duplication claims in memory.
import type { PlatformEventStore } from '../../approvals/ports';
import type { InboundEventRecord, NewInboundEvent } from '../../approvals/records';
import { compositeKey, type MemoryTables, type StoredPlatformEvent } from './tables';

export class MemoryPlatformEvents implements PlatformEventStore {
  constructor(private readonly tables: MemoryTables) {}

  async claim(source: string, eventId: string, now: number): Promise<boolean> {
    // A bare claim counts as processed when made, as in both other adapters.
    return this.insert({ source, eventId, claimedAt: now, topic: null, payload: null, processedAt: now, attempts: 0 });
  }

  async record(event: NewInboundEvent): Promise<boolean> {
    return this.insert({ source: event.source, eventId: event.eventId, claimedAt: event.receivedAt, topic: event.topic, payload: event.payload, processedAt: null, attempts: 0 });
  }

  async listUnprocessed(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]> {
    return [...this.tables.platformEvents.values()]
      .filter((e) => e.source === source && e.processedAt === null && e.claimedAt < before && e.attempts < maxAttempts && e.payload !== null)
      .sort((a, b) => a.claimedAt - b.claimedAt)
      .slice(0, Math.max(0, limit))
      .map((e) => ({ source: e.source, eventId: e.eventId, topic: e.topic ?? '', payload: e.payload ?? '', receivedAt: e.claimedAt, processedAt: e.processedAt, attempts: e.attempts }));
  }

  async markProcessed(source: string, eventId: string, at: number): Promise<void> {
    const event = this.tables.platformEvents.get(compositeKey(source, eventId));
    if (event) event.processedAt = at;
  }

  async noteFailure(source: string, eventId: string): Promise<void> {
    const event = this.tables.platformEvents.get(compositeKey(source, eventId));
    if (event) event.attempts++;
  }

  async prune(before: number): Promise<number> {
    let pruned = 0;
    for (const [key, event] of this.tables.platformEvents) {
      if (event.claimedAt >= before) continue;
      this.tables.platformEvents.delete(key);
      pruned++;
    }
    return pruned;
  }

  /** False when the id was claimed or recorded before. */
  private insert(event: StoredPlatformEvent): boolean {
    const key = compositeKey(event.source, event.eventId);
    if (this.tables.platformEvents.has(key)) return false;
    this.tables.platformEvents.set(key, event);
    return true;
  }
}
