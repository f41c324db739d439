// What one verified reviewer's decision does to a pending request under the requirement its policy
// fixed at intake: quorum counting, distinct reviewers (409 already_approved), an approval that
// changes the details discarding the earlier ones, one eligible rejection settling it, and the
// eligibility and four-eyes refusals.
import { describe, expect, it } from 'vitest';
import { DecisionBody, type DecisionInput, type EligibleReviewers } from '@countersign/shared';
import { AppError, applyDecision, verifyReviewer, type ApprovalRecord, type Requirement, type VerifiedReviewer } from '@countersign/server/approvals';

const T0 = 1_790_000_000_000;

const personal = (id: string, email?: string) => verifyReviewer({ kind: 'personal', keyId: `key_${id}`, person: { id, name: id.toUpperCase(), ...(email ? { email } : {}) } }, undefined);
const ana = personal('ana', 'ana@example.com');
const bo = personal('bo', 'bo@example.com');
const cy = personal('cy', 'cy@example.com');
const agent = (id: string, email?: string, groups: string[] = []) =>
  verifyReviewer({ kind: 'app', keyId: 'key_app', agent: { id, name: `Agent ${id}`, ...(email ? { email } : {}), role: 'agent', groups } }, undefined);
const teammate = (id: string, email?: string) => verifyReviewer({ kind: 'intercom', admin: { id, name: `Teammate ${id}`, ...(email ? { email } : {}), teams: [] } }, undefined);

function pending(requirement: Partial<Requirement> | null = {}, over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: 'apr_01m84s3ssrr83ea26r2ar2de9p', workspaceId: 'ws_1', status: 'pending', action: 'process_refund', summary: 'Refund',
    details: { amount: '49.00', currency: 'EUR' }, riskLevel: 'critical', priority: 'normal', justification: null, agentName: null, metadata: null,
    context: null, callbackUrl: null, createdAt: T0, updatedAt: T0, expiresAt: T0 + 86_400_000, decidedAt: null, decidedBy: null, decisionNote: null,
    modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: 'key_intake', version: 0, requestedBy: null,
    requirement: requirement === null ? null : { ruleId: 'critical', policyVersion: 4, approvalsRequired: 1, reviewers: null, ...requirement },
    approvals: [],
    ...over,
  };
}

const approve = (over: Partial<DecisionInput> = {}) => DecisionBody.parse({ decision: 'approve', ...over });
const reject = (note?: string) => DecisionBody.parse({ decision: 'reject', ...(note ? { note } : {}) });

/** Applies decisions in turn, each on the record the previous one left; answers the last outcome. */
function decideInTurn(approval: ApprovalRecord, steps: Array<[VerifiedReviewer, ReturnType<typeof approve>]>) {
  let current = approval;
  let outcome = null as ReturnType<typeof applyDecision> | null;
  steps.forEach(([who, decision], i) => {
    outcome = applyDecision(current, who, decision, T0 + 1000 * (i + 1));
    current = outcome.next;
  });
  return outcome!;
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('the decision was not refused');
}

describe('applying a decision', () => {
  describe('quorum', () => {
    it('settles a request that needs one approval with the first one', () => {
      const outcome = applyDecision(pending(null), ana, approve({ note: 'fine' }), T0 + 1);
      expect(outcome).toMatchObject({ settles: true, eventType: 'approval.approved', next: { status: 'approved', decidedBy: ana.reviewer, decidedAt: T0 + 1, decisionNote: 'fine', approvals: [{ reviewer: ana.reviewer, at: T0 + 1 }] } });
    });

    it('records approvals until the Nth distinct one settles the request', () => {
      const needsThree = pending({ approvalsRequired: 3 });
      const first = applyDecision(needsThree, ana, approve(), T0 + 1);
      expect(first).toMatchObject({ settles: false, eventType: 'approval.approval_recorded', next: { status: 'pending', decidedBy: null, decidedAt: null } });
      expect(first.next.approvals).toEqual([{ reviewer: ana.reviewer, at: T0 + 1 }]);
      expect(first.eventData).toMatchObject({ approvals: 1, approvalsRequired: 3 });

      const second = applyDecision(first.next, bo, approve(), T0 + 2);
      expect(second).toMatchObject({ settles: false, next: { status: 'pending' } });
      expect(second.next.approvals.map((v) => v.reviewer.id)).toEqual(['ana', 'bo']);

      const third = applyDecision(second.next, cy, approve(), T0 + 3);
      expect(third).toMatchObject({ settles: true, eventType: 'approval.approved', next: { status: 'approved', decidedBy: cy.reviewer, decidedAt: T0 + 3 } });
      expect(third.next.approvals.map((v) => v.reviewer.id)).toEqual(['ana', 'bo', 'cy']);
      expect(third.eventData).toMatchObject({ approvals: 3, approvalsRequired: 3 });
    });

    it('counts reviewers of every channel toward the same quorum', () => {
      const outcome = decideInTurn(pending({ approvalsRequired: 3 }), [[ana, approve()], [agent('381', 'zoe@example.com'), approve()], [teammate('381', 'ian@example.com'), approve()]]);
      expect(outcome.settles).toBe(true);
      expect(outcome.next.approvals.map((v) => `${v.reviewer.via}:${v.reviewer.id}`)).toEqual(['api:ana', 'zendesk:381', 'intercom:381']);
    });

    it('leaves the record it was given unchanged', () => {
      const approval = pending({ approvalsRequired: 2 });
      const before = structuredClone(approval);
      applyDecision(approval, ana, approve({ modifiedDetails: { amount: '10.00' } }), T0 + 1);
      expect(approval).toEqual(before);
    });
  });

  describe('distinct reviewers', () => {
    it('refuses the same reviewer’s second approval with 409 already_approved, carrying the approval', () => {
      const once = applyDecision(pending({ approvalsRequired: 2 }), ana, approve(), T0 + 1).next;
      const error = refusal(() => applyDecision(once, ana, approve(), T0 + 2));
      expect([error.kind, error.code]).toEqual(['conflict', 'already_approved']);
      expect(error.details.approval).toEqual(once);
    });

    it('refuses the same person approving again through a delegating tool under the same id', () => {
      const once = applyDecision(pending({ approvalsRequired: 2 }), ana, approve(), T0 + 1).next;
      const viaTool = verifyReviewer({ kind: 'delegating', keyId: 'key_tool' }, { id: 'ana', name: 'Ana (console)', via: 'api' });
      expect(refusal(() => applyDecision(once, viaTool, approve(), T0 + 2)).code).toBe('already_approved');
    });

    it('refuses the same person approving again on another channel under the same email', () => {
      // One person, two credentials (a personal key and a Zendesk agent session): one approval, not two.
      const once = applyDecision(pending({ approvalsRequired: 2 }), ana, approve(), T0 + 1).next;
      expect(refusal(() => applyDecision(once, agent('381', 'ANA@example.com'), approve(), T0 + 2)).code).toBe('already_approved');
      expect(refusal(() => applyDecision(once, teammate('77', 'Ana@Example.com'), approve(), T0 + 2)).code).toBe('already_approved');
    });

    it('counts the same id on two channels as two reviewers when nothing else makes them one', () => {
      const outcome = decideInTurn(pending({ approvalsRequired: 2 }), [[agent('381'), approve()], [teammate('381'), approve()]]);
      expect(outcome.settles).toBe(true);
    });
  });

  describe('an approval that changes the details', () => {
    it('discards the earlier approvals and counts only its own', () => {
      const first = applyDecision(pending({ approvalsRequired: 3 }), ana, approve(), T0 + 1).next;
      const second = applyDecision(first, bo, approve(), T0 + 2).next;
      const changed = applyDecision(second, cy, approve({ modifiedDetails: { amount: '25.00' } }), T0 + 3);
      expect(changed.settles).toBe(false);
      expect(changed.next.approvals).toEqual([{ reviewer: cy.reviewer, at: T0 + 3 }]);
      expect(changed.next.modifiedDetails).toEqual({ amount: '25.00', currency: 'EUR' });
      expect(changed.eventData).toMatchObject({ discardedApprovals: 2, approvals: 1, changedPaths: ['amount'] });
    });

    it('lets the earlier approvers approve the changed details, counting them afresh', () => {
      const outcome = decideInTurn(pending({ approvalsRequired: 2 }), [[ana, approve()], [bo, approve({ modifiedDetails: { amount: '25.00' } })], [ana, approve()]]);
      expect(outcome).toMatchObject({ settles: true, next: { status: 'approved', modifiedDetails: { amount: '25.00', currency: 'EUR' } } });
      expect(outcome.next.approvals.map((v) => v.reviewer.id)).toEqual(['bo', 'ana']);
    });

    it('discards nothing when the patch changes nothing', () => {
      const first = applyDecision(pending({ approvalsRequired: 3 }), ana, approve(), T0 + 1).next;
      const same = applyDecision(first, bo, approve({ modifiedDetails: { amount: '49.00' } }), T0 + 2);
      expect(same.next.approvals.map((v) => v.reviewer.id)).toEqual(['ana', 'bo']);
      expect(same.next.modifiedDetails).toBeNull();
      expect(same.eventData).toMatchObject({ discardedApprovals: 0 });
    });

    it('discards the approvals of a change when a later patch puts the details back, and stores them as asked', () => {
      const outcome = decideInTurn(pending({ approvalsRequired: 3 }), [[ana, approve({ modifiedDetails: { amount: '25.00' } })], [bo, approve()], [cy, approve({ modifiedDetails: { amount: '49.00' } })]]);
      expect(outcome.next.approvals.map((v) => v.reviewer.id)).toEqual(['cy']);
      expect(outcome.next.modifiedDetails).toBeNull();
      expect(outcome.eventData).toMatchObject({ discardedApprovals: 2 });
    });

    it('lets the same reviewer approve a change of what they approved before (their approval of the old details is gone)', () => {
      const first = applyDecision(pending({ approvalsRequired: 2 }), ana, approve(), T0 + 1).next;
      const again = applyDecision(first, ana, approve({ modifiedDetails: { amount: '20.00' } }), T0 + 2);
      expect(again.next.approvals.map((v) => v.reviewer.id)).toEqual(['ana']);
      expect(again.settles).toBe(false);
    });
  });

  describe('rejection', () => {
    it('settles the request with one eligible rejection, however many approvals it still needed', () => {
      const first = applyDecision(pending({ approvalsRequired: 3, reviewers: { ids: ['api:ana', 'api:bo'] } }), ana, approve(), T0 + 1).next;
      const rejected = applyDecision(first, bo, reject('no'), T0 + 2);
      expect(rejected).toMatchObject({ settles: true, eventType: 'approval.rejected', next: { status: 'rejected', decidedBy: bo.reviewer, decisionNote: 'no', modifiedDetails: null } });
    });

    it('settles it with a rejection by a reviewer who approved before', () => {
      const first = applyDecision(pending({ approvalsRequired: 2 }), ana, approve(), T0 + 1).next;
      expect(applyDecision(first, ana, reject(), T0 + 2).next.status).toBe('rejected');
    });
  });

  describe('who may decide', () => {
    const finance: EligibleReviewers = { emails: ['cfo@example.com'], zendeskGroups: ['360001'] };

    it('refuses an ineligible reviewer’s approval and rejection with 403 reviewer_not_eligible, naming the rule', () => {
      for (const decision of [approve(), reject()]) {
        const error = refusal(() => applyDecision(pending({ reviewers: finance }), ana, decision, T0 + 1));
        expect([error.kind, error.code]).toEqual(['forbidden', 'reviewer_not_eligible']);
        expect(error.message).toContain('policy rule "critical"');
      }
    });

    it('admits an eligible reviewer', () => {
      expect(applyDecision(pending({ reviewers: finance }), agent('381', undefined, ['360001']), approve(), T0 + 1).settles).toBe(true);
      expect(applyDecision(pending({ reviewers: finance }), personal('cfo', 'CFO@example.com'), reject(), T0 + 1).settles).toBe(true);
    });

    it('refuses the requester with 403 self_approval, by id or by email, even when eligible', () => {
      const byId = pending({ reviewers: { ids: ['api:ana'] } }, { requestedBy: { id: 'ana' } });
      const byEmail = pending(null, { requestedBy: { email: 'ANA@example.com' } });
      for (const approval of [byId, byEmail]) {
        const error = refusal(() => applyDecision(approval, ana, approve(), T0 + 1));
        expect([error.kind, error.code]).toEqual(['forbidden', 'self_approval']);
      }
      expect(applyDecision(byEmail, bo, approve(), T0 + 1).settles).toBe(true);
    });

    it('lets anyone decide a request older than policies (no requirement), one approval settling it', () => {
      expect(applyDecision(pending(null), teammate('5'), approve(), T0 + 1).settles).toBe(true);
    });
  });

  describe('the audit event', () => {
    it('names the reviewer, how they were proven, the key, the rule and the policy version', () => {
      const tool = verifyReviewer({ kind: 'delegating', keyId: 'key_tool' }, { id: 'carol', name: 'Carol', via: 'api' });
      expect(applyDecision(pending({ approvalsRequired: 2 }), tool, approve({ note: 'ok' }), T0 + 1).eventData).toEqual({
        reviewer: { id: 'carol', name: 'Carol', via: 'api' }, verification: 'delegating_key', keyId: 'key_tool', assertedByKey: 'key_tool',
        note: 'ok', changedPaths: [], approvals: 1, approvalsRequired: 2, ruleId: 'critical', policyVersion: 4, modifiedKeys: [], discardedApprovals: 0,
      });
      expect(applyDecision(pending(null), teammate('5'), reject(), T0 + 1).eventData).toMatchObject({ verification: 'intercom_signed_request', keyId: null, ruleId: null, policyVersion: null, approvalsRequired: 1 });
    });
  });
});
