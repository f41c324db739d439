// The change feed on MongoDB. Event ids and `seq` come from each instance's clock, so they do not
// follow commit order across instances; the feed needs a sequence that does. Every transaction that
// writes approval changes increments one counter document inside the transaction: two such
// transactions conflict on it, the later one retries after the earlier commits (MongoDB's
// first-writer-wins on a document), so feedSeq increases in commit order, and majority commits reach
// readers in that order too. The counter serialises approval writes across instances; at the rates a
// support team produces (hundreds of changes a second at most) that is far from a limit.
import { trusted, type ClientSession } from 'mongoose';
import type { ApprovalChange, ChangeFeed } from '../../approvals/ports';
import type { MongoConnection } from './connection';
import type { EventDocument } from './documents';
import type { Models } from './models';

const FEED_COUNTER = 'approval-changes';

export class MongoChanges implements ChangeFeed {
  constructor(private readonly db: MongoConnection) {}

  async since(afterSeq: number, limit: number, workspaceId?: string): Promise<ApprovalChange[]> {
    if (limit < 1) return [];
    // The adapter's own operator (trusted: sanitizeFilter would compare it as a value). `$exists` restates
    // the feed indexes' partial filter (models.ts), as the idempotency lookup does: whether MongoDB's
    // planner infers it from `$gt` alone is not documented, and without it the feed would scan the events.
    const after = () => trusted({ $gt: afterSeq, $exists: true });
    const filter = workspaceId === undefined ? { feedSeq: after() } : { workspaceId, feedSeq: after() };
    const docs = await this.db.models.events.find(filter, { workspaceId: 1, approvalId: 1, type: 1, at: 1, feedSeq: 1 }).sort({ feedSeq: 1 }).limit(limit).lean();
    return docs.map((d) => ({ seq: d.feedSeq!, workspaceId: d.workspaceId, approvalId: d.approvalId, type: d.type, at: d.at }));
  }

  async latest(): Promise<number> {
    const counter = await this.db.models.counters.findOne({ _id: FEED_COUNTER }).lean();
    return counter?.seq ?? 0;
  }
}

/**
 * Gives the approval changes among `docs` their feed sequence numbers, in the caller's transaction
 * (call it just before inserting them). Other events (delivery attempts) get none.
 */
export async function stampFeedSeq(models: Models, docs: EventDocument[], session: ClientSession): Promise<EventDocument[]> {
  const changes = docs.filter((d) => d.type.startsWith('approval.'));
  if (changes.length === 0) return docs;
  const counter = await models.counters.findOneAndUpdate({ _id: FEED_COUNTER }, { $inc: { seq: changes.length } }, { upsert: true, returnDocument: 'after', session }).lean();
  let next = counter!.seq - changes.length;
  for (const doc of changes) doc.feedSeq = ++next;
  return docs;
}
