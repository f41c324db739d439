// Who may decide one request: the reviewers its rule named (ids as via:id, emails, Zendesk groups and
// roles, Intercom teams; any one match), anyone when it named none, and never its requester (four
// eyes), by id or by email.
import { describe, expect, it } from 'vitest';
import type { EligibleReviewers } from '@countersign/shared';
import { describe as describeReviewers, eligibility, verifyReviewer, type VerifiedReviewer } from '@countersign/server/approvals';

const ana = verifyReviewer({ kind: 'personal', keyId: 'key_ana', person: { id: 'ana', name: 'Ana', email: 'Ana@Example.com' } }, undefined);
const noEmail = verifyReviewer({ kind: 'personal', keyId: 'key_bo', person: { id: 'bo', name: 'Bo' } }, undefined);
const zoe = verifyReviewer({ kind: 'app', keyId: 'key_app', agent: { id: '381', name: 'Zoe', email: 'zoe@example.com', role: 'agent', customRoleId: '9001', groups: ['360001'] } }, undefined);
const zendeskAdmin = verifyReviewer({ kind: 'app', keyId: 'key_app', agent: { id: '400', name: 'Max', role: 'admin', groups: [] } }, undefined);
const ian = verifyReviewer({ kind: 'intercom', admin: { id: '381', name: 'Ian', email: 'ian@example.com', teams: ['55', '56'] } }, undefined);
const toolUser = verifyReviewer({ kind: 'delegating', keyId: 'key_tool' }, { id: '381', name: 'Claimed', email: 'claimed@example.com', via: 'api' });

const eligible = (reviewers: EligibleReviewers | null, who: VerifiedReviewer, requestedBy: { id?: string; email?: string } | null = null) =>
  eligibility(reviewers, requestedBy, who, 'the-rule');

describe('eligibility', () => {
  it('lets anyone in the workspace decide when the rule names no reviewers', () => {
    for (const who of [ana, noEmail, zoe, ian, toolUser]) expect(eligible(null, who)).toEqual({ eligible: true });
  });

  describe('by id (via:id)', () => {
    it.each([
      ['api:ana', 'the personal key of ana', ana, true],
      ['zendesk:381', 'Zendesk agent 381', zoe, true],
      ['intercom:381', 'Intercom admin 381', ian, true],
      // The same id on another channel is another person.
      ['zendesk:381', 'Intercom admin 381', ian, false],
      ['intercom:381', 'Zendesk agent 381', zoe, false],
      ['zendesk:381', 'a delegating tool\'s user 381', toolUser, false],
      ['api:381', 'a delegating tool\'s user 381', toolUser, true],
      ['zendesk:ana', 'the personal key of ana', ana, false],
      // Exact: no prefix or case folding of ids.
      ['api:an', 'the personal key of ana', ana, false],
      ['api:ANA', 'the personal key of ana', ana, false],
    ] as const)('%s admits %s: %s', (id, _label, who, expected) => {
      expect(eligible({ ids: [id] }, who).eligible).toBe(expected);
    });
  });

  describe('by email', () => {
    it('matches emails case-insensitively on both sides', () => {
      expect(eligible({ emails: ['ana@example.COM'] }, ana).eligible).toBe(true);
      expect(eligible({ emails: ['ZOE@example.com'] }, zoe).eligible).toBe(true);
    });

    it('matches the whole address only', () => {
      expect(eligible({ emails: ['ana@example.co'] }, ana).eligible).toBe(false);
      expect(eligible({ emails: ['na@example.com'] }, ana).eligible).toBe(false);
    });

    it('never matches a reviewer without an email', () => {
      expect(eligible({ emails: ['bo@example.com'] }, noEmail).eligible).toBe(false);
    });
  });

  describe('by platform membership', () => {
    it('matches a Zendesk agent in a named group, and no one else', () => {
      expect(eligible({ zendeskGroups: ['360001'] }, zoe).eligible).toBe(true);
      expect(eligible({ zendeskGroups: ['360002'] }, zoe).eligible).toBe(false);
      for (const who of [ana, ian, toolUser, zendeskAdmin]) expect(eligible({ zendeskGroups: ['360001'] }, who).eligible).toBe(false);
    });

    it('matches a Zendesk role or custom role id', () => {
      expect(eligible({ zendeskRoles: ['admin'] }, zendeskAdmin).eligible).toBe(true);
      expect(eligible({ zendeskRoles: ['admin'] }, zoe).eligible).toBe(false);
      expect(eligible({ zendeskRoles: ['9001'] }, zoe).eligible).toBe(true);
      expect(eligible({ zendeskRoles: ['agent'] }, ana).eligible).toBe(false);
    });

    it('matches an Intercom teammate in a named team, and no one else', () => {
      expect(eligible({ intercomTeams: ['56'] }, ian).eligible).toBe(true);
      expect(eligible({ intercomTeams: ['57'] }, ian).eligible).toBe(false);
      expect(eligible({ intercomTeams: ['55'] }, zoe).eligible).toBe(false);
    });
  });

  it('makes a reviewer eligible on any one match among the kinds', () => {
    const reviewers: EligibleReviewers = { ids: ['api:nobody'], emails: ['cfo@example.com'], zendeskGroups: ['360001'], intercomTeams: ['55'] };
    expect(eligible(reviewers, zoe).eligible).toBe(true);
    expect(eligible(reviewers, ian).eligible).toBe(true);
    expect(eligible(reviewers, ana).eligible).toBe(false);
  });

  it('refuses an ineligible reviewer as reviewer_not_eligible, naming who may decide and the rule', () => {
    expect(eligibility({ emails: ['cfo@example.com'], zendeskGroups: ['360001'] }, null, ana, 'critical-two-person')).toEqual({
      eligible: false,
      code: 'reviewer_not_eligible',
      reason: 'Only cfo@example.com or members of Zendesk group 360001 may decide this request (policy rule "critical-two-person").',
    });
  });

  describe('four eyes', () => {
    it('refuses the requester named by id, whatever the reviewer’s channel', () => {
      expect(eligible(null, ana, { id: 'ana' })).toMatchObject({ eligible: false, code: 'self_approval' });
      expect(eligible(null, zoe, { id: '381' })).toMatchObject({ eligible: false, code: 'self_approval' });
      expect(eligible(null, ian, { id: '381' })).toMatchObject({ eligible: false, code: 'self_approval' });
    });

    it('refuses the requester named by email, case-insensitively', () => {
      expect(eligible(null, ana, { email: 'ANA@example.com' })).toMatchObject({ eligible: false, code: 'self_approval' });
      expect(eligible(null, zoe, { id: 'someone-else', email: 'Zoe@Example.COM' })).toMatchObject({ eligible: false, code: 'self_approval' });
    });

    it('refuses the requester even when the rule names them as an eligible reviewer', () => {
      expect(eligible({ ids: ['api:ana'] }, ana, { email: 'ana@example.com' })).toMatchObject({ eligible: false, code: 'self_approval' });
    });

    it('lets anyone else decide', () => {
      expect(eligible(null, ana, { id: 'bob', email: 'bob@example.com' })).toEqual({ eligible: true });
      expect(eligible(null, noEmail, { email: 'bo@example.com' })).toEqual({ eligible: true });
      expect(eligible(null, ana, { id: 'an' })).toEqual({ eligible: true });
    });
  });
});

describe('eligible reviewers in words', () => {
  it('lists every kind, joined with "or"', () => {
    expect(describeReviewers({ emails: ['cfo@example.com'], ids: ['api:admin'], zendeskGroups: ['360001'], zendeskRoles: ['admin'], intercomTeams: ['55'] }))
      .toBe('cfo@example.com, API reviewer admin, members of Zendesk group 360001, Zendesk admins or members of Intercom team 55');
    expect(describeReviewers({ ids: ['api:admin'] })).toBe('API reviewer admin');
  });
});
