// Recorded platform notifications and de-duplication claims in the embedded store.
import type { PlatformEventStore } from '../../approvals/ports';
import type { InboundEventRecord, NewInboundEvent } from '../../approvals/records';
import type { SqliteDatabase } from './database';
import { inboundEventFromRow } from './rows';

export class SqlitePlatformEvents implements PlatformEventStore {
  constructor(private readonly db: SqliteDatabase) {}

  async claim(source: string, eventId: string, now: number): Promise<boolean> {
    return this.db.run('INSERT OR IGNORE INTO processed_events (source, event_id, claimed_at, processed_at) VALUES (?, ?, ?, ?)', source, eventId, now, now) === 1;
  }

  record(event: NewInboundEvent): Promise<boolean> {
    return this.db.immediate(
      () =>
        this.db.run(
          'INSERT OR IGNORE INTO processed_events (source, event_id, claimed_at, topic, payload) VALUES (?, ?, ?, ?, ?)',
          event.source, event.eventId, event.receivedAt, event.topic, event.payload,
        ) === 1,
    );
  }

  async listUnprocessed(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]> {
    return this.db.all(
      `SELECT * FROM processed_events WHERE source = ? AND processed_at IS NULL AND claimed_at < ? AND attempts < ? AND payload IS NOT NULL
       ORDER BY claimed_at LIMIT ?`,
      source, before, maxAttempts, limit,
    ).map(inboundEventFromRow);
  }

  async markProcessed(source: string, eventId: string, at: number): Promise<void> {
    await this.db.immediate(() => this.db.run('UPDATE processed_events SET processed_at = ? WHERE source = ? AND event_id = ?', at, source, eventId));
  }

  async noteFailure(source: string, eventId: string): Promise<void> {
    await this.db.immediate(() => this.db.run('UPDATE processed_events SET attempts = attempts + 1 WHERE source = ? AND event_id = ?', source, eventId));
  }

  async prune(before: number): Promise<number> {
    return this.db.run('DELETE FROM processed_events WHERE claimed_at < ?', before);
  }
}
