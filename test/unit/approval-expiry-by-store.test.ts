// Whether an approval has expired is the store's to say: with several instances on MongoDB the store
// judges by the server's clock, and an instance whose own clock disagrees must neither turn a reviewer's
// decision into an expiry (its clock runs ahead) nor keep deciding an approval the store has expired
// (its clock runs behind). Here a store whose clock reads STORE_NOW meets instances whose clocks do not.
import { describe, expect, it } from 'vitest';
import { AppError, ApprovalService, EXPIRED_NOTE, type ApprovalRecord, type ReviewerPrincipal } from '@countersign/server/approvals';
import type { ApprovalStore, TransitionRequest } from '@countersign/server/approvals/ports';
import { approvalRecord } from '../support/store-records';

const STORE_NOW = 1_790_000_000_000;
const DELEGATING: ReviewerPrincipal = { kind: 'delegating', keyId: 'key_review_tool' };
const DECISION = { decision: 'approve', reviewer: { id: '7', name: 'Ana', via: 'api' } } as const;

/**
 * An approval store whose clock reads STORE_NOW: it refuses what its compare-and-set would refuse at
 * that time, at the version the change was computed from. `changedFirst` moves the version once, before
 * the first transition, as another reviewer's change landing first would.
 */
function storeAt(approval: ApprovalRecord, { changedFirst = false } = {}) {
  let stored = approval;
  let pendingChange = changedFirst;
  const transitions: TransitionRequest[] = [];
  const approvals = {
    get: async () => stored,
    transition: async (request: TransitionRequest) => {
      transitions.push(request);
      if (pendingChange) {
        pendingChange = false;
        stored = { ...stored, version: stored.version + 1 };
      }
      const expired = stored.expiresAt <= STORE_NOW;
      const timely = request.requireUnexpired ? !expired : request.approval.status !== 'expired' || expired;
      const allowed = stored.status === 'pending' && stored.version === request.expectedVersion && timely;
      if (allowed) stored = { ...request.approval, version: stored.version + 1 };
      return allowed ? { applied: true as const, approval: stored } : { applied: false as const, approval: stored };
    },
  } as unknown as ApprovalStore;
  return { approvals, transitions };
}

function serviceOn(store: ReturnType<typeof storeAt>, instanceNow: number) {
  return new ApprovalService({
    store,
    // Decisions read no policy (the requirement is fixed at intake); creation, not exercised here, does.
    policies: { current: async () => { throw new Error('no policy is read to decide'); } },
    clock: () => instanceNow,
    callbackUrls: { intakeProblem: async () => null },
    outbox: { plan: async () => [], committed: () => undefined, discarded: () => undefined },
    observers: [],
  });
}

describe('expiry decided by the store', () => {
  it('lets a reviewer decide an approval the store has not expired, though this instance\'s clock is past expiresAt', async () => {
    const approval = approvalRecord('ws_1', { createdAt: STORE_NOW - 60_000, expiresAt: STORE_NOW + 60_000 });
    const store = storeAt(approval);
    const decided = await serviceOn(store, STORE_NOW + 600_000).decide('ws_1', approval.id, DECISION, DELEGATING);
    expect(decided.status).toBe('approved');
    expect(store.transitions.map((t) => t.approval.status)).toEqual(['approved']);
  });

  it('decides again, not expires, when another change got in first and only this instance\'s clock is past expiresAt', async () => {
    const approval = approvalRecord('ws_1', { createdAt: STORE_NOW - 60_000, expiresAt: STORE_NOW + 60_000 });
    const store = storeAt(approval, { changedFirst: true });
    const decided = await serviceOn(store, STORE_NOW + 600_000).decide('ws_1', approval.id, DECISION, DELEGATING);
    expect(decided.status).toBe('approved');
    expect(store.transitions.map((t) => [t.approval.status, t.expectedVersion])).toEqual([['approved', 0], ['approved', 1]]);
  });

  it('refuses with 409 and expires the approval the store has expired, though this instance\'s clock is not yet past expiresAt', async () => {
    const approval = approvalRecord('ws_1', { createdAt: STORE_NOW - 120_000, expiresAt: STORE_NOW - 60_000 });
    const store = storeAt(approval);
    const refused = await serviceOn(store, STORE_NOW - 600_000).decide('ws_1', approval.id, DECISION, DELEGATING).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'already_decided', details: { approval: { status: 'expired', decisionNote: EXPIRED_NOTE } } });
    expect(store.transitions.map((t) => t.approval.status)).toEqual(['approved', 'expired']);
  });

  it('lets the requester cancel an approval the store has not expired, though this instance\'s clock is past expiresAt', async () => {
    const approval = approvalRecord('ws_1', { createdAt: STORE_NOW - 60_000, expiresAt: STORE_NOW + 60_000 });
    const store = storeAt(approval, { changedFirst: true });
    const cancelled = await serviceOn(store, STORE_NOW + 600_000).cancel({ workspaceId: 'ws_1' }, approval.id);
    expect(cancelled.status).toBe('cancelled');
    expect(store.transitions.map((t) => t.approval.status)).toEqual(['cancelled', 'cancelled']);
  });
});
