// Reviewer sessions waiting for the sidebar that asked for them, on MongoDB.
import type { SessionHandoffRecord, SessionHandoffStore } from '../../approvals/ports';
import { isDuplicateKey, type MongoConnection } from './connection';
import type { SessionHandoffDocument } from './models';

export class MongoSessionHandoffs implements SessionHandoffStore {
  constructor(private readonly db: MongoConnection) {}

  async put(handoff: SessionHandoffRecord): Promise<boolean> {
    try {
      await this.db.models.sessionHandoffs.insertMany([documentOf(handoff)]);
      return true;
    } catch (error) {
      // The _id is the claim's hash: a second handoff with it is refused.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** findOneAndDelete reads and removes in one operation: of two concurrent takes, one gets the document. */
  async take(workspaceId: string, id: string, now: number): Promise<SessionHandoffRecord | null> {
    const doc = await this.db.models.sessionHandoffs.findOneAndDelete({ _id: id, workspaceId }).lean();
    if (!doc || doc.expiresAt <= now) return null;
    return { id: doc._id, workspaceId: doc.workspaceId, sealedSession: doc.sealedSession, expiresAt: doc.expiresAt };
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.models.sessionHandoffs.deleteMany({ expiresAt: { $lt: before } });
    return result.deletedCount ?? 0;
  }
}

function documentOf(handoff: SessionHandoffRecord): SessionHandoffDocument {
  return { _id: handoff.id, workspaceId: handoff.workspaceId, sealedSession: handoff.sealedSession, expiresAt: handoff.expiresAt, expiresAtDate: new Date(handoff.expiresAt) };
}
