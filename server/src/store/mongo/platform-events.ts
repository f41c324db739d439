// Recorded platform notifications and de-duplication claims on MongoDB.
import { trusted } from 'mongoose';
import type { PlatformEventStore } from '../../approvals/ports';
import type { InboundEventRecord, NewInboundEvent } from '../../approvals/records';
import { isDuplicateKey, type MongoConnection } from './connection';

export class MongoPlatformEvents implements PlatformEventStore {
  constructor(private readonly db: MongoConnection) {}

  async claim(source: string, eventId: string, now: number): Promise<boolean> {
    try {
      await this.db.models.processedEvents.insertOne({ source, eventId, claimedAt: now, claimedAtDate: ttlAnchor(now), processedAt: now, attempts: 0 });
      return true;
    } catch (error) {
      // The unique (source, eventId) index refused a second claim.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async record(event: NewInboundEvent): Promise<boolean> {
    try {
      await this.db.models.processedEvents.insertOne({
        source: event.source,
        eventId: event.eventId,
        claimedAt: event.receivedAt,
        claimedAtDate: ttlAnchor(event.receivedAt),
        topic: event.topic,
        payload: event.payload,
        processedAt: null,
        attempts: 0,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async listUnprocessed(source: string, before: number, maxAttempts: number, limit: number): Promise<InboundEventRecord[]> {
    const docs = await this.db.models.processedEvents
      .find({ source, processedAt: null, claimedAt: trusted({ $lt: before }), attempts: trusted({ $lt: maxAttempts }), payload: trusted({ $ne: null }) })
      .sort({ claimedAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      source: d.source,
      eventId: d.eventId,
      topic: d.topic ?? '',
      payload: d.payload ?? '',
      receivedAt: d.claimedAt,
      processedAt: d.processedAt ?? null,
      attempts: d.attempts ?? 0,
    }));
  }

  async markProcessed(source: string, eventId: string, at: number): Promise<void> {
    await this.db.models.processedEvents.updateOne({ source, eventId }, { $set: { processedAt: at } });
  }

  async noteFailure(source: string, eventId: string): Promise<void> {
    await this.db.models.processedEvents.updateOne({ source, eventId }, { $inc: { attempts: 1 } });
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.models.processedEvents.deleteMany({ claimedAt: trusted({ $lt: before }) });
    return result.deletedCount;
  }
}

/**
 * The date the TTL index counts from. The logical `now` can lie in the past (a test clock, a replay),
 * and a claim must not vanish before it has guarded the whole window in real time, so the later of the two is used.
 */
function ttlAnchor(now: number): Date {
  return new Date(Math.max(now, Date.now()));
}
