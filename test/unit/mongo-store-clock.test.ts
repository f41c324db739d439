// On MongoDB, lease ends, due times and expiry are judged by the server's clock, not by the clock of
// whichever instance asks. Offline: mongoose builds each query as in production and stubs in place of
// the driver receive it; the server's clock (hello's localTime) reads `serverTime`. The behaviour
// itself, against a server, is in test/contract/mongo-adapter.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryDocument } from '@countersign/server/store/mongo';
import { approvalDocument } from '@countersign/server/store/mongo';
import { answerDriverCalls, offlineMongoStore, sentForm, sessionsWithoutServer, type OfflineMongoStore } from '../support/offline-mongo-store';
import { approvalRecord, approveRequest, deliveryRecord, eventRecord } from '../support/store-records';

const SERVER_NOW = 1_790_000_000_000;
/** An instance whose clock runs ten minutes ahead of the server's. */
const AHEAD = SERVER_NOW + 600_000;
const NOW_ON_SERVER = { $toLong: '$$NOW' };

function pending(id: string): DeliveryDocument {
  return {
    _id: id, workspaceId: 'ws_1', approvalId: 'apr_1', kind: 'callback', target: 'https://example.com/cb', host: 'example.com', body: '{}', status: 'pending',
    attempts: 0, nextAttemptAt: SERVER_NOW - 1000, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: SERVER_NOW - 1000, updatedAt: SERVER_NOW - 1000,
  };
}

describe('mongo store clock', () => {
  let offline: OfflineMongoStore;
  beforeEach(() => {
    offline = offlineMongoStore();
    offline.serverTime = SERVER_NOW;
  });
  afterEach(async () => {
    await offline.close();
  });

  it('claims by the server\'s clock: candidates read at its time, each lease checked and set with $$NOW', async () => {
    const reads: unknown[] = [];
    const leases: Array<{ filter: unknown; update: unknown }> = [];
    answerDriverCalls(offline.models.deliveries, {
      distinct: async (field: string) => (field === 'workspaceId' ? ['ws_1'] : ['example.com']),
      find: (filter: { host?: unknown; leaseUntil?: unknown }) => ({ toArray: async () => (reads.push(sentForm(filter)), filter.host === 'example.com' && filter.leaseUntil !== undefined && filter.leaseUntil !== null ? [] : filter.host === 'example.com' ? [pending('msg_a')] : []) }),
      findOneAndUpdate: async (filter: unknown, update: unknown) => (leases.push(sentForm({ filter, update })), null),
    });
    await offline.store.outbox.claim({ now: AHEAD, owner: 'w1', leaseMs: 30_000, limit: 10 });
    expect(JSON.stringify(reads)).toContain(String(SERVER_NOW));
    expect(JSON.stringify(reads)).not.toContain(String(AHEAD));
    expect(leases).toHaveLength(1);
    const { filter, update } = leases[0] as { filter: { $expr: unknown }; update: Array<{ $set: Record<string, unknown> }> };
    expect(JSON.stringify(filter.$expr)).toContain('$$NOW');
    expect(JSON.stringify(filter)).not.toContain(String(AHEAD));
    expect(update[0]!.$set).toMatchObject({ leaseOwner: { $literal: 'w1' }, leaseUntil: { $add: [NOW_ON_SERVER, 30_000] }, attempts: { $add: ['$attempts', 1] } });
  });

  it('lists overdue approvals by the server\'s clock', async () => {
    const reads: unknown[] = [];
    answerDriverCalls(offline.models.approvals, { find: (filter: unknown) => ({ toArray: async () => (reads.push(sentForm(filter)), []) }) });
    await offline.store.approvals.listOverdue(AHEAD, 10);
    expect(reads).toEqual([{ status: 'pending', expiresAt: { $lte: SERVER_NOW } }]);
  });

  describe('transitions', () => {
    const a = approvalRecord('ws_1', { createdAt: SERVER_NOW - 60_000, expiresAt: SERVER_NOW + 60_000 });
    let updates: Array<{ model: string; filter: unknown; update: unknown }>;
    beforeEach(() => {
      sessionsWithoutServer(offline);
      updates = [];
      const record = (model: string) => async (filter: unknown, update: unknown) => (updates.push(sentForm({ model, filter, update })), { acknowledged: true, matchedCount: 1, modifiedCount: 1 });
      const inserted = async (docs: unknown[]) => ({ acknowledged: true, insertedCount: docs.length, insertedIds: {} });
      answerDriverCalls(offline.models.approvals, { updateOne: record('approvals'), findOne: async () => approvalDocument({ ...a, status: 'approved' }) });
      answerDriverCalls(offline.models.deliveries, { updateOne: record('deliveries'), updateMany: record('deliveries'), insertMany: inserted });
      answerDriverCalls(offline.models.events, { insertMany: inserted, insertOne: async () => ({ acknowledged: true, insertedId: 'evt' }) });
      // The change feed's counter, numbered in the same transaction (changes.ts).
      let feedSeq = 0;
      answerDriverCalls(offline.models.counters, { findOneAndUpdate: async (_filter: unknown, update: { $inc: { seq: number } }) => ({ _id: 'approval-changes', seq: (feedSeq += update.$inc.seq) }) });
    });

    it('lets a decision win only while the approval is unexpired by the server\'s clock', async () => {
      await offline.store.approvals.transition(approveRequest(a, AHEAD));
      expect(updates[0]).toMatchObject({ model: 'approvals', filter: { _id: a.id, status: 'pending', $expr: { $gt: ['$expiresAt', NOW_ON_SERVER] } } });
    });

    it('applies an expiry only once the approval has expired by the server\'s clock', async () => {
      await offline.store.approvals.transition(approveRequest(a, AHEAD, [], {
        approval: { ...a, status: 'expired', decidedAt: AHEAD, decisionNote: 'Expired', updatedAt: AHEAD },
        requireUnexpired: false,
        events: [eventRecord(a, 'approval.expired', AHEAD)],
      }));
      expect(updates[0]).toMatchObject({ model: 'approvals', filter: { _id: a.id, status: 'pending', $expr: { $lte: ['$expiresAt', NOW_ON_SERVER] } } });
    });

    it('compares and sets the version the change was computed from, a document from before versions counting as 0', async () => {
      await offline.store.approvals.transition(approveRequest(a, AHEAD));
      await offline.store.approvals.transition(approveRequest({ ...a, version: 3 }, AHEAD));
      // An operator of the adapter's own, sent as such: sanitizeFilter would turn an untrusted one into a value that matches nothing.
      expect(updates[0]).toMatchObject({ filter: { version: { $in: [0, null] } }, update: { $inc: { version: 1 } } });
      expect(updates[1]).toMatchObject({ filter: { version: 3 }, update: { $inc: { version: 1 } } });
    });

    it('moves the due time of the deliveries an auto-decided request is created with onto the server\'s clock', async () => {
      const decided = { ...a, status: 'approved' as const, decidedAt: AHEAD, updatedAt: AHEAD };
      const callback = deliveryRecord(decided, { nextAttemptAt: AHEAD, createdAt: AHEAD });
      answerDriverCalls(offline.models.approvals, { findOne: async () => null, insertOne: async () => ({ acknowledged: true, insertedId: decided.id }) });
      const created = await offline.store.approvals.create(decided, [eventRecord(decided, 'approval.created'), eventRecord(decided, 'approval.approved', AHEAD)], [callback]);
      expect(created.created).toBe(true);
      expect(updates).toEqual([{
        model: 'deliveries',
        filter: { _id: { $in: [callback.id] } },
        update: [{ $set: { nextAttemptAt: { $add: [NOW_ON_SERVER, { $subtract: ['$nextAttemptAt', { $literal: AHEAD }] }] }, leaseUntil: expect.anything() } }],
      }]);
    });

    it('moves the due time and lease of the deliveries it writes onto the server\'s clock, keeping their durations', async () => {
      const adopted = deliveryRecord(a, { nextAttemptAt: AHEAD, attempts: 1, leaseOwner: 'w1', leaseUntil: AHEAD + 30_000 });
      await offline.store.approvals.transition(approveRequest(a, AHEAD, [adopted]));
      const shifted = (field: string) => ({ $add: [NOW_ON_SERVER, { $subtract: [field, { $literal: AHEAD }] }] });
      expect(updates[1]).toEqual({
        model: 'deliveries',
        filter: { _id: { $in: [adopted.id] } },
        update: [{ $set: { nextAttemptAt: shifted('$nextAttemptAt'), leaseUntil: { $cond: [{ $eq: [{ $ifNull: ['$leaseUntil', null] }, null] }, null, shifted('$leaseUntil')] } } }],
      });
    });

    it('schedules the next attempt on the server\'s clock, after the delay the caller chose', async () => {
      await offline.store.outbox.finishAttempt({
        deliveryId: 'msg_a', owner: 'w1', attempt: 1, status: 'pending', nextAttemptAt: AHEAD + 5000, lastError: '$HTTP 500', now: AHEAD, event: eventRecord(a, 'delivery.attempt', AHEAD),
      });
      const [finish] = updates as Array<{ update: Array<{ $set: Record<string, unknown> }> }>;
      expect(finish!.update[0]!.$set).toMatchObject({ nextAttemptAt: { $add: [NOW_ON_SERVER, 5000] }, lastError: { $literal: '$HTTP 500' }, leaseOwner: null, leaseUntil: null });
    });
  });
});
