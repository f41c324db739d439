// Whether an approval has expired is the store's to say: with several instances on MongoDB the store
// judges by the server's clock, and an instance whose own clock runs ahead must not turn a reviewer's
// decision into an expiry. Here a store that has not expired the approval (by its clock) meets an
// instance clock already past expiresAt.
import { describe, expect, it } from 'vitest';
import { ApprovalService, type ApprovalRecord } from '@countersign/server/approvals';
import type { ApprovalStore, TransitionRequest } from '../../server/src/approvals/ports';
import { approvalRecord } from '../support/store-records';

const STORE_NOW = 1_790_000_000_000;

/** An approval store whose clock reads STORE_NOW: it refuses what its compare-and-set would refuse at that time. */
function storeAt(approval: ApprovalRecord) {
  let stored = approval;
  const transitions: TransitionRequest[] = [];
  const approvals = {
    get: async () => stored,
    transition: async (request: TransitionRequest) => {
      transitions.push(request);
      const expired = stored.expiresAt <= STORE_NOW;
      const allowed = stored.status === 'pending' && (request.requireUnexpired ? !expired : request.approval.status !== 'expired' || expired);
      if (allowed) stored = request.approval;
      return allowed ? { applied: true as const, approval: stored } : { applied: false as const, approval: stored };
    },
  } as unknown as ApprovalStore;
  return { approvals, transitions };
}

describe('expiry decided by the store', () => {
  it('lets a reviewer decide an approval the store has not expired, though this instance\'s clock is past expiresAt', async () => {
    const approval = approvalRecord('ws_1', { createdAt: STORE_NOW - 60_000, expiresAt: STORE_NOW + 60_000 });
    const store = storeAt(approval);
    const service = new ApprovalService({
      store,
      clock: () => STORE_NOW + 600_000, // ten minutes ahead of the store
      callbackUrls: { intakeProblem: async () => null },
      outbox: { plan: async () => [], committed: () => undefined, discarded: () => undefined },
      observers: [],
    });
    const decided = await service.decide('ws_1', approval.id, { decision: 'approve', reviewer: { id: '7', name: 'Ana', via: 'api' } } as never);
    expect(decided.status).toBe('approved');
    expect(store.transitions.map((t) => t.approval.status)).toEqual(['approved']);
  });
});
