// Messages posted about approvals (Slack), on MongoDB.
import type { PostedMessageStore } from '../../approvals/ports';
import type { PostedMessageRecord } from '../../approvals/records';
import { isDuplicateKey, type MongoConnection } from './connection';
import { postedMessageDocument, postedMessageFromDocument } from './documents';

export class MongoPostedMessages implements PostedMessageStore {
  constructor(private readonly db: MongoConnection) {}

  /** Inserted only if absent ($setOnInsert on the joined _id), so the first recorded stays. */
  async record(message: PostedMessageRecord): Promise<PostedMessageRecord> {
    const { _id, ...fields } = postedMessageDocument(message);
    try {
      await this.db.models.postedMessages.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
    } catch (error) {
      // Two first writers raced to insert it: the loser's upsert fails, the winner's message stands.
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.get(message.workspaceId, message.approvalId, message.role))!;
  }

  async get(workspaceId: string, approvalId: string, role: PostedMessageRecord['role']): Promise<PostedMessageRecord | null> {
    const doc = await this.db.models.postedMessages.findOne({ _id: postedMessageDocument({ workspaceId, approvalId, role } as PostedMessageRecord)._id }).lean();
    return doc ? postedMessageFromDocument(doc) : null;
  }

  async list(workspaceId: string, approvalId: string): Promise<PostedMessageRecord[]> {
    const docs = await this.db.models.postedMessages.find({ workspaceId, approvalId }).sort({ postedAt: 1, role: 1 }).lean();
    return docs.map(postedMessageFromDocument);
  }
}
