// The approval service on its own, over the in-memory store: a controllable clock, a planner and an
// observer that record what they are told, and a callback policy with a list of refused hosts.
import { beforeEach, describe, expect, it } from 'vitest';
import { DecisionBody, IntakeBody, type DecisionInput, type IntakeInput } from '@countersign/shared';
import {
  AppError,
  ApprovalService,
  CANCELLED_NOTE,
  EXPIRED_NOTE,
  newId,
  type ApprovalObserver,
  type ApprovalRecord,
  type ApprovalTransition,
  type CallbackUrlPolicy,
  type DeliveryPlanner,
  type DeliveryRecord,
  type Requester,
  type WorkspaceRecord,
} from '@countersign/server/approvals';
import { newDelivery } from '@countersign/server/delivery';
import { MemoryStore } from '@countersign/server/store/memory';
import { Policies, type ReviewerPrincipal } from '@countersign/server/approvals';

/** Decisions here come through a delegating key: the body's reviewer is the decider, as before identities. */
const DELEGATING: ReviewerPrincipal = { kind: 'delegating', keyId: 'key_review_tool' };

const T0 = 1_790_000_000_000;
const DAY_S = 86_400;

/** Plans one callback delivery per settlement and records what it is told afterwards. */
class RecordingPlanner implements DeliveryPlanner {
  readonly planned: DeliveryRecord[] = [];
  readonly committedIds: string[] = [];
  readonly discardedIds: string[] = [];
  /** When set, the next plan reuses this delivery id, which the store must refuse. */
  reuseId: string | null = null;

  async plan(approval: ApprovalRecord, transition: ApprovalTransition): Promise<DeliveryRecord[]> {
    // Only settlements: requests coming in and their follow-ups are announced by kinds these tests leave out.
    if (transition !== 'settled') return [];
    const delivery = newDelivery(approval, 'callback', 'https://receiver.example.com/cb', JSON.stringify({ status: approval.status }));
    if (this.reuseId) delivery.id = this.reuseId;
    this.reuseId = null;
    this.planned.push(delivery);
    return [delivery];
  }

  committed(deliveries: DeliveryRecord[]): void {
    this.committedIds.push(...deliveries.map((d) => d.id));
  }

  discarded(deliveries: DeliveryRecord[]): void {
    this.discardedIds.push(...deliveries.map((d) => d.id));
  }
}

/**
 * Records each change it is told of, with what the store holds at that very moment: the store's
 * methods read synchronously when called, so a notice sent before the commit would see it pending.
 */
class RecordingObserver implements ApprovalObserver {
  readonly told: Array<{ approval: ApprovalRecord; storedThen: Promise<ApprovalRecord | null> }> = [];
  constructor(private readonly store: MemoryStore) {}

  approvalChanged(approval: ApprovalRecord): void {
    this.told.push({ approval, storedThen: this.store.approvals.get(approval.workspaceId, approval.id) });
  }
}

class RefusedHosts implements CallbackUrlPolicy {
  constructor(private readonly hosts: string[]) {}
  async intakeProblem(url: string): Promise<string | null> {
    return this.hosts.includes(new URL(url).hostname) ? 'it resolves to a private address' : null;
  }
}

function workspace(name: string): WorkspaceRecord {
  return { id: newId('ws', T0), name, createdAt: T0, settings: { defaultExpiresInSeconds: DAY_S }, secrets: {} };
}

const intake = (overrides: Partial<IntakeInput> = {}) =>
  IntakeBody.parse({ action: 'process_refund', summary: 'Refund on ticket #4512', details: { ticketId: '4512', amount: '49.00' }, ...overrides });

const decision = (overrides: Partial<DecisionInput> = {}) =>
  DecisionBody.parse({ decision: 'approve', reviewer: { id: '7', name: 'Ana', via: 'api' }, ...overrides });

/** The AppError a call was refused with (fails the test when it was not refused, or with something else). */
async function refusal(call: Promise<unknown>): Promise<AppError> {
  const outcome = await call.then(() => 'fulfilled', (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

describe('approval service', () => {
  let now: number;
  let store: MemoryStore;
  let planner: RecordingPlanner;
  let observer: RecordingObserver;
  let service: ApprovalService;
  let acme: WorkspaceRecord;
  let globex: WorkspaceRecord;
  let keyA: Requester;
  let keyB: Requester;

  beforeEach(async () => {
    now = T0;
    store = new MemoryStore();
    await store.init();
    acme = workspace('acme');
    globex = workspace('globex');
    await store.workspaces.create(acme);
    await store.workspaces.create(globex);
    planner = new RecordingPlanner();
    observer = new RecordingObserver(store);
    service = new ApprovalService({
      store,
      policies: new Policies(store, () => now),
      clock: () => now,
      callbackUrls: new RefusedHosts(['internal.example']),
      outbox: planner,
      observers: [observer],
    });
    keyA = { workspace: acme, keyId: 'key_intake_a' };
    keyB = { workspace: acme, keyId: 'key_intake_b' };
  });

  const create = async (body = intake(), requester = keyA, key: string | null = null) => (await service.create(requester, body, key)).approval;
  const eventTypes = async (a: ApprovalRecord) => (await store.approvals.listEvents(a.workspaceId, a.id)).map((e) => e.type);

  describe('create', () => {
    it('stores a pending approval with its creation event, expiring after the workspace default', async () => {
      const result = await service.create(keyA, intake({ callbackUrl: 'https://receiver.example.com/cb' }), null);
      expect(result.created).toBe(true);
      expect(result.approval).toMatchObject({
        workspaceId: acme.id, status: 'pending', createdAt: T0, expiresAt: T0 + DAY_S * 1000, createdByKeyId: keyA.keyId, version: 0, requestedBy: null, approvals: [],
        requirement: { ruleId: null, policyVersion: 0, approvalsRequired: 1, reviewers: null },
        callbackUrl: 'https://receiver.example.com/cb', context: { platform: 'zendesk', ticketId: '4512' },
      });
      expect(await store.approvals.get(acme.id, result.approval.id)).toEqual(result.approval);
      const [created] = await store.approvals.listEvents(acme.id, result.approval.id);
      expect(created).toMatchObject({ type: 'approval.created', at: T0, data: { action: 'process_refund', keyId: keyA.keyId, callback: true } });
    });

    it('answers a replay with the same key and body with the first approval, writing nothing new', async () => {
      const first = await service.create(keyA, intake({ maxWaitMs: 0 }), 'idem-1');
      now += 5000;
      // maxWaitMs says how to answer, not what is asked: a retry may change it.
      const replay = await service.create(keyA, intake({ maxWaitMs: 30_000 }), 'idem-1');
      expect(replay).toEqual({ created: false, approval: first.approval });
      expect(await store.approvals.list(acme.id, {}, 10)).toHaveLength(1);
      expect(await eventTypes(first.approval)).toEqual(['approval.created']);
    });

    it('refuses the same idempotency key with a different body with 409 idempotency_key_reused', async () => {
      const first = await create(intake(), keyA, 'idem-1');
      const error = await refusal(service.create(keyA, intake({ details: { ticketId: '4512', amount: '4900.00' } }), 'idem-1'));
      expect(error).toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' });
      expect(await store.approvals.list(acme.id, {}, 10)).toEqual([first]);
    });

    it('refuses another key’s replay of an idempotency key with 409, without showing its request', async () => {
      await create(intake(), keyA, 'idem-1');
      const error = await refusal(service.create(keyB, intake(), 'idem-1'));
      expect(error).toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' });
      expect(error.details.approval).toBeUndefined();
      expect(await store.approvals.list(acme.id, {}, 10)).toHaveLength(1);
    });

    it('lets each workspace use the same idempotency key for its own request', async () => {
      const mine = await service.create(keyA, intake(), 'idem-1');
      const theirs = await service.create({ workspace: globex, keyId: 'key_globex' }, intake(), 'idem-1');
      expect(theirs.created).toBe(true);
      expect(theirs.approval.id).not.toBe(mine.approval.id);
    });

    it('refuses an unsafe callback URL with 422 naming the field it came in, storing nothing', async () => {
      for (const field of ['callbackUrl', 'webhookUrl'] as const) {
        const error = await refusal(service.create(keyA, intake({ [field]: 'https://internal.example/cb' }), null));
        expect(error).toMatchObject({ kind: 'unprocessable', code: 'callback_url_refused' });
        expect(error.details.issues).toEqual([{ code: 'callback_url_refused', path: [field], message: 'it resolves to a private address' }]);
      }
      expect(await store.approvals.list(acme.id, {}, 10)).toEqual([]);
    });
  });

  describe('reading', () => {
    it('shows an intake key only the approvals it created, answering others as not found', async () => {
      const a = await create(intake(), keyA);
      const forB = { workspaceId: acme.id, key: { id: keyB.keyId, scope: 'intake' as const } };
      for (const error of [await refusal(service.get(forB, a.id)), await refusal(service.events(forB, a.id))]) {
        expect(error).toMatchObject({ kind: 'not_found', code: 'approval_not_found' });
      }
      expect(await service.get({ workspaceId: acme.id, key: { id: keyA.keyId, scope: 'intake' } }, a.id)).toEqual(a);
      // A review key, and a platform integration acting for the workspace, see every request in it.
      expect(await service.get({ workspaceId: acme.id, key: { id: 'key_review', scope: 'review' } }, a.id)).toEqual(a);
      expect((await service.events({ workspaceId: acme.id }, a.id)).map((e) => e.type)).toEqual(['approval.created']);
    });

    it('answers another workspace’s approval as not found', async () => {
      const a = await create();
      expect(await refusal(service.get({ workspaceId: globex.id }, a.id))).toMatchObject({ code: 'approval_not_found' });
      expect(await refusal(service.decide(globex.id, a.id, decision(), DELEGATING))).toMatchObject({ code: 'approval_not_found' });
      expect((await store.approvals.get(acme.id, a.id))?.status).toBe('pending');
    });

    it('lists a workspace’s approvals newest first in pages, and none of another workspace’s', async () => {
      const made: ApprovalRecord[] = [];
      for (let i = 0; i < 3; i++) {
        made.push(await create());
        now += 1000;
      }
      await create(intake(), { workspace: globex, keyId: 'key_globex' });
      const first = await service.list(acme.id, {}, 2);
      expect(first.items.map((a) => a.id)).toEqual([made[2]!.id, made[1]!.id]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await service.list(acme.id, {}, 2, first.nextCursor!);
      expect(second).toEqual({ items: [made[0]], nextCursor: null });
    });

    it('refuses a cursor it did not issue with 400 invalid_cursor', async () => {
      expect(await refusal(service.list(acme.id, {}, 10, 'bm90LWEtY3Vyc29y'))).toMatchObject({ kind: 'bad_request', code: 'invalid_cursor' });
    });
  });

  describe('decide', () => {
    it('applies the merge patch, stores the complete modified details, and records the changes in the audit event', async () => {
      const a = await create(intake({ details: { ticketId: '4512', amount: '49.00', customer: { name: 'Jane', tier: 'gold' }, note: 'dup' } }));
      now += 1000;
      const approved = await service.decide(acme.id, a.id, decision({ modifiedDetails: { amount: '25.00', customer: { tier: null }, note: null }, note: 'half' }), DELEGATING);
      const expected = { ticketId: '4512', amount: '25.00', customer: { name: 'Jane' } };
      expect(approved).toMatchObject({ status: 'approved', decidedAt: T0 + 1000, decisionNote: 'half', modifiedDetails: expected, details: a.details });
      expect((await store.approvals.get(acme.id, a.id))?.modifiedDetails).toEqual(expected);
      const events = await store.approvals.listEvents(acme.id, a.id);
      expect(events.map((e) => e.type)).toEqual(['approval.created', 'approval.approved']);
      expect(events[1]!.data).toEqual({
        reviewer: { id: '7', name: 'Ana', via: 'api' }, note: 'half',
        verification: 'delegating_key', keyId: 'key_review_tool', assertedByKey: 'key_review_tool',
        ruleId: null, policyVersion: 0, approvals: 1, approvalsRequired: 1, discardedApprovals: 0,
        modifiedKeys: ['amount', 'customer', 'note'], changedPaths: ['amount', 'customer.tier', 'note'],
      });
    });

    it('stores no modified details when the patch changes nothing', async () => {
      const a = await create();
      const approved = await service.decide(acme.id, a.id, decision({ modifiedDetails: { amount: '49.00' } }), DELEGATING);
      expect(approved.modifiedDetails).toBeNull();
      expect((await store.approvals.listEvents(acme.id, a.id))[1]!.data).toMatchObject({ modifiedKeys: [], changedPaths: [] });
    });

    it('rejects with the reviewer’s note', async () => {
      const a = await create();
      const rejected = await service.decide(acme.id, a.id, decision({ decision: 'reject', note: 'not eligible' }), DELEGATING);
      expect(rejected).toMatchObject({ status: 'rejected', decisionNote: 'not eligible', modifiedDetails: null, decidedBy: { name: 'Ana' } });
      expect(await eventTypes(a)).toEqual(['approval.created', 'approval.rejected']);
    });

    it('lets exactly one of concurrent decisions win; the others get 409 with the approval as it was decided', async () => {
      const a = await create();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => service.decide(acme.id, a.id, decision({ decision: i % 2 ? 'reject' : 'approve', reviewer: { id: String(i), name: `R${i}`, via: 'api' } }), DELEGATING)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
      expect(won).toHaveLength(1);
      const winner = won[0]!;
      for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
        expect(lost.reason).toMatchObject({ kind: 'conflict', code: 'already_decided', details: { approval: { status: winner.status, decidedBy: winner.decidedBy } } });
      }
      expect(await store.approvals.get(acme.id, a.id)).toEqual(winner);
      expect(await eventTypes(a)).toEqual(['approval.created', `approval.${winner.status}`]);
    });

    it('refuses a second decision with 409 naming who decided', async () => {
      const a = await create();
      await service.decide(acme.id, a.id, decision(), DELEGATING);
      const error = await refusal(service.decide(acme.id, a.id, decision({ decision: 'reject' }), DELEGATING));
      expect(error).toMatchObject({ kind: 'conflict', code: 'already_decided', message: 'This approval is already approved by Ana.' });
    });

    it('refuses a decision after expiry with 409, and the approval is expired', async () => {
      const a = await create(intake({ expiresInSeconds: 60 }));
      now = a.expiresAt;
      const error = await refusal(service.decide(acme.id, a.id, decision(), DELEGATING));
      expect(error).toMatchObject({ kind: 'conflict', code: 'already_decided', details: { approval: { status: 'expired', decisionNote: EXPIRED_NOTE } } });
      expect(await store.approvals.get(acme.id, a.id)).toMatchObject({ status: 'expired', decidedAt: a.expiresAt, decidedBy: null });
      expect(await eventTypes(a)).toEqual(['approval.created', 'approval.expired']);
    });
  });

  describe('cancel', () => {
    it('cancels a pending approval for the intake key that created it, keeping the reason', async () => {
      const a = await create();
      const cancelled = await service.cancel({ workspaceId: acme.id, key: { id: keyA.keyId, scope: 'intake' } }, a.id, 'customer withdrew');
      expect(cancelled).toMatchObject({ status: 'cancelled', decisionNote: 'customer withdrew', decidedBy: null });
      expect((await store.approvals.listEvents(acme.id, a.id))[1]).toMatchObject({ type: 'approval.cancelled', data: { reason: 'customer withdrew' } });
    });

    it('notes a cancellation without a reason as cancelled by the requester', async () => {
      const a = await create();
      expect((await service.cancel({ workspaceId: acme.id }, a.id)).decisionNote).toBe(CANCELLED_NOTE);
    });

    it('does not let another intake key cancel the request (404), nor anyone cancel a decided one (409)', async () => {
      const a = await create();
      const error = await refusal(service.cancel({ workspaceId: acme.id, key: { id: keyB.keyId, scope: 'intake' } }, a.id));
      expect(error.kind).toBe('not_found');
      await service.decide(acme.id, a.id, decision(), DELEGATING);
      expect(await refusal(service.cancel({ workspaceId: acme.id }, a.id))).toMatchObject({ kind: 'conflict', code: 'already_decided' });
      expect((await store.approvals.get(acme.id, a.id))?.status).toBe('approved');
    });
  });

  describe('expireOverdue', () => {
    it('expires the pending approvals whose time is up, and only those, counting them', async () => {
      const soon = await create(intake({ expiresInSeconds: 60 }));
      const sooner = await create(intake({ expiresInSeconds: 30 }));
      const later = await create(intake({ expiresInSeconds: 3600 }));
      const decided = await create(intake({ expiresInSeconds: 10 }));
      await service.decide(acme.id, decided.id, decision(), DELEGATING);
      now = T0 + 60_000;
      expect(await service.expireOverdue()).toBe(2);
      for (const a of [soon, sooner]) {
        expect(await store.approvals.get(acme.id, a.id)).toMatchObject({ status: 'expired', decidedAt: now, decisionNote: EXPIRED_NOTE });
        expect((await store.approvals.listEvents(acme.id, a.id))[1]).toMatchObject({ type: 'approval.expired', data: { expiresAt: new Date(a.expiresAt).toISOString() } });
      }
      expect((await store.approvals.get(acme.id, later.id))?.status).toBe('pending');
      expect((await store.approvals.get(acme.id, decided.id))?.status).toBe('approved');
      expect(await service.expireOverdue()).toBe(0);
    });

    it('expires each approval once when several instances sweep at the same time, each counting only its own', async () => {
      const overdue = [await create(intake({ expiresInSeconds: 10 })), await create(intake({ expiresInSeconds: 20 }))];
      now = T0 + 60_000;
      const counts = await Promise.all([service.expireOverdue(), service.expireOverdue(), service.expireOverdue()]);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(2);
      for (const a of overdue) expect(await eventTypes(a)).toEqual(['approval.created', 'approval.expired']);
      expect(planner.committedIds).toHaveLength(2);
    });

    it('expires at most `limit` per run, the soonest expiry first', async () => {
      const soon = await create(intake({ expiresInSeconds: 20 }));
      const sooner = await create(intake({ expiresInSeconds: 10 }));
      now = T0 + 60_000;
      expect(await service.expireOverdue(1)).toBe(1);
      expect((await store.approvals.get(acme.id, sooner.id))?.status).toBe('expired');
      expect((await store.approvals.get(acme.id, soon.id))?.status).toBe('pending');
    });
  });

  describe('effects', () => {
    it('writes the planned deliveries with the decision and commits them once it is written', async () => {
      const a = await create();
      await service.decide(acme.id, a.id, decision(), DELEGATING);
      const [planned] = planner.planned;
      expect(planner.committedIds).toEqual([planned!.id]);
      expect(planner.discardedIds).toEqual([]);
      expect((await store.outbox.list(acme.id, a.id)).map((d) => d.id)).toEqual([planned!.id]);
    });

    it('discards the planned deliveries of every decision that lost, writing none of them', async () => {
      const a = await create();
      await Promise.allSettled(Array.from({ length: 5 }, () => service.decide(acme.id, a.id, decision(), DELEGATING)));
      expect(planner.planned).toHaveLength(5);
      expect(planner.committedIds).toHaveLength(1);
      expect(planner.discardedIds.sort()).toEqual(planner.planned.map((d) => d.id).filter((id) => id !== planner.committedIds[0]).sort());
      expect((await store.outbox.list(acme.id, a.id)).map((d) => d.id)).toEqual(planner.committedIds);
    });

    it('discards the planned deliveries when the store fails the transition, and tells no observer', async () => {
      const first = await create();
      await service.decide(acme.id, first.id, decision(), DELEGATING);
      const a = await create();
      observer.told.length = 0;
      // A delivery id the store already holds: the store refuses the whole transition.
      planner.reuseId = planner.committedIds[0]!;
      await expect(service.decide(acme.id, a.id, decision(), DELEGATING)).rejects.toThrow(/already holds/);
      expect(planner.discardedIds).toEqual([planner.planned[1]!.id]);
      expect(planner.committedIds).toHaveLength(1);
      expect(observer.told).toEqual([]);
      expect((await store.approvals.get(acme.id, a.id))?.status).toBe('pending');
      expect(await store.outbox.list(acme.id, a.id)).toEqual([]);
    });

    it('tells observers of each change only once it is committed, with the approval as stored', async () => {
      const decided = await create();
      const cancelled = await create();
      const expiring = await create(intake({ expiresInSeconds: 1 }));
      // A new request is a change too (the stream shows it): observers are told it is pending.
      expect(observer.told.map((t) => t.approval.status)).toEqual(['pending', 'pending', 'pending']);
      observer.told.length = 0;
      await service.decide(acme.id, decided.id, decision(), DELEGATING);
      await refusal(service.decide(acme.id, decided.id, decision(), DELEGATING));
      await service.cancel({ workspaceId: acme.id }, cancelled.id);
      now += 1000;
      await service.expireOverdue();
      expect(observer.told.map((t) => [t.approval.id, t.approval.status])).toEqual([
        [decided.id, 'approved'], [cancelled.id, 'cancelled'], [expiring.id, 'expired'],
      ]);
      for (const { approval, storedThen } of observer.told) expect(await storedThen).toEqual(approval);
    });
  });
});
