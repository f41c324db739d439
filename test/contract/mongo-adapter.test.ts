// The MongoDB adapter's own guarantees, beyond the store contract: index use, read and write concerns,
// bounds, the server's clock, claims that stay cheap. They need a replica set: the suite runs whenever
// MONGODB_URI is set, and is reported as skipped otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotencyFilter } from '../../server/src/store/mongo/approvals';
import { STORE_BOUNDS } from '../../server/src/store/mongo/connection';
import { IDEMPOTENCY_INDEX } from '../../server/src/store/mongo/models';
import { SettlementWaiters } from '../../server/src/approvals/settlement-waiters';
import { MongoStore } from '../../server/src/store/mongo/mongo-store';
import { isStoreUnavailable } from '../../server/src/store/store-unavailable';
import { withOption } from '../support/mongo-database-uri';
import { explainSent, FAIL_POINTS_UNAVAILABLE, failCommand, MONGO_SKIP_REASON, MONGODB_URI, openMongoTestStore, planStages, watchCommands, type MongoTestStore } from '../support/mongo-test-store';
import { approvalRecord, approveRequest, deliveryRecord, eventRecord, workspaceRecord } from '../support/store-records';

const uri = MONGODB_URI;

if (!uri) {
  console.warn(`[mongo adapter] skipped: ${MONGO_SKIP_REASON}`);
  describe('mongo adapter', () => {
    it.skip(`skipped: ${MONGO_SKIP_REASON}`, () => {});
  });
} else {
  describe('mongo adapter', () => {
    let fixture: MongoTestStore;
    afterEach(async () => {
      await fixture?.cleanup();
    });

    describe('idempotency keys', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri);
      });

      it('finds a key through the unique partial index, reading one document however many the workspace holds', async () => {
        const { store, models } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        for (let i = 0; i < 60; i++) {
          const a = approvalRecord(ws.id, { idempotencyKey: i % 10 === 0 ? `key-${i}` : null });
          await store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        }
        // The filter create() also uses inside its transaction.
        const explain = await models.approvals.findOne(idempotencyFilter(ws.id, 'key-30')).explain('executionStats');
        const plan = Array.isArray(explain) ? explain[0] : explain;
        expect(planStages(plan)).toContainEqual(expect.objectContaining({ stage: 'IXSCAN', indexName: IDEMPOTENCY_INDEX }));
        expect(planStages(plan).map((s) => s.stage)).not.toContain('COLLSCAN');
        expect((plan as { executionStats: { totalDocsExamined: number } }).executionStats.totalDocsExamined).toBeLessThanOrEqual(1);
        expect((await store.approvals.findByIdempotencyKey(ws.id, 'key-30'))?.idempotencyKey).toBe('key-30');
      });
    });

    describe('read concern', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri, { monitorCommands: true });
      });

      it('reads with majority outside transactions: the reads that release waiters, answer polls and claim deliveries', async () => {
        const { store, db } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        const a = approvalRecord(ws.id, { idempotencyKey: 'k' });
        await store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        await store.approvals.transition(approveRequest(a, Date.now(), [deliveryRecord(a, { nextAttemptAt: Date.now() - 1000 })]));
        const watched = watchCommands(db);
        try {
          await store.approvals.get(ws.id, a.id);
          await store.approvals.findByIdempotencyKey(ws.id, 'k');
          await store.approvals.listSettledSince(0);
          expect(await store.outbox.claim({ now: Date.now(), owner: 'w1', leaseMs: 30_000, limit: 10 })).toHaveLength(1);
          await store.outbox.nextDueAt();
          await store.policies.current(ws.id);
          await store.policies.get(ws.id, 1);
        } finally {
          watched.stop();
        }
        const reads = watched.seen.filter((e) => ['find', 'distinct', 'aggregate', 'count'].includes(e.commandName) && e.command.txnNumber === undefined);
        expect(reads.map((e) => e.commandName)).toEqual(expect.arrayContaining(['find', 'distinct']));
        for (const read of reads) expect(read.command.readConcern, read.commandName).toMatchObject({ level: 'majority' });
      });
    });

    describe('the server\'s clock', () => {
      const TEN_MINUTES = 600_000;
      const claimAt = (now: number, owner: string) => fixture.store.outbox.claim({ now, owner, leaseMs: 30_000, limit: 10 });
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri); // the clock a deployment gets: the server's
      });

      async function decidedWithDelivery(now = Date.now(), delivery: Partial<Parameters<typeof deliveryRecord>[1]> = {}) {
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const a = approvalRecord(ws.id);
        await fixture.store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        const d = deliveryRecord(a, { nextAttemptAt: now, ...delivery });
        expect((await fixture.store.approvals.transition(approveRequest(a, now, [d]))).applied).toBe(true);
        return { a, d };
      }

      it('does not let an instance whose clock runs ahead take over a live lease (the same attempt sent twice)', async () => {
        await decidedWithDelivery();
        expect(await claimAt(Date.now(), 'w1')).toHaveLength(1);
        expect(await claimAt(Date.now() + TEN_MINUTES, 'w2')).toEqual([]);
      });

      it('keeps the lease of a delivery adopted by an instance whose clock runs behind, so no other instance sends it too', async () => {
        const behind = Date.now() - TEN_MINUTES;
        const before = Date.now();
        const { a, d } = await decidedWithDelivery(behind, { attempts: 1, leaseOwner: 'w1', leaseUntil: behind + 30_000 });
        const after = Date.now();
        expect(await claimAt(Date.now(), 'w2')).toEqual([]);
        const [stored] = await fixture.store.outbox.list(a.workspaceId, a.id);
        expect(stored!.id).toBe(d.id);
        // Server and test clocks agree here (one host): the lease runs 30 s from the commit.
        expect(stored!.leaseUntil).toBeGreaterThanOrEqual(before + 30_000 - 1000);
        expect(stored!.leaseUntil).toBeLessThanOrEqual(after + 30_000 + 1000);
      });

      it('schedules a retry after its delay on the server\'s clock, for an instance whose clock runs behind', async () => {
        const { a, d } = await decidedWithDelivery(Date.now() - 1000);
        expect(await claimAt(Date.now(), 'w1')).toHaveLength(1);
        const behind = Date.now() - TEN_MINUTES;
        expect(await fixture.store.outbox.finishAttempt({
          deliveryId: d.id, owner: 'w1', attempt: 1, status: 'pending', nextAttemptAt: behind + 5000, lastError: 'HTTP 500', now: behind, event: eventRecord(a, 'delivery.attempt', behind),
        })).toBe(true);
        expect(await claimAt(Date.now(), 'w1')).toEqual([]);
        const due = await fixture.store.outbox.nextDueAt();
        expect(due).toBeGreaterThan(Date.now());
        expect(due).toBeLessThanOrEqual(Date.now() + 5000 + 1000);
      });

      it('does not expire an approval early for an instance whose clock runs ahead, and lets a reviewer decide it there', async () => {
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const a = approvalRecord(ws.id, { expiresAt: Date.now() + 60_000 });
        await fixture.store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        const ahead = Date.now() + TEN_MINUTES;
        expect((await fixture.store.approvals.listOverdue(ahead, 10)).map((x) => x.id)).not.toContain(a.id);
        const expiry = approveRequest(a, ahead, [], {
          approval: { ...a, status: 'expired', decidedAt: ahead, decisionNote: 'Expired', updatedAt: ahead },
          requireUnexpired: false,
          events: [eventRecord(a, 'approval.expired', ahead)],
        });
        expect((await fixture.store.approvals.transition(expiry)).applied).toBe(false);
        expect((await fixture.store.approvals.transition(approveRequest(a, ahead))).applied).toBe(true);
      });

      it('refuses a decision once the server\'s clock is past expiresAt, though the instance\'s clock runs behind', async () => {
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const a = approvalRecord(ws.id, { createdAt: Date.now() - 60_000, expiresAt: Date.now() - 1000 });
        await fixture.store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        const behind = Date.now() - TEN_MINUTES;
        expect((await fixture.store.approvals.listOverdue(behind, 10)).map((x) => x.id)).toContain(a.id);
        expect((await fixture.store.approvals.transition(approveRequest(a, behind))).applied).toBe(false);
      });
    });

    describe('index use as work piles up', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri, { monitorCommands: true });
      });

      /** Explains every read `action` sends to `collection`. */
      async function readsOf(collection: string, action: () => Promise<unknown>) {
        const watched = watchCommands(fixture.db);
        try {
          await action();
        } finally {
          watched.stop();
        }
        const reads = watched.seen.filter((e) => ['find', 'aggregate'].includes(e.commandName) && e.command[e.commandName] === collection);
        return Promise.all(reads.map((e) => explainSent(fixture.db, e)));
      }

      it('claims and finds the next due time without reading the deliveries leased, or waiting, behind the due one', async () => {
        const { store } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        const now = Date.now();
        const owner = approvalRecord(ws.id);
        await store.approvals.create(owner, [eventRecord(owner, 'approval.created')]);
        // 200 attempts in flight (past their due time, under a live lease), 200 waiting for a retry, one due.
        const leased = Array.from({ length: 200 }, (_, i) => deliveryRecord(owner, { nextAttemptAt: now - 10_000 + i, attempts: 1, leaseOwner: 'other', leaseUntil: now + 60_000 }));
        const waiting = Array.from({ length: 200 }, (_, i) => deliveryRecord(owner, { nextAttemptAt: now + 60_000 + i }));
        const due = deliveryRecord(owner, { nextAttemptAt: now - 1 });
        expect((await store.approvals.transition(approveRequest(owner, now, [...leased, ...waiting, due]))).applied).toBe(true);

        let claimed: Awaited<ReturnType<typeof store.outbox.claim>> = [];
        const claimReads = await readsOf('deliveries', async () => (claimed = await store.outbox.claim({ now: Date.now(), owner: 'w1', leaseMs: 30_000, limit: 10 })));
        expect(claimed.map((d) => d.id)).toEqual([due.id]);
        const nextDueReads = await readsOf('deliveries', () => store.outbox.nextDueAt());
        for (const read of [...claimReads, ...nextDueReads]) {
          expect(read.stages.map((s) => s.stage), JSON.stringify(read)).not.toContain('COLLSCAN');
          expect(read.keysExamined, JSON.stringify(read)).toBeLessThanOrEqual(70);
          expect(read.docsExamined, JSON.stringify(read)).toBeLessThanOrEqual(70);
        }
      });

      it('lists an approval\'s events and deliveries in index order, with no sort stage', async () => {
        const { store } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        const a = approvalRecord(ws.id);
        await store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        await store.approvals.transition(approveRequest(a, Date.now(), [deliveryRecord(a), deliveryRecord(a)]));
        const reads = [
          ...(await readsOf('events', () => store.approvals.listEvents(ws.id, a.id))),
          ...(await readsOf('deliveries', () => store.outbox.list(ws.id, a.id))),
        ];
        expect(reads).toHaveLength(2);
        for (const read of reads) {
          expect(read.stages.map((s) => s.stage), JSON.stringify(read)).not.toContain('SORT');
          expect(read.stages.map((s) => s.indexName)).toEqual(expect.arrayContaining([expect.stringMatching(/_approval_order$/)]));
        }
      });
    });

    describe('the change feed', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri, { monitorCommands: true });
      });

      it('reads what came after a sequence number through the feed indexes, examining only the changes it answers, with majority reads', async () => {
        const { store, db } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        for (let i = 0; i < 30; i++) {
          const a = approvalRecord(ws.id);
          await store.approvals.create(a, [eventRecord(a, 'approval.created')]);
          await store.approvals.appendEvent(eventRecord(a, 'delivery.attempt')); // not in the feed
        }
        const latest = await store.changes.latest();
        const watched = watchCommands(db);
        try {
          expect(await store.changes.since(latest - 3, 10)).toHaveLength(3);
          expect(await store.changes.since(latest - 3, 10, ws.id)).toHaveLength(3);
          await store.changes.latest();
        } finally {
          watched.stop();
        }
        const finds = watched.seen.filter((e) => e.commandName === 'find');
        for (const find of finds) expect(find.command.readConcern, JSON.stringify(find.command)).toMatchObject({ level: 'majority' });
        const feedReads = await Promise.all(finds.filter((e) => e.command.find === 'events').map((e) => explainSent(db, e)));
        expect(feedReads).toHaveLength(2);
        for (const read of feedReads) {
          expect(read.stages.map((s) => s.indexName), JSON.stringify(read)).toEqual(expect.arrayContaining([expect.stringMatching(/^events_feed/)]));
          expect(read.stages.map((s) => s.stage), JSON.stringify(read)).not.toContain('COLLSCAN');
          expect(read.docsExamined, JSON.stringify(read)).toBeLessThanOrEqual(3);
        }
      });
    });

    describe('waiters on another instance', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri);
      });

      it('releases a waiter for a settlement whose commit landed long after the time it was stamped with', async () => {
        const other = new MongoStore(fixture.uri); // a second instance on the same database
        await other.init();
        try {
          const ws = workspaceRecord('acme');
          await fixture.store.workspaces.create(ws);
          const a = approvalRecord(ws.id);
          await fixture.store.approvals.create(a, [eventRecord(a, 'approval.created')]);
          let now = Date.now();
          const waiters = new SettlementWaiters(other, () => now);
          const { settled } = waiters.wait(a.id, 10_000);
          // Stamped a minute before it committed (retries, an election, a slow majority wait).
          expect((await fixture.store.approvals.transition(approveRequest(a, Date.now() - 60_000))).applied).toBe(true);
          now += 250;
          await waiters.poll();
          now += 2000;
          await waiters.poll();
          expect(await settled).toBe('settled');
        } finally {
          await other.close();
        }
      });
    });

    describe('bounds', () => {
      /** An approval ready to be decided, in a fresh workspace. */
      async function pendingApproval() {
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const a = approvalRecord(ws.id);
        await fixture.store.approvals.create(a, [eventRecord(a, 'approval.created')]);
        return a;
      }

      it('gives a decision up within its bound, with an error answered 503, when the majority never acknowledges its commit', async (ctx) => {
        fixture = await openMongoTestStore(uri);
        const a = await pendingApproval();
        const off = await failCommand(fixture.db, {
          failCommands: ['commitTransaction'],
          writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } },
        });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        const started = performance.now();
        try {
          const error = await fixture.store.approvals.transition(approveRequest(a, Date.now())).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
        expect(performance.now() - started).toBeLessThan(STORE_BOUNDS.transactionMs + 5000);
      });

      it('gives a policy change up within its bound, with an error answered 503, when the majority never acknowledges its commit', async (ctx) => {
        fixture = await openMongoTestStore(uri);
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const off = await failCommand(fixture.db, {
          failCommands: ['commitTransaction'],
          writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } },
        });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        const started = performance.now();
        try {
          const error = await fixture.store.policies.save({ workspaceId: ws.id, version: 1, document: { rules: [] }, createdAt: Date.now(), setBy: 'cli' }).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
        expect(performance.now() - started).toBeLessThan(STORE_BOUNDS.transactionMs + 5000);
      });

      it('answers a write outside a transaction with an error answered 503 when the majority does not acknowledge it in time', async (ctx) => {
        fixture = await openMongoTestStore(uri);
        const a = await pendingApproval();
        const off = await failCommand(fixture.db, {
          failCommands: ['insert'],
          writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } },
        });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        try {
          const error = await fixture.store.approvals.appendEvent(eventRecord(a, 'approval.viewed')).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
      });

      it('gives a decision up within its bound when the primary stops answering its commit', async (ctx) => {
        // A short socket bound (MONGODB_URI may set one) stands for a primary that went silent.
        fixture = await openMongoTestStore(withOption(uri, 'socketTimeoutMS', '1000'));
        const a = await pendingApproval();
        const off = await failCommand(fixture.db, { failCommands: ['commitTransaction'], blockConnection: true, blockTimeMS: 3000 });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        const started = performance.now();
        try {
          const error = await fixture.store.approvals.transition(approveRequest(a, Date.now())).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
        expect(performance.now() - started).toBeLessThan(STORE_BOUNDS.transactionMs + 5000);
      });
    });
  });
}
