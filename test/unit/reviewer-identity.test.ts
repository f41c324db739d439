// Who decides is proven by the credential: every principal kind against every kind of body
// `reviewer` (none, the same person, someone else, a platform channel), and what the verified
// reviewer carries for eligibility and the audit trail.
import { describe, expect, it } from 'vitest';
import type { Reviewer } from '@countersign/shared';
import { AppError, policyReviewer, reviewerKey, verifyReviewer, type ReviewerPrincipal } from '@countersign/server/approvals';

const personal: ReviewerPrincipal = { kind: 'personal', keyId: 'key_ana', person: { id: 'ana', name: 'Ana Reviewer', email: 'ana@example.com' } };
const delegating: ReviewerPrincipal = { kind: 'delegating', keyId: 'key_tool' };
const appUnverified: ReviewerPrincipal = { kind: 'app', keyId: 'key_app', agent: null };
const appAgent: ReviewerPrincipal = { kind: 'app', keyId: 'key_app', agent: { id: '381', name: 'Zoe Agent', email: 'zoe@example.com', role: 'agent', customRoleId: '9001', groups: ['360001', '360002'] } };
const intercom: ReviewerPrincipal = { kind: 'intercom', admin: { id: '991267696', name: 'Ian Teammate', email: 'ian@example.com', teams: ['55'] } };

const body = (over: Partial<Reviewer> = {}): Reviewer => ({ id: 'ana', name: 'Ana Reviewer', via: 'api', ...over });

/** The refusal a verification threw, as [kind, code]; fails when it did not throw an AppError. */
function refusal(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return [(error as AppError).kind, (error as AppError).code];
  }
  throw new Error('the verification was not refused');
}

describe('verifying a reviewer', () => {
  describe('a personal review key', () => {
    it('decides as its person, via api, with no body reviewer', () => {
      expect(verifyReviewer(personal, undefined)).toEqual({
        reviewer: { id: 'ana', name: 'Ana Reviewer', email: 'ana@example.com', via: 'api' },
        verification: 'personal_key', keyId: 'key_ana', assertedByKey: null, zendeskGroups: [], zendeskRoles: [], intercomTeams: [],
      });
    });

    it('accepts a body naming its own person, and records the key’s name and email, not the body’s', () => {
      const verified = verifyReviewer(personal, body({ name: 'Somebody Else', email: 'cfo@example.com' }));
      expect(verified.reviewer).toEqual({ id: 'ana', name: 'Ana Reviewer', email: 'ana@example.com', via: 'api' });
    });

    it('refuses a body naming someone else with 403 reviewer_mismatch', () => {
      expect(refusal(() => verifyReviewer(personal, body({ id: 'bob', name: 'Bob' })))).toEqual(['forbidden', 'reviewer_mismatch']);
    });
  });

  describe('a delegating review key', () => {
    it('decides as the body’s reviewer, recording the key that asserted it', () => {
      const claimed = body({ id: 'carol', name: 'Carol Ops', email: 'carol@example.com' });
      expect(verifyReviewer(delegating, claimed)).toMatchObject({ reviewer: claimed, verification: 'delegating_key', keyId: 'key_tool', assertedByKey: 'key_tool' });
    });

    it('refuses a decision without a body reviewer with 400 reviewer_required', () => {
      expect(refusal(() => verifyReviewer(delegating, undefined))).toEqual(['bad_request', 'reviewer_required']);
    });

    it('gives the named reviewer no platform groups, roles or teams', () => {
      expect(verifyReviewer(delegating, body())).toMatchObject({ zendeskGroups: [], zendeskRoles: [], intercomTeams: [] });
    });
  });

  describe('the Zendesk app’s review key', () => {
    it('refuses a decision without a verified agent session with 403 reviewer_unverified, body or not', () => {
      expect(refusal(() => verifyReviewer(appUnverified, undefined))).toEqual(['forbidden', 'reviewer_unverified']);
      expect(refusal(() => verifyReviewer(appUnverified, body()))).toEqual(['forbidden', 'reviewer_unverified']);
    });

    it('decides as the agent Zendesk vouched for, via zendesk, with the agent’s groups and roles (custom role included)', () => {
      expect(verifyReviewer(appAgent, undefined)).toEqual({
        reviewer: { id: '381', name: 'Zoe Agent', email: 'zoe@example.com', via: 'zendesk' },
        verification: 'zendesk_oauth', keyId: 'key_app', assertedByKey: null, zendeskGroups: ['360001', '360002'], zendeskRoles: ['agent', '9001'], intercomTeams: [],
      });
    });

    it('gives an agent without a custom role only the role', () => {
      const plain: ReviewerPrincipal = { kind: 'app', keyId: 'key_app', agent: { id: '382', name: 'Yan', role: 'admin', groups: [] } };
      expect(verifyReviewer(plain, undefined)).toMatchObject({ reviewer: { id: '382', name: 'Yan', via: 'zendesk' }, zendeskRoles: ['admin'] });
      expect(verifyReviewer(plain, undefined).reviewer).not.toHaveProperty('email');
    });

    it('refuses any body reviewer beside a verified session with 403 reviewer_mismatch, even the agent itself', () => {
      expect(refusal(() => verifyReviewer(appAgent, body({ id: 'ana' })))).toEqual(['forbidden', 'reviewer_mismatch']);
      expect(refusal(() => verifyReviewer(appAgent, body({ id: '381', name: 'Zoe Agent' })))).toEqual(['forbidden', 'reviewer_mismatch']);
    });
  });

  describe('an Intercom teammate', () => {
    it('decides as the admin of the signed canvas request, with the admin’s teams and no key', () => {
      expect(verifyReviewer(intercom, undefined)).toEqual({
        reviewer: { id: '991267696', name: 'Ian Teammate', email: 'ian@example.com', via: 'intercom' },
        verification: 'intercom_signed_request', keyId: null, assertedByKey: null, zendeskGroups: [], zendeskRoles: [], intercomTeams: ['55'],
      });
    });

    it('records the signed admin whatever a body says', () => {
      expect(verifyReviewer(intercom, body()).reviewer).toEqual({ id: '991267696', name: 'Ian Teammate', email: 'ian@example.com', via: 'intercom' });
    });
  });

  describe('platform channels in a body', () => {
    const principals: Array<[string, ReviewerPrincipal]> = [['personal', personal], ['delegating', delegating], ['app without a session', appUnverified], ['app with a session', appAgent], ['intercom', intercom]];
    const channels = ['zendesk', 'intercom', 'slack', 'policy'] as const;
    it.each(principals.flatMap(([name, principal]) => channels.map((via) => [name, via, principal] as const)))('a %s principal cannot claim via %s: 403 reviewer_mismatch', (_name, via, principal) => {
      // The principal's own id too: a body can never speak for a platform, whoever it names.
      expect(refusal(() => verifyReviewer(principal, body({ via })))).toEqual(['forbidden', 'reviewer_mismatch']);
    });
  });
});

describe('reviewer names', () => {
  it('names the policy as the decider of an auto-decision', () => {
    expect(policyReviewer('small-refunds')).toEqual({ id: 'small-refunds', name: 'Policy: small-refunds', via: 'policy' });
  });

  it('keys a reviewer by channel and id, so the same id on two platforms is two reviewers', () => {
    expect(reviewerKey({ id: '381', via: 'zendesk' })).toBe('zendesk:381');
    expect(reviewerKey({ id: '381', via: 'zendesk' })).not.toBe(reviewerKey({ id: '381', via: 'intercom' }));
  });
});
