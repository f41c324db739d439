// Who is deciding, proven by the credential, never taken from the request body. A decision arrives
// with a principal (what the credential establishes) and perhaps a body `reviewer` (what the caller
// says); this module turns the two into the verified reviewer the decision is recorded under, or
// refuses: a body naming someone else, or claiming a channel only a platform can vouch for, is
// 403 reviewer_mismatch; an app key without a verified agent session is 403 reviewer_unverified.
import type { Reviewer } from '@countersign/shared';
import { AppError } from './errors';

/** A person a personal review key belongs to. */
export interface KeyPerson {
  id: string;
  name: string;
  email?: string;
}

/** A Zendesk agent, as Zendesk proved it (OAuth: users/me and the agent's group memberships). */
export interface ZendeskAgent {
  id: string;
  name: string;
  email?: string;
  role: string;
  customRoleId?: string;
  groups: string[];
}

/** An Intercom teammate, the admin of Intercom's signed canvas request. */
export interface IntercomAdmin {
  id: string;
  name: string;
  email?: string;
  teams: string[];
}

/** A Slack user, as Slack's API described them (users.info) for a click Slack signed. */
export interface SlackUser {
  id: string;
  name: string;
  email?: string;
}

export type ReviewerPrincipal =
  /** A personal review key: its holder is the person it was issued to. */
  | { kind: 'personal'; keyId: string; person: KeyPerson }
  /** A delegating review key: a trusted internal tool vouching for its own users, named in the body. */
  | { kind: 'delegating'; keyId: string }
  /** The app key installed in the Zendesk app, with the agent session Zendesk vouched for, if any. */
  | { kind: 'app'; keyId: string; agent: ZendeskAgent | null }
  | { kind: 'intercom'; admin: IntercomAdmin }
  /** The Slack user who clicked in a message or submitted a modal (Slack's signed interaction). */
  | { kind: 'slack'; user: SlackUser };

/** How an identity was established, as the audit trail records it. */
export type Verification = 'personal_key' | 'delegating_key' | 'zendesk_oauth' | 'intercom_signed_request' | 'slack_signed_request' | 'policy';

export interface VerifiedReviewer {
  /** What decidedBy records. */
  reviewer: Reviewer;
  verification: Verification;
  /** The API key the decision came with, if it came with one. */
  keyId: string | null;
  /** For a delegating key: the key that asserted the reviewer. */
  assertedByKey: string | null;
  /** What eligibility may look at beyond id and email. */
  zendeskGroups: string[];
  zendeskRoles: string[];
  intercomTeams: string[];
}

/** Channels a platform vouches for; a request body can only ever speak for `api`. */
const PLATFORM_CHANNELS = new Set(['zendesk', 'intercom', 'slack', 'policy']);

export function verifyReviewer(principal: ReviewerPrincipal, claimed: Reviewer | undefined): VerifiedReviewer {
  if (claimed && PLATFORM_CHANNELS.has(claimed.via)) {
    throw mismatch(`A request body cannot speak for ${claimed.via}: that channel's reviewers are proven by the platform itself. Send no reviewer, or one with via "api".`);
  }
  switch (principal.kind) {
    case 'personal':
      if (claimed && claimed.id !== principal.person.id) throw mismatch(`This key belongs to ${principal.person.name} (${principal.person.id}); it cannot decide as ${claimed.id}.`);
      return verified({ ...principal.person, via: 'api' }, 'personal_key', principal.keyId);
    case 'delegating':
      if (!claimed) throw new AppError('bad_request', 'reviewer_required', 'A delegating key decides for the person named in "reviewer": send {"id","name","email"?,"via":"api"}.');
      return { ...verified(claimed, 'delegating_key', principal.keyId), assertedByKey: principal.keyId };
    case 'app':
      if (!principal.agent) throw new AppError('forbidden', 'reviewer_unverified', 'This key is installed in the Zendesk app: a decision needs the agent\'s verified session (X-Countersign-Reviewer), issued after Zendesk confirms who the agent is.');
      if (claimed) throw mismatch('A decision from the Zendesk app is the signed-in agent\'s; send no reviewer.');
      return { ...verified(withoutEmpty({ ...principal.agent, via: 'zendesk' }), 'zendesk_oauth', principal.keyId), zendeskGroups: principal.agent.groups, zendeskRoles: roles(principal.agent) };
    case 'intercom':
      return { ...verified(withoutEmpty({ ...principal.admin, via: 'intercom' }), 'intercom_signed_request', null), intercomTeams: principal.admin.teams };
    case 'slack':
      if (claimed) throw mismatch('A decision from Slack is the clicking user\'s; send no reviewer.');
      return verified(withoutEmpty({ ...principal.user, via: 'slack' }), 'slack_signed_request', null);
  }
}

/** The policy as the decider of an auto-decision. */
export function policyReviewer(ruleId: string): Reviewer {
  return { id: ruleId, name: `Policy: ${ruleId}`, via: 'policy' };
}

/** "via:id", as policy rules name reviewers and as "the same reviewer twice" is told. */
export function reviewerKey(reviewer: Pick<Reviewer, 'id' | 'via'>): string {
  return `${reviewer.via}:${reviewer.id}`;
}

function verified(reviewer: Reviewer, verification: Verification, keyId: string | null): VerifiedReviewer {
  return { reviewer: { id: reviewer.id, name: reviewer.name, ...(reviewer.email ? { email: reviewer.email } : {}), via: reviewer.via }, verification, keyId, assertedByKey: null, zendeskGroups: [], zendeskRoles: [], intercomTeams: [] };
}

function withoutEmpty(person: { id: string; name: string; email?: string; via: Reviewer['via'] }): Reviewer {
  return { id: person.id, name: person.name, ...(person.email ? { email: person.email } : {}), via: person.via };
}

function roles(agent: ZendeskAgent): string[] {
  return agent.customRoleId ? [agent.role, agent.customRoleId] : [agent.role];
}

function mismatch(message: string): AppError {
  return new AppError('forbidden', 'reviewer_mismatch', message);
}
